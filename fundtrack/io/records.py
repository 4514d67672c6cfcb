"""Single records typed into a form: the importer's own checks, then the write, or every problem and nothing written."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fundtrack.io import fundfile
from fundtrack.io.fundfile import AMOUNT, SPECS, Known, LineIndex, Options, _FileChecker
from fundtrack.io.problems import Problem
from fundtrack.storage import queries, writes
from fundtrack.storage.db import write_transaction

# What a form can add; the order is the order of the "add" menu.
FORM_TABLES = (
    "receipts",
    "expenses",
    "pledges",
    "levies",
    "milestones",
    "projects",
    "funders",
    "enterprises",
    "hires",
    "headcounts",
    "settlements",
)
# Corrected by voiding the old entry and adding the new one (the old stays visible as voided).
CORRECTED_BY_REPLACING = ("receipts", "expenses", "pledges", "levies", "milestones", "hires", "headcounts")
# Changed in place: other records link to them by name.
EDITED_IN_PLACE = ("projects", "enterprises", "settlements")

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_SPLIT = re.compile(r"\s*[、,，;；]\s*")


class FieldError(ValueError):
    """Text in a form field that cannot become a value of its key."""


def fields_of(table: str) -> list[tuple[str, bool]]:
    """(key, required) of every key a record of `table` may have, in the data format's order."""
    return [(key, required) for key, required, _ in SPECS[table]]


def kind_of(table: str, key: str) -> str:
    """How a form reads the field: amount, date, count, names, choice or text."""
    check = next(c for k, _, c in SPECS[table] if k == key)
    if check == AMOUNT:
        return "amount"
    name = getattr(check, "__name__", "")
    if check is fundfile._date:
        return "date"
    if check in (fundfile._count, fundfile._positive):
        return "count"
    if check is fundfile._names:
        return "names"
    if name == "check":  # _choice(...) closures
        return "choice"
    return "text"


def coerce(table: str, key: str, text: str) -> Any:
    """The value a form field's text stands for; raises FieldError with the reason."""
    kind = kind_of(table, key)
    text = text.strip()
    if kind == "date":
        m = _DATE.match(text)
        if not m:
            raise FieldError("expected a date like 2024-08-31")
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            raise FieldError(str(exc)) from None
    if kind == "count":
        if not re.fullmatch(r"\d+", text):
            raise FieldError("expected a whole number")
        return int(text)
    if kind == "names":
        return [n for n in _SPLIT.split(text) if n]
    return text


def _known(village_id: int, without: tuple[str, str] | None = None) -> Known:
    names = queries.known_names(village_id)
    known = Known(**names)
    if without is not None:
        pool_name, name = without
        pool = getattr(known, pool_name)
        if isinstance(pool, dict):
            pool.pop(name, None)
        else:
            pool.discard(name)
        if pool_name == "enterprises":  # its implied funder goes with it
            known.funders.pop(name, None)
    return known


def check_record(
    village_id: int,
    table: str,
    raw: dict[str, Any],
    options: Options,
    unit: str,
    without: tuple[str, str] | None = None,
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check one record exactly as the importer would; the record ready to write, or the problems."""
    village = queries.village_values(writes.village_by_id(village_id))
    checker = _FileChecker("form", LineIndex(""), unit, lambda _: _known(village_id, without), options)
    doc = {"format": fundfile.FORMAT, "village": {"name": village["name"]}, table: [raw]}
    checked = checker.run(doc)
    if checked.problems:
        return None, checked.problems
    return checked.tables[table][0], []


def add_record(village_id: int, table: str, raw: dict[str, Any], options: Options, unit: str) -> list[Problem]:
    """Check and write one record; nothing is written when there is any problem."""
    rec, problems = check_record(village_id, table, raw, options, unit)
    if rec is None:
        return problems
    with write_transaction():
        writes.import_tables(village_id, {t: ([rec] if t == table else []) for t in fundfile.TABLES})
    return []


def replace_record(
    village_id: int, table: str, record_id: int, raw: dict[str, Any], options: Options, unit: str
) -> list[Problem]:
    """Correct a record: the old one is voided and the new one added, in one transaction."""
    if table in EDITED_IN_PLACE:
        key = "code" if table == "projects" else "name"
        pool = {"projects": "projects", "enterprises": "enterprises", "settlements": "settlements"}[table]
        rec, problems = check_record(village_id, table, raw, options, unit, without=(pool, raw.get(key, "")))
        if rec is None:
            return problems
        with write_transaction():
            writes.update_in_place(village_id, table, record_id, rec)
        return []
    rec, problems = check_record(village_id, table, raw, options, unit)
    if rec is None:
        return problems
    with write_transaction():
        writes.void(table, record_id)
        writes.import_tables(village_id, {t: ([rec] if t == table else []) for t in fundfile.TABLES})
    return []


def void_record(table: str, record_id: int) -> None:
    with write_transaction():
        writes.void(table, record_id)
