"""What every screen shows at once, loaded together in a worker thread: breakdown, quotas and findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fundtrack.io.config import Config
from fundtrack.ledger import names
from fundtrack.ledger.breakdown import Breakdown, totals_only
from fundtrack.ledger.facts import MilestoneFact
from fundtrack.ledger.quotas import QuotaReport, build_quotas
from fundtrack.ledger.reconcile import ReconcileOptions, Reconciliation
from fundtrack.service import fast
from fundtrack.service.ledger import Scope, load_ledger
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
    funders: tuple[tuple[str, str, str], ...] = ()
    """Every live funder as (village, name, kind): one added a moment ago has no line in the breakdown yet."""


ALL = "*"


def pick_village(name: str | None) -> tuple[int | None, str]:
    """The village to show: the named one; the only one; or every village (None) for a county's database."""
    rows = queries.villages()
    if name and name != ALL:
        same = names.key(name)  # `--village` in another form of the name (NFD, full-width)
        named = [r for r in rows if names.key(r.name) == same]
        if named:
            return named[0].id, named[0].name
    if len(rows) == 1 and name != ALL:
        return rows[0].id, rows[0].name
    return None, ""


def load_totals(config: Config, village_id: int | None, village: str, as_of: dt.date) -> Snapshot:
    """The dashboard's first paint: project figures from four aggregate queries."""
    breakdown = totals_only(as_of, aggregates.project_totals(as_of, village_id, fast.fetch_concurrently))
    quotas = build_quotas(as_of, ())
    rec = Reconciliation(as_of, ())
    return Snapshot(village_id, village, as_of, breakdown, quotas, rec, (), complete=False)


def load_snapshot(config: Config, village_id: int | None, village: str, as_of: dt.date) -> Snapshot:
    options = ReconcileOptions(config.language, config.display_unit)
    with fast.without_cycle_collection():
        ledger = load_ledger(Scope(as_of, village_id), options)
    return Snapshot(
        village_id,
        village,
        as_of,
        ledger.breakdown,
        ledger.quotas,
        ledger.reconciliation,
        ledger.milestones,
        funders=tuple(queries.funders_of(village_id)),
    )
