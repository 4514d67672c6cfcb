"""Aggregates in SQL: receipts, pledges, spending and hires summed per project, funder and form."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import peewee
from peewee import JOIN, Case, fn

from fundtrack.ledger.facts import (
    EnterpriseFact,
    HouseholdPaidFact,
    InKindFact,
    LedgerFacts,
    LevyFact,
    MilestoneFact,
    PledgeFact,
    ProjectFact,
    ReceiptFact,
    SpentFact,
)
from fundtrack.ledger.money import Amount
from fundtrack.storage import models as m
from fundtrack.storage.db import is_sqlite

P, F, V = m.Project, m.Funder, m.Village


def _any(column: peewee.Field) -> peewee.Expression:
    """1 when any row of the group is flagged (portable: PostgreSQL has no MAX(boolean))."""
    return fn.SUM(Case(None, [(column == True, 1)], 0))  # noqa: E712


def _raw(query: peewee.Query) -> peewee.Cursor:
    """The driver's cursor over the rows, without peewee's per-row conversion (a large share of the time)."""
    return m.database.execute(query)


def _date(value: object) -> dt.date | None:
    """A date as SQLite (text) or PostgreSQL (date) gives it back."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _scope(query: peewee.ModelSelect, village_id: int | None, project_id: int | None) -> peewee.ModelSelect:
    query = query.where(P.voided == False)  # noqa: E712
    if village_id is not None:
        query = query.where(P.village == village_id)
    if project_id is not None:
        query = query.where(P.id == project_id)
    return query


def project_facts(village_id: int | None = None, project_id: int | None = None) -> list[ProjectFact]:
    parent = P.alias()
    q = (
        P.select(P.id, V.name, P.code, P.name, P.category, P.status, parent.code, P.budget_fen, P.budget_at_least)
        .join(V, on=(P.village == V.id))
        .switch(P)
        .join(parent, JOIN.LEFT_OUTER, on=(P.parent == parent.id))
        .order_by(V.name, P.id)
    )
    return [
        ProjectFact(pid, village, code, name, cat, status, parent_code, None if fen is None else Amount(fen, bool(al)))
        for pid, village, code, name, cat, status, parent_code, fen, al in _raw(_scope(q, village_id, project_id))
    ]


def _members(village_id: int | None) -> dict[int, list[tuple[str, str]]]:
    """Members of joint pledges, in their order: a village's own (funders belong to one village)."""
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    q = (
        m.PledgeFunder.select(m.PledgeFunder.pledge, F.name, F.kind)
        .join(F)
        .order_by(m.PledgeFunder.pledge, m.PledgeFunder.position)
    )
    if village_id is not None:
        q = q.where(F.village == village_id)
    for pledge_id, name, kind in _raw(q):
        out[pledge_id].append((name, kind))
    return out


class _FunderNames(dict[int, tuple[str, str]]):
    """Funder id -> (name, kind); a funder of another village (which no import or form links
    to, but a database edited by hand might) is looked up when it is first met."""

    def __missing__(self, fid: int) -> tuple[str, str]:
        self[fid] = F.select(F.name, F.kind).where(F.id == fid).tuples().get()
        return self[fid]


def _funder_names(village_id: int | None) -> _FunderNames:
    """Funder id -> (name, kind), of one village or of all."""
    q = F.select(F.id, F.name, F.kind)
    if village_id is not None:
        q = q.where(F.village == village_id)
    return _FunderNames((fid, (name, kind)) for fid, name, kind in _raw(q))


def ledger_facts(as_of: dt.date, village_id: int | None = None, project_id: int | None = None) -> LedgerFacts:
    """Everything the ledger rules need, as a few thousand GROUP BY rows instead of every record."""
    where = (village_id, project_id)
    # Funder ids to names once: the queries group by funder id, the facts carry names.
    funders = _funder_names(village_id)
    pledges, members = _pledge_facts(as_of, funders, *where)
    levies = _levy_facts(*where)
    return LedgerFacts(
        as_of,
        tuple(project_facts(village_id, project_id)),
        tuple(pledges),
        tuple(_in_kind_facts(as_of, members, *where)),
        tuple(levies),
        tuple(_receipt_facts(as_of, funders, *where)),
        tuple(_household_facts(as_of, funders, levies, *where)),
        tuple(_spent_facts(as_of, *where)),
        tuple(_milestone_facts(*where)),
    )


def _live_pledges(as_of: dt.date) -> peewee.Expression:
    Pl = m.Pledge
    return (Pl.voided == False) & (Pl.date.is_null() | (Pl.date <= as_of))  # noqa: E712


def _pledge_facts(
    as_of: dt.date, funders: _FunderNames, village_id: int | None, project_id: int | None
) -> tuple[list[PledgeFact], dict[int, list[tuple[str, str]]]]:
    """Pledges summed per project, funder (or joint group) and form; and the joint pledges' members."""
    Pl = m.Pledge
    live = _live_pledges(as_of)
    # Grouped by funder id, not name: the (project, funder) index gives the groups in order,
    # without a join or a sort (a funder's name is unique in its village, as a project's is).
    pledges: list[PledgeFact] = []
    q = (
        Pl.select(
            Pl.project,
            Pl.funder,
            Pl.form,
            fn.COALESCE(fn.SUM(Pl.amount_fen), 0),
            _any(Pl.at_least),
            fn.COUNT(Pl.amount_fen),
        )
        .join(P, on=(Pl.project == P.id))
        .where(live, Pl.joint == False)  # noqa: E712
        .group_by(Pl.project, Pl.funder, Pl.form)
        .order_by(Pl.project, Pl.funder, Pl.form)
    )
    for pid, fid, form, fen, al, valued in _raw(_scope(q, village_id, project_id)):
        name, kind = funders[fid]
        pledges.append(PledgeFact(pid, (name,), kind, form, Amount(int(fen), bool(al)), int(valued)))

    joint_rows = _scope(
        Pl.select(Pl.id, Pl.project, Pl.form, Pl.amount_fen, Pl.at_least)
        .join(P, on=(Pl.project == P.id))
        .where(live, Pl.joint == True),  # noqa: E712
        village_id,
        project_id,
    ).order_by(Pl.id)
    joint_rows = list(_raw(joint_rows))
    members = _members(village_id) if joint_rows else {}
    groups: dict[tuple[int, tuple[str, ...], str], list] = {}
    for pledge_id, pid, form, fen, al in joint_rows:
        names = tuple(n for n, _ in members[pledge_id])
        kind = members[pledge_id][0][1]
        key = (pid, names, form)
        g = groups.setdefault(key, [kind, 0, False, 0])
        g[1] += fen or 0
        g[2] = g[2] or bool(al)
        g[3] += fen is not None
    for (pid, names, form), (kind, fen, al, valued) in groups.items():
        pledges.append(PledgeFact(pid, names, kind, form, Amount(fen, al), valued, joint=True))
    return pledges, members


def _in_kind_facts(
    as_of: dt.date, members: dict[int, list[tuple[str, str]]], village_id: int | None, project_id: int | None
) -> list[InKindFact]:
    """Every in-kind pledge, one by one, with its funder or joint group's members."""
    Pl = m.Pledge
    q = (
        Pl.select(Pl.id, Pl.project, F.name, Pl.form, Pl.quantity, Pl.amount_fen, Pl.at_least, Pl.note)
        .join(P, on=(Pl.project == P.id))
        .switch(Pl)
        .join(F, JOIN.LEFT_OUTER, on=(Pl.funder == F.id))
        .where(_live_pledges(as_of), Pl.form != "cash")
        .order_by(Pl.id)
    )
    in_kind: list[InKindFact] = []
    for pledge_id, pid, name, form, qty, fen, al, note in _raw(_scope(q, village_id, project_id)):
        names = (name,) if name is not None else tuple(n for n, _ in members[pledge_id])
        in_kind.append(InKindFact(pid, names, form, qty, None if fen is None else Amount(fen, bool(al)), note))
    return in_kind


def _levy_facts(village_id: int | None, project_id: int | None) -> list[LevyFact]:
    L = m.Levy
    return [
        LevyFact(pid, name, Amount(fen, bool(al)), hh)
        for pid, name, fen, al, hh in _raw(
            _scope(
                L.select(L.project, F.name, L.per_household_fen, L.at_least, L.households)
                .join(P, on=(L.project == P.id))
                .switch(L)
                .join(F, on=(L.funder == F.id))
                .where(L.voided == False)  # noqa: E712
                .order_by(L.id),
                village_id,
                project_id,
            )
        )
    ]


def _live_receipts(as_of: dt.date) -> peewee.Expression:
    R = m.Receipt
    return (R.voided == False) & (R.date <= as_of)  # noqa: E712


def _receipt_facts(
    as_of: dt.date, funders: _FunderNames, village_id: int | None, project_id: int | None
) -> list[ReceiptFact]:
    """Receipts summed per project and funder, with how many do not name a household."""
    R = m.Receipt
    return [
        ReceiptFact(pid, *funders[fid], Amount(int(fen), bool(al)), int(n), int(anon))
        for pid, fid, fen, al, n, anon in _raw(
            _scope(
                R.select(
                    R.project,
                    R.funder,
                    fn.SUM(R.amount_fen),
                    _any(R.at_least),
                    fn.COUNT(R.id),
                    fn.SUM(Case(None, [(R.household.is_null(), 1)], 0)),
                )
                .join(P, on=(R.project == P.id))
                .where(_live_receipts(as_of))
                .group_by(R.project, R.funder)
                .order_by(R.project, R.funder),
                village_id,
                project_id,
            )
        )
    ]


def _household_facts(
    as_of: dt.date, funders: _FunderNames, levies: list[LevyFact], village_id: int | None, project_id: int | None
) -> list[HouseholdPaidFact]:
    """What each household paid through each levy funder, on the projects with a levy."""
    if not levies:
        return []
    R, L = m.Receipt, m.Levy
    # Only the projects with a levy: found through the receipt index, not by a scan.
    levied = {(levy.project_id, levy.funder) for levy in levies}
    levy_projects = _scope(
        L.select(L.project).join(P, on=(L.project == P.id)).where(L.voided == False),  # noqa: E712
        village_id,
        project_id,
    )
    q = (
        R.select(R.project, R.funder, R.household, fn.SUM(R.amount_fen), _any(R.at_least))
        .where(_live_receipts(as_of), R.household.is_null(False), R.project.in_(levy_projects))
        .group_by(R.project, R.funder, R.household)
        .order_by(R.project, R.funder, R.household)
    )
    return [
        HouseholdPaidFact(pid, funders[fid][0], hh, Amount(int(fen), bool(al)))
        for pid, fid, hh, fen, al in _raw(q)
        if (pid, funders[fid][0]) in levied
    ]


def _spent_facts(as_of: dt.date, village_id: int | None, project_id: int | None) -> list[SpentFact]:
    X = m.Expense
    return [
        SpentFact(pid, Amount(int(fen), bool(al)), int(n))
        for pid, fen, al, n in _raw(
            _scope(
                X.select(X.project, fn.SUM(X.amount_fen), _any(X.at_least), fn.COUNT(X.id))
                .join(P, on=(X.project == P.id))
                .where(X.voided == False, X.date <= as_of)  # noqa: E712
                .group_by(X.project),
                village_id,
                project_id,
            )
        )
    ]


def _milestone_facts(village_id: int | None, project_id: int | None) -> list[MilestoneFact]:
    """The milestones not done yet, in the order recorded."""
    Mi = m.Milestone
    return [
        MilestoneFact(pid, name, status, _date(due))
        for pid, name, status, due in _raw(
            _scope(
                Mi.select(Mi.project, Mi.name, Mi.status, Mi.due)
                .join(P, on=(Mi.project == P.id))
                .where(Mi.voided == False, Mi.status != "done")  # noqa: E712
                .order_by(Mi.id),
                village_id,
                project_id,
            )
        )
    ]


def _active(H: type[m.Hire], on: peewee.Node) -> peewee.Expression:
    return (H.start <= on) & (H.end.is_null() | (H.end > on)) & (H.voided == False)  # noqa: E712


def enterprise_facts(as_of: dt.date, village_id: int | None = None) -> list[EnterpriseFact]:
    """Each enterprise's quota, hires active on as_of, and its latest declaration on or before as_of."""
    E, H, Hc = m.Enterprise, m.Hire, m.Headcount
    # One village's enterprises: their ids bound every query below, so that a county's report,
    # made village by village, does not scan every hire a hundred times.
    ours = E.select(E.id).where(E.village == village_id) if village_id is not None else None

    def mine(query: peewee.ModelSelect, column: peewee.Field) -> peewee.ModelSelect:
        return query if ours is None else query.where(column.in_(ours))

    active = {
        (eid, role): n
        for eid, role, n in mine(H.select(H.enterprise, H.role, fn.COUNT(H.id)).where(_active(H, as_of)), H.enterprise)
        .group_by(H.enterprise, H.role)
        .tuples()
    }
    any_hire = {
        eid
        for (eid,) in mine(H.select(H.enterprise).where(H.voided == False), H.enterprise).distinct().tuples()  # noqa: E712
    }
    latest = (
        mine(Hc.select(Hc.enterprise, fn.MAX(Hc.date).alias("d")), Hc.enterprise)
        .where(Hc.voided == False, Hc.date <= as_of)  # noqa: E712
        .group_by(Hc.enterprise)
        .alias("latest")
    )
    declared = {}
    q = (
        Hc.select(Hc.enterprise, Hc.date, Hc.local_workers, Hc.management)
        .join(latest, on=((Hc.enterprise == latest.c.enterprise_id) & (Hc.date == latest.c.d)))
        .where(Hc.voided == False)  # noqa: E712
        .order_by(Hc.id)
    )
    for eid, date, workers, mgmt in q.tuples():
        declared[eid] = (date, workers, mgmt)  # the last recorded on that date wins
    on_declared: dict[int, int] = {}
    if declared:
        H2 = H.alias()
        q = (
            H2.select(H2.enterprise, fn.COUNT(H2.id))
            .join(latest, on=(latest.c.enterprise_id == H2.enterprise))
            .where((H2.start <= latest.c.d) & (H2.end.is_null() | (H2.end > latest.c.d)) & (H2.voided == False))  # noqa: E712
            .group_by(H2.enterprise)
        )
        on_declared = dict(q.tuples())
    q = E.select(E.id, V.name, E.name, E.kind, E.hiring_quota, E.management_quota).join(V).where(E.voided == False)  # noqa: E712
    if village_id is not None:
        q = q.where(E.village == village_id)
    out = []
    for eid, village, name, kind, quota, mq in q.order_by(V.name, E.id).tuples():
        workers = active.get((eid, "worker"), 0)
        mgmt = active.get((eid, "management"), 0)
        d = declared.get(eid)
        out.append(
            EnterpriseFact(
                village,
                name,
                kind,
                quota,
                mq or 0,
                workers + mgmt,
                mgmt,
                eid in any_hire,
                declared=d[1] if d else None,
                declared_management=d[2] if d else None,
                declared_on=d[0] if d else None,
                registered_on_declared=on_declared.get(eid, 0) if d else None,
            )
        )
    return out


Fetch = Callable[[list[peewee.Query]], list[list[tuple[Any, ...]]]]


def fetch_all(queries: list[peewee.Query]) -> list[list[tuple[Any, ...]]]:
    """Every row of each query, one after the other, as the driver gives them."""
    return [list(_raw(q)) for q in queries]


def project_totals(
    as_of: dt.date, village_id: int | None = None, fetch: Fetch = fetch_all
) -> list[tuple[ProjectFact, Amount, Amount, Amount]]:
    """Per project: pledged, received and spent, in four GROUP BY queries (the dashboard's first paint),
    independent of each other: `fetch` may run them at once.

    The same figures as the breakdown's project lines, without the per-funder detail that
    takes most of the time on a county's data.
    """
    Pl, R, X, L = m.Pledge, m.Receipt, m.Expense, m.Levy

    def sums(rows: list[tuple[Any, ...]]) -> dict[int, Amount]:
        return {pid: Amount(int(fen or 0), bool(al)) for pid, fen, al in rows}

    queries = [
        Pl.select(Pl.project, fn.SUM(Pl.amount_fen), _any(Pl.at_least))
        .join(P, on=(Pl.project == P.id))
        .where(Pl.voided == False, Pl.date.is_null() | (Pl.date <= as_of))  # noqa: E712
        .group_by(Pl.project),
        L.select(L.project, fn.SUM(L.per_household_fen * L.households), _any(L.at_least))
        .join(P, on=(L.project == P.id))
        .where(L.voided == False)  # noqa: E712
        .group_by(L.project),
        R.select(R.project, fn.SUM(R.amount_fen), _any(R.at_least))
        .join(P, on=(R.project == P.id))
        .where(R.voided == False, R.date <= as_of)  # noqa: E712
        .group_by(R.project),
        X.select(X.project, fn.SUM(X.amount_fen), _any(X.at_least))
        .join(P, on=(X.project == P.id))
        .where(X.voided == False, X.date <= as_of)  # noqa: E712
        .group_by(X.project),
    ]
    rows = fetch([_scope(q, village_id, None) for q in queries])
    pledged, levies, received, spent = (sums(r) for r in rows)
    zero = Amount(0)
    return [
        (p, pledged.get(p.id, zero) + levies.get(p.id, zero), received.get(p.id, zero), spent.get(p.id, zero))
        for p in project_facts(village_id)
    ]


VILLAGE_FIGURES = ("budgets", "pledged", "received", "spent")
"""The figures of a village that data-format.md bounds (its totals stay below 10^14 yuan)."""


def village_totals(village_id: int | None, without: tuple[str, int] | None = None) -> dict[str, int]:
    """A village's budgets, pledged (levies at per household × households), received and spent, in fen,
    over every record not voided, whatever its date; `without` (table, id) leaves out a record being
    corrected. One SUM per figure, checked inside the write that would add to it.

    On PostgreSQL the village's row is locked first (FOR UPDATE, until the write ends): two writers
    to one village then sum in turn, each seeing what the other committed (SQLite's BEGIN IMMEDIATE
    already holds the whole database)."""
    totals = dict.fromkeys(VILLAGE_FIGURES, 0)
    if village_id is None:
        return totals
    if not is_sqlite():
        list(V.select(V.id).where(V.id == village_id).for_update().tuples())
    Pl, L, R, X = m.Pledge, m.Levy, m.Receipt, m.Expense
    tables = {"projects": P, "pledges": Pl, "levies": L, "receipts": R, "expenses": X}
    queries = (
        ("budgets", "projects", P.select(fn.SUM(P.budget_fen))),
        ("pledged", "pledges", Pl.select(fn.SUM(Pl.amount_fen)).join(P, on=(Pl.project == P.id))),
        ("pledged", "levies", L.select(fn.SUM(L.per_household_fen * L.households)).join(P, on=(L.project == P.id))),
        ("received", "receipts", R.select(fn.SUM(R.amount_fen)).join(P, on=(R.project == P.id))),
        ("spent", "expenses", X.select(fn.SUM(X.amount_fen)).join(P, on=(X.project == P.id))),
    )
    for figure, table, query in queries:
        model = tables[table]
        query = query.where(P.village == village_id, model.voided == False)  # noqa: E712
        if without is not None and without[0] == table:
            query = query.where(model.id != without[1])
        (fen,) = _raw(query).fetchone()
        totals[figure] += int(fen or 0)
    return totals
