"""The amount grammar: exact fen, 余 lower bounds, units, and every rejected form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundtrack.ledger.money import (
    Amount,
    AmountError,
    canonical_amount,
    format_amount,
    format_number,
    money_json,
    parse_amount,
    share,
)


@pytest.mark.parametrize(
    ("text", "unit", "fen", "at_least"),
    [
        ("2914.25万", "元", 2_914_250_000, False),
        ("400余万", "元", 400_000_000, True),
        ("600,000元", "万元", 60_000_000, False),
        ("60余万", "元", 60_000_000, True),
        ("１０９０万", "元", 1_090_000_000, False),
        ("１２．５万元", "元", 12_500_000, False),
        ("20万元", "元", 20_000_000, False),
        ("1234.56", "元", 123_456, False),
        ("2", "万元", 2_000_000, False),
        ("0.000001万", "元", 1, False),
        (" 15万 ", "元", 15_000_000, False),
        ("0", "元", 0, False),
        ("10000000000000元", "元", 1_000_000_000_000_000, False),
    ],
)
def test_parse_amount_strings(text: str, unit: str, fen: int, at_least: bool) -> None:
    assert parse_amount(text, unit) == Amount(fen, at_least)


def test_parse_amount_numbers_use_the_file_unit() -> None:
    assert parse_amount(2, "万元") == Amount(2_000_000)
    assert parse_amount(Decimal("2914.25"), "万元") == Amount(2_914_250_000)
    assert parse_amount(Decimal("0.01"), "元") == Amount(1)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1.001元", "more precise than a fen"),
        (Decimal("0.001"), "more precise than a fen"),
        ("0.0000001万", "more precise than a fen"),
        (-5, "negative"),
        (Decimal("-1.5"), "negative"),
        ("-5万", "not an amount"),
        (Decimal("NaN"), "not a number"),
        (Decimal("Infinity"), "not a number"),
        ("12万元元", "not an amount"),
        ("万", "not an amount"),
        ("", "not an amount"),
        ("1,00万", "not an amount"),
        ("12 万", "not an amount"),
        ("余400万", "not an amount"),
        ("1e5", "not an amount"),
        (True, "not an amount"),
        (False, "not an amount"),
        (1.5, "binary float"),
        ([1], "not an amount"),
    ],
)
def test_parse_amount_rejects_with_a_reason(value: object, reason: str) -> None:
    with pytest.raises(AmountError, match=reason):
        parse_amount(value, "元")


def test_formats_for_people_and_machines() -> None:
    assert format_amount(Amount(2_914_250_000)) == "2914.25万"
    assert format_amount(Amount(60_000_000, True)) == "60余万"
    assert format_amount(Amount(123_456), "元") == "1,234.56元"
    assert format_number(Amount(2_914_250_000), "万元") == "2,914.25"
    assert format_number(Amount(400_000_000, True), "万元") == "≥400"
    assert format_number(Amount(-40_175_000_0), "万元") == "-401.75"
    assert format_number(Amount(123_456), "元") == "1,234.56"
    assert money_json(Amount(2_914_250_000)) == {"yuan": "29142500.00", "at_least": False}
    assert money_json(Amount(-5, True)) == {"yuan": "-0.05", "at_least": True}
    assert money_json(None) is None


def test_share_is_half_up_to_four_places_and_none_without_a_base() -> None:
    assert share(Amount(1_090_000_000), Amount(2_914_250_000)) == Decimal("0.3740")
    assert share(Amount(1_600_000_000), Amount(2_914_250_000)) == Decimal("0.5490")
    assert share(Amount(1), Amount(20_000)) == Decimal("0.0001")  # 0.00005 rounds up
    assert share(Amount(1), Amount(0)) is None
    assert share(Amount(1), None) is None


@given(st.integers(min_value=0, max_value=10**15), st.booleans())
def test_canonical_amount_round_trips(fen: int, at_least: bool) -> None:
    amount = Amount(fen, at_least)
    assert parse_amount(canonical_amount(amount), "元") == amount
    assert parse_amount(format_amount(amount, "元").replace(",", ""), "元") == amount


# The limits of data-format.md (Amounts): one amount at most 10^13 yuan, digits ASCII or full-width.


@pytest.mark.parametrize(
    ("value", "unit"),
    [(10**13, "元"), (10**9, "万元"), ("10000000000000元", "元"), ("1000000000万", "元"), (Decimal("1E+13"), "元")],
)
def test_one_amount_of_exactly_ten_trillion_yuan_is_accepted(value: object, unit: str) -> None:
    assert parse_amount(value, unit) == Amount(10**15)


@pytest.mark.parametrize(
    "value",
    [10**13 + 1, "10000000000000.01元", "1000000000.000001万", Decimal("1.0000000000001E+13"), Decimal("1E+999999999")],
)
def test_one_amount_past_ten_trillion_yuan_is_refused(value: object) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(value, "元")
    assert caught.value.code == "amount_too_large"


def test_a_decimal_finer_than_fen_past_28_digits_is_refused_not_rounded() -> None:
    # Was accepted as 1.00 yuan: value * 100 rounded to the context's 28 digits first.
    with pytest.raises(AmountError) as caught:
        parse_amount(Decimal("1.0000000000000000000000000001"), "元")
    assert caught.value.code == "finer_than_fen"


def test_an_amount_of_5000_digits_is_refused_without_converting_it() -> None:
    # Was a ValueError from int() (Python's 4,300-digit limit): exit 3.
    for value in ("9" * 5000, "9" * 5000 + "元", int("9" * 4000) * 10**1000):
        with pytest.raises(AmountError) as caught:
            parse_amount(value, "元")
        assert caught.value.code == "amount_too_large"
        assert len(str(caught.value)) < 120


@pytest.mark.parametrize("value", ["١٢٣", "۱۲۳元", "१२३", "১২৩万", "１٢３"])
def test_an_amount_in_digits_of_another_script_is_refused(value: str) -> None:
    # Was read as 123: the grammar's \d and int() take every script's digits.
    with pytest.raises(AmountError) as caught:
        parse_amount(value, "元")
    assert caught.value.code == "amount_like"


def test_full_width_digits_are_still_read() -> None:
    assert parse_amount("１２３．４５万", "元") == Amount(123_450_000)
