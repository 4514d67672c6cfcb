"""What every screen shows at once, loaded together in a worker thread: breakdown, quotas and findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fundtrack.io import reports
from fundtrack.io.config import Config
from fundtrack.ledger.breakdown import Breakdown, build_breakdown, totals_only
from fundtrack.ledger.facts import MilestoneFact
from fundtrack.ledger.quotas import QuotaReport, build_quotas
from fundtrack.ledger.reconcile import ReconcileOptions, Reconciliation, reconcile
from fundtrack.storage import aggregates, queries


@dataclass(frozen=True)
class Snapshot:
    """One consistent reading of a village's ledger."""

    village_id: int | None
    village: str
    as_of: dt.date
    breakdown: Breakdown
    quotas: QuotaReport
    reconciliation: Reconciliation
    milestones: tuple[MilestoneFact, ...]
    complete: bool = True
    """False for the quick first reading: project totals only, no funder lines, findings or quotas."""


def pick_village(name: str | None) -> tuple[int | None, str]:
    rows = queries.villages()
    if name:
        rows = [r for r in rows if r.name == name] or rows
    return (rows[0].id, rows[0].name) if rows else (None, "")


def load_totals(config: Config, village_id: int | None, village: str, as_of: dt.date) -> Snapshot:
    """The dashboard's first paint: project figures from four aggregate queries."""
    scope = village_id if village_id is not None else -1
    breakdown = totals_only(as_of, aggregates.project_totals(as_of, scope))
    quotas = build_quotas(as_of, ())
    rec = Reconciliation(as_of, ())
    return Snapshot(village_id, village, as_of, breakdown, quotas, rec, (), complete=False)


def load_snapshot(config: Config, village_id: int | None, village: str, as_of: dt.date) -> Snapshot:
    facts = aggregates.ledger_facts(as_of, village_id) if village_id is not None else aggregates.ledger_facts(as_of, -1)
    breakdown = build_breakdown(facts)
    quotas = reports.load_quotas(reports.Scope(as_of, village_id if village_id is not None else -1))
    options = ReconcileOptions(config.language, config.display_unit)
    rec = reconcile(breakdown, quotas, facts.open_milestones, options)
    return Snapshot(village_id, village, as_of, breakdown, quotas, rec, facts.open_milestones)
