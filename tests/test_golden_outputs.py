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
    _golden(name, out.read_text(encoding="utf-8"))


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


WORKBOOKS = [
    ("export-xlsx.zh.txt", [], []),
    ("export-xlsx.en.txt", ["--lang", "en"], []),
    ("export-xlsx.codes.txt", [], ["--codes"]),
]


def _golden(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("FUNDTRACK_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "lang", "codes"), WORKBOOKS, ids=[w[0] for w in WORKBOOKS])
def test_the_export_workbooks_sheets_and_headers_match_golden(
    sample_db: str, tmp_path: Path, name: str, lang: list[str], codes: list[str]
) -> None:
    import openpyxl

    out = tmp_path / "x.xlsx"
    assert main(["--db", sample_db, *lang, "export", "--format", "xlsx", *codes, "-o", str(out)]) == 0
    lines = []
    for ws in openpyxl.load_workbook(out).worksheets:
        rows = list(ws.iter_rows(max_row=2, values_only=True))
        first = ["" if v is None else v.date().isoformat() if isinstance(v, dt.datetime) else str(v) for v in rows[1]]
        lines += [f"[{ws.title}] frozen at {ws.freeze_panes}", " | ".join(map(str, rows[0])), " | ".join(first), ""]
    _golden(name, "\n".join(lines))


def _preview_workbook(path: Path) -> str:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "资金到位表"
    ws.append(["xx彝族村项目资金台账"])
    ws.append(["单位：万元"])
    ws.append(["序号", "项目", "资金来源", "金额", "日期", "凭证号"])
    ws.append([1, "housing-1", "上级拨款", 3, dt.date(2025, 6, 30), "A-1"])
    ws.append([2, "一期安居房工程", "上级拨款", "20余万", "2025年7月1日", None])
    ws.append(["合计", None, None, 23, None, None])
    projects = wb.create_sheet("项目")
    projects.append(["项目编号", "项目名称", "类别", "状态", "总投资（万元）", "自然村"])
    projects.append(["road-9", "通组公路", "道路", "建设中", "60余万", "新云、秧田沟"])
    wb.save(path)
    return str(path)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_import_preview_matches_golden(
    sample_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    path = _preview_workbook(tmp_path / "台账.xlsx")
    assert main(["--db", sample_db, "--lang", lang, "import", path, "--preview"]) == 1
    _golden(f"preview.{lang}.txt", capsys.readouterr().out.replace(path, "台账.xlsx"))
