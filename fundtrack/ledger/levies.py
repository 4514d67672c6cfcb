"""The levy roll: per levy, every household expected to pay it, what each paid and what each still owes.

A levy's roll is the village register's households in the project's settlements (every household of
the village when the project names none), exempt ones on it with nothing expected. A village without a
register has for roll the households named on the levy's receipts.

How payments are credited (README, "Levy roll"):
- a household is credited with exactly what its own receipts for that project and funder add up to,
  up to as_of; a household that pays more than per_household is `paid` and owes nothing, and the excess
  stays its own: it pays nobody else's share;
- a register household outside the project's settlements that paid is put on the roll after the
  others, with nothing expected of it (it owed nothing, so it is `paid`);
- receipts that name no household are no household's: they are the levy's `unassigned` total;
- the roll's expected total is per_household × the non-exempt households on the roll, whatever the
  levy's `households` says; a difference between the two is the `levy_roll_mismatch` finding.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from fundtrack.ledger.facts import HouseholdPaidFact, LevyFact, ProjectFact
from fundtrack.ledger.money import ZERO, Amount, total
from fundtrack.ledger.names import natural_key

STATUSES = ("paid", "partial", "unpaid", "exempt")


class HouseholdFact(NamedTuple):
    """One live household of a village's register."""

    code: str
    head: str | None
    settlement: str | None
    exempt: bool


class RollLine(NamedTuple):
    """One household on a levy's roll."""

    household: str
    head: str | None
    settlement: str | None
    expected: Amount
    paid: Amount
    outstanding: Amount
    status: str
    """paid, partial, unpaid or exempt."""


@dataclass(frozen=True)
class LevyRoll:
    """One levy with its roll, totals and the count of households per status."""

    village: str
    project: str
    """The project's code."""
    project_name: str
    funder: str
    per_household: Amount
    households: int
    """What the levy says; the roll may count otherwise."""
    roll: tuple[RollLine, ...]
    from_register: bool
    """The roll is the register's (else: the households named on the receipts)."""
    unassigned: Amount
    """Receipts for the levy that name no household."""

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for line in self.roll:
            out[line.status] += 1
        return out

    @property
    def liable(self) -> int:
        """The households on the roll that owe the levy (not exempt, and on it by the register)."""
        return sum(1 for line in self.roll if line.status != "exempt" and line.expected.fen > 0)

    @property
    def expected(self) -> Amount:
        return total(line.expected for line in self.roll)

    @property
    def paid(self) -> Amount:
        return total(line.paid for line in self.roll)

    @property
    def outstanding(self) -> Amount:
        return total(line.outstanding for line in self.roll)

    def unpaid_first(self) -> tuple[RollLine, ...]:
        """The roll with unpaid and partial households first (in roll order each), then the others."""
        order = {"unpaid": 0, "partial": 1, "paid": 2, "exempt": 3}
        return tuple(sorted(self.roll, key=lambda line: order[line.status]))


@dataclass(frozen=True)
class LevyReport:
    as_of: dt.date
    levies: tuple[LevyRoll, ...]


def status_of(expected: Amount, paid: Amount, exempt: bool) -> str:
    if exempt:
        return "exempt"
    if paid.fen >= expected.fen:
        return "paid"
    return "partial" if paid.fen > 0 else "unpaid"


def _line(hh: HouseholdFact, expected: Amount, paid: Amount) -> RollLine:
    outstanding = Amount(max(expected.fen - paid.fen, 0), expected.at_least)
    status = status_of(expected, paid, hh.exempt)
    return RollLine(hh.code, hh.head, hh.settlement, expected, paid, outstanding, status)


def _by_code(paid: Mapping[str, Amount]) -> list[tuple[str, Amount]]:
    """Households known only from their receipts, by code in natural order (1-2 before 1-10)."""
    return sorted(paid.items(), key=lambda item: natural_key(item[0]))


def levy_roll(
    project: ProjectFact,
    levy: LevyFact,
    register: Sequence[HouseholdFact],
    settlements: Sequence[str],
    paid: Mapping[str, Amount],
    unassigned: Amount = ZERO,
) -> LevyRoll:
    """One levy's roll. `paid` maps a household code to what its receipts for the levy add up to."""
    per = levy.per_household
    nothing = Amount(0, per.at_least)
    lines: list[RollLine] = []
    if register:
        wanted = set(settlements)
        on_roll = [hh for hh in register if not wanted or hh.settlement in wanted]
        codes = {hh.code for hh in on_roll}
        for hh in on_roll:
            lines.append(_line(hh, nothing if hh.exempt else per, paid.get(hh.code, ZERO)))
        by_code = {hh.code: hh for hh in register}
        for code, amount in _by_code(paid):  # paid although not on the roll: credited, nothing expected
            if code not in codes:
                hh = by_code.get(code) or HouseholdFact(code, None, None, False)
                lines.append(_line(hh._replace(exempt=False), ZERO, amount))
    else:
        for code, amount in _by_code(paid):
            lines.append(_line(HouseholdFact(code, None, None, False), per, amount))
    return LevyRoll(
        project.village,
        project.code,
        project.name,
        levy.funder,
        per,
        levy.households,
        tuple(lines),
        bool(register),
        unassigned,
    )


def build_levy_report(
    as_of: dt.date,
    projects: Iterable[ProjectFact],
    levies: Iterable[LevyFact],
    register: Sequence[HouseholdFact],
    settlements: Mapping[int, Sequence[str]],
    households_paid: Iterable[HouseholdPaidFact],
    unassigned: Mapping[tuple[int, str], Amount] | None = None,
) -> LevyReport:
    """Every levy's roll, in the order the levies were recorded (one village's facts)."""
    by_id = {p.id: p for p in projects}
    paid: dict[tuple[int, str], dict[str, Amount]] = defaultdict(dict)
    for fact in households_paid:
        paid[(fact.project_id, fact.funder)][fact.household] = fact.amount
    rolls = []
    for levy in levies:
        project = by_id.get(levy.project_id)
        if project is None:
            continue
        key = (levy.project_id, levy.funder)
        rolls.append(
            levy_roll(
                project,
                levy,
                register,
                settlements.get(levy.project_id, ()),
                paid.get(key, {}),
                (unassigned or {}).get(key, ZERO),
            )
        )
    return LevyReport(as_of, tuple(rolls))
