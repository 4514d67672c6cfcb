"""SQLite and PostgreSQL give the same reports and the same export for a generated data set; spreadsheets get no formulas."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import sys
from pathlib import Path

import pytest

from fundtrack import service
from fundtrack.cli.main import main
from fundtrack.io import reports
from fundtrack.io.config import Config
from fundtrack.ledger.reconcile import ReconcileOptions
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import SIZES, village_file  # noqa: E402

COMMANDS = {
    "breakdown": ["report", "breakdown", "--format", "json", "--as-of", "2025-06-30"],
    "quotas": ["report", "quotas", "--format", "json", "--as-of", "2025-06-30"],
    "reconcile": ["reconcile", "--format", "json", "--as-of", "2025-06-30"],
    "export": ["export", "--format", "toml", "--with-personal-data"],
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "village.toml"
    path.write_text(village_file(3, SIZES["village"], seed=9), encoding="utf-8")
    return path


def outputs(target: str, source: Path, tmp_path: Path) -> dict[str, str]:
    assert main(["--db", target, "import", str(source)]) == 0
    tmp_path.mkdir(parents=True, exist_ok=True)  # -o into a folder that does not exist is refused
    out = {}
    for name, argv in COMMANDS.items():
        path = tmp_path / f"{name}.out"
        assert main(["--db", target, *argv, "-o", str(path)]) in (0, 1)
        out[name] = path.read_text(encoding="utf-8")
    return out


def test_generated_set_gives_identical_output_on_both_backends(generated: Path, tmp_path: Path, pg_server: str) -> None:
    from tests.conftest import _create_pg_database

    lite = outputs(str(tmp_path / "a.db"), generated, tmp_path / "lite")
    pg = outputs(_create_pg_database(pg_server), generated, tmp_path / "pg")
    for name in COMMANDS:
        assert lite[name] == pg[name], name
    assert len(lite["breakdown"]) > 10_000


FORMULAS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    # A tab or a carriage return is refused in a name (tests/hostile/test_names.py).
    '=HYPERLINK("http://x")',
    "=cmd|' /C calc'!A0",
    "+cmd",
    "-2+3",
    "@A1",
    "=A1*2",
]


def test_formula_payloads_are_neutralised_in_csv(sqlite_db: str, tmp_path: Path) -> None:
    import tomli_w

    doc = {
        "format": "fundtrack/1",
        "village": {"name": "公式村"},
        "funders": [{"name": f, "kind": "other"} for f in FORMULAS],
        "projects": [
            {"code": f"p{i}", "name": f, "category": "other", "status": "planned", "budget": "1万"}
            for i, f in enumerate(FORMULAS)
        ],
        "pledges": [{"project": f"p{i}", "funder": f, "amount": "1元"} for i, f in enumerate(FORMULAS)],
    }
    source = tmp_path / "formula.toml"
    source.write_text(tomli_w.dumps(doc), encoding="utf-8")
    assert main(["--db", sqlite_db, "import", str(source)]) == 0
    for argv in (["report", "breakdown"], ["reconcile"]):
        out = tmp_path / "o.csv"
        main(["--db", sqlite_db, *argv, "--format", "csv", "-o", str(out)])
        cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) for c in row]
        dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(c)]
        assert dangerous == []
        assert any(c.startswith("'=1+1") for c in cells)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


STREAMED = {
    f"{name}.{fmt}": [
        *COMMANDS[name][:-4],
        "--format",
        fmt,
        "--as-of",
        "2025-06-30",
        *(["--codes"] if fmt == "csv" else []),
    ]
    for name in ("breakdown", "reconcile")
    for fmt in ("json", "csv", "md")
}


def test_county_reports_are_the_same_from_one_process_or_several(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: Config
) -> None:
    """Villages computed in worker processes give byte for byte what one process gives, in village order,
    and the streamed CSV and Markdown are the text the whole report renders to."""
    files = []
    for i in range(3):
        path = tmp_path / f"village-{i}.toml"
        path.write_text(village_file(i, SIZES["village"], seed=4), encoding="utf-8")
        files.append(str(path))
    assert main(["--db", backend, "import", *files]) == 0
    seen: dict[str, list[str]] = {}
    for workers in ("1", "2", "3"):
        monkeypatch.setenv("FUNDTRACK_WORKERS", workers)
        for name, argv in STREAMED.items():
            path = tmp_path / f"{name}-{workers}"
            assert main(["--db", backend, *argv, "-o", str(path)]) in (0, 1)
            seen.setdefault(name, []).append(path.read_bytes().decode("utf-8"))
    for name, texts in seen.items():
        assert texts[0] == texts[1] == texts[2], name
        if not name.endswith(".md"):  # the Markdown tables name projects, not villages
            assert all(v in texts[0] for v in ("测试村0000", "测试村0001", "测试村0002")), name
    villages = [line for line in seen["breakdown.json"][0].splitlines() if '"village"' in line]
    assert villages == sorted(villages)  # village order kept

    # The parent's connection, closed before the fork, opens again on its next query.
    scope = service.Scope(dt.date(2025, 6, 30))
    whole = service.load_breakdown(scope)
    assert len({b.project.village for b in whole.projects}) == 3
    unit, lang = config.display_unit, config.language
    assert seen["breakdown.csv"][0] == reports.breakdown_csv(whole, unit)
    assert seen["breakdown.md"][0] == reports.breakdown_markdown(whole, unit, lang, config.kind_name)
    rec = service.load_reconciliation(scope, ReconcileOptions(lang, unit))
    # Streamed, findings come village by village, each village's in the order of the checks.
    rec = dataclasses.replace(rec, findings=tuple(sorted(rec.findings, key=lambda f: f.village)))
    assert seen["reconcile.csv"][0] == reports.reconcile_csv(rec)
    assert seen["reconcile.md"][0] == reports.reconcile_markdown(rec, lang)

    # Workbooks too: written village by village, they hold what the whole report's workbook holds.
    from fundtrack.io import office
    from tests.test_office import workbook_cells

    for report, whole_book in (
        ("breakdown", office.workbook(office.breakdown_sheets(whole, unit, lang, config.kind_name))),
        ("findings", office.workbook([office.findings_sheet(rec, lang, unit)])),
    ):
        book = tmp_path / f"{report}.xlsx"
        argv = ["report", report, "--format", "xlsx", "--as-of", "2025-06-30", "-o", str(book)]
        assert main(["--db", backend, *argv]) == 0
        assert workbook_cells(book.read_bytes()) == workbook_cells(whole_book), report

    # Tables come village by village too, each titled with its village, then the county's totals.
    table = tmp_path / "breakdown.txt"
    assert (
        main(["--db", backend, "report", "breakdown", "--format", "table", "--as-of", "2025-06-30", "-o", str(table)])
        == 0
    )
    text = table.read_text(encoding="utf-8")
    assert [text.index(f"测试村000{i} · 资金构成") for i in range(3)] == sorted(
        text.index(f"测试村000{i} · 资金构成") for i in range(3)
    )
    assert "合计 · 全部村 (3)" in text
    findings = tmp_path / "findings.txt"
    code = main(["--db", backend, "reconcile", "--format", "table", "--as-of", "2025-06-30", "-o", str(findings)])
    assert code == (0 if '"ok": true' in seen["reconcile.json"][0] else 1)
    assert f"核对结果 · 全部村 (3) · 错误 {rec.counts()['error']} · " in findings.read_text(encoding="utf-8")
