"""Office files: XLSX workbooks (openpyxl) and the committee's DOCX report (python-docx)."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

from fundtrack.io.committee import Document
from fundtrack.io.reports import FUNDER_LINE_COLUMNS, PROJECT_COLUMNS, Cell, neutralise
from fundtrack.ledger.money import Amount, money_cell
from fundtrack.ledger.text import FORMULA_START, for_xml

NUMBER_FORMATS = {"万元": '#,##0.00####"万元"', "元": '#,##0.00"元"'}


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class Sheet:
    """One sheet to write: a header, rows, and which columns hold money (a number format) or counts."""

    def __init__(
        self,
        title: str,
        header: Sequence[str],
        rows: Iterable[Sequence[Cell | Amount]],
        unit: str = "万元",
        percent: Sequence[int] = (),
    ) -> None:
        self.title = title[:31]
        self.header = list(header)
        self.rows = rows
        self.unit = unit
        self.percent = set(percent)


# Column widths fit the header and this many rows of each sheet, read ahead before the sheet is
# written (a spreadsheet states its widths before its rows; a county's sheet has 400,000 rows).
WIDTH_ROWS = 1000

Part = Sequence[Iterable[Sequence[Any]]]


TEXT = "text"
FIRST_SHEET_DATE = dt.date(1900, 1, 1)
"""Excel's first date: an earlier one is written as ISO text (a serial of 0 or less reads back as a time)."""
"""The format of a text cell that starts as a formula would: a typed string with the quote prefix."""


def _cells(sheet: Sheet, row: Sequence[Any]) -> tuple[list[Any], list[str | None]]:
    """A row's values as the spreadsheet holds them, and each one's number format."""
    values: list[Any] = []
    formats: list[str | None] = []
    money_format = NUMBER_FORMATS[sheet.unit]
    for i, value in enumerate(row):
        if i in sheet.percent and value is not None:
            values.append(value)
            formats.append("0.00%")
        elif isinstance(value, Amount):
            values.append(money_cell(value, sheet.unit))
            formats.append(money_format)
        elif isinstance(value, dt.date) and value < FIRST_SHEET_DATE:
            values.append(value.isoformat())  # before what a spreadsheet's date serials count from
            formats.append(None)
        elif isinstance(value, dt.date):
            values.append(value)
            formats.append("yyyy-mm-dd")
        elif isinstance(value, str):
            # Text stays the text (the export reads back to the same records): what XML cannot hold or
            # what acts when shown escaped; text that a spreadsheet would run as a formula written as a
            # typed string cell with Excel's text prefix (TEXT), never a formula nor a changed value.
            text = for_xml(value)
            values.append(text)
            formats.append(TEXT if text.startswith(FORMULA_START) else None)
        else:
            values.append(neutralise(value))
            formats.append(None)
    return values, formats


def _widths(sheet: Sheet, rows: Iterable[list[Any]]) -> list[int]:
    widths = [display_width(h) for h in sheet.header]
    for values in rows:
        for i, value in enumerate(values[: len(widths)]):
            shown = len(f"{value:,.2f}") + 3 if isinstance(value, Decimal) else display_width(str(value or ""))
            widths[i] = max(widths[i], min(shown, 60))
    return widths


def workbook(sheets: Sequence[Sheet], parts: Iterable[Part] | None = None) -> bytes:
    """An XLSX file: frozen header rows, widths that fit Chinese, money as numbers with a unit format,
    text that a spreadsheet would run as a formula kept as text (a string cell with the quote prefix).

    Written row by row (openpyxl's write-only mode), so that a county's workbook is never whole
    in memory. `parts`, when given, holds the rows instead of the sheets: one part per village,
    in order, each with the rows of every sheet.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    pending = iter(parts if parts is not None else [[sheet.rows for sheet in sheets]])
    # Read ahead until every sheet has WIDTH_ROWS rows (or there are no more): the widths.
    ahead: list[list[tuple[list[tuple[list[Any], list[str | None]]], Iterator[Sequence[Any]]]]] = []
    counts = [0] * len(sheets)
    for part in pending:
        entry = []
        for k, (sheet, rows) in enumerate(zip(sheets, part, strict=True)):
            rest = iter(rows)
            head = [_cells(sheet, row) for row in islice(rest, max(WIDTH_ROWS - counts[k], 0))]
            counts[k] += len(head)
            entry.append((head, rest))
        ahead.append(entry)
        if min(counts, default=WIDTH_ROWS) >= WIDTH_ROWS:
            break

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    sheets_out = []
    for k, sheet in enumerate(sheets):
        ws = wb.create_sheet(sheet.title)
        heads = (values for entry in ahead for values, _ in entry[k][0])
        for i, width in enumerate(_widths(sheet, heads), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width + 2
        ws.freeze_panes = "A2"
        header = []
        for text in sheet.header:
            cell = WriteOnlyCell(ws, value=text)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        sheets_out.append(ws)

    def write(k: int, values: list[Any], formats: list[str | None]) -> None:
        ws = sheets_out[k]
        row: list[Any] = []
        for value, fmt in zip(values, formats, strict=True):
            if fmt == TEXT:
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type, cell.quotePrefix, cell.number_format = "s", True, "@"
                row.append(cell)
            elif fmt and value is not None:
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, Decimal):
                    # openpyxl writes numbers through "%.16g" (a float: 1e-06, 1e+16, 16 digits);
                    # the cell gets the exact plain decimal instead, still a number cell.
                    cell.value, cell.data_type = str(value), "n"
                cell.number_format = fmt
                row.append(cell)
            else:
                row.append(value)
        ws.append(row)

    def write_part(entry: list[tuple[list[tuple[list[Any], list[str | None]]], Iterator[Sequence[Any]]]]) -> None:
        for k, (head, rest) in enumerate(entry):
            for values, formats in head:
                write(k, values, formats)
            for row in rest:
                write(k, *_cells(sheets[k], row))

    for entry in ahead:
        write_part(entry)
    for part in pending:
        write_part([([], iter(rows)) for rows in part])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def document_docx(doc: Document) -> bytes:
    """The committee report as a Word document in the habits of official documents (see io/official.py)."""
    from fundtrack.io.official import official_docx

    return official_docx(doc)


def breakdown_sheets(report: Any, unit: str, language: str, kind_name: Any) -> list[Sheet]:
    from fundtrack.io.reports import funder_label
    from fundtrack.ledger.messages import label

    L = lambda key: label(language, key)  # noqa: E731
    projects = Sheet(
        L("title.breakdown"),
        [L("col.village"), *(L(key) for key in PROJECT_COLUMNS), "≥"],
        (
            (
                b.project.village,
                b.project.code,
                b.project.name,
                L(f"status.{b.project.status}"),
                b.budget,
                b.pledged,
                b.received,
                b.spent,
                b.gap,
                "≥" if any(a is not None and a.at_least for a in (b.budget, b.pledged, b.received, b.spent)) else "",
            )
            for b in report.projects
        ),
        unit,
    )
    lines = Sheet(
        L("col.funders"),
        [L("col.code"), L("col.project"), *(L(key) for key in FUNDER_LINE_COLUMNS)],
        (
            (
                b.project.code,
                b.project.name,
                kind_name(ln.kind),
                funder_label(ln, language),
                L(f"form.{ln.form}"),
                ln.pledged,
                ln.share,
                ln.received,
                ln.outstanding if ln.expects_receipts else None,
            )
            for b in report.projects
            for ln in b.by_funder
        ),
        unit,
        percent=(6,),
    )
    return [projects, lines]


QUOTA_SHEET_COLUMNS = (
    "col.village",
    "col.enterprise",
    "col.enterprise_kind",
    "col.quota",
    "col.registered",
    "col.management_quota",
    "col.registered_management",
    "col.declared",
    "col.declared_on",
    "col.shortfall",
    "col.status",
)
"""Labels of the columns of the quotas sheet."""

FINDING_SHEET_COLUMNS = (
    "col.village",
    "col.severity",
    "col.subject",
    "col.amount",
    "col.count",
    "col.message",
)
"""Labels of the columns of the findings sheet."""


def quotas_sheet(report: Any, language: str) -> Sheet:
    from fundtrack.ledger.messages import label
    from fundtrack.ledger.quotas import worst_first

    L = lambda key: label(language, key)  # noqa: E731
    return Sheet(
        L("title.quotas"),
        [L(key) for key in QUOTA_SHEET_COLUMNS],
        (
            (
                ln.fact.village,
                ln.fact.name,
                L(f"enterprise.{ln.fact.kind}"),
                ln.fact.quota,
                ln.fact.registered,
                ln.fact.management_quota,
                ln.fact.registered_management,
                ln.fact.declared,
                ln.fact.declared_on,
                ln.shortfall,
                L(f"quota.{ln.status}"),
            )
            for ln in worst_first(report)
        ),
    )


def findings_sheet(rec: Any, language: str, unit: str) -> Sheet:
    from fundtrack.ledger.messages import label

    L = lambda key: label(language, key)  # noqa: E731
    return Sheet(
        L("title.findings"),
        [L(key) for key in FINDING_SHEET_COLUMNS],
        (
            (f.village, L(f"severity.{f.severity}"), f.subject, f.amount, f.count, f.message)  # the code: --codes
            for f in rec.findings
        ),
        unit,
    )
