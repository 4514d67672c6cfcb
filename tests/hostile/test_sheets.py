"""Hostile spreadsheets: formulas, huge sheets, zip bombs, files that only look like workbooks, merged
headers, amounts finer than fen. Each is refused in one located line, and nothing is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from fundtrack.io.sheets import reader
from tests.hostile.harness import SAMPLE, assert_check_clean, assert_refused, fingerprint, run


def _receipts(path: Path, rows: list[list[object]], merge: str | None = None) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "到位"
    ws.append(["项目", "出资方", "金额", "日期"])
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return str(path)


GOOD = ["housing-1", "上级拨款", 100, "2025-06-30"]


def _zip_bomb(path: Path) -> str:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (60 * 1024 * 1024))
    return str(path)


def _far_cells(path: Path) -> str:
    """Two cells, at A1 and XFD1000000: a reader that holds the rectangle between them needs 16 billion cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "到位"
    ws["A1"] = "项目"
    ws["XFD1000000"] = 1
    wb.save(path)
    return str(path)


def _merged_header(path: Path) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "到位"
    ws.append(["项目", "出资方", "金额", None, "日期"])
    ws.append(["housing-1", "上级拨款", 100, 50, "2025-06-30"])
    ws.merge_cells("C1:D1")
    wb.save(path)
    return str(path)


CASES = {
    "formula": (lambda p: _receipts(p, [GOOD, ["housing-1", "上级拨款", "=1+1", "2025-06-30"]]), "到位!C3:"),
    "three_decimals": (lambda p: _receipts(p, [["housing-1", "上级拨款", 12.345, "2025-06-30"]]), "到位!C2:"),
    "zip_bomb": (_zip_bomb, ".xlsx: file:"),
    "not_a_zip": (lambda p: (p.write_bytes(b"PK not really a workbook" * 100), str(p))[1], ".xlsx: file:"),
    "not_an_xls": (
        lambda p: (p.with_suffix(".xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600), str(p.with_suffix(".xls")))[1],
        ".xls: file:",
    ),
    "two_far_cells": (lambda p: _far_cells(p), "到位!A1:"),
    "merged_header": (_merged_header, "到位!D1:"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_workbook_is_refused_in_one_located_line(backend: str, tmp_path: Path, case: str) -> None:
    assert run("--db", backend, "import", str(SAMPLE[0])).code == 0
    make, where = CASES[case]
    path = make(tmp_path / f"{case}.xlsx")
    before = fingerprint()
    result = run("--db", backend, "import", path)
    assert_refused(result)
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert where in result.err, result.err
    assert fingerprint() == before
    assert_check_clean(backend)


def test_a_huge_sheet_is_refused_at_its_first_row_past_the_limit(
    sqlite_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("--db", sqlite_db, "import", str(SAMPLE[0])).code == 0
    monkeypatch.setattr(reader, "MAX_ROWS", 50)
    path = _receipts(tmp_path / "huge.xlsx", [GOOD] * 60)
    before = fingerprint()
    result = run("--db", sqlite_db, "import", path)
    assert_refused(result)
    assert result.err.count("\n") == 1 and ":到位!A51: file: " in result.err
    assert fingerprint() == before


def test_a_sheet_that_states_a_huge_size_is_read_as_it_is(sqlite_db: str, tmp_path: Path) -> None:
    """A sheet whose <dimension> claims a million rows and 16,384 columns holds two rows: read fast."""
    path = _receipts(tmp_path / "claims.xlsx", [GOOD])
    src = zipfile.ZipFile(path)
    out = tmp_path / "claims2.xlsx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b'<dimension ref="A1:D2"/>', b'<dimension ref="A1:XFD1048576"/>')
            zf.writestr(info, data)
    assert run("--db", sqlite_db, "import", str(SAMPLE[0])).code == 0
    result = run("--db", sqlite_db, "import", str(out), "--dry-run")
    assert result.code == 0, result.err


@pytest.mark.parametrize("suffix", [".ods"])
def test_an_old_or_open_document_sheet_is_refused_with_what_to_do(sqlite_db: str, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"old{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    result = run("--db", sqlite_db, "import", str(path), lang="zh")
    assert_refused(result)
    assert "另存为 .xlsx" in result.err


def test_a_csv_that_is_not_text_is_refused(sqlite_db: str, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\xff\xfe\x81" * 50)
    result = run("--db", sqlite_db, "import", str(path))
    assert_refused(result)
    assert "x.csv: file: " in result.err


def test_a_formula_cell_does_not_hide_the_other_problems_of_the_file(sqlite_db: str, tmp_path: Path) -> None:
    assert run("--db", sqlite_db, "import", str(SAMPLE[0])).code == 0
    rows = [
        ["housing-1", "上级拨款", "=1+1", "2025-06-30"],
        ["housing-1", "没有这个出资方", 100, "2025-06-30"],
        ["housing-1", "上级拨款", 100, "2025-13-30"],
    ]
    path = _receipts(tmp_path / "three.xlsx", rows)
    before = fingerprint()
    result = run("--db", sqlite_db, "import", path)
    assert_refused(result)
    lines = result.err.strip().splitlines()
    assert [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in lines] == ["到位!C2", "到位!B3", "到位!D4"], lines
    assert "到位!C2: receipts[0].amount: " in lines[0] and "formula" in lines[0]
    assert fingerprint() == before


@pytest.mark.parametrize("cell", ["E2", "C3"])
def test_an_excel_error_cell_is_refused_located_not_taken_as_empty(sqlite_db: str, tmp_path: Path, cell: str) -> None:
    assert run("--db", sqlite_db, "import", str(SAMPLE[0])).code == 0
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "到位"
    ws.append(["项目", "出资方", "金额", "日期", "凭证号"])
    ws.append(["housing-1", "上级拨款", 100, "2025-06-30", "#N/A" if cell == "E2" else "A-1"])
    ws.append(["housing-1", "上级拨款", "#DIV/0!" if cell == "C3" else 50, "2025-06-30", None])
    assert ws[cell].data_type == "e"  # a real error cell, t="e": python-calamine reads it as empty
    path = tmp_path / "errors.xlsx"
    wb.save(path)
    before = fingerprint()
    result = run("--db", sqlite_db, "import", str(path), lang="zh")
    assert_refused(result)
    key, value = ("receipts[0].voucher", "#N/A") if cell == "E2" else ("receipts[1].amount", "#DIV/0!")
    assert result.err.strip().splitlines() == [
        f"{path}:到位!{cell}: {key}: 是错误值 {value}; 请改成数值或文字 (或清空) 再导入"
    ], result.err
    assert fingerprint() == before


def test_an_excel_error_value_in_a_csv_is_refused_located(sqlite_db: str, tmp_path: Path) -> None:
    assert run("--db", sqlite_db, "import", str(SAMPLE[0])).code == 0
    path = tmp_path / "到位.csv"
    path.write_text("项目,出资方,金额,日期\nhousing-1,上级拨款,#N/A,2025-06-30\n", encoding="utf-8")
    result = run("--db", sqlite_db, "import", str(path))
    assert_refused(result)
    assert "receipts[0].amount: is an error value #N/A" in result.err, result.err


def test_a_big5_csv_is_refused_not_read_as_gb18030_garbage(sqlite_db: str, tmp_path: Path) -> None:
    assert run("--db", sqlite_db, "import", str(SAMPLE[0])).code == 0
    text = "項目,出資方,金額,日期,備註\nhousing-1,上級撥款,100,2025-06-30,第一批到位資金\n"
    path = tmp_path / "到位.csv"
    path.write_bytes(text.encode("big5"))
    before = fingerprint()
    result = run("--db", sqlite_db, "import", str(path), lang="zh")
    assert_refused(result)
    assert result.err.strip() == f"{path}: file: 看起来是 Big5 编码，请另存为 UTF-8 再导入", result.err
    assert fingerprint() == before
    # the same table written in GB18030 is still read
    simplified = "项目,出资方,金额,日期,备注\nhousing-1,上级拨款,100,2025-06-30,第一批到位资金\n"
    assert not reader.looks_big5(simplified.encode("gb18030"))
