"""Read a workbook (xlsx/xlsm/xls, python-calamine) or a CSV file (UTF-8 or GB18030) into plain rows."""

from __future__ import annotations

import csv
import html
import io
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from fundtrack.io.problems import Problem

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".tsv")
SHEET_SUFFIXES = (*WORKBOOK_SUFFIXES, ".xls", ".ods", ".csv", ".tsv")

MAX_ROWS = 1_000_000
"""The most rows one sheet may have (a county's year of receipts is far below it)."""
MAX_COLUMNS = 200
"""Columns read from each row; a table of the data format has at most 12."""
MAX_UNPACKED = 2 * 1024**3
"""The most a workbook may unpack to, all its parts together."""
MAX_RATIO = 500
"""A part that unpacks to more than this many times its packed size (and more than MIN_SUSPECT) is a
zip bomb, not a sheet: real sheets pack 5 to 50 times."""
MIN_SUSPECT = 10 * 1024**2
MAX_CSV_BYTES = 512 * 1024**2


@dataclass
class RawSheet:
    """One sheet as read: its name and its rows, each with its 1-based row number."""

    name: str
    rows: list[tuple[int, tuple[Any, ...]]]
    csv: bool = False
    formulas: set[tuple[int, int]] = field(default_factory=set)
    """(row, column index) of the cells that hold a formula: refused where they are read."""
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row, column index) of the cells that hold an error value (`#N/A`, `t="e"`) and that value: read
    as empty by python-calamine, refused where they are read."""
    hidden: bool = False
    """A hidden sheet (a template's lists for its drop-downs) is read only when a mapping names it."""
    typed: bool = False
    """Its formula cells are known from its XML (xlsx, xlsm): a text cell that starts with `=` is text
    (`'=1+1` typed in Excel, or a name fundtrack exported), not a formula."""


class Unreadable(Exception):
    """The file cannot be read as a spreadsheet: one located problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def is_sheet(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in SHEET_SUFFIXES


def is_csv(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in CSV_SUFFIXES


def _regular(path: str) -> None:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise Unreadable(Problem(path, 0, "file", "not_regular_file"))
    except OSError as exc:
        raise Unreadable(Problem(path, 0, "file", "os_error", {"message": exc.strerror or str(exc)})) from None


def read(path: str) -> list[RawSheet]:
    """Every sheet of a workbook, or the one sheet of a CSV file. Raises Unreadable."""
    _regular(path)
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".ods":
        raise Unreadable(Problem(path, 0, "file", "sheet_old_format", {"suffix": suffix}))
    if suffix in CSV_SUFFIXES:
        return [read_csv(path)]
    if suffix == ".xls":
        return read_workbook(path, {})
    return read_workbook(path, scan_xlsx(path))


# -- a workbook's parts, looked at before python-calamine reads them

MAX_PART = 512 * 1024**2
"""The most one sheet's XML may unpack to (100,000 rows of receipts are 15 MB)."""
MAX_CELLS = 20_000_000
"""The most cells the rectangle of a sheet's cells may hold: python-calamine holds that rectangle in
memory, so two cells at A1 and XFD1048576 would ask for 17 billion."""


@dataclass
class Scan:
    """What a sheet's XML says before it is read: its last row and column, and its formula cells."""

    rows: int = 0
    columns: int = 0
    formulas: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


ERROR_VALUES = frozenset(
    ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!")
)
"""Excel's error values: a cell showing one (or a CSV cell holding one) is refused, not taken as empty."""

_ATTRS = re.compile(rb'([\w:.-]+)="([^"]*)"')
_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>")
_REL = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'row [^>]*?\br="([0-9]{1,10})"')
_WIDE_COLUMN = re.compile(rb' r="([A-Z]{2,4})[0-9]')
_ANY_COLUMN = re.compile(rb'\sr="([A-Z]{1,4})[0-9]')
_CELL_REF = re.compile(rb'<(?:[\w.-]+:)?c\b[^>]*?\br="([A-Z]{1,4})([0-9]{1,10})"')
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f\b")
_CELL_OPEN = re.compile(rb"<(?:[\w.-]+:)?c\b([^>]*)>")
_ERROR_TYPE = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]{0,40})</")


def _attrs(raw: bytes) -> dict[str, str]:
    return {k.decode().split(":")[-1]: html.unescape(v.decode("utf-8", "replace")) for k, v in _ATTRS.findall(raw)}


def column_number(letters: str) -> int:
    """`A` -> 1, `AA` -> 27."""
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def scan_xlsx(path: str) -> dict[str, Scan]:
    """Per sheet name: its extent and its formula cells, read from the XML with patterns (no XML parser:
    nothing in the file is expanded). Raises Unreadable for a zip bomb or a sheet too large to read."""
    _check_zip(path)
    out: dict[str, Scan] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            workbook = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
            targets = {a.get("Id"): a.get("Target", "") for a in map(_attrs, _REL.findall(rels))}
            names = set(zf.namelist())
            for attrs in map(_attrs, _SHEET.findall(workbook)):
                target = targets.get(attrs.get("id"), "")
                part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if "name" not in attrs or part not in names:
                    continue
                if zf.getinfo(part).file_size > MAX_PART:
                    raise Unreadable(
                        Problem(path, 0, "file", "sheet_too_large", {"limit": MAX_ROWS}, f"{attrs['name']}!A1")
                    )
                out[attrs["name"]] = _scan_part(path, attrs["name"], zf.read(part))
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise Unreadable(Problem(path, 0, "file", "not_a_workbook", {})) from exc
    return out


def _last_column(data: bytes) -> int:
    """The rightmost column any cell names. Only cells have a reference with letters (` r="C3"`); most
    sheets stop before AA, and a search for each letter (in C) is far quicker than a pattern per cell."""
    if any(sep + b'r="' in data for sep in (b"\t", b"\n", b"\r")):
        # attributes parted by other white space than one space: every reference, by pattern
        return max((column_number(c.decode()) for c in set(_ANY_COLUMN.findall(data))), default=0)
    wide = set(_WIDE_COLUMN.findall(data))
    if wide:
        return max(column_number(c.decode()) for c in wide)
    low, high = 0, 26  # the last column is in (low, high]: halved by a search for a cell right of the middle
    while low < high:
        middle = (low + high + 1) // 2
        if re.search(b' r="[%c-Z][0-9]' % (64 + middle), data):
            low = middle
        else:
            high = middle - 1
    return low


def _scan_part(path: str, name: str, data: bytes) -> Scan:
    scan = Scan()
    scan.rows = max((int(n) for n in _ROW_NUMBER.findall(data)), default=0)
    scan.columns = _last_column(data)
    if scan.rows > MAX_ROWS:
        raise Unreadable(Problem(path, 0, "file", "sheet_too_large", {"limit": MAX_ROWS}, f"{name}!A{MAX_ROWS + 1}"))
    if scan.rows * scan.columns > MAX_CELLS:
        raise Unreadable(Problem(path, 0, "file", "sheet_too_large", {"limit": MAX_ROWS}, f"{name}!A1"))
    if b't="e"' in data:
        _scan_errors(data, scan)
    if b"<f" not in data and b":f" not in data:
        return scan  # the usual sheet: no formula at all (found in C, without a pattern)
    for m in _FORMULA.finditer(data):
        cells = _CELL_REF.findall(data, max(0, m.start() - 400), m.start())
        if cells:
            letters, row = cells[-1]
            scan.formulas.add((int(row), column_number(letters.decode()) - 1))
    return scan


def _scan_errors(data: bytes, scan: Scan) -> None:
    """The cells of type `e` (an error value such as `#N/A`) and the value each shows."""
    for m in _CELL_OPEN.finditer(data):
        attrs = m.group(1)
        if not _ERROR_TYPE.search(attrs) or attrs.endswith(b"/"):
            continue
        ref = re.search(rb'\br="([A-Z]{1,4})([0-9]{1,10})"', attrs)
        if ref is None:
            continue
        following = _CELL_OPEN.search(data, m.end())
        end = min(following.start() if following else len(data), m.end() + 2000)
        value = _VALUE.search(data, m.end(), end)
        shown = html.unescape(value.group(1).decode("utf-8", "replace")) if value else "#N/A"
        scan.errors[(int(ref.group(2)), column_number(ref.group(1).decode()) - 1)] = shown


def _check_zip(path: str) -> None:
    if not zipfile.is_zipfile(path):
        raise Unreadable(Problem(path, 0, "file", "not_a_workbook", {}))
    with zipfile.ZipFile(path) as zf:
        total = 0
        for info in zf.infolist():
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > MAX_UNPACKED or (info.file_size > MIN_SUSPECT and ratio > MAX_RATIO):
                raise Unreadable(Problem(path, 0, "file", "workbook_bomb", {"part": info.filename}))


def read_workbook(path: str, scans: dict[str, Scan]) -> list[RawSheet]:
    """The sheets, read by python-calamine (Rust: 15 times openpyxl's read-only speed, see benchmarks/sheets.py)."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        wb = CalamineWorkbook.from_path(path)
    except Exception as exc:  # noqa: BLE001 -- its errors for a damaged file are many (zip, XML, format)
        raise Unreadable(Problem(path, 0, "file", "not_a_workbook", {})) from exc
    sheets = []
    try:
        for meta in wb.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            if sheet.height > MAX_ROWS:
                raise Unreadable(
                    Problem(path, 0, "file", "sheet_too_large", {"limit": MAX_ROWS}, f"{meta.name}!A{MAX_ROWS + 1}")
                )
            scan = scans.get(meta.name, Scan())
            raw = RawSheet(
                meta.name,
                _rows(sheet.to_python(skip_empty_area=False)),
                hidden=meta.visible != SheetVisibleEnum.Visible,
            )
            raw.formulas = scan.formulas
            raw.errors = scan.errors
            raw.typed = meta.name in scans
            sheets.append(raw)
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001
        raise Unreadable(Problem(path, 0, "file", "not_a_workbook", {})) from exc
    finally:
        wb.close()
    return sheets


def _rows(values: list[list[Any]]) -> list[tuple[int, tuple[Any, ...]]]:
    """Rows with their numbers, empty cells as None, trailing empty cells and empty rows left out."""
    out = []
    for number, row in enumerate(values, start=1):
        cells = [None if v == "" else v for v in row[:MAX_COLUMNS]]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            out.append((number, tuple(cells)))
    return out


def decode(data: bytes) -> str | None:
    """CSV text as Excel and WPS save it in Chinese: UTF-8 (with or without BOM), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


BIG5_SHARE = 0.2
"""Big5 text read as GB18030 decodes, but to rare characters: real GB text has almost every character in
GB2312 (its common hanzi, full-width forms and punctuation); Big5 read so has some 40% outside it."""


def looks_big5(data: bytes) -> bool:
    """Text that is not UTF-8, decodes as strict Big5, and read as GB18030 has too many characters outside
    GB2312 to be Chinese written in GB."""
    try:
        data.decode("utf-8-sig")
        return False
    except UnicodeDecodeError:
        pass
    try:
        data.decode("big5")
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return False
    rare = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare / len(wide) > BIG5_SHARE


def read_csv(path: str) -> RawSheet:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise Unreadable(Problem(path, 0, "file", "os_error", {"message": exc.strerror or str(exc)})) from None
    if len(data) > MAX_CSV_BYTES:
        raise Unreadable(Problem(path, 0, "file", "sheet_too_large", {"limit": MAX_ROWS}))
    if looks_big5(data):
        raise Unreadable(Problem(path, 0, "file", "csv_big5", {}))
    text = decode(data)
    if text is None or "\x00" in text:
        raise Unreadable(Problem(path, 0, "file", "not_csv_text", {}))
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if number > MAX_ROWS:
                raise Unreadable(Problem(path, 0, "file", "sheet_too_large", {"limit": MAX_ROWS}, f"{number}:1"))
            if any(cell.strip() for cell in row):
                rows.append((number, tuple(cell if cell != "" else None for cell in row[:MAX_COLUMNS])))
    except csv.Error as exc:
        raise Unreadable(Problem(path, 0, "file", "not_csv_text", {})) from exc
    name = os.path.splitext(os.path.basename(path))[0]
    return RawSheet(name, rows, csv=True)
