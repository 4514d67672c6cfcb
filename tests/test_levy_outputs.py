"""The levy roll in every format on a small inline village, against golden files, on both backends
(the sample data's levy roll is in tests/test_golden_outputs.py).

Regenerate after an intended change with: FUNDTRACK_UPDATE_GOLDEN=1 pytest tests/test_levy_outputs.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fundtrack.cli.main import main
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
VILLAGE = ROOT / "tests" / "data" / "levy-village.toml"
AS_OF = "2024-12-31"

OUTPUTS = [
    ("levies-small.json", ["report", "levies", "--as-of", AS_OF, "--format", "json"]),
    ("levies-small.csv", ["report", "levies", "--as-of", AS_OF, "--format", "csv"]),
    ("levies-small.md", ["report", "levies", "--as-of", AS_OF, "--format", "md"]),
    ("levies-small.txt", ["report", "levies", "--as-of", AS_OF, "--format", "table"]),
    ("levies-small.en.txt", ["--lang", "en", "report", "levies", "--as-of", AS_OF, "--format", "table"]),
    ("levies-small-unpaid.json", ["report", "levies", "--unpaid", "--as-of", AS_OF, "--format", "json"]),
    ("levies-small-road.csv", ["report", "levies", "--project", "road", "--as-of", AS_OF, "--format", "csv"]),
]


@pytest.fixture
def village_db(backend: str) -> str:
    assert main(["--db", backend, "import", str(VILLAGE)]) == 0
    return backend


def _check(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("FUNDTRACK_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "argv"), OUTPUTS, ids=[o[0] for o in OUTPUTS])
def test_levy_roll_matches_golden(village_db: str, tmp_path: Path, name: str, argv: list[str]) -> None:
    out = tmp_path / name
    assert main(["--db", village_db, *argv, "-o", str(out)]) == 0
    _check(name, out.read_text(encoding="utf-8"))


def test_levy_roll_workbook_matches_golden(village_db: str, tmp_path: Path) -> None:
    out = tmp_path / "levies.xlsx"
    assert main(["--db", village_db, "report", "levies", "--as-of", AS_OF, "-o", str(out)]) == 0
    wb = load_workbook(out)
    lines = []
    for ws in wb.worksheets:
        lines.append(f"# {ws.title}")
        for row in ws.iter_rows():
            lines.append(
                " | ".join(
                    ""
                    if c.value is None
                    else f"{c.value}{' ' + c.number_format if isinstance(c.value, (int, float)) and c.column in (6, 7, 8) else ''}"
                    for c in row
                )
            )
    _check("levies-small.xlsx.txt", "\n".join(lines) + "\n")
