"""`import --new-only`: the records of a file that the village already has are left out, so that one
workbook kept and grown month by month can be imported again.

Records are compared in one form: a stored record as export writes it and the check reads it back, a
file's record as the check reads it. A name the village already has (a settlement, household, funder,
enterprise or project) is left out when its record is the same in every key, and is an error naming the
keys that differ otherwise (a correction goes through the app, where it is audited). The records of the
other tables are counted as a multiset: two equal rows in the file and one stored import one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fundtrack.io.fundfile import TABLES, Checked, LineIndex, Record
from fundtrack.io.problems import Problem
from fundtrack.io.sheets import named, values
from fundtrack.ledger import names
from fundtrack.ledger import tables as decl
from fundtrack.ledger.money import Amount, canonical_amount
from fundtrack.ledger.privacy import mask, personal_keys

DEFINING = {
    "settlements": ("name", "settlement"),
    "households": ("code", "household"),
    "funders": ("name", "funder"),
    "enterprises": ("name", "enterprise"),
    "projects": ("code", "project"),
}
"""The tables that define names: the key a record is found by, and the label of its name."""

DERIVED = frozenset(("implied_funder", "quota_given"))
"""What the check adds to a record, not what the file says."""

Skipped = set[tuple[str, int]]


def _frozen(value: Any) -> Any:
    if isinstance(value, Amount):
        return canonical_amount(value)
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _form(table: str, rec: Record, personal: bool) -> tuple:
    """A record as compared: its keys (the personal ones only when `personal`) and values, in one order."""
    left_out = DERIVED if personal else DERIVED | personal_keys(table)
    return tuple(sorted((k, _frozen(v)) for k, v in rec.items() if k not in left_out))


def differences(table: str, given: Record, stored: Record) -> list[str]:
    """The keys whose values differ, in the table's order; a personal key only when the file gives it
    (an export without personal data is still the same record)."""
    out = []
    for key in decl.TABLES[table].by:
        if key in DERIVED or (key in personal_keys(table) and key not in given):
            continue
        if _frozen(given.get(key)) != _frozen(stored.get(key)):
            out.append(key)
    return out


def _value_words(table: str, key: str, value: Any, language: str, categories: Mapping) -> str:
    if value is None:
        return "空" if language == "zh" else "none"
    if key in personal_keys(table):
        return mask(value)
    return values.shown(named.value_word(table, key, value, language, categories), language)


def _differs(table: str, keys: list[str], given: Record, stored: Record, categories: Mapping) -> dict[str, str]:
    """The differing keys in words, per language (the problem is worded when it is shown)."""
    out: dict[str, str] = {}
    for lang, form in (
        ("zh", "{key}不同 (已有: {stored}, 文件: {given})"),
        ("en", "{key} differs (stored: {stored}, file: {given})"),
    ):
        parts = [
            form.format(
                key=named.key_word(table, k, lang),
                stored=_value_words(table, k, stored.get(k), lang, categories),
                given=_value_words(table, k, given.get(k), lang, categories),
            )
            for k in keys
        ]
        out[lang] = ", ".join(parts)
    return out


def stored_ones(
    checked: Checked, stored: dict[str, list[Record]], index: LineIndex, categories: Mapping = {}
) -> tuple[Skipped, list[Problem]]:
    """Which records of `checked` the village already has (`stored`, in the checked form), and the
    problems of names it has with other values."""
    skipped: Skipped = set()
    problems: list[Problem] = []
    for table in TABLES:
        rows = checked.tables.get(table) or []
        if not rows:
            continue
        if table in DEFINING:
            key, label = DEFINING[table]
            by_name = {names.key(r[key]): r for r in stored.get(table, []) if r}
            for i, rec in enumerate(rows):
                name = checked.existing.get((table, i))
                if name is None or not rec:
                    continue
                old = by_name.get(names.key(name))
                if old is None:  # a name the store has under another table (an enterprise's own funder)
                    where, params, code = f"{table}[{i}].{key}", {"label": label, "name": name}, "already_defined"
                else:
                    keys = differences(table, rec, old)
                    if not keys:
                        skipped.add((table, i))
                        continue
                    where, code = f"{table}[{i}].{keys[0]}", "stored_differs"
                    params = {"label": label, "name": name, "differs": _differs(table, keys, rec, old, categories)}
                at = index.at(table, i, where.rsplit(".", 1)[1])
                problems.append(Problem(checked.path, 0 if at else index.of(table, i), where, code, params, at))
            continue
        buckets: dict[tuple, list[tuple]] = {}
        for old in stored.get(table, []):
            if old:
                buckets.setdefault(_form(table, old, False), []).append(_form(table, old, True))
        personal = personal_keys(table)
        for i, rec in enumerate(rows):
            bucket = buckets.get(_form(table, rec, False)) if rec else None
            if not bucket:
                continue
            if personal & rec.keys():
                full = _form(table, rec, True)
                if full not in bucket:
                    # the same record but its personal data (an id_number filled in later): not a second
                    # hire, and not a silent change either; corrections go through the app
                    old = dict(bucket[0])
                    keys = [k for k in decl.TABLES[table].by if k in personal and k in rec]
                    where = f"{table}[{i}].{keys[0]}"
                    params = {
                        "label": "hire" if table == "hires" else table,
                        "name": rec.get("person") or "",
                        "differs": _differs(table, keys, rec, old, categories),
                    }
                    at = index.at(table, i, keys[0])
                    problems.append(
                        Problem(checked.path, 0 if at else index.of(table, i), where, "stored_differs", params, at)
                    )
                    continue
                bucket.remove(full)
            else:
                bucket.pop()
            skipped.add((table, i))
    return skipped, problems


def leave_out(checked: Checked) -> None:
    """The checked file without the records the village already has (`checked.stored`)."""
    skipped = checked.stored
    if not skipped:
        return
    for table, rows in checked.tables.items():
        rows[:] = [rec for i, rec in enumerate(rows) if (table, i) not in skipped]
    checked.skipped += len(skipped)
