"""A workbook's tables, keys and coded values in a language's words: the export's sheets and the preview's names.

Every word written here is one the import reads back (io/sheets/recognise.py, values.py), so that an
exported workbook imports to the same records in each layout: `zh` (the template's Chinese sheet names
and headers, values in words), `en` (table and key names, values in English words where the catalog
has them) and `codes` (table and key names, coded values: for scripts).
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from fundtrack.io.office import Sheet
from fundtrack.io.problems import Problem, closest
from fundtrack.io.sheets import recognise, values
from fundtrack.io.sheets.document import Reading
from fundtrack.io.sheets.template import header, sheet_name
from fundtrack.ledger import names, vocab
from fundtrack.ledger import tables as decl
from fundtrack.ledger.messages import LABELS
from fundtrack.ledger.money import Amount, parse_amount

LAYOUTS = ("zh", "en", "codes")

Categories = Mapping[str, Mapping[str, str]]
"""code -> language -> the configured name of a project category (config `[categories]`)."""


def table_word(table: str, language: str) -> str:
    """A table as a sheet names it: `到位` in zh, `receipts` otherwise."""
    return sheet_name(table) if language == "zh" else table


def key_word(table: str, key: str, language: str) -> str:
    """A key as a header names it, without a unit: `金额` in zh, `amount` otherwise."""
    declared = recognise.tables()[table].by.get(key)
    if language != "zh" or declared is None:
        return key
    return recognise.split_unit(header(table, declared))[0]


def _choice_word(table: str, key: decl.Key, code: str, language: str) -> str:
    if language == "zh":
        return values.zh_name(key.name, table, code)
    label = LABELS["en"].get(key.labels + code) if key.labels else None
    known = values.choice_names(key.name, table, key.choices)
    # a label the import would not read back as this code stays the code
    return label if label and known.get(values.normal_name(label)) == code else code


def category_word(code: str, language: str, categories: Categories) -> str:
    """A category by its configured name in `language` (zh: the built-in Chinese name when none is set);
    its code when the import would read that name as another category (a configured name that is also a
    built-in word: `culture = { zh = "道路" }`), so that the workbook reads back to the same records."""
    name = categories.get(code, {}).get(language)
    if not name:
        name = values.zh_name("category", "projects", code) if language == "zh" else code
    reading = _category_reading(tuple((c, tuple(sorted(labels.items()))) for c, labels in categories.items()))
    return name if reading.get(values.normal_name(name), code) == code else code


@functools.lru_cache(maxsize=8)
def _category_reading(categories: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]) -> dict[str, str]:
    """Name -> code as the import reads a category (values.category_reading), for these categories."""
    codes = tuple(c for c, _ in categories) or vocab.CATEGORIES
    return values.category_reading(codes, ((label, code) for code, labels in categories for _, label in labels))


def value_word(table: str, key: str, value: Any, language: str, categories: Categories) -> Any:
    """A record's value in the words of `language` (`codes`: as stored); lists joined with 、."""
    declared = recognise.tables()[table].by.get(key)
    if isinstance(value, list):
        return "、".join(value)
    if language == "codes" or declared is None or value is None:
        return value
    if declared.kind == "choice" and isinstance(value, str):
        return _choice_word(table, declared, value, language)
    if declared.kind == "category" and isinstance(value, str):
        return category_word(value, language, categories)
    if declared.kind == "flag" and isinstance(value, bool) and language == "zh":
        return "是" if value else "否"
    return value


def record_words(table: str, rec: Mapping[str, Any], language: str, categories: Categories) -> dict[str, Any]:
    """A record as a preview shows it: keys and coded values in the words of `language`."""
    return {key_word(table, k, language): value_word(table, k, v, language, categories) for k, v in rec.items()}


def record_text(table: str, rec: Mapping[str, Any], language: str, categories: Categories) -> str:
    """A record on one line as a preview shows it: `项目=road-1  金额=30,000.00元` (zh)."""
    words = record_words(table, rec, language, categories)
    return "  ".join(f"{k}={values.shown(v, language)}" for k, v in words.items())


def preview_record(reading: Reading, checked: Any, table: str, i: int) -> dict[str, Any]:
    """Record `i` of a table as the preview shows it: as checked, or (a row with a problem) as read, its
    amounts in yuan as every other row's."""
    if table == "village":
        return dict(reading.doc.get("village", {}))
    rows = checked.tables.get(table, []) if checked else []
    rec = rows[i] if i < len(rows) else None
    if rec:
        return {k: v for k, v in rec.items() if k not in ("implied_funder", "quota_given")}
    raw_rows = reading.raw.get(table, [])
    raw = dict(raw_rows[i]) if i < len(raw_rows) else {}
    declared = recognise.tables().get(table)
    for key, value in raw.items():
        kind = declared.by[key].kind if declared and key in declared.by else ""
        if kind == "amount" and isinstance(value, str):
            with contextlib.suppress(ValueError):
                raw[key] = parse_amount(value)
    return raw


def column_text(table: str, column: recognise.Column, language: str) -> str:
    """A column as the preview lists it: its header, the key it holds (left out where the header is
    that key's word), its unit and its 余 mark."""
    word = key_word(table, column.key, language)
    unit = f"({column.unit})" if column.unit else ""
    named = "" if recognise.split_unit(column.header)[0] == word else f"→{word}{unit}"
    return f"{column.header}{named}" + ("(余)" if column.bound else "")


def _bound_word(table: str, key: str, language: str) -> str:
    return key_word(table, key, language) + recognise.BOUND_SUFFIX


def _header(table: str, key: decl.Key, language: str) -> str:
    if language != "zh":
        return key.name
    return header(table, key).rstrip("*")


def _readable_project_names(projects: list[dict[str, Any]]) -> dict[str, str]:
    """For the zh workbook, a link to a project written as its name (一期安居房工程, as the screens show
    it) where that name reads back as that project alone: unique, and no project's code."""
    codes = {names.key(p["code"]) for p in projects}
    counted: dict[str, int] = {}
    for p in projects:
        counted[names.key(p["name"])] = counted.get(names.key(p["name"]), 0) + 1
    return {
        p["code"]: p["name"]
        for p in projects
        if counted[names.key(p["name"])] == 1 and names.key(p["name"]) not in codes
    }


def export_sheets(
    village: Mapping[str, Any],
    tables: Mapping[str, Iterable[dict[str, Any]]],
    language: str = "zh",
    categories: Categories | None = None,
) -> list[Sheet]:
    """The village's records, a sheet per table; amounts in 元 as numbers, and a `KEY余` column (`金额余`)
    saying `余` where the amount is a lower bound: right of its amount in zh and en, last in `codes` (the
    layout scripts have read since the first export)."""
    categories = categories or {}
    assert language in LAYOUTS, language
    village_keys = [k for k in decl.VILLAGE.keys if k.name in village]
    sheets = [
        Sheet(
            table_word("village", language),
            [_header("village", k, language) for k in village_keys],
            [tuple(value_word("village", k.name, village[k.name], language, categories) for k in village_keys)],
            "元",
        )
    ]
    readable: dict[str, str] = {}  # zh: a project's code -> the name a link to it is written as
    for table, declared in decl.TABLES.items():
        records = list(tables[table])
        if table == "projects" and language == "zh":
            readable = _readable_project_names(records)
        keys = [k for k in declared.keys if any(k.name in r for r in records)]
        bounded = {
            k.name for k in keys if any(isinstance(r.get(k.name), Amount) and r[k.name].at_least for r in records)
        }
        columns: list[tuple[str, str, bool]] = []  # (header, key, is the 余 column)
        for k in keys:
            columns.append((_header(table, k, language), k.name, False))
            if k.name in bounded and language != "codes":
                columns.append((_bound_word(table, k.name, language), k.name, True))
        if language == "codes":
            columns += [(f"{k}余", k, True) for k in (k.name for k in keys) if k in bounded]
        rows = [
            tuple(
                ("余" if r.get(key) is not None and r[key].at_least else "")
                if bound
                else readable.get(r[key], r[key])
                if readable and declared.by[key].link == "projects" and isinstance(r.get(key), str)
                else value_word(table, key, r.get(key), language, categories)
                for _, key, bound in columns
            )
            for r in records
        ]
        sheets.append(Sheet(table_word(table, language), [c[0] for c in columns], rows, "元"))
    return sheets


_WHERE = re.compile(r"^(?P<table>\w+)\[(?P<i>\d+)\]\.(?P<key>\w+)$")


def named_choices(problems: list[Problem], categories: Categories) -> list[Problem]:
    """A spreadsheet's values that are none of a key's choices: the choices listed by their Chinese names
    too (zh words them so), the hint the closest code or name. The codes are still accepted."""
    out = []
    for p in problems:
        m = _WHERE.match(p.where) if p.code == "not_one_of" else None
        declared = recognise.tables().get(m["table"]) if m else None
        key = declared.by.get(m["key"]) if declared and m else None
        if m is None or key is None or key.kind not in ("choice", "category"):
            out.append(p)
            continue
        codes = [c.strip() for c in str(p.params.get("choices", "")).split(",") if c.strip()]
        if key.kind == "choice":
            names = [values.zh_name(key.name, m["table"], c) for c in codes]
        else:
            names = [category_word(c, "zh", categories) for c in codes]
        value = str(p.params.get("value", ""))
        hint = closest(value, codes) or closest(value, names)
        params = {**p.params, "names": "、".join(names), "hint": hint}
        out.append(Problem(p.file, p.line, p.where, "not_one_of_named", params, p.at))
    return out
