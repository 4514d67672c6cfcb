"""Reads: villages, the names a village has, and its records in file order for export."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import peewee
from peewee import fn

from fundtrack.ledger.money import Amount
from fundtrack.storage import models as m


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


def known_names(village_id: int | None) -> dict[str, Any]:
    """Names already defined in a village: funders (with kind), enterprises, project codes, settlements."""
    if village_id is None:
        return {"funders": {}, "enterprises": set(), "projects": set(), "settlements": set(), "voided": {}}

    def voided(model: type[m.BaseModel], column: peewee.Field) -> set[str]:
        return {n for (n,) in model.select(column).where(model.village == village_id, model.voided == True).tuples()}  # noqa: E712

    return {
        "voided": {
            "funder": voided(m.Funder, m.Funder.name),
            "enterprise": voided(m.Enterprise, m.Enterprise.name),
            "project": voided(m.Project, m.Project.code),
            "settlement": voided(m.Settlement, m.Settlement.name),
        },
        "funders": dict(m.Funder.select(m.Funder.name, m.Funder.kind).where(m.Funder.village == village_id).tuples()),
        "enterprises": {
            n for (n,) in m.Enterprise.select(m.Enterprise.name).where(m.Enterprise.village == village_id).tuples()
        },
        "projects": {c for (c,) in m.Project.select(m.Project.code).where(m.Project.village == village_id).tuples()},
        "settlements": {
            n for (n,) in m.Settlement.select(m.Settlement.name).where(m.Settlement.village == village_id).tuples()
        },
    }


def _amount(fen: int | None, at_least: bool) -> Amount | None:
    return None if fen is None else Amount(fen, bool(at_least))


def _clean(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if v is not None and v != []}


_TABLES = m.TABLE_MODELS


def records(
    village_id: int, with_personal_data: bool = False, only: tuple[str, int] | None = None
) -> dict[str, Iterator[dict[str, Any]]]:
    """Every live record of a village, table by table, as fundtrack/1 records (amounts as Amount).

    With `only=(table, id)` the generators yield just that record, voided or not (for editing it).
    """
    V = village_id

    def _live(model: type[m.BaseModel]) -> peewee.Expression:
        if only is not None:
            name = next(t for t, mod in _TABLES.items() if mod is model)
            return (model.id == only[1]) if name == only[0] else (model.id < 0)
        return model.voided == False  # noqa: E712

    Pa = m.Project.alias()
    S, F, E, P = m.Settlement, m.Funder, m.Enterprise, m.Project

    project_settlements: dict[int, list[str]] = defaultdict(list)
    for pid, name in (
        m.ProjectSettlement.select(m.ProjectSettlement.project, S.name)
        .join(S)
        .where(S.village == V)
        .order_by(m.ProjectSettlement.project, m.ProjectSettlement.position)
        .tuples()
    ):
        project_settlements[pid].append(name)
    members: dict[int, list[str]] = defaultdict(list)
    for pid, name in (
        m.PledgeFunder.select(m.PledgeFunder.pledge, F.name)
        .join(F)
        .where(F.village == V)
        .order_by(m.PledgeFunder.pledge, m.PledgeFunder.position)
        .tuples()
    ):
        members[pid].append(name)

    def settlements() -> Iterator[dict[str, Any]]:
        q = S.select(S.name, S.households, S.people, S.note).where(S.village == V, _live(S)).order_by(S.id)
        for name, hh, people, note in q.tuples().iterator():
            yield _clean({"name": name, "households": hh, "people": people, "note": note})

    def funders() -> Iterator[dict[str, Any]]:
        q = F.select(F.name, F.kind).where(F.village == V, _live(F)).order_by(F.id)
        if only is None:
            q = q.where(F.implied == False)  # noqa: E712
        for name, kind in q.tuples().iterator():
            yield {"name": name, "kind": kind}

    def enterprises() -> Iterator[dict[str, Any]]:
        q = E.select(E.name, E.kind, E.hiring_quota, E.quota_given, E.management_quota).where(E.village == V, _live(E))
        for name, kind, quota, given, mgmt in q.order_by(E.id).tuples().iterator():
            yield _clean(
                {"name": name, "kind": kind, "hiring_quota": quota if given else None, "management_quota": mgmt or None}
            )

    def projects() -> Iterator[dict[str, Any]]:
        q = (
            P.select(
                P.id,
                P.code,
                P.name,
                P.category,
                P.status,
                P.budget_fen,
                P.budget_at_least,
                Pa.code,
                P.beneficiary_households,
                P.beneficiary_people,
                P.start,
                P.expected_end,
                P.note,
            )
            .join(Pa, peewee.JOIN.LEFT_OUTER, on=(P.parent == Pa.id))
            .where(P.village == V, _live(P))
            .order_by(P.id)
        )
        for pid, code, name, cat, status, fen, al, parent, bh, bp, start, end, note in q.tuples().iterator():
            yield _clean(
                {
                    "code": code,
                    "name": name,
                    "category": cat,
                    "status": status,
                    "budget": _amount(fen, al),
                    "parent": parent,
                    "settlements": project_settlements.get(pid),
                    "beneficiary_households": bh,
                    "beneficiary_people": bp,
                    "start": start,
                    "expected_end": end,
                    "note": note,
                }
            )

    def milestones() -> Iterator[dict[str, Any]]:
        Mi = m.Milestone
        q = (
            Mi.select(P.code, Mi.name, Mi.status, Mi.due, Mi.note)
            .join(P)
            .where(P.village == V, _live(Mi))
            .order_by(Mi.id)
        )
        for code, name, status, due, note in q.tuples().iterator():
            yield _clean({"project": code, "name": name, "status": status, "due": due, "note": note})

    def pledges() -> Iterator[dict[str, Any]]:
        Pl = m.Pledge
        q = (
            Pl.select(Pl.id, P.code, F.name, Pl.amount_fen, Pl.at_least, Pl.form, Pl.quantity, Pl.date, Pl.ref, Pl.note)
            .join(P, on=(Pl.project == P.id))
            .join(F, peewee.JOIN.LEFT_OUTER, on=(Pl.funder == F.id))
            .where(P.village == V, _live(Pl))
            .order_by(Pl.id)
        )
        for pid, code, funder, fen, al, form, qty, date, ref, note in q.tuples().iterator():
            yield _clean(
                {
                    "project": code,
                    "funder": funder,
                    "funders": members.get(pid) if funder is None else None,
                    "amount": _amount(fen, al),
                    "form": form if form != "cash" else None,
                    "quantity": qty,
                    "date": date,
                    "ref": ref,
                    "note": note,
                }
            )

    def levies() -> Iterator[dict[str, Any]]:
        L = m.Levy
        q = (
            L.select(P.code, F.name, L.per_household_fen, L.at_least, L.households)
            .join(P, on=(L.project == P.id))
            .join(F, on=(L.funder == F.id))
            .where(P.village == V, _live(L))
            .order_by(L.id)
        )
        for code, funder, fen, al, hh in q.tuples().iterator():
            yield {"project": code, "funder": funder, "per_household": Amount(fen, al), "households": hh}

    def receipts() -> Iterator[dict[str, Any]]:
        R = m.Receipt
        q = (
            R.select(P.code, F.name, R.amount_fen, R.at_least, R.date, R.voucher, R.household, R.note)
            .join(P, on=(R.project == P.id))
            .join(F, on=(R.funder == F.id))
            .where(P.village == V, _live(R))
            .order_by(R.id)
        )
        for code, funder, fen, al, date, voucher, household, note in q.tuples().iterator():
            yield _clean(
                {
                    "project": code,
                    "funder": funder,
                    "amount": Amount(fen, al),
                    "date": date,
                    "voucher": voucher,
                    "household": household,
                    "note": note,
                }
            )

    def expenses() -> Iterator[dict[str, Any]]:
        X = m.Expense
        q = (
            X.select(P.code, X.amount_fen, X.at_least, X.date, X.item, X.voucher, X.note)
            .join(P)
            .where(P.village == V, _live(X))
            .order_by(X.id)
        )
        for code, fen, al, date, item, voucher, note in q.tuples().iterator():
            yield _clean(
                {
                    "project": code,
                    "amount": Amount(fen, al),
                    "date": date,
                    "item": item,
                    "voucher": voucher,
                    "note": note,
                }
            )

    def hires() -> Iterator[dict[str, Any]]:
        H = m.Hire
        q = (
            H.select(E.name, H.person, H.role, H.start, H.end, S.name, H.id_number, H.note)
            .join(E, on=(H.enterprise == E.id))
            .join(S, peewee.JOIN.LEFT_OUTER, on=(H.settlement == S.id))
            .where(E.village == V, _live(H))
            .order_by(H.id)
        )
        for ent, person, role, start, end, settlement, id_number, note in q.tuples().iterator():
            yield _clean(
                {
                    "enterprise": ent,
                    "person": person,
                    "role": role,
                    "start": start,
                    "end": end,
                    "settlement": settlement,
                    "id_number": id_number if with_personal_data else None,
                    "note": note,
                }
            )

    def headcounts() -> Iterator[dict[str, Any]]:
        Hc = m.Headcount
        q = (
            Hc.select(E.name, Hc.date, Hc.local_workers, Hc.management)
            .join(E, on=(Hc.enterprise == E.id))
            .where(E.village == V, _live(Hc))
            .order_by(Hc.id)
        )
        for ent, date, lw, mgmt in q.tuples().iterator():
            yield _clean({"enterprise": ent, "date": date, "local_workers": lw, "management": mgmt})

    return {
        "settlements": settlements(),
        "funders": funders(),
        "enterprises": enterprises(),
        "projects": projects(),
        "milestones": milestones(),
        "pledges": pledges(),
        "levies": levies(),
        "receipts": receipts(),
        "expenses": expenses(),
        "hires": hires(),
        "headcounts": headcounts(),
    }


# ---------------------------------------------------------------- lists for the app (one project, funder, enterprise)


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
        "parent": (parent.id, parent.code, parent.name) if parent else None,
        "children": list(
            P.select(P.id, P.code, P.name).where(P.parent == p.id, P.voided == False).order_by(P.id).tuples()  # noqa: E712
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


def receipts_of(project_id: int | None = None, funder_id: int | None = None) -> list[tuple[Any, ...]]:
    """(id, date, project code, funder, Amount, voucher, household, note, voided), newest first."""
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
        (i, d, c, f, Amount(fen, bool(al)), v, h, n, vo)
        for i, d, c, f, fen, al, v, h, n, vo in q.order_by(R.date.desc(), R.id.desc()).tuples()
    ]


def expenses_of(project_id: int) -> list[tuple[Any, ...]]:
    """(id, date, item, Amount, voucher, note, voided), newest first."""
    X = m.Expense
    q = X.select(X.id, X.date, X.item, X.amount_fen, X.at_least, X.voucher, X.note, X.voided).where(
        X.project == project_id
    )
    return [
        (i, d, it, Amount(fen, bool(al)), v, n, vo)
        for i, d, it, fen, al, v, n, vo in q.order_by(X.date.desc(), X.id.desc()).tuples()
    ]


def milestones_of(project_id: int) -> list[tuple[Any, ...]]:
    """(id, name, status, due, note, voided) in the order recorded."""
    Mi = m.Milestone
    return list(
        Mi.select(Mi.id, Mi.name, Mi.status, Mi.due, Mi.note, Mi.voided)
        .where(Mi.project == project_id)
        .order_by(Mi.id)
        .tuples()
    )


def pledges_of(project_id: int | None = None, funder_id: int | None = None) -> list[tuple[Any, ...]]:
    """(id, project code, funders, form, Amount or None, quantity, date, ref, note, voided, joint)."""
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
        (i, code, tuple(members[i]) if j else (f,), form, _amount(fen, al), qty, d, ref, note, vo, j)
        for i, code, f, form, fen, al, qty, d, ref, note, vo, j in rows
    ]


def levies_of(project_id: int) -> list[tuple[Any, ...]]:
    """(id, funder, per_household Amount, households, voided)."""
    L, F = m.Levy, m.Funder
    return [
        (i, f, Amount(fen, bool(al)), hh, vo)
        for i, f, fen, al, hh, vo in L.select(L.id, F.name, L.per_household_fen, L.at_least, L.households, L.voided)
        .join(F)
        .where(L.project == project_id)
        .order_by(L.id)
        .tuples()
    ]


def household_payments(project_id: int, funder: str) -> list[tuple[str, Amount, int]]:
    """(household, paid, receipts) per household of a levy funder on a project, in SQL."""
    R, F = m.Receipt, m.Funder
    q = (
        R.select(R.household, fn.SUM(R.amount_fen), fn.COUNT(R.id))
        .join(F)
        .where(R.project == project_id, F.name == funder, R.voided == False, R.household.is_null(False))  # noqa: E712
        .group_by(R.household)
        .order_by(R.household)
    )
    return [(h, Amount(int(fen)), int(n)) for h, fen, n in q.tuples()]


def id_of(table: str, village_id: int, name: str) -> int | None:
    model = _TABLES[table]
    row = model.select(model.id).where(model.village == village_id, model.name == name).first()
    return row.id if row else None


def hires_of(enterprise_id: int) -> list[tuple[Any, ...]]:
    """(id, person, role, start, end, settlement, id_number, note, voided)."""
    H, S = m.Hire, m.Settlement
    return list(
        H.select(H.id, H.person, H.role, H.start, H.end, S.name, H.id_number, H.note, H.voided)
        .join(S, peewee.JOIN.LEFT_OUTER, on=(H.settlement == S.id))
        .where(H.enterprise == enterprise_id)
        .order_by(H.start, H.id)
        .tuples()
    )


def headcounts_of(enterprise_id: int) -> list[tuple[Any, ...]]:
    """(id, date, local_workers, management, voided), newest first."""
    Hc = m.Headcount
    return list(
        Hc.select(Hc.id, Hc.date, Hc.local_workers, Hc.management, Hc.voided)
        .where(Hc.enterprise == enterprise_id)
        .order_by(Hc.date.desc(), Hc.id.desc())
        .tuples()
    )


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
        "project": names(m.Project, m.Project.code),
        "parent": names(m.Project, m.Project.code),
        "funder": names(m.Funder, m.Funder.name),
        "funders": names(m.Funder, m.Funder.name),
        "enterprise": names(m.Enterprise, m.Enterprise.name),
        "settlement": names(m.Settlement, m.Settlement.name),
        "settlements": names(m.Settlement, m.Settlement.name),
    }
