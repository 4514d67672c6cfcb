"""How amounts look in files: CSV and XLSX cells are plain, exact decimals in their unit, never exponents."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal, localcontext
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from fundtrack.cli.main import main
from fundtrack.io.office import Sheet, workbook
from fundtrack.io.reports import csv_lines
from fundtrack.ledger.money import (
    UNIT_FEN,
    Amount,
    format_document,
    format_yuan,
    money_cell,
    money_json,
)
from tests.conftest import SAMPLE

UNITS = ("元", "万元")

# Round figures are where an exponent hides (1350万 is 1.35E+3 once trailing zeros are normalised away).
amounts = st.one_of(
    st.integers(min_value=0, max_value=40).map(lambda k: 10**k),
    st.integers(min_value=0, max_value=10**7).map(lambda wan: wan * UNIT_FEN["万元"]),
    st.integers(min_value=-(10**30), max_value=10**30),
).map(lambda fen: Amount(fen, fen % 3 == 0))


def exact_fen(text: str, unit: str) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 100  # the default 28 digits would round the largest amounts
        return Decimal(text) * UNIT_FEN[unit]


def test_breakdown_csv_in_wan_writes_1350_not_1_35E_3(sqlite_db: str, tmp_path: Path) -> None:
    assert main(["--db", sqlite_db, "import", *map(str, SAMPLE)]) == 0
    out = tmp_path / "b.csv"
    argv = [
        "--db",
        sqlite_db,
        "report",
        "breakdown",
        "--as-of",
        "2025-06-30",
        "--format",
        "csv",
        "--unit",
        "万元",
        "--codes",
    ]
    assert main([*argv, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    housing = next(line for line in text.splitlines() if ",housing-1,一期安居房工程,project," in line)
    assert housing.split(",")[7:12] == ["2914.25", "3316", "2439", "1350", "-401.75"]
    assert "E+" not in text


@given(amounts, st.sampled_from(UNITS))
def test_a_money_cell_is_a_plain_exact_decimal(amount: Amount, unit: str) -> None:
    cell = money_cell(amount, unit)
    assert cell is not None
    text = str(cell)
    assert re.fullmatch(r"-?\d+(\.\d*[1-9])?", text), text
    assert exact_fen(text, unit) == amount.fen
    assert csv_lines([[cell]]) == text + "\r\n"


@settings(max_examples=25, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=20), st.sampled_from(UNITS))
def test_no_xlsx_amount_is_written_with_an_exponent(column: list[Amount], unit: str) -> None:
    data = workbook([Sheet("amounts", ["amount"], [[a] for a in column], unit)])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    values = re.findall(r"<v>([^<]*)</v>", xml)
    assert len(values) == len(column)
    for value, amount in zip(values, column, strict=True):
        assert re.fullmatch(r"-?\d+(\.\d*[1-9])?", value), value
        assert exact_fen(value, unit) == amount.fen


def test_the_yuan_string_and_the_documents_amount() -> None:
    assert format_yuan(2_914_250_000) == "29142500.00"
    assert format_yuan(-5) == "-0.05"
    assert money_json(Amount(-5, True)) == {"yuan": "-0.05", "at_least": True}
    assert format_document(Amount(400_000_000, True)) == "400余万元"
    assert format_document(Amount(2_914_250_000)) == "2914.25万元"
    assert format_document(None) == "—"
    assert money_cell(None, "元") is None
    assert str(money_cell(Amount(0), "万元")) == "0"
    assert str(money_cell(Amount(1), "万元")) == "0.000001"
    assert str(money_cell(Amount(150), "元")) == "1.5"


def test_a_lower_bound_reads_as_written_yu_after_a_round_figure_zhishao_before_a_sum() -> None:
    from fundtrack.ledger.money import Amount, format_document, read_as_written

    assert format_document(Amount(400 * 1_000_000, True)) == "400余万元"
    assert format_document(Amount(931_425 * 10_000, True)) == "至少9314.25万元"  # a computed sum: never 9314.25余万元
    assert format_document(Amount(931_425 * 10_000)) == "9314.25万元"
    assert read_as_written(Amount(60 * 1_000_000, True), "600,000.00元") == "60余万元"
    assert read_as_written(Amount(12_345, True), "123.45元") == "至少123.45元"
