"""XLSX workbooks and the committee report (DOCX and Markdown), read back with openpyxl and python-docx."""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from fundtrack.cli.main import main
from tests.conftest import ROOT, SAMPLE

AS_OF = "2025-06-30"
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture
def sample_db(sqlite_db: str) -> str:
    assert main(["--db", sqlite_db, "import", *map(str, SAMPLE)]) == 0
    return sqlite_db


def test_breakdown_workbook_has_numbers_with_a_unit_format(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "b.xlsx"
    assert main(["--db", sample_db, "report", "breakdown", "--as-of", AS_OF, "--format", "xlsx", "-o", str(out)]) == 0
    wb = load_workbook(out)
    projects, lines = wb.worksheets
    assert projects.freeze_panes == "A2" and lines.freeze_panes == "A2"
    header = [c.value for c in projects[1]]
    assert header[:5] == ["村", "编号", "项目", "状态", "总投资"]
    housing = next(r for r in projects.iter_rows(min_row=2) if r[1].value == "housing-1")
    budget = housing[4]
    assert isinstance(budget.value, int | float) and Decimal(str(budget.value)) == Decimal("2914.25")
    assert budget.number_format == '#,##0.00####"万元"'
    assert housing[8].value == pytest.approx(-401.75)
    assert projects.column_dimensions["C"].width >= 2 * len("新华民族小学、新寨民族小学")
    upper = next(r for r in lines.iter_rows(min_row=2) if r[3].value == "上级拨款")
    assert (upper[5].value, upper[6].value, upper[7].value) == (1090, pytest.approx(0.374), 900)
    assert upper[6].number_format == "0.00%"


def test_quotas_and_findings_workbooks(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "q.xlsx"
    assert main(["--db", sample_db, "report", "quotas", "--as-of", AS_OF, "--format", "xlsx", "-o", str(out)]) == 0
    ws = load_workbook(out).active
    first = [c.value for c in ws[2]]
    assert first[1] == "小河沟煤矿" and first[3] == 100 and first[-1] == "未达标"
    out = tmp_path / "f.xlsx"
    assert main(["--db", sample_db, "report", "findings", "--as-of", AS_OF, "--format", "xlsx", "-o", str(out)]) == 0
    rows = list(load_workbook(out).active.iter_rows(min_row=2, values_only=True))
    over = next(r for r in rows if "各方承诺合计" in r[5])  # in words: the code only with --codes
    assert over[1] == "警告" and over[3] == pytest.approx(401.75) and "401.75万" in over[5]
    assert not any("over_pledged" in str(cell) for row in rows for cell in row)


def test_export_workbook_has_a_sheet_per_table(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "e.xlsx"
    assert main(["--db", sample_db, "export", "--format", "xlsx", "--codes", "-o", str(out)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames[:6] == ["village", "settlements", "households", "funders", "enterprises", "projects"]
    assert wb["households"].max_row == 1 + 313 and wb["households"]["A2"].value == "新云-001"
    projects = wb["projects"]
    header = [c.value for c in projects[1]]
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in projects.iter_rows(min_row=2, values_only=True)}
    assert rows["housing-1"]["budget"] == pytest.approx(29142500) and rows["wanxiao-building"]["budget余"] == "余"
    assert wb["receipts"].max_row == 1 + 194
    assert wb["hires"]["A2"].value == "大炭沟煤矿"


def test_formula_text_is_text_in_xlsx(sqlite_db: str, tmp_path: Path) -> None:
    src = tmp_path / "f.toml"
    src.write_text(
        'format = "fundtrack/1"\n[village]\nname = "=HYPERLINK(1)"\n[[projects]]\ncode = "a"\n'
        'name = "=1+1"\ncategory = "road"\nstatus = "planned"\nbudget = "1万"\n',
        encoding="utf-8",
    )
    assert main(["--db", sqlite_db, "import", str(src)]) == 0
    out = tmp_path / "b.xlsx"
    assert main(["--db", sqlite_db, "report", "breakdown", "--format", "xlsx", "-o", str(out)]) == 0
    cells = [c for row in load_workbook(out).active.iter_rows() for c in row]
    text = {c.value: c for c in cells if isinstance(c.value, str)}
    # kept as it is, in a typed string cell with the quote prefix: shown as text, never run
    assert text["=1+1"].data_type == "s" and text["=1+1"].quotePrefix
    assert text["=HYPERLINK(1)"].data_type == "s" and text["=HYPERLINK(1)"].quotePrefix
    assert not any(c.data_type == "f" for c in cells)


def test_committee_report_docx(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    assert main(["--db", sample_db, "report", "document", "--as-of", AS_OF, "-o", str(out)]) == 0
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "xx彝族村项目资金情况汇报"
    assert "总投资2914.25万元。其中，上级拨款1090万元，占37.40%" in text
    assert "安居房住户每户2万元共313户626万元，占21.48%" in text
    assert "总投资大写：贰仟玖佰壹拾肆万贰仟伍佰元整" in text
    assert "总投资400余万元" in text and "不少于肆佰万元整" in text
    assert "19家企业承诺吸纳本村劳动力1900人" in text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:4] == ["企业", "类型", "应吸纳", "登记在岗"]
    assert len(table.rows) == 20


def test_committee_report_markdown_golden(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    assert main(["--db", sample_db, "report", "document", "--as-of", AS_OF, "--format", "md", "-o", str(out)]) == 0
    golden = GOLDEN / "report.md"
    if os.environ.get("FUNDTRACK_UPDATE_GOLDEN"):
        golden.write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    assert out.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")


@pytest.mark.skipif(not shutil.which("soffice") and not os.environ.get("CI"), reason="LibreOffice not installed")
def test_committee_report_renders_to_pdf_with_chinese_text(sample_db: str, tmp_path: Path) -> None:
    assert shutil.which("soffice") and shutil.which("pdftotext"), "CI must install libreoffice and poppler-utils"
    docx = tmp_path / "report.docx"
    assert main(["--db", sample_db, "report", "document", "--as-of", AS_OF, "-o", str(docx)]) == 0
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "report.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "一期安居房工程" in text and "贰仟玖佰壹拾肆万" in text


def workbook_cells(data: bytes) -> dict[str, object]:
    """What a person sees of a workbook: each sheet's cells (value, number format, bold), widths and frozen rows."""
    import io

    wb = load_workbook(io.BytesIO(data))
    seen: dict[str, object] = {}
    for ws in wb.worksheets:
        cells = [
            [(c.value, c.number_format if c.value is not None else None, bool(c.font.b)) for c in row]
            for row in ws.iter_rows()
        ]
        widths = {k: d.width for k, d in ws.column_dimensions.items()}
        seen[ws.title] = (cells, widths, ws.freeze_panes)
    return seen


def test_workbook_parts_are_written_in_order_with_widths_from_the_rows_read_ahead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fundtrack.io import office
    from fundtrack.ledger.money import Amount

    monkeypatch.setattr(office, "WIDTH_ROWS", 3)
    sheets = [office.Sheet("甲", ["名称", "金额"], [], "元"), office.Sheet("乙", ["说明"], [])]
    parts = [
        [[("a", Amount(100))], [("x",)]],
        [[("bb", Amount(250, True)), ("c", None)], []],
        [[("新华民族小学新寨民族小学", Amount(10**12))], [("y",), ("z",), ("a very long note beyond the read-ahead",)]],
    ]
    book = workbook_cells(office.workbook(sheets, parts))
    cells, widths, frozen = book["甲"]
    assert [[v for v, _, _ in row] for row in cells] == [
        ["名称", "金额"],
        ["a", 1],
        ["bb", 2.5],
        ["c", None],
        ["新华民族小学新寨民族小学", 10**10],
    ]
    assert cells[0][0][2] and not cells[1][0][2]  # the header is bold
    assert cells[2][1][1] == '#,##0.00"元"'
    assert frozen == "A2"
    # Widths fit the header and the first three rows: the fourth row's long name is not measured.
    assert widths["A"] == office.display_width("名称") + 2
    notes, note_widths, _ = book["乙"]
    assert [row[0][0] for row in notes] == ["说明", "x", "y", "z", "a very long note beyond the read-ahead"]
    assert note_widths["A"] == office.display_width("说明") + 2
