"""Reads for the levy roll and the date checks: the household register, projects' settlements, receipts
that name no household, and what is dated after as_of."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from peewee import JOIN, fn

from fundtrack.ledger.facts import HouseholdPaidFact, LevyFact, ProjectFact
from fundtrack.ledger.levies import HouseholdFact
from fundtrack.ledger.money import Amount
from fundtrack.ledger.reconcile import FutureFact
from fundtrack.storage import aggregates as agg
from fundtrack.storage import models as m

P = m.Project


class LevyRollFacts(NamedTuple):
    """What ledger/levies.build_levy_report reads, for one village (or one project of it)."""

    projects: list[ProjectFact]
    levies: list[LevyFact]
    register: list[HouseholdFact]
    settlements: dict[int, tuple[str, ...]]
    households_paid: list[HouseholdPaidFact]
    unassigned: dict[tuple[int, str], Amount]


def village_of(project_id: int) -> int:
    return P.select(P.village).where(P.id == project_id).scalar()


def register(village_id: int) -> list[HouseholdFact]:
    """The live households of a village's register, in the order they were recorded."""
    H, S = m.Household, m.Settlement
    q = (
        H.select(H.code, H.head, S.name, H.exempt)
        .join(S, JOIN.LEFT_OUTER, on=(H.settlement == S.id))
        .where(H.village == village_id, H.voided == False)  # noqa: E712
        .order_by(H.id)
    )
    return [HouseholdFact(code, head, settlement, bool(exempt)) for code, head, settlement, exempt in agg._raw(q)]


def has_register(village_id: int) -> bool:
    H = m.Household
    return H.select().where(H.village == village_id, H.voided == False).exists()  # noqa: E712


def project_settlements(village_id: int | None, project_id: int | None) -> dict[int, tuple[str, ...]]:
    """Per project, the settlements it names, in their order."""
    L, S = m.ProjectSettlement, m.Settlement
    q = agg._scope(
        L.select(L.project, S.name).join(S, on=(L.settlement == S.id)).switch(L).join(P, on=(L.project == P.id)),
        village_id,
        project_id,
    ).order_by(L.project, L.position)
    out: dict[int, list[str]] = defaultdict(list)
    for pid, name in agg._raw(q):
        out[pid].append(name)
    return {pid: tuple(names) for pid, names in out.items()}


def _unassigned(
    as_of: dt.date, funders: agg._FunderNames, village_id: int | None, project_id: int | None
) -> dict[tuple[int, str], Amount]:
    """Per project and funder, what receipts that name no household add up to."""
    R = m.Receipt
    q = agg._scope(
        R.select(R.project, R.funder, fn.SUM(R.amount_fen), agg._any(R.at_least))
        .join(P, on=(R.project == P.id))
        .where(agg._live_receipts(as_of), R.household.is_null())
        .group_by(R.project, R.funder),
        village_id,
        project_id,
    )
    return {(pid, funders[fid][0]): Amount(int(fen), bool(al)) for pid, fid, fen, al in agg._raw(q)}


def levy_roll_facts(as_of: dt.date, village_id: int | None, project_id: int | None = None) -> LevyRollFacts:
    """The levies of a village (or of one project) and what their rolls are drawn from."""
    if village_id is None and project_id is not None:
        village_id = village_of(project_id)
    levies = agg._levy_facts(village_id, project_id)
    if not levies:  # most villages of a county: one query, not seven
        return LevyRollFacts([], [], [], {}, [], {})
    funders = agg._funder_names(village_id)
    return LevyRollFacts(
        agg.project_facts(village_id, project_id),
        levies,
        register(village_id) if village_id is not None else [],
        project_settlements(village_id, project_id),
        agg._household_facts(as_of, funders, levies, village_id, project_id),
        _unassigned(as_of, funders, village_id, project_id),
    )


def future_facts(as_of: dt.date, village_id: int | None, project_id: int | None = None) -> list[FutureFact]:
    """Per project, the live receipts and expenses dated after as_of (which every figure leaves out)."""
    out: dict[int, tuple[int, int, bool]] = {}
    for model in (m.Receipt, m.Expense):
        q = agg._scope(
            model.select(model.project, fn.COUNT(model.id), fn.SUM(model.amount_fen), agg._any(model.at_least))
            .join(P, on=(model.project == P.id))
            .where(model.voided == False, model.date > as_of)  # noqa: E712
            .group_by(model.project),
            village_id,
            project_id,
        )
        for pid, n, fen, al in agg._raw(q):
            count, total, at_least = out.get(pid, (0, 0, False))
            out[pid] = (count + int(n), total + int(fen), at_least or bool(al))
    return [FutureFact(pid, n, Amount(fen, al)) for pid, (n, fen, al) in sorted(out.items())]


class HouseholdRow(NamedTuple):
    """One live household of a register, as the app's list shows it."""

    id: int
    village: str
    code: str
    head: str | None
    settlement: str | None
    people: int | None
    exempt: bool
    exempt_reason: str | None


def household_rows(village_id: int | None) -> list[HouseholdRow]:
    """The live households of a village's register (of every village for None), in the order recorded."""
    H, S, V = m.Household, m.Settlement, m.Village
    q = (
        H.select(H.id, V.name, H.code, H.head, S.name, H.people, H.exempt, H.exempt_reason)
        .join(V, on=(H.village == V.id))
        .switch(H)
        .join(S, JOIN.LEFT_OUTER, on=(H.settlement == S.id))
        .where(H.voided == False)  # noqa: E712
        .order_by(V.name, H.id)
    )
    if village_id is not None:
        q = q.where(H.village == village_id)
    return [HouseholdRow(*row[:6], bool(row[6]), row[7]) for row in agg._raw(q)]
