"""Read a workbook (xlsx/xlsm, openpyxl read-only) or a CSV file (UTF-8 or GB18030) into plain rows."""

from __future__ import annotations

import csv
import io
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fundtrack.io.problems import Problem

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
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
    hidden: bool = False
    """A hidden sheet (a template's lists for its drop-downs) is read only when a mapping names it."""


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
    if suffix in (".xls", ".ods"):
        raise Unreadable(Problem(path, 0, "file", "sheet_old_format", {"suffix": suffix}))
    if suffix in CSV_SUFFIXES:
        return [read_csv(path)]
    return read_workbook(path)


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


def read_workbook(path: str) -> list[RawSheet]:
    from openpyxl import load_workbook

    _check_zip(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 -- openpyxl raises many kinds on a damaged file
        raise Unreadable(Problem(path, 0, "file", "not_a_workbook", {})) from exc
    sheets = []
    try:
        for ws in wb.worksheets:
            sheets.append(RawSheet(ws.title, list(_rows(path, ws)), hidden=ws.sheet_state != "visible"))
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001
        raise Unreadable(Problem(path, 0, "file", "not_a_workbook", {})) from exc
    finally:
        wb.close()
    return sheets


def _rows(path: str, ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    ws.reset_dimensions()  # a sheet's stated size is not trusted: rows are read as they are
    for number, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        if not any(v is not None and v != "" for v in row):
            continue
        if number > MAX_ROWS:
            raise Unreadable(Problem(path, 0, "file", "sheet_too_large", {"limit": MAX_ROWS}, f"{ws.title}!A{number}"))
        yield number, tuple(row)


def decode(data: bytes) -> str | None:
    """CSV text as Excel and WPS save it in Chinese: UTF-8 (with or without BOM), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_csv(path: str) -> RawSheet:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise Unreadable(Problem(path, 0, "file", "os_error", {"message": exc.strerror or str(exc)})) from None
    if len(data) > MAX_CSV_BYTES:
        raise Unreadable(Problem(path, 0, "file", "sheet_too_large", {"limit": MAX_ROWS}))
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
