"""Reads: villages, the names a village has, and its records in file order for export."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, NamedTuple

import peewee
from peewee import fn

from fundtrack.ledger import tables as decl
from fundtrack.ledger.money import Amount
from fundtrack.ledger.names import natural_key
from fundtrack.storage import models as m
from fundtrack.storage import tables as binding


def villages() -> list[m.Village]:
    return list(m.Village.select().order_by(m.Village.name))


def villages_by_id(village_id: int) -> m.Village:
    return m.Village.get_by_id(village_id)


def village_values(row: m.Village) -> dict[str, Any]:
    """A village row as the [village] table gives it (absent keys left out)."""
    values: dict[str, Any] = {
        "name": row.name,
        "township": row.township,
        "county": row.county,
        "ethnic_groups": json.loads(row.ethnic_groups) if row.ethnic_groups else None,
        "households": row.households,
        "people": row.people,
    }
    return {k: v for k, v in values.items() if v is not None}


# The tables other records link to by name, and the label a problem names each by.
LINKED = {
    "settlements": "settlement",
    "households": "household",
    "funders": "funder",
    "enterprises": "enterprise",
    "projects": "project",
}


def known_names(village_id: int | None) -> dict[str, Any]:
    """Names already defined in a village: funders (with kind), enterprises, project codes, settlements,
    and per label the names whose record was voided."""
    out: dict[str, Any] = {
        "funders": {},
        "enterprises": set(),
        "projects": set(),
        "settlements": set(),
        "households": {},
        "voided": {},
        "receipt_households": set(),
    }
    if village_id is None:
        return out
    for name, label in LINKED.items():
        model, column = binding.MODELS[name], binding.name_column(name)
        mine = model.village == village_id
        if name == "funders":
            out[name] = dict(model.select(column, model.kind).where(mine).tuples())
        elif name == "households":  # code -> exempt (a receipt may not name an exempt household)
            out[name] = {c: bool(e) for c, e in model.select(column, model.exempt).where(mine).tuples()}
        else:
            out[name] = {n for (n,) in model.select(column).where(mine).tuples()}
        out["voided"][label] = {n for (n,) in model.select(column).where(mine, model.voided == True).tuples()}  # noqa: E712
    R, P = m.Receipt, m.Project
    named = (
        R.select(R.household)
        .join(P)
        .where(P.village == village_id, R.voided == False, R.household.is_null(False))  # noqa: E712
        .distinct()
    )
    out["receipt_households"] = {h for (h,) in named.tuples() if h}
    return out


def _amount(fen: int | None, at_least: bool) -> Amount | None:
    return None if fen is None else Amount(fen, bool(at_least))


def records(
    village_id: int, with_personal_data: bool = False, only: tuple[str, int] | None = None
) -> dict[str, Iterator[dict[str, Any]]]:
    """Every live record of a village, table by table, as fundtrack/1 records (amounts as Amount).

    With `only=(table, id)` the generators yield just that record, voided or not (for editing it).
    """
    if only is not None:
        return {
            name: binding.read(name, village_id, with_personal_data, only[1]) if name == only[0] else iter(())
            for name in decl.NAMES
        }
    return {name: binding.read(name, village_id, with_personal_data) for name in decl.NAMES}


# ---------------------------------------------------------------- lists for the app (one project, funder, enterprise)
# One NamedTuple per list, made with `_make` over the query's tuples: as cheap as the bare tuple,
# and the screens read the fields by name.


class ProjectLink(NamedTuple):
    """A project a project links to: its parent or one of its children."""

    id: int
    code: str
    name: str


class ReceiptRow(NamedTuple):
    """One receipt, voided or not."""

    id: int
    date: dt.date
    project: str
    """The project's code."""
    funder: str
    amount: Amount
    voucher: str | None
    household: str | None
    """The household that paid, for a levy."""
    note: str | None
    voided: bool


class ExpenseRow(NamedTuple):
    """One expense, voided or not."""

    id: int
    date: dt.date
    item: str
    amount: Amount
    voucher: str | None
    note: str | None
    voided: bool


class MilestoneRow(NamedTuple):
    """One milestone, voided or not."""

    id: int
    name: str
    status: str
    """todo, approving, doing or done."""
    due: dt.date | None
    note: str | None
    voided: bool


class PledgeRow(NamedTuple):
    """One pledge, voided or not."""

    id: int
    project: str
    """The project's code."""
    funders: tuple[str, ...]
    """The funder, or every member of a joint pledge in the order recorded."""
    form: str
    """cash, land, labour, machinery, materials or other."""
    amount: Amount | None
    """None: given without a value."""
    quantity: str | None
    date: dt.date | None
    ref: str | None
    note: str | None
    voided: bool
    joint: bool


class LevyRow(NamedTuple):
    """One per-household levy on a project, voided or not."""

    id: int
    funder: str
    per_household: Amount
    households: int
    voided: bool


class HouseholdPayment(NamedTuple):
    """What one household paid a project through one levy funder (receipts not voided)."""

    household: str
    paid: Amount
    receipts: int
    """How many receipts it took."""


class HireRow(NamedTuple):
    """One hire on an enterprise's roster, voided or not."""

    id: int
    person: str
    role: str
    """worker or management."""
    start: dt.date
    end: dt.date | None
    """The first day no longer employed; None while employed."""
    settlement: str | None
    id_number: str | None
    note: str | None
    voided: bool


class HeadcountRow(NamedTuple):
    """One headcount an enterprise declared, voided or not."""

    id: int
    date: dt.date
    local_workers: int
    management: int | None
    voided: bool


def project_info(project_id: int) -> dict[str, Any]:
    """A project's own fields with its parent, children and settlements."""
    P, S = m.Project, m.Settlement
    p = P.get_by_id(project_id)
    parent = P.get_or_none(P.id == p.parent_id) if p.parent_id else None
    return {
        "id": p.id,
        "village_id": p.village_id,
        "code": p.code,
        "name": p.name,
        "category": p.category,
        "status": p.status,
        "budget": _amount(p.budget_fen, p.budget_at_least),
        "parent": ProjectLink(parent.id, parent.code, parent.name) if parent else None,
        "children": list(
            map(
                ProjectLink._make,
                P.select(P.id, P.code, P.name).where(P.parent == p.id, P.voided == False).order_by(P.id).tuples(),  # noqa: E712
            )
        ),
        "settlements": [
            n
            for (n,) in S.select(S.name)
            .join(m.ProjectSettlement)
            .where(m.ProjectSettlement.project == p.id)
            .order_by(m.ProjectSettlement.position)
            .tuples()
        ],
        "beneficiary_households": p.beneficiary_households,
        "beneficiary_people": p.beneficiary_people,
        "start": p.start,
        "expected_end": p.expected_end,
        "note": p.note,
        "voided": p.voided,
    }


def receipts_of(project_id: int | None = None, funder_id: int | None = None) -> list[ReceiptRow]:
    """A project's or a funder's receipts, newest first."""
    R, P, F = m.Receipt, m.Project, m.Funder
    q = (
        R.select(R.id, R.date, P.code, F.name, R.amount_fen, R.at_least, R.voucher, R.household, R.note, R.voided)
        .join(P, on=(R.project == P.id))
        .switch(R)
        .join(F, on=(R.funder == F.id))
    )
    if project_id is not None:
        q = q.where(R.project == project_id)
    if funder_id is not None:
        q = q.where(R.funder == funder_id)
    return [
        ReceiptRow(i, d, c, f, Amount(fen, bool(al)), v, h, n, vo)
        for i, d, c, f, fen, al, v, h, n, vo in q.order_by(R.date.desc(), R.id.desc()).tuples()
    ]


def expenses_of(project_id: int) -> list[ExpenseRow]:
    """A project's expenses, newest first."""
    X = m.Expense
    q = X.select(X.id, X.date, X.item, X.amount_fen, X.at_least, X.voucher, X.note, X.voided).where(
        X.project == project_id
    )
    return [
        ExpenseRow(i, d, it, Amount(fen, bool(al)), v, n, vo)
        for i, d, it, fen, al, v, n, vo in q.order_by(X.date.desc(), X.id.desc()).tuples()
    ]


def milestones_of(project_id: int) -> list[MilestoneRow]:
    """A project's milestones in the order recorded."""
    Mi = m.Milestone
    return list(
        map(
            MilestoneRow._make,
            Mi.select(Mi.id, Mi.name, Mi.status, Mi.due, Mi.note, Mi.voided)
            .where(Mi.project == project_id)
            .order_by(Mi.id)
            .tuples(),
        )
    )


def pledges_of(project_id: int | None = None, funder_id: int | None = None) -> list[PledgeRow]:
    """A project's or a funder's pledges (a funder's joint ones too) in the order recorded."""
    Pl, P, F = m.Pledge, m.Project, m.Funder
    q = (
        Pl.select(
            Pl.id,
            P.code,
            F.name,
            Pl.form,
            Pl.amount_fen,
            Pl.at_least,
            Pl.quantity,
            Pl.date,
            Pl.ref,
            Pl.note,
            Pl.voided,
            Pl.joint,
        )
        .join(P, on=(Pl.project == P.id))
        .switch(Pl)
        .join(F, peewee.JOIN.LEFT_OUTER, on=(Pl.funder == F.id))
    )
    if project_id is not None:
        q = q.where(Pl.project == project_id)
    if funder_id is not None:
        joint_ids = m.PledgeFunder.select(m.PledgeFunder.pledge).where(m.PledgeFunder.funder == funder_id)
        q = q.where((Pl.funder == funder_id) | Pl.id.in_(joint_ids))
    rows = list(q.order_by(Pl.id).tuples())
    members: dict[int, list[str]] = defaultdict(list)
    joint = [r[0] for r in rows if r[11]]
    if joint:
        for pid, name in (
            m.PledgeFunder.select(m.PledgeFunder.pledge, F.name)
            .join(F)
            .where(m.PledgeFunder.pledge.in_(joint))
            .order_by(m.PledgeFunder.position)
            .tuples()
        ):
            members[pid].append(name)
    return [
        PledgeRow(i, code, tuple(members[i]) if j else (f,), form, _amount(fen, al), qty, d, ref, note, vo, j)
        for i, code, f, form, fen, al, qty, d, ref, note, vo, j in rows
    ]


def levies_of(project_id: int) -> list[LevyRow]:
    """A project's levies in the order recorded."""
    L, F = m.Levy, m.Funder
    return [
        LevyRow(i, f, Amount(fen, bool(al)), hh, vo)
        for i, f, fen, al, hh, vo in L.select(L.id, F.name, L.per_household_fen, L.at_least, L.households, L.voided)
        .join(F)
        .where(L.project == project_id)
        .order_by(L.id)
        .tuples()
    ]


def household_payments(project_id: int, funder: str) -> list[HouseholdPayment]:
    """What each household paid a project through a levy funder, summed in SQL, by household."""
    R, F = m.Receipt, m.Funder
    q = (
        R.select(R.household, fn.SUM(R.amount_fen), fn.COUNT(R.id))
        .join(F)
        .where(R.project == project_id, F.name == funder, R.voided == False, R.household.is_null(False))  # noqa: E712
        .group_by(R.household)
        .order_by(R.household)
    )
    rows = [HouseholdPayment(h, Amount(int(fen)), int(n)) for h, fen, n in q.tuples()]
    return sorted(rows, key=lambda row: natural_key(row.household))  # 1-2 before 1-10 (SQL orders text)


def id_of(table: str, village_id: int, name: str) -> int | None:
    model = binding.MODELS[table]
    row = model.select(model.id).where(model.village == village_id, model.name == name).first()
    return row.id if row else None


def hires_of(enterprise_id: int) -> list[HireRow]:
    """An enterprise's roster, by start date."""
    H, S = m.Hire, m.Settlement
    q = (
        H.select(H.id, H.person, H.role, H.start, H.end, S.name, H.id_number, H.note, H.voided)
        .join(S, peewee.JOIN.LEFT_OUTER, on=(H.settlement == S.id))
        .where(H.enterprise == enterprise_id)
        .order_by(H.start, H.id)
    )
    return list(map(HireRow._make, q.tuples()))


def headcounts_of(enterprise_id: int) -> list[HeadcountRow]:
    """An enterprise's declared headcounts, newest first."""
    Hc = m.Headcount
    q = (
        Hc.select(Hc.id, Hc.date, Hc.local_workers, Hc.management, Hc.voided)
        .where(Hc.enterprise == enterprise_id)
        .order_by(Hc.date.desc(), Hc.id.desc())
    )
    return list(map(HeadcountRow._make, q.tuples()))


def names_for_forms(village_id: int) -> dict[str, list[str]]:
    """Names the forms suggest as people type."""

    def names(model: type[m.BaseModel], column: peewee.Field) -> list[str]:
        return [
            n
            for (n,) in model.select(column)
            .where(model.village == village_id, model.voided == False)  # noqa: E712
            .order_by(model.id)
            .tuples()
        ]

    return {
        # a project by its code or by its name, as the screens show it
        "project": names(m.Project, m.Project.code) + names(m.Project, m.Project.name),
        "parent": names(m.Project, m.Project.code) + names(m.Project, m.Project.name),
        "funder": names(m.Funder, m.Funder.name),
        "funders": names(m.Funder, m.Funder.name),
        "enterprise": names(m.Enterprise, m.Enterprise.name),
        "settlement": names(m.Settlement, m.Settlement.name),
        "settlements": names(m.Settlement, m.Settlement.name),
    }


def project_codes_by_name(village_id: int | None) -> dict[str, str]:
    """A village's projects, name -> code (a spreadsheet may name a project instead of coding it)."""
    if village_id is None:
        return {}
    query = m.Project.select(m.Project.name, m.Project.code).where(m.Project.village == village_id)
    return {row.name: row.code for row in query}


def levy_projects(village_id: int) -> set[str]:
    """The codes of a village's projects with a levy: a receipt from villagers there is a levy payment."""
    query = (
        m.Project.select(m.Project.code)
        .join(m.Levy)
        .where(m.Project.village == village_id, m.Project.voided == False, m.Levy.voided == False)  # noqa: E712
        .distinct()
    )
    return {code for (code,) in query.tuples()}


def funders_of(village_id: int | None) -> list[tuple[str, str, str]]:
    """(village, name, kind) of every live funder of a village (of every village with None), by name."""
    query = (
        m.Funder.select(m.Village.name, m.Funder.name, m.Funder.kind)
        .join(m.Village)
        .where(m.Funder.voided == False)  # noqa: E712
        .order_by(m.Village.name, m.Funder.name)
    )
    if village_id is not None:
        query = query.where(m.Funder.village == village_id)
    return list(query.tuples())
