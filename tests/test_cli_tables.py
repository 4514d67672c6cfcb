"""The reports' tables in a terminal 80 and 200 columns wide: names wrap, amounts and numbers never break.

Regenerate after an intended change with: FUNDTRACK_UPDATE_GOLDEN=1 pytest tests/test_cli_tables.py
"""

from __future__ import annotations

import os

import pytest
from rich.cells import cell_len

from fundtrack.cli.main import main
from tests.conftest import ROOT, SAMPLE

GOLDEN = ROOT / "tests" / "golden"
AS_OF = "2025-06-30"

TABLES = [
    ("breakdown", ["report", "breakdown"]),
    ("breakdown-yuan", ["report", "breakdown", "--unit", "元"]),
    ("breakdown.en", ["--lang", "en", "report", "breakdown"]),
    ("quotas", ["report", "quotas"]),
    ("reconcile", ["reconcile"]),
    ("reconcile.en", ["--lang", "en", "reconcile"]),
]


@pytest.fixture
def sample_db(sqlite_db: str) -> str:
    assert main(["--db", sqlite_db, "--lang", "en", "import", *map(str, SAMPLE)]) == 0
    return sqlite_db


def _table(
    db: str, argv: list[str], width: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    capsys.readouterr()
    assert main(["--db", db, *argv, "--as-of", AS_OF, "--format", "table"]) in (0, 1)
    return capsys.readouterr().out


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize(("name", "argv"), TABLES, ids=[t[0] for t in TABLES])
def test_table_at_a_width_matches_golden(
    sample_db: str,
    name: str,
    argv: list[str],
    width: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _table(sample_db, argv, width, monkeypatch, capsys)
    assert all(cell_len(line) <= width for line in text.splitlines())
    assert "…" not in text  # nothing cut short: a name wraps, an amount stays whole
    golden = GOLDEN / f"{name}.w{width}.txt"
    if os.environ.get("FUNDTRACK_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [40, 60, 80])
@pytest.mark.parametrize("unit", ["元", "万元"])
def test_an_amount_never_breaks_at_80_columns_or_fewer(
    sample_db: str, unit: str, width: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """At 80 columns the breakdown showed `2,91…` for 2,914.25 (the amounts were cut, the code kept whole)."""
    text = _table(sample_db, ["report", "breakdown", "--unit", unit], width, monkeypatch, capsys)
    assert "…" not in text
    whole = "29,142,500.00" if unit == "元" else "2,914.25"
    assert whole in text
    assert all(cell_len(line) <= width for line in text.splitlines())


def test_reconcile_table_words_its_findings_without_codes(
    sample_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _table(sample_db, ["reconcile"], 80, monkeypatch, capsys)
    for code in ("over_pledged", "budget_gap", "arrears", "unvalued_in_kind", "overspent"):
        assert code not in text
    assert "警告" in text and "错误" in text and "超出总投资" in text


def test_history_table_fits_80_columns_in_chinese(
    sample_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    capsys.readouterr()
    assert main(["--db", sample_db, "--lang", "zh", "history", "--format", "table", "--limit", "5"]) == 0
    text = capsys.readouterr().out
    assert all(cell_len(line) <= 80 for line in text.splitlines())
    assert "修改记录" in text and "导入" in text and "操作人" in text
    assert "batch" not in text and "import" not in text.replace(".toml", "")
