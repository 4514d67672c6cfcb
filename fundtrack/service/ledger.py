"""Reading the ledger of a scope (a village, a project, or every village) from the store, in the ledger's terms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fundtrack.ledger import names
from fundtrack.ledger.breakdown import Breakdown, build_breakdown, combine
from fundtrack.ledger.levies import LevyReport, build_levy_report
from fundtrack.ledger.quotas import QuotaReport, build_quotas
from fundtrack.ledger.reconcile import ReconcileOptions, Reconciliation, reconcile
from fundtrack.storage import aggregates, levies, queries
from fundtrack.storage import models as m


@dataclass(frozen=True)
class Scope:
    """Which part of the store a report covers."""

    as_of: dt.date
    village_id: int | None = None
    project_id: int | None = None


def find_project(code: str, village_id: int | None) -> int | None:
    code = names.key(code)  # codes are ASCII: a full-width `ａｂｃ` is `abc`
    q = m.Project.select(m.Project.id).where(m.Project.code == code, m.Project.voided == False)  # noqa: E712
    if village_id is not None:
        q = q.where(m.Project.village == village_id)
    ids = [pid for (pid,) in q.tuples()]
    return ids[0] if len(ids) == 1 else None


def projects_named(text: str, village_id: int | None) -> list[tuple[int, str, str]]:
    """The live projects `text` names, as (id, code, village): those whose code it is (codes are ASCII: a
    full-width `ａｂｃ` is `abc`), else those whose name it is (NFKC-equal); one, none or several."""
    wanted = names.key(text)
    q = (
        m.Project.select(m.Project.id, m.Project.code, m.Project.name, m.Village.name)
        .join(m.Village)
        .where(m.Project.voided == False)  # noqa: E712
    )
    if village_id is not None:
        q = q.where(m.Project.village == village_id)
    rows = list(q.tuples())
    by_code = [(pid, code, village) for pid, code, _, village in rows if code == wanted]
    return by_code or [(pid, code, village) for pid, code, name, village in rows if names.key(name) == wanted]


def load_breakdown(scope: Scope) -> Breakdown:
    """The breakdown of a scope; several villages are read one at a time (as load_ledger does)."""
    parts = village_scopes(scope)
    if len(parts) > 1:
        return combine(scope.as_of, [load_breakdown(part) for part in parts])
    return build_breakdown(aggregates.ledger_facts(scope.as_of, scope.village_id, scope.project_id))


def load_levies(scope: Scope) -> LevyReport:
    """Every levy's roll in a scope (ledger/levies.py), village by village."""
    parts = village_scopes(scope)
    if len(parts) > 1:
        return LevyReport(scope.as_of, tuple(lv for part in parts for lv in load_levies(part).levies))
    part = parts[0]
    facts = levies.levy_roll_facts(part.as_of, part.village_id, part.project_id)
    return build_levy_report(part.as_of, *facts)


def load_quotas(scope: Scope) -> QuotaReport:
    return build_quotas(scope.as_of, tuple(aggregates.enterprise_facts(scope.as_of, scope.village_id)))


@dataclass(frozen=True)
class Ledger:
    """One reading of the ledger: what the breakdown, quotas and reconcile each need, computed once."""

    breakdown: Breakdown
    quotas: QuotaReport
    reconciliation: Reconciliation
    milestones: tuple[Any, ...]


def load_ledger(scope: Scope, options: ReconcileOptions, strict: bool = False) -> Ledger:
    """The ledger of a scope. Several villages are read one at a time, each village's
    aggregated facts freed before the next is read, and put together in village order
    (findings village by village, as the streamed reports give them)."""
    parts = village_scopes(scope)
    if len(parts) == 1:
        return _load_ledger(parts[0], options, strict)
    ledgers = [_load_ledger(part, options, strict) for part in parts]
    breakdown = combine(scope.as_of, [ledger.breakdown for ledger in ledgers])
    quotas = build_quotas(scope.as_of, tuple(ln.fact for ledger in ledgers for ln in ledger.quotas.lines))
    findings = tuple(f for ledger in ledgers for f in ledger.reconciliation.findings)
    milestones = tuple(mi for ledger in ledgers for mi in ledger.milestones)
    return Ledger(breakdown, quotas, Reconciliation(scope.as_of, findings, strict), milestones)


def _load_ledger(scope: Scope, options: ReconcileOptions, strict: bool) -> Ledger:
    facts = aggregates.ledger_facts(scope.as_of, scope.village_id)
    breakdown = build_breakdown(facts)
    quotas = load_quotas(scope)
    rolls = load_levies(scope).levies
    future = tuple(levies.future_facts(scope.as_of, scope.village_id))
    rec = reconcile(breakdown, quotas, facts.open_milestones, options, strict, rolls, future)
    return Ledger(breakdown, quotas, rec, facts.open_milestones)


def load_reconciliation(scope: Scope, options: ReconcileOptions, strict: bool = False) -> Reconciliation:
    return load_ledger(scope, options, strict).reconciliation


def village_scopes(scope: Scope) -> list[Scope]:
    """A report over every village, one village at a time: memory follows the largest village, not the county."""
    if scope.village_id is not None or scope.project_id is not None:
        return [scope]
    return [Scope(scope.as_of, row.id) for row in queries.villages()] or [scope]
