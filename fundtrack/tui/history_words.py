"""The audit trail in a committee's words: what was done, to which record (by its name), which fields changed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from fundtrack.ledger import privacy
from fundtrack.ledger import tables as decl
from fundtrack.ledger.money import AmountError, format_number, parse_amount
from fundtrack.storage.audit import Entry
from fundtrack.tui.strings import TEXT, t

NONE = "—"


@dataclass(frozen=True)
class Names:
    """What an entry's codes are called: projects by code, funder kinds and categories by their configured
    names (the app passes its snapshot's and its configuration's)."""

    projects: Mapping[str, str] = field(default_factory=dict)
    kind: Callable[[str], str] | None = None
    category: Callable[[str], str] | None = None


def money(value: Any) -> str:
    """A stored amount (`0.5万`) as money: ¥5,000.00 (≥¥… for a lower bound)."""
    try:
        amount = parse_amount(value, "元")
    except AmountError:
        return str(value)
    figure = format_number(amount, "元")
    return "≥¥" + figure[1:] if figure.startswith("≥") else "¥" + figure


def value_words(language: str, table: str | None, key: str, value: Any, names: Names | None = None) -> str:
    """One stored value as the forms show it: choices by their labels, money as money, 是/否, — for empty."""
    names = names or Names()
    if value is None or value == "" or value == []:
        return NONE
    if isinstance(value, bool):
        return t(language, "history.yes" if value else "history.no")
    spec = decl.TABLES[table].by.get(key) if table in decl.TABLES else None
    if spec is None:
        return "、".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    if spec.personal:
        return privacy.mask(value)
    if spec.kind == "amount":
        return money(value)
    if spec.kind == "flag":
        return t(language, "history.yes" if value else "history.no")
    if spec.kind == "category":
        return names.category(str(value)) if names.category else t(language, f"category.{value}")
    if spec.kind == "choice":
        if spec.labels == "kind." and names.kind:
            return names.kind(str(value))
        return t(language, f"{spec.labels}{value}")
    if isinstance(value, list | tuple):
        return "、".join(map(str, value))
    return str(value)


def field_label(language: str, table: str | None, key: str) -> str:
    """A field's label as the forms show it, without the hints in brackets."""
    if key == "voided":
        return t(language, "history.voided")
    own = f"field.{table}.{key}"  # a table's own label (a household's 人口), as the form shows it
    text = t(language, own if own in TEXT.get(language, TEXT["en"]) else f"field.{key}")
    if text == key:  # not a form's field
        return t(language, f"history.field.{key}")
    for bracket in (" (", "（"):
        text = text.split(bracket)[0]
    return text


def _project(values: Mapping[str, Any], names: Names) -> str:
    code = values.get("project")
    if not code:
        return NONE
    name = names.projects.get(str(code))
    return f"{code} {name}" if name else str(code)


def record_words(language: str, table: str | None, values: Mapping[str, Any] | None, names: Names | None = None) -> str:
    """A record by what people know it by: a receipt by date, amount, funder and project; a hire by
    person (masked id) and enterprise; a project by name and code."""
    names = names or Names()
    v = dict(values or {})
    if table is None or table not in decl.TABLES:
        return ""

    def w(key: str) -> str:
        return value_words(language, table, key, v.get(key), names)

    kind = t(language, f"history.what.{table}")
    if table == "receipts":
        body = f"{w('date')} {w('amount')}（{w('funder')} → {_project(v, names)}）"
    elif table == "expenses":
        body = f"{w('date')} {w('amount')}（{w('item')}，{_project(v, names)}）"
    elif table == "pledges":
        funders = v.get("funders") or ([v["funder"]] if v.get("funder") else [])
        who = "、".join(map(str, funders)) or NONE
        body = f"{w('amount')}（{who} → {_project(v, names)}）"
    elif table == "levies":
        body = t(language, "history.levy", funder=w("funder"), per=w("per_household"), households=w("households"))
        body += f"（{_project(v, names)}）"
    elif table == "projects":
        body = f"{w('name')}（{w('code')}）"
    elif table == "milestones":
        body = f"{w('name')}（{_project(v, names)}）"
    elif table == "hires":
        person = w("person") + (f"（{w('id_number')}）" if v.get("id_number") else "")
        body = f"{person} · {w('enterprise')}"
    elif table == "headcounts":
        body = f"{w('enterprise')} {w('date')} " + t(language, "history.workers", count=w("local_workers"))
    elif table == "households":
        body = f"{w('code')} {w('head')}"
    else:  # funders, enterprises, settlements: their name
        body = w("name")
    return f"{kind} {body}"


def changes(
    language: str,
    table: str | None,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    names: Names | None = None,
) -> list[tuple[str, str, str]]:
    """(label, old, new) of every field that differs, in the form's order."""
    before, after = dict(before or {}), dict(after or {})
    order = [k.name for k in decl.TABLES[table].keys] if table in decl.TABLES else []
    keys = [k for k in order if k in before or k in after]
    keys += sorted(k for k in set(before) | set(after) if k not in order)
    return [
        (
            field_label(language, table, k),
            value_words(language, table, k, before.get(k), names),
            value_words(language, table, k, after.get(k), names),
        )
        for k in keys
        if before.get(k) != after.get(k)
    ]


def change_words(language: str, entry: Entry, names: Names | None = None) -> str:
    """The history's last column: for a correction the fields that changed (`状态: 在建 → 已完工`); for a
    void its reason; for an import the file and the number of records."""
    sep = t(language, "history.sep")
    if entry.table is None:
        after = entry.after or {}
        if entry.action == "import":
            file = PurePath(str(after.get("file", ""))).name or NONE
            return t(language, "history.imported", file=file, records=after.get("records", "?"))
        return ""
    if entry.action == "edit":
        return sep.join(
            f"{label}: {old} → {new}"
            for label, old, new in changes(language, entry.table, entry.before, entry.after, names)
        )
    reason = getattr(entry, "reason", None)
    if entry.action == "void" and reason:
        return t(language, "history.reason", reason=reason)
    return ""


def entry_words(language: str, entry: Entry, names: Names | None = None, undone: str = "") -> str:
    """One line for an entry: `新增收款 2025-01-02 ¥5,000.00（打厂沟煤矿 → housing-1 一期安居房工程）`.

    `undone` is what an undo undid, worded already (the entries of its batch)."""
    action = t(language, f"action.{entry.action}")
    space = "" if language == "zh" else " "  # 新增收款, add receipt
    if entry.action == "undo":
        batch = (entry.after or {}).get("batch", "?")
        return f"{action}{space}{undone or t(language, 'history.batch', batch=batch)}"
    if entry.table is None:  # an import: its file, its records and its village
        village = (entry.after or {}).get("village")
        return change_words(language, entry, names) + (f"（{village}）" if village else "")
    values = entry.after if entry.action == "add" else (entry.before or entry.after)
    return f"{action}{space}{record_words(language, entry.table, values, names)}"


def entry_detail(language: str, entry: Entry, names: Names | None = None, undone: str = "") -> list[tuple[str, str]]:
    """Everything an entry says, as (label, words) lines for a dialog: what, when, who, every field
    (before → after), and a void's reason."""
    lines = [
        (t(language, "history.what"), entry_words(language, entry, names, undone)),
        (t(language, "history.at"), str(entry.at)[:19]),
        (t(language, "col.operator"), entry.operator or NONE),
    ]
    if entry.undone:
        lines.append((t(language, "history.state"), t(language, "history.was_undone")))
    reason = getattr(entry, "reason", None)
    if reason:
        lines.append((t(language, "history.reason_label"), str(reason)))
    if entry.table is None:
        after = entry.after or {}
        if entry.action == "import":
            lines.append((t(language, "history.field.file"), str(after.get("file", NONE))))
            lines.append((t(language, "history.field.records"), str(after.get("records", NONE))))
            if after.get("created"):
                lines.append((t(language, "history.field.created"), t(language, "history.yes")))
        return lines
    before, after = entry.before or {}, entry.after or {}
    if entry.action in ("add", "void"):
        # the whole record, as it was added or voided
        shown = after if entry.action == "add" else before
        for label, _, new in changes(
            language, entry.table, {}, {k: v for k, v in shown.items() if k != "voided"}, names
        ):
            lines.append((label, new))
        if entry.action == "void":
            lines.append((t(language, "history.voided"), f"{t(language, 'history.no')} → {t(language, 'history.yes')}"))
        return lines
    for label, old, new in changes(language, entry.table, before, after, names):
        lines.append((label, f"{old} → {new}"))
    return lines
