"""Hiring commitments: each enterprise's quota against the hires active on a date and its declarations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fundtrack.ledger.facts import EnterpriseFact
from fundtrack.ledger.names import natural_key


@dataclass(frozen=True)
class QuotaLine:
    """One enterprise's hiring commitment on the report date."""

    fact: EnterpriseFact
    shortfall: int
    """max(quota - registered, 0)."""
    status: str
    """met, short or no_data."""

    @property
    def management_shortfall(self) -> int:
        return max(self.fact.management_quota - self.fact.registered_management, 0)


@dataclass(frozen=True)
class QuotaTotals:
    quota: int
    registered: int
    shortfall: int
    met: int
    short: int
    no_data: int


@dataclass(frozen=True)
class QuotaReport:
    as_of: dt.date
    lines: tuple[QuotaLine, ...]
    totals: QuotaTotals


def quota_status(fact: EnterpriseFact) -> str:
    if fact.registered >= fact.quota:
        return "met"
    if not fact.any_hire and fact.declared_on is None:
        return "no_data"
    return "short"


def build_quotas(as_of: dt.date, enterprises: tuple[EnterpriseFact, ...]) -> QuotaReport:
    lines = tuple(QuotaLine(e, max(e.quota - e.registered, 0), quota_status(e)) for e in enterprises)
    totals = QuotaTotals(
        quota=sum(ln.fact.quota for ln in lines),
        registered=sum(ln.fact.registered for ln in lines),
        shortfall=sum(ln.shortfall for ln in lines),
        met=sum(ln.status == "met" for ln in lines),
        short=sum(ln.status == "short" for ln in lines),
        no_data=sum(ln.status == "no_data" for ln in lines),
    )
    return QuotaReport(as_of, lines, totals)


def worst_first(report: QuotaReport) -> list[QuotaLine]:
    """Enterprises ordered for people who look for trouble: largest shortfall first, no data last."""
    rank = {"short": 0, "met": 1, "no_data": 2}
    return sorted(
        report.lines, key=lambda ln: (rank[ln.status], -ln.shortfall, ln.fact.village, natural_key(ln.fact.name))
    )
