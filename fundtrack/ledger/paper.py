"""What paper shows that the ledger decides: a levy's households paid of expected, and figures on a 收据."""

from __future__ import annotations

from dataclasses import dataclass, field

from fundtrack.ledger.levies import LevyRoll, RollLine
from fundtrack.ledger.money import FEN_PER_YUAN


@dataclass(frozen=True)
class Owing:
    """A household that has not paid a levy in full: what it paid and what it still owes."""

    household: str
    paid_fen: int
    outstanding_fen: int
    head: str = ""
    """Its 户主, where the register names one."""


@dataclass(frozen=True)
class LevyTally:
    """How many of a levy's households have paid it in full, of how many are expected to."""

    expected: int
    paid: int
    partial: list[Owing] = field(default_factory=list)
    unpaid_named: list[Owing] = field(default_factory=list)
    """The households on a register's roll that paid nothing (empty without a register)."""
    exempt: int = 0
    from_register: bool = False

    @property
    def unpaid(self) -> int:
        """Households expected that paid nothing yet (without a register only counted, not named)."""
        if self.from_register:
            return len(self.unpaid_named)
        return max(self.expected - self.paid - len(self.partial), 0)


def tally_of(roll: LevyRoll) -> LevyTally:
    """A levy's households paid of expected, from its roll (ledger/levies.py: the register's households, or
    without a register the households named on its receipts, against the levy's count)."""

    def owing(line: RollLine) -> Owing:
        return Owing(line.household, line.paid.fen, line.outstanding.fen, line.head or "")

    liable = [line for line in roll.roll if line.status != "exempt" and line.expected.fen > 0]
    paid = sum(1 for line in liable if line.status == "paid")
    partial = [owing(line) for line in liable if line.status == "partial"]
    if not roll.from_register:
        return LevyTally(roll.households, paid, partial)
    unpaid = [owing(line) for line in liable if line.status == "unpaid"]
    return LevyTally(len(liable), paid, partial, unpaid, roll.counts["exempt"], True)


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
