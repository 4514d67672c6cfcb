"""Every output format against a golden file, on both backends (so SQLite and PostgreSQL agree byte for byte).

Regenerate after an intended change with: FUNDTRACK_UPDATE_GOLDEN=1 pytest tests/test_golden_outputs.py
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from fundtrack.cli.main import main
from fundtrack.io.config import Config
from tests.conftest import ROOT, SAMPLE

GOLDEN = ROOT / "tests" / "golden"
AS_OF = "2025-06-30"

OUTPUTS = [
    ("breakdown.json", ["report", "breakdown", "--as-of", AS_OF, "--format", "json"]),
    ("breakdown.csv", ["report", "breakdown", "--as-of", AS_OF, "--format", "csv", "--codes"]),
    ("breakdown.zh.csv", ["report", "breakdown", "--as-of", AS_OF, "--format", "csv"]),
    ("breakdown.en.csv", ["--lang", "en", "report", "breakdown", "--as-of", AS_OF, "--format", "csv"]),
    ("breakdown.md", ["report", "breakdown", "--as-of", AS_OF, "--format", "md"]),
    ("breakdown.txt", ["report", "breakdown", "--as-of", AS_OF, "--format", "table"]),
    ("breakdown-yuan.csv", ["report", "breakdown", "--as-of", AS_OF, "--format", "csv", "--unit", "元", "--codes"]),
    (
        "breakdown-housing.en.txt",
        ["--lang", "en", "report", "breakdown", "--project", "housing-1", "--as-of", AS_OF, "--format", "table"],
    ),
    ("quotas.json", ["report", "quotas", "--as-of", AS_OF, "--format", "json"]),
    ("quotas.csv", ["report", "quotas", "--as-of", AS_OF, "--format", "csv", "--codes"]),
    ("quotas.zh.csv", ["report", "quotas", "--as-of", AS_OF, "--format", "csv"]),
    ("quotas.en.csv", ["--lang", "en", "report", "quotas", "--as-of", AS_OF, "--format", "csv"]),
    ("quotas.md", ["report", "quotas", "--as-of", AS_OF, "--format", "md"]),
    ("quotas.txt", ["report", "quotas", "--as-of", AS_OF, "--format", "table"]),
    ("reconcile.json", ["reconcile", "--as-of", AS_OF, "--format", "json"]),
    ("reconcile.en.json", ["--lang", "en", "reconcile", "--as-of", AS_OF, "--format", "json"]),
    ("reconcile.csv", ["reconcile", "--as-of", AS_OF, "--format", "csv", "--codes"]),
    ("reconcile.zh.csv", ["reconcile", "--as-of", AS_OF, "--format", "csv"]),
    ("reconcile.en.csv", ["--lang", "en", "reconcile", "--as-of", AS_OF, "--format", "csv"]),
    ("reconcile.md", ["reconcile", "--as-of", AS_OF, "--format", "md"]),
    ("reconcile.txt", ["reconcile", "--as-of", AS_OF, "--format", "table"]),
    ("levies.json", ["report", "levies", "--as-of", AS_OF, "--format", "json"]),
    ("levies.csv", ["report", "levies", "--as-of", AS_OF, "--format", "csv"]),
    ("levies.md", ["report", "levies", "--as-of", AS_OF, "--format", "md"]),
    ("levies.txt", ["report", "levies", "--as-of", AS_OF, "--format", "table"]),
    ("levies-unpaid.en.md", ["--lang", "en", "report", "levies", "--unpaid", "--as-of", AS_OF, "--format", "md"]),
    ("export.toml", ["export", "--format", "toml"]),
    ("export.json", ["export", "--format", "json"]),
    ("journal.hledger", ["export-journal", "--as-of", AS_OF, "--format", "hledger"]),
    ("journal.beancount", ["export-journal", "--as-of", AS_OF, "--format", "beancount"]),
]


@pytest.fixture
def sample_db(backend: str) -> str:
    assert main(["--db", backend, "import", *map(str, SAMPLE)]) == 0
    return backend


@pytest.mark.parametrize(("name", "argv"), OUTPUTS, ids=[o[0] for o in OUTPUTS])
def test_output_matches_golden(sample_db: str, tmp_path: Path, name: str, argv: list[str]) -> None:
    out = tmp_path / name
    code = main(["--db", sample_db, *argv, "-o", str(out)])
    assert code in (0, 1)  # reconcile exits 1 when it finds errors, as the sample data has
    text = out.read_text(encoding="utf-8")
    golden = GOLDEN / name
    if os.environ.get("FUNDTRACK_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_csv_has_a_bom_and_numeric_money(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "b.csv"
    main(["--db", sample_db, "report", "breakdown", "--as-of", AS_OF, "--format", "csv", "--codes", "-o", str(out)])
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    row = next(
        line
        for line in raw.decode("utf-8-sig").splitlines()
        if line.startswith("xx彝族村,housing-1,一期安居房工程,project")
    )
    assert ",2914.25,3316," in row


def test_reconcile_exit_codes(sample_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["--db", sample_db, "reconcile", "--as-of", AS_OF, "--format", "json"]) == 1
    )  # the reservoir is overspent
    capsys.readouterr()


def test_output_to_a_fifo_is_written_in_place_not_replaced(sample_db: str, tmp_path: Path) -> None:
    # Regression: `-o /dev/null` renamed a temp file over the device and left a plain file there.
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert main(["--db", sample_db, "report", "quotas", "--format", "json", "-o", str(fifo)]) == 0
    reader.join(timeout=30)
    assert fifo.is_fifo()
    assert b'"quota": 100' in got[0]


EXPORTS = [("breakdown", ["report", "breakdown"]), ("quotas", ["report", "quotas"]), ("findings", ["reconcile"])]


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
@pytest.mark.parametrize(("what", "command"), EXPORTS, ids=[e[0] for e in EXPORTS])
def test_the_apps_exports_are_the_command_lines_files(
    sample_db: str, config: Config, tmp_path: Path, what: str, command: list[str], fmt: str
) -> None:
    # The app renders the report it holds (whole); the command line writes it village by village:
    # one registry of formats, so the same bytes.
    from fundtrack import service
    from fundtrack.io import outputs
    from fundtrack.ledger.reconcile import ReconcileOptions

    out = tmp_path / f"cli.{fmt}"
    assert main(["--db", sample_db, *command, "--as-of", AS_OF, "--format", fmt, "-o", str(out)]) in (0, 1)
    ledger = service.load_ledger(service.Scope(dt.date.fromisoformat(AS_OF)), ReconcileOptions("zh", "万元"))
    report = {"breakdown": ledger.breakdown, "quotas": ledger.quotas, "findings": ledger.reconciliation}[what]
    style = outputs.Style(config.display_unit, config.language, config.kind_name)
    assert outputs.render(what, fmt, report, style) == out.read_bytes().decode("utf-8")
