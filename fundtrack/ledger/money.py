"""Exact money: the amount grammar of fundtrack/1, integer fen, and the one place that decides how an amount looks.

Every output asks this module (as beancount's core/display_context.py decides its numbers):
a cell of a CSV or XLSX file (money_cell), a figure in a table or on a screen (format_number),
an amount in words and messages (format_amount), in the committee's documents (format_document),
in a journal or a JSON object (format_yuan, money_json), in the export file (canonical_amount).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from fundtrack.ledger.problem_messages import CodedError

FEN_PER_YUAN = 100
FEN_PER_WAN = 1_000_000  # 1万元 = 10,000 yuan = 1,000,000 fen

UNIT_FEN = {"元": FEN_PER_YUAN, "万": FEN_PER_WAN, "万元": FEN_PER_WAN}
_DIGITS = {FEN_PER_YUAN: 2, FEN_PER_WAN: 6}  # fen places in one unit

MAX_AMOUNT_FEN = 10**13 * FEN_PER_YUAN
"""One amount is at most 10^13 yuan (10万亿元)."""
MAX_VILLAGE_FEN = 10**14 * FEN_PER_YUAN
"""A village's budgets, pledges, receipts and spending each add up to at most 10^14 yuan: with
single amounts bounded too, no sum in SQL (64-bit integers) or in a report can overflow."""

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
# [0-9], not \d: \d (and int()) would take Arabic-Indic, Devanagari and other digits as well.
_AMOUNT = re.compile(
    r"^(?P<number>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)(?P<bound>余)?(?P<unit>元|万元|万)?$"
)
_MAX_WHOLE_DIGITS = len(str(MAX_AMOUNT_FEN))  # more digits than this before the point is too large in any unit
_SHOWN = 40  # characters of a rejected value quoted in a message


class AmountError(CodedError):
    """An amount that fundtrack/1 does not accept: a problem code with parameters that say why."""


class Amount(NamedTuple):
    """A sum of money in whole fen; `at_least` marks a 余 lower bound ("400余万").

    A NamedTuple rather than a frozen dataclass: a county's reconcile adds up millions
    of these, and a tuple is several times cheaper to make.
    """

    fen: int
    """The amount in fen (0.01 yuan); never negative in records (differences may be)."""
    at_least: bool = False
    """True when the figure is a lower bound (written with 余, or computed from one)."""

    def __add__(self, other: object) -> Amount:  # type: ignore[override]
        assert isinstance(other, Amount)
        return Amount(self.fen + other.fen, self.at_least or other.at_least)

    def minus(self, other: Amount) -> Amount:
        """Difference, which may be negative (a gap); a lower bound if either side is."""
        return Amount(self.fen - other.fen, self.at_least or other.at_least)


ZERO = Amount(0)


def total(amounts: Iterable[Amount]) -> Amount:
    """Sum of Amounts (ZERO when empty); a lower bound when any part is."""
    fen, at_least = 0, False
    for a in amounts:
        fen += a.fen
        at_least = at_least or a.at_least
    return Amount(fen, at_least)


def shown_value(value: object) -> str:
    """A rejected value as a message quotes it: cut short (a 5,000-digit figure is one line, not a page)."""
    if isinstance(value, int) and value.bit_length() > 4 * _SHOWN:
        # str() of an int past Python's 4,300 digits raises; the count of digits says enough.
        return f"≈{value.bit_length() * 30103 // 100000 + 1}-digit number"
    text = str(value)
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}…({len(text)})"


def _too_large(value: object) -> AmountError:
    return AmountError("amount_too_large", value=shown_value(value))


def _checked(fen: int, shown: object) -> int:
    if fen > MAX_AMOUNT_FEN:
        raise _too_large(shown)
    return fen


def _to_fen(value: Decimal, unit_fen: int, shown: str) -> int:
    """A Decimal in a unit as whole fen, exactly: from its digits, never through the context's 28 digits
    (which would round 1.0000000000000000000000000001 to 1, or overflow on 1E+999999999999)."""
    if not value.is_finite():
        raise AmountError("not_a_number", value=shown_value(shown))
    if value < 0:
        raise AmountError("negative_amount", value=shown_value(shown))
    if not value:
        return 0
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    exponent += _DIGITS[unit_fen]
    kept = len(digits)
    while kept > 1 and digits[kept - 1] == 0:  # trailing zeros: 1.500 is 1.5
        kept -= 1
        exponent += 1
    if exponent < 0:
        raise AmountError("finer_than_fen", value=shown_value(shown))
    if kept + exponent > _MAX_WHOLE_DIGITS:
        raise _too_large(shown)
    return _checked(int("".join(map(str, digits[:kept]))) * 10**exponent, shown)


def parse_amount(value: object, unit: str = "元") -> Amount:
    """Read an amount as a fundtrack/1 file gives it: an int, a Decimal or a string like "400余万".

    Bare numbers are in `unit` ("元" or "万元"). Raises AmountError with the reason.
    """
    unit_fen = UNIT_FEN.get(unit)
    if unit_fen is None:
        raise AmountError("unknown_unit", unit=unit)
    if type(value) is str:  # the usual case, first: a county imports a million of these
        return _parse_text(value, unit_fen)
    if isinstance(value, bool):
        raise AmountError("not_an_amount", got=str(value).lower())
    if isinstance(value, int):
        if value < 0:
            raise AmountError("negative_amount", value=shown_value(value))
        return Amount(_checked(value * unit_fen, value))
    if isinstance(value, float):
        # Binary floats never carry money: callers read TOML with parse_float=Decimal.
        raise AmountError("float_amount", value=value)
    if isinstance(value, Decimal):
        return Amount(_to_fen(value, unit_fen, str(value)))
    if isinstance(value, str):
        return _parse_text(value, unit_fen)
    raise AmountError("not_an_amount", got=shown_value(repr(value)))


def _parse_text(value: str, unit_fen: int) -> Amount:
    """ "2914.25万", "400余万", "600,000元" or a bare number in the unit of `unit_fen`, in integer arithmetic."""
    m = _AMOUNT.match(value.strip().translate(_FULLWIDTH))
    if m is None:
        raise AmountError("amount_like", value=shown_value(value))
    number, bound, unit_text = m.groups()
    if unit_text:
        unit_fen = UNIT_FEN[unit_text]
    whole, _, frac = number.replace(",", "").partition(".")
    whole = whole.lstrip("0") or "0"
    if len(whole) > _MAX_WHOLE_DIGITS:  # before int(): 5,000 digits would pass Python's own limit
        raise _too_large(value)
    if not frac:
        return Amount(_checked(int(whole) * unit_fen, value), bound is not None)
    places = _DIGITS[unit_fen]  # the decimal places a unit holds in fen
    if frac[places:].strip("0"):
        raise AmountError("finer_than_fen", value=shown_value(value))
    fen = int(whole) * unit_fen + int(frac[:places].ljust(places, "0"))
    return Amount(_checked(fen, value), bound is not None)


def _plain(fen: int, unit_fen: int, places: int | None) -> str:
    """A non-negative fen figure in a unit, in integer arithmetic (this runs millions of times)."""
    whole, frac = divmod(fen, unit_fen)
    frac_text = str(frac).rjust(_DIGITS[unit_fen], "0")
    if places is not None:
        return f"{whole:,}.{frac_text[:places]}"
    frac_text = frac_text.rstrip("0")
    return f"{whole}.{frac_text}" if frac_text else str(whole)


_EXACT = 10**26  # |fen| below this divides exactly in the default 28-digit context

NO_AMOUNT = "—"
"""What every output shows where there is no amount (no budget yet, nothing to compare)."""


def money_cell(amount: Amount | None, unit: str) -> Decimal | None:
    """An amount as a CSV or XLSX cell holds it: an exact, plain decimal in `unit` (1350, 1090.5, -401.75).

    Trailing zeros after the point are left out (29142500, not 29142500.00) and the exponent is
    never positive, so str() writes 1350, never 1.35E+3 (as normalize() would). The 余 flag goes
    in a column of its own.
    """
    if amount is None:
        return None
    fen, per = amount.fen, UNIT_FEN[unit]
    if -_EXACT < fen < _EXACT:
        # An exact quotient keeps the dividend's exponent (0) where it can: 1350, 1090.5, 0.000001.
        return Decimal(fen) / per if fen % per else Decimal(fen // per)
    # Beyond the 28 digits of the default context the quotient would round: from the digits instead.
    whole, frac = divmod(abs(fen), per)
    digits = str(frac).rjust(_DIGITS[per], "0").rstrip("0")
    return Decimal(("-" if fen < 0 else "") + str(whole) + ("." + digits if digits else ""))


def format_yuan(fen: int) -> str:
    """Fen as the plain yuan string of journals, JSON and 大写: 29142500.00, -0.05."""
    if fen < 0:
        return f"-{-fen // FEN_PER_YUAN}.{-fen % FEN_PER_YUAN:02d}"
    return f"{fen // FEN_PER_YUAN}.{fen % FEN_PER_YUAN:02d}"


def format_number(amount: Amount, unit: str = "万元") -> str:
    """The figure alone, exact, for a table column in `unit`: 2914.25 (万元) or 29,142,500.00 (元).

    万元 figures show as many decimals as the fen need (never rounded); 元 always two.
    A lower bound gets a leading ≥.
    """
    sign = "-" if amount.fen < 0 else ""
    fen = abs(amount.fen)
    if unit == "元":
        body = _plain(fen, FEN_PER_YUAN, 2)
    else:
        body = _plain(fen, FEN_PER_WAN, None)
        whole, _, frac = body.partition(".")
        body = f"{int(whole):,}" + (f".{frac}" if frac else "")
    return ("≥" if amount.at_least else "") + sign + body


def format_amount(amount: Amount, unit: str = "万元") -> str:
    """An amount as people write it: 2914.25万, 60余万, 600,000.00元, 400余元."""
    fen, at_least = amount  # a county's findings format about a million of these
    sign = ""
    if fen < 0:
        sign, fen = "-", -fen
    bound = "余" if at_least else ""
    if unit == "元":
        return f"{sign}{fen // FEN_PER_YUAN:,}.{fen % FEN_PER_YUAN:02d}{bound}元"
    whole, frac = divmod(fen, FEN_PER_WAN)
    if frac:
        return f"{sign}{whole}.{f'{frac:06d}'.rstrip('0')}{bound}万"
    return f"{sign}{whole}{bound}万"


def format_document(amount: Amount | None) -> str:
    """An amount as the committee's documents write it: 2914.25万元, 400余万元; — where there is none.

    余 follows the last digit of a round figure only (400余万元); a lower bound that is not round (a
    sum computed from one) reads 至少9314.25万元, as a reader would say it.
    """
    if amount is None:
        return NO_AMOUNT
    return read_as_written(amount, format_amount(Amount(amount.fen), "万元") + "元")


def read_as_written(amount: Amount, plain: str) -> str:
    """`plain` (the figure without 余) as a reader expects a lower bound: 400余万元 when `amount` is a
    round number of 万 yuan, else 至少 before it; `plain` itself when it is no lower bound."""
    if not amount.at_least:
        return plain
    if amount.fen > 0 and amount.fen % FEN_PER_WAN == 0:
        return f"{amount.fen // FEN_PER_WAN}余万元"
    return "至少" + plain


def canonical_amount(amount: Amount) -> str:
    """The exact string `export` writes: 万 when the figure is whole hundreds of yuan, else 元.

    parse_amount(canonical_amount(a)) == a for every non-negative amount.
    """
    bound = "余" if amount.at_least else ""
    if amount.fen % (FEN_PER_WAN // 100) == 0:
        return f"{_plain(amount.fen, FEN_PER_WAN, None)}{bound}万"
    return f"{_plain(amount.fen, FEN_PER_YUAN, None)}{bound}元"


def money_json(amount: Amount | None) -> dict[str, object] | None:
    """The JSON money object of the spec: {"yuan": "29142500.00", "at_least": false}."""
    if amount is None:
        return None
    fen, at_least = amount  # unpacked: a county writes over a million of these
    return {"yuan": format_yuan(fen), "at_least": at_least}


_SHARES: dict[int, Decimal] = {}


def share(part: Amount | None, base: Amount | None) -> Decimal | None:
    """part / base rounded half-up to four places; None where the base is zero or missing."""
    if part is None or base is None or base.fen == 0:
        return None
    if part.fen >= 0 and base.fen > 0:
        # Half-up to 1/10,000 in integers (exact, and a county computes half a million of these);
        # one Decimal per value, shared (a county's app holds every funder line's share).
        q = (part.fen * 20_000 + base.fen) // (2 * base.fen)
        value = _SHARES.get(q)
        if value is None:
            value = Decimal(q).scaleb(-4)
            if q <= 10_000:  # shares up to 1: at most 10,001 of them
                _SHARES[q] = value
        return value
    return (Decimal(part.fen) / Decimal(base.fen)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def format_share(value: Decimal | None) -> str | None:
    """A share as the JSON decimal string with four places ("0.3740"), or None."""
    return None if value is None else f"{value:.4f}"


def format_percent(value: Decimal | None) -> str:
    """A share as people read it in reports: 37.40%; an em dash when there is none."""
    return "—" if value is None else f"{value * 100:.2f}%"
