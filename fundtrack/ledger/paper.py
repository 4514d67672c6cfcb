"""What paper shows that the ledger decides: a levy's households paid of expected, and figures on a 收据."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from fundtrack.ledger.money import FEN_PER_YUAN


@dataclass(frozen=True)
class Owing:
    """A household that paid a levy only in part: what it paid and what it still owes."""

    household: str
    paid_fen: int
    outstanding_fen: int


@dataclass(frozen=True)
class LevyTally:
    """How many of a levy's households have paid it in full, of how many are expected to."""

    expected: int
    paid: int
    partial: list[Owing] = field(default_factory=list)

    @property
    def unpaid(self) -> int:
        """Households expected that paid nothing yet (not named: without a register they are only counted)."""
        return max(self.expected - self.paid - len(self.partial), 0)


def households_paid(per_household_fen: int, households: int, payments: Iterable[tuple[str | None, int]]) -> LevyTally:
    """The levy's households paid of expected, from its receipts' (household, fen) pairs (voided ones left out).

    A household is paid when its receipts add up to the per-household amount; receipts without a
    household count for no one. This is the one place the notice asks; a levy roll with a register
    of households can answer it instead.
    """
    by_household: dict[str, int] = {}
    for household, fen in payments:
        if household:
            by_household[household] = by_household.get(household, 0) + fen
    paid = sum(1 for fen in by_household.values() if fen >= per_household_fen)
    partial = [
        Owing(h, fen, per_household_fen - fen) for h, fen in sorted(by_household.items()) if 0 < fen < per_household_fen
    ]
    return LevyTally(households, paid, partial)


def figures(fen: int) -> str:
    """An amount in figures as a 收据 writes it: ￥5,000.00."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}￥{whole:,}.{part:02d}"


def with_zheng(daxie: str) -> str:
    """The 整 rule of 《会计基础工作规范》 art. 52: an amount in capitals ending at 元 or 角 takes 整, one ending at 分 not.

    伍仟元 → 伍仟元整, 伍仟元伍角 → 伍仟元伍角整, 伍仟元零伍分 stays.
    """
    if daxie.endswith("整") or daxie.endswith("分"):
        return daxie
    return daxie + "整"
