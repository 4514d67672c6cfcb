"""What every screen shows at once, loaded together in a worker thread: breakdown, quotas and findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fundtrack.io import reports
from fundtrack.io.config import Config
from fundtrack.ledger.breakdown import Breakdown, build_breakdown
from fundtrack.ledger.facts import MilestoneFact
from fundtrack.ledger.quotas import QuotaReport
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


def pick_village(name: str | None) -> tuple[int | None, str]:
    rows = queries.villages()
    if name:
        rows = [r for r in rows if r.name == name] or rows
    return (rows[0].id, rows[0].name) if rows else (None, "")


def load_snapshot(config: Config, village_id: int | None, village: str, as_of: dt.date) -> Snapshot:
    facts = aggregates.ledger_facts(as_of, village_id) if village_id is not None else aggregates.ledger_facts(as_of, -1)
    breakdown = build_breakdown(facts)
    quotas = reports.load_quotas(reports.Scope(as_of, village_id if village_id is not None else -1))
    options = ReconcileOptions(config.language, config.display_unit)
    rec = reconcile(breakdown, quotas, facts.open_milestones, options)
    return Snapshot(village_id, village, as_of, breakdown, quotas, rec, facts.open_milestones)
