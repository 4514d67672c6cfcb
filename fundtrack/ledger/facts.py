"""The aggregated facts the ledger rules read: one immutable value per SQL GROUP BY row.

NamedTuples, not frozen dataclasses: a county reads half a million of them, and a tuple
is made several times faster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from fundtrack.ledger.money import Amount


def counts_on(date: dt.date | None, as_of: dt.date) -> bool:
    """Whether a record dated `date` counts on `as_of`: receipts, expenses and dated pledges
    up to that day; an undated pledge or a levy (date None) always counts."""
    return date is None or date <= as_of


class ProjectFact(NamedTuple):
    """A project as the reports need it."""

    id: int
    village: str
    code: str
    name: str
    category: str
    status: str
    parent: str | None
    """Code of the project this is a phase or part of."""
    budget: Amount | None
    """Total planned investment; None when the records give none."""


class PledgeFact(NamedTuple):
    """Pledges of one funder group to one project in one form, summed."""

    project_id: int
    funders: tuple[str, ...]
    """One name, or every member of a joint pledge (split unknown)."""
    kind: str
    """The funder kind shared by every member."""
    form: str
    """cash, land, labour, machinery, materials or other."""
    amount: Amount
    """Sum of the valued pledges (ZERO when none is valued)."""
    valued: int
    """How many of the pledges carry an amount."""
    joint: bool = False


class InKindFact(NamedTuple):
    """One in-kind pledge, listed with its form and quantity."""

    project_id: int
    funders: tuple[str, ...]
    form: str
    quantity: str | None
    amount: Amount | None
    """None: given without a value."""
    note: str | None = None


class LevyFact(NamedTuple):
    """A per-household contribution a villagers' funder owes a project."""

    project_id: int
    funder: str
    per_household: Amount
    households: int

    @property
    def expected(self) -> Amount:
        return Amount(self.per_household.fen * self.households, self.per_household.at_least)


class ReceiptFact(NamedTuple):
    """Receipts from one funder for one project, summed."""

    project_id: int
    funder: str
    kind: str
    amount: Amount
    count: int
    without_household: int
    """How many of them do not say which household paid."""


class HouseholdPaidFact(NamedTuple):
    """What one household paid a project through one villagers' funder."""

    project_id: int
    funder: str
    household: str
    amount: Amount


class SpentFact(NamedTuple):
    project_id: int
    amount: Amount
    count: int


class MilestoneFact(NamedTuple):
    """A milestone not done yet, with its due date."""

    project_id: int
    name: str
    status: str
    due: dt.date | None


class EnterpriseFact(NamedTuple):
    """An enterprise's hiring commitment and what the records say about it on a date."""

    village: str
    name: str
    kind: str
    quota: int
    management_quota: int
    registered: int
    """Hires active on as_of (start <= as_of and no end or end > as_of), every role."""
    registered_management: int
    any_hire: bool
    """Whether the enterprise has any hire record at all."""
    declared: int | None = None
    declared_management: int | None = None
    declared_on: dt.date | None = None
    registered_on_declared: int | None = None
    """Hires active on the latest declaration's own date."""


def hire_active(start: dt.date, end: dt.date | None, on: dt.date) -> bool:
    """Whether a hire is on the roster on a date: started that day or before, and `end` (the
    first day no longer employed) not reached yet."""
    return start <= on and (end is None or end > on)


def next_milestones(milestones: Iterable[MilestoneFact]) -> dict[int, MilestoneFact]:
    """Each project's next milestone: the open one due first; one without a due date only when none has one.

    Milestones due on the same day keep the order recorded.
    """
    out: dict[int, MilestoneFact] = {}
    for m in sorted(milestones, key=lambda m: (m.due is None, m.due or dt.date.min)):
        out.setdefault(m.project_id, m)
    return out


@dataclass(frozen=True)
class LedgerFacts:
    """Everything the breakdown and the checks read, aggregated by storage."""

    as_of: dt.date
    projects: tuple[ProjectFact, ...]
    pledges: tuple[PledgeFact, ...]
    in_kind: tuple[InKindFact, ...]
    levies: tuple[LevyFact, ...]
    receipts: tuple[ReceiptFact, ...]
    households_paid: tuple[HouseholdPaidFact, ...]
    spent: tuple[SpentFact, ...]
    open_milestones: tuple[MilestoneFact, ...] = ()
    enterprises: tuple[EnterpriseFact, ...] = ()
