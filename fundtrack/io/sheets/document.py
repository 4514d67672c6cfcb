"""A workbook or CSV file as the document a fundtrack/1 file parses to, with the cell of every value."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from fundtrack.io.fundfile import FORMAT, LineIndex
from fundtrack.io.problems import Problem
from fundtrack.io.sheets import recognise, values
from fundtrack.io.sheets.reader import ERROR_VALUES, RawSheet, Unreadable, read
from fundtrack.ledger import vocab


@dataclass
class Settings:
    """What the command line (or the app) says about the spreadsheets of one import."""

    village: str | None = None
    """--village: the village the records belong to."""
    default_village: str | None = None
    """The database's only village, used when neither --village nor a village sheet names one."""
    unit: str = "元"
    """--unit: the unit of bare numbers in columns whose header names none."""
    table: str | None = None
    """--table: the table of a CSV file."""
    mapping: dict[str, Any] | None = None
    """--mapping: the parsed mapping file."""
    mapping_path: str = "MAP.toml"
    """--mapping: the file as the user named it (where a problem of the mapping is located)."""
    categories: tuple[str, ...] = vocab.CATEGORIES
    category_names: dict[str, str] = field(default_factory=dict)
    """The configured names of categories (`住房` -> housing), read as their codes."""
    category_words: dict[str, dict[str, str]] = field(default_factory=dict)
    """The configured categories: code -> language -> name (how a problem names the choices)."""
    project_names: Callable[[str], dict[str, str]] | None = None
    """For a village, its projects' names -> codes in the database (a project may be named, not coded)."""

    def name_categories(self, configured: dict[str, dict[str, str]]) -> None:
        """The configured categories (config `[categories]`: code -> language -> name): read by any name."""
        self.category_words = configured
        self.category_names = {label: code for code, labels in configured.items() for label in labels.values() if label}


class CellIndex(LineIndex):
    """Where each record and key of a spreadsheet is: `SHEET!C14`, or `ROW:COLUMN` in a CSV file."""

    def __init__(self) -> None:
        super().__init__("")
        self.scanned = True
        self.records: dict[tuple[str, int], tuple[RawSheet, int, dict[str, int], int]] = {}
        self.village: tuple[RawSheet, int, dict[str, int], int] | None = None

    def of(self, table: str, index: int | None = None) -> int:
        return 0

    def at(self, table: str, index: int | None = None, key: str | None = None) -> str:
        place = self.village if table == "village" else self.records.get((table, index)) if index is not None else None
        if place is None:
            return ""
        sheet, row, columns, first = place
        return cell_name(sheet, row, columns.get(key or "", first))


def cell_name(sheet: RawSheet, row: int, column: int) -> str:
    if sheet.csv:
        return f"{row}:{column + 1}"
    return f"{sheet.name}!{get_column_letter(column + 1)}{row}"


@dataclass
class SheetReport:
    """What was understood of one sheet, for the preview."""

    sheet: str
    table: str | None
    header_row: int | None = None
    unit: str = "元"
    columns: list[recognise.Column] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    """(row, why): `title`, `unit`, `blank`, `total`."""
    records: list[int] = field(default_factory=list)
    """Indexes of the records this sheet gave in its table."""


@dataclass
class Reading:
    """A spreadsheet read: the document, where each value is, what each sheet was, and what was wrong."""

    path: str
    doc: dict[str, Any]
    index: CellIndex
    sheets: list[SheetReport]
    problems: list[Problem]
    raw: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Each table's records as read, before the check normalises them (for the preview)."""


def load_mapping(path: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A mapping file (`[sheets."资金到位表"] table = "receipts"`), read and checked for shape."""
    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        return None, [Problem(path, 0, "mapping", "os_error", {"message": exc.strerror or str(exc)})]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, [Problem(path, 0, "mapping", "toml_syntax", {"message": str(exc)})]
    problems = []
    for key in doc:
        if key not in ("unit", "sheets"):
            problems.append(Problem(path, 0, "mapping", "unknown_top_key", {"hint": ""}))
    for name, sheet in (doc.get("sheets") or {}).items():
        if not isinstance(sheet, dict):
            problems.append(Problem(path, 0, f"sheets.{name}", "expected_table", {"got": "a value"}))
            continue
        table = sheet.get("table")
        if table is not None and table != "" and table not in recognise.tables():
            choices = ", ".join(recognise.tables())
            problems.append(
                Problem(path, 0, f"sheets.{name}.table", "not_one_of", {"value": table, "choices": choices, "hint": ""})
            )
        problems.extend(_sheet_mapping_problems(path, name, sheet))
    if "unit" in doc and doc["unit"] not in recognise.UNITS:
        problems.append(Problem(path, 0, "unit", "bad_unit", {"got": _shown(doc["unit"])}))
    return (None if problems else doc), problems


SHEET_MAPPING_KEYS = ("table", "header_row", "unit", "columns")
COLUMN_MAPPING_KEYS = ("key", "unit", "bound")


def _shown(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _sheet_mapping_problems(path: str, name: str, sheet: dict[str, Any]) -> list[Problem]:
    """One sheet's table of a mapping file: known keys, a header row that is a row number, a unit, and
    columns that name keys of the table."""
    where = f'sheets."{name}"'
    problems = []
    for key in sheet:
        if key not in SHEET_MAPPING_KEYS:
            hint = next(iter(difflib.get_close_matches(key, SHEET_MAPPING_KEYS, 1)), "")
            problems.append(Problem(path, 0, f"{where}.{key}", "unknown_key", {"hint": hint}))
    row = sheet.get("header_row")
    if "header_row" in sheet and (not isinstance(row, int) or isinstance(row, bool) or row < 1):
        problems.append(Problem(path, 0, f"{where}.header_row", "mapping_header_row", {"got": _shown(row)}))
    if "unit" in sheet and sheet["unit"] not in recognise.UNITS:
        problems.append(Problem(path, 0, f"{where}.unit", "bad_unit", {"got": _shown(sheet["unit"])}))
    columns = sheet.get("columns", {})
    if not isinstance(columns, dict):
        return [*problems, Problem(path, 0, f"{where}.columns", "expected_table", {"got": _shown(columns)})]
    table = sheet.get("table")
    declared = recognise.tables()
    keys = list(declared[table].by) if table in declared else sorted({k for t in declared.values() for k in t.by})
    for header, value in columns.items():
        at = f'{where}.columns."{header}"'
        if isinstance(value, dict):
            for key in value:
                if key not in COLUMN_MAPPING_KEYS:
                    hint = next(iter(difflib.get_close_matches(key, COLUMN_MAPPING_KEYS, 1)), "")
                    problems.append(Problem(path, 0, f"{at}.{key}", "unknown_key", {"hint": hint}))
            if "unit" in value and value["unit"] not in recognise.UNITS:
                problems.append(Problem(path, 0, f"{at}.unit", "bad_unit", {"got": _shown(value["unit"])}))
            value = value.get("key", "")
        if not isinstance(value, str):
            problems.append(Problem(path, 0, at, "expected_text", {"got": _shown(value)}))
        elif value and value not in keys:
            hint = next(iter(difflib.get_close_matches(value, keys, 1)), "")
            problems.append(
                Problem(path, 0, at, "not_one_of", {"value": value, "choices": ", ".join(keys), "hint": hint})
            )
    return problems


def read_document(path: str, settings: Settings) -> Reading:
    """Read a workbook or a CSV file into a fundtrack/1 document, sheet by sheet."""
    index = CellIndex()
    doc: dict[str, Any] = {"format": FORMAT}
    reading = Reading(path, doc, index, [], [])
    try:
        sheets = read(path)
    except Unreadable as exc:
        reading.problems.append(exc.problem)
        return reading
    mapping = (settings.mapping or {}).get("sheets", {})
    reading.problems.extend(_mapping_against(settings, sheets))
    if reading.problems:
        return reading
    unit = recognise.UNITS.get((settings.mapping or {}).get("unit", settings.unit), "元")
    village: dict[str, Any] = {}
    for sheet in sheets:
        spec = mapping.get(sheet.name, {})
        if "table" in spec:
            table = spec["table"]
        else:
            table = None if sheet.hidden else _table_of(sheet, settings)
        report = SheetReport(sheet.name, table or None, unit=unit)
        reading.sheets.append(report)
        if not table:
            continue
        _read_sheet(reading, sheet, table, spec, report, village, settings)
    if not any(r.table and r.header_row for r in reading.sheets):
        reading.problems.append(Problem(path, 0, "file", "sheet_nothing", {}))
    name = settings.village or village.get("name") or settings.default_village
    if settings.village and village.get("name") and village["name"] != settings.village:
        at = index.at("village", None, "name")
        reading.problems.append(
            Problem(
                path, 0, "village.name", "village_conflict", {"stored": settings.village, "given": village["name"]}, at
            )
        )
    if name is None:
        reading.problems.append(Problem(path, 0, "village", "sheet_no_village", {}))
    else:
        doc["village"] = {**village, "name": name}
    _projects_by_name(doc, settings)
    return reading


def _mapping_against(settings: Settings, sheets: list[RawSheet]) -> list[Problem]:
    """A mapping's sheets that the workbook does not have, and header rows past a sheet's end."""
    mapping = (settings.mapping or {}).get("sheets", {})
    by_name = {s.name: s for s in sheets}
    problems = []
    for name, spec in mapping.items():
        sheet = by_name.get(name)
        if sheet is None:
            names = "、".join(by_name)
            problems.append(Problem(settings.mapping_path, 0, f'sheets."{name}"', "mapping_no_sheet", {"names": names}))
            continue
        row = spec.get("header_row")
        last = sheet.rows[-1][0] if sheet.rows else 0
        if isinstance(row, int) and row > last:
            problems.append(
                Problem(
                    settings.mapping_path,
                    0,
                    f'sheets."{name}".header_row',
                    "mapping_header_past",
                    {"row": row, "rows": last},
                )
            )
    return problems


def _table_of(sheet: RawSheet, settings: Settings) -> str | None:
    if sheet.csv and settings.table:
        return settings.table
    named = recognise.table_of_name(sheet.name)
    guessed = recognise.guess_table(sheet.rows)
    if named and guessed and guessed != named:
        # `自筹收款` names levies, but a header of receipts' columns says better what the sheet holds
        if recognise.best_score(guessed, sheet.rows) > recognise.best_score(named, sheet.rows):
            return guessed
    return named or guessed


def _read_sheet(
    reading: Reading,
    sheet: RawSheet,
    table: str,
    spec: dict[str, Any],
    report: SheetReport,
    village: dict[str, Any],
    settings: Settings,
) -> None:
    path, index, doc = reading.path, reading.index, reading.doc
    mapped = spec.get("columns") or None
    at = spec.get("header_row")
    header = recognise.find_header(table, sheet.rows, mapped, at)
    if header is None and table == "village" and _village_pairs(reading, sheet, report, village):
        return
    if header is None and recognise.table_of_name(sheet.name) == table:
        header = _one_key_header(table, sheet.rows)
    if header is None:
        if "table" in spec or sheet.csv:
            reading.problems.append(Problem(path, 0, table, "sheet_no_header", {"sheet": sheet.name}))
        report.table = None
        return
    report.header_row = header.row
    for number, row in sheet.rows[: header.position]:
        line_unit = recognise.unit_line(row)
        if line_unit:
            report.unit = line_unit
        report.skipped.append((number, "unit" if line_unit else "title"))
    if spec.get("unit") in recognise.UNITS:
        report.unit = recognise.UNITS[spec["unit"]]
    report.columns = header.columns
    report.left_out = [text for _, text in header.left_out]
    for column, text, hint in header.typos:
        reading.problems.append(
            Problem(
                path, 0, table, "header_unknown", {"header": text, "hint": hint}, cell_name(sheet, header.row, column)
            )
        )
    declared = recognise.tables()[table]
    seen: dict[str, int] = {}
    for column in list(header.columns):
        key = declared.by.get(column.key)
        if column.key in seen and not column.bound and key is not None and key.link:
            # `项目编号` and `项目名称` side by side: either names the project; the first is read
            header.columns.remove(column)
            report.left_out.append(column.header)
            continue
        if column.key in seen and not column.bound:
            reading.problems.append(
                Problem(
                    path,
                    0,
                    table,
                    "header_twice",
                    {"header": column.header},
                    cell_name(sheet, header.row, column.index),
                )
            )
        seen.setdefault(column.key, column.index)
    keyed = {c.index for c in header.columns}
    blank_with_data = _merged_headers(sheet, header, keyed)
    for column in blank_with_data:
        reading.problems.append(Problem(path, 0, table, "header_merged", {}, cell_name(sheet, header.row, column)))
    choices = {
        k.name: values.choice_names(k.name, table, k.choices if k.kind == "choice" else settings.categories)
        for k in declared.keys
        if k.kind in ("choice", "category")
    }
    if "category" in choices:
        choices["category"] = values.category_reading(settings.categories, settings.category_names.items())
    first = min(keyed, default=0)
    rows = doc.setdefault(table, []) if table != "village" else []
    for number, row in sheet.rows[header.position + 1 :]:
        cells = {c.index: row[c.index] if c.index < len(row) else None for c in header.columns}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            report.skipped.append((number, "blank"))
            continue
        if _is_total(row):
            report.skipped.append((number, "total"))
            continue
        rec: dict[str, Any] = {}
        bounds: set[str] = set()
        where = len(rows)
        for column in header.columns:
            value = cells[column.index]
            typed_text = sheet.typed or not (isinstance(value, str) and value.startswith("="))
            if (number, column.index) in sheet.formulas or not typed_text:
                reading.problems.append(
                    Problem(
                        path,
                        0,
                        f"{table}[{where}].{column.key}",
                        "formula_cell",
                        {},
                        cell_name(sheet, number, column.index),
                    )
                )
                continue
            error = sheet.errors.get((number, column.index))
            if error is None and isinstance(value, str) and value.strip() in ERROR_VALUES:
                error = value.strip()
            if error is not None:
                reading.problems.append(
                    Problem(
                        path,
                        0,
                        f"{table}[{where}].{column.key}",
                        "error_cell",
                        {"value": error},
                        cell_name(sheet, number, column.index),
                    )
                )
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if column.bound:
                if isinstance(value, str) and value.strip() == recognise.BOUND_SUFFIX:
                    bounds.add(column.key)
                continue
            rec[column.key] = value
        for column in header.columns:
            if column.bound or column.key not in rec or column.index != seen.get(column.key):
                continue
            kind = declared.by[column.key].kind if column.key in declared.by else "text"
            rec[column.key] = values.of_kind(
                kind,
                rec[column.key],
                column.unit or report.unit,
                column.key in bounds,
                choices.get(column.key, {}),
            )
        if table == "village":
            village.update(rec)
            index.village = (sheet, number, dict(seen), first)
            report.records.append(0)
            break
        index.records[(table, where)] = (sheet, number, dict(seen), first)
        report.records.append(where)
        rows.append(rec)


def _one_key_header(table: str, rows: list[tuple[int, tuple[Any, ...]]]) -> recognise.Header | None:
    names = recognise.header_names(table)
    for _number, row in rows[: recognise.HEADER_SEARCH]:
        if recognise.score(table, row, names) >= 1:
            return recognise.find_header(table, rows, None, _number)
    return None


def _village_pairs(reading: Reading, sheet: RawSheet, report: SheetReport, village: dict[str, Any]) -> bool:
    """A village sheet written as pairs, a name in one column and its value in the next: `村名 | xx村`."""
    names = recognise.header_names("village")
    declared = recognise.tables()["village"].by
    columns: dict[str, int] = {}
    pairs = [(n, row) for n, row in sheet.rows if len(row) >= 2 and recognise.column_of("village", row[0], names)]
    if not any(row[1] is not None for _, row in pairs):
        return False
    for number, row in sheet.rows:
        column = recognise.column_of("village", row[0] if row else None, names)
        if column is None or len(row) < 2 or row[1] is None:
            report.skipped.append((number, "title"))
            continue
        village[column.key] = values.of_kind(declared[column.key].kind, row[1], "元", False, {})
        columns[column.key] = 1
        if reading.index.village is None:
            reading.index.village = (sheet, number, {}, 1)
    report.header_row = sheet.rows[0][0]
    return True


def _merged_headers(sheet: RawSheet, header: recognise.Header, keyed: set[int]) -> list[int]:
    """Blank header cells right of a key's header whose column holds data: a merged header cell."""
    header_row = sheet.rows[header.position][1]
    out = []
    for column in range(1, len(header_row)):
        if header_row[column] is not None or column in keyed or column - 1 not in keyed:
            continue
        for _, row in sheet.rows[header.position + 1 : header.position + 50]:
            if column < len(row) and row[column] is not None and not _is_total(row):
                out.append(column)
                break
    return out


def _is_total(row: tuple[Any, ...]) -> bool:
    for value in row:
        if isinstance(value, str) and value.strip():
            text = recognise.normal(value)
            return any(text.startswith(word) for word in recognise.TOTAL_WORDS)
        if value is not None and not isinstance(value, str):
            continue
    return False


def _projects_by_name(doc: dict[str, Any], settings: Settings) -> None:
    """A project named by its name rather than its code: replaced by its code."""
    codes = {r.get("code") for r in doc.get("projects", [])}
    by_name = {r["name"]: r["code"] for r in doc.get("projects", []) if isinstance(r.get("name"), str) and "code" in r}
    stored: dict[str, str] | None = None
    for table, rows in doc.items():
        if table not in recognise.tables() or table == "village":
            continue
        keys = [k.name for k in recognise.tables()[table].keys if k.link == "projects"]
        for rec in rows:
            for key in keys:
                value = rec.get(key)
                if not isinstance(value, str) or value in codes:
                    continue
                if value in by_name:
                    rec[key] = by_name[value]
                    continue
                if stored is None:
                    village = doc.get("village", {}).get("name")
                    stored = settings.project_names(village) if settings.project_names and village else {}
                if value in stored and value not in stored.values():
                    rec[key] = stored[value]
