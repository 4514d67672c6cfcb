"""Integrity checks of the store: the file, its tables and columns, its cells, its links, its rules. Fixes nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import peewee

from fundtrack.ledger import tables as decl
from fundtrack.ledger.problem_messages import problem_text
from fundtrack.storage import models as m
from fundtrack.storage.db import (
    SQLITE_HEADER,
    database,
    file_head,
    first_line,
    is_sqlite,
    sqlite_header,
    store_error,
)

SHOWN_PER_CHECK = 20  # rows named per kind of damage and column; a badly damaged store is not listed whole


@dataclass(frozen=True)
class Damage:
    """One problem of the store: where (`table:id`, a table, or `database`) and a catalog code."""

    where: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def text(self, language: str) -> str:
        return problem_text(language, self.code, self.params)

    def __str__(self) -> str:
        return f"{self.where}: {self.text('en')}"


def check_file(path: Path) -> list[Damage]:
    """What is wrong with a SQLite file before it is opened: empty, or not SQLite at all."""
    head = sqlite_header(path)
    if not head:
        return [Damage("database", "check_not_database", {"detail": "an empty file"})]
    if head != SQLITE_HEADER:
        return [Damage("database", "check_not_database", {"detail": "it does not start as a SQLite file does"})]
    return []


# Below this size a command that writes runs SQLite's quick_check first (tens of milliseconds): a
# damaged page is refused before anything is written over it. Larger stores rely on `fundtrack check`.
QUICK_CHECK_BELOW = 64 * 1024 * 1024


def damage_before_use(path: Path, writing: bool) -> str | None:
    """Why a SQLite file must not be used, found cheaply: cut short (its header counts more pages than the
    file holds) or, before a write to a small store, a failed quick_check. None when none is seen."""
    try:
        size = path.stat().st_size
        head = file_head(path, 100)  # never open()/close(): that would drop SQLite's locks on the store
    except OSError:
        return None
    if len(head) == 100 and head[:16] == SQLITE_HEADER:
        page = int.from_bytes(head[16:18], "big")
        page = 65536 if page == 1 else page
        pages, valid_for, counter = (int.from_bytes(head[i : i + 4], "big") for i in (28, 92, 24))
        wal = Path(f"{path}-wal")
        pending = wal.exists() and wal.stat().st_size > 0  # pages not yet copied back live in the WAL
        if valid_for == counter and pages and size < pages * page and not pending:
            return f"the file is cut short: {size} bytes of {pages * page}"
    if writing and size < QUICK_CHECK_BELOW and is_sqlite():
        try:
            rows = database.execute_sql("PRAGMA quick_check").fetchall()
        except peewee.DatabaseError as exc:
            found = store_error(exc, str(path))
            if found is not None and found.code != "store_damaged":
                raise found from exc  # a full disk, a lock, a failing medium: no damage of the file
            return first_line(exc)
        bad = [line for (line,) in rows if line != "ok"]
        if bad:
            return bad[0]
    return None


def check_damaged_file(path: Path) -> list[Damage]:
    """SQLite's own integrity check of a file too damaged to open as a store (read-only, nothing written)."""
    import sqlite3

    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as raw:
            rows = raw.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return [Damage("database", "check_integrity", {"detail": first_line(exc)})]
    found = [Damage("database", "check_integrity", {"detail": line}) for (line,) in rows if line != "ok"]
    return found or [Damage("database", "check_integrity", {"detail": "the database cannot be opened"})]


def check_integrity() -> list[str]:
    """One line (in English) per damage found; empty when the store is sound."""
    return [str(d) for d in find_damage()]


def find_damage() -> list[Damage]:
    """One problem per damage found; empty when the store is sound."""
    problems: list[Damage] = []
    if is_sqlite():
        try:
            rows = database.execute_sql("PRAGMA integrity_check").fetchall()
        except peewee.DatabaseError as exc:
            code = "check_not_database" if "not a database" in str(exc) else "check_integrity"
            return [Damage("database", code, {"detail": first_line(exc)})]
        problems += [Damage("database", "check_integrity", {"detail": line}) for (line,) in rows if line != "ok"]
    _guarded(problems, "schema_version", lambda: _newer(problems))
    usable = _guarded(problems, "database", lambda: _usable(problems)) or set()
    checks: list[tuple[str, Callable[[], None]]] = []
    if is_sqlite():
        checks += [(mdl._meta.table_name, _cells(problems, mdl)) for mdl in (*m.MODELS, m.Change) if mdl in usable]
    checks += [("links", lambda: _links(problems, usable)), ("links", lambda: _voided_links(problems, usable))]
    if m.Project in usable:
        checks.append(("projects", lambda: _cycles(problems)))
    if {m.Pledge, m.PledgeFunder, m.Receipt, m.Expense, m.Enterprise, m.Funder} <= usable:
        checks.append(("rules", lambda: _rules(problems)))
    for name, check in checks:
        _guarded(problems, name, check)
    return problems


def cell_damage(limit: int = SHOWN_PER_CHECK) -> list[Damage]:
    """Only the cells of the wrong type (SQLite keeps what it is given): a quick look after a failure."""
    problems: list[Damage] = []
    if not is_sqlite():
        return problems
    for mdl in (*m.MODELS, m.Change):
        _guarded(problems, mdl._meta.table_name, _cells(problems, mdl))
        if len(problems) >= limit:
            break
    return problems[:limit]


def _guarded(problems: list[Damage], where: str, check: Callable[[], object]) -> object:
    """Run one check; a check the store cannot answer is itself a problem (and ends nothing else)."""
    try:
        return check()
    except peewee.DatabaseError as exc:
        problems.append(Damage(where, "check_failed", {"detail": first_line(exc)}))
        if not is_sqlite():
            database.rollback()  # PostgreSQL refuses every later statement of a failed transaction
        return None


def _newer(problems: list[Damage]) -> None:
    from fundtrack.storage.migrations import current_version, latest

    have = current_version()
    if have > latest():
        problems.append(Damage("schema_version", "check_newer", {"have": have, "know": latest()}))


def _usable(problems: list[Damage]) -> set[type[peewee.Model]]:
    """The models whose table has every column; missing tables and columns are problems."""
    present = set(database.get_tables())
    usable: set[type[peewee.Model]] = set()
    for mdl in (*m.MODELS, m.Change, m.SchemaVersion):
        table = mdl._meta.table_name
        if table not in present:
            problems.append(Damage(table, "check_missing_table", {"table": table}))
            continue
        columns = {c.name: c for c in database.get_columns(table)}
        missing = [f.column_name for f in mdl._meta.sorted_fields if f.column_name not in columns]
        problems += [Damage(table, "check_missing_column", {"column": c}) for c in missing]
        if not is_sqlite():  # SQLite keeps any value in any column: its cells are checked one by one
            for f in mdl._meta.sorted_fields:
                expected = _family(f)
                got = columns[f.column_name].data_type.lower() if f.column_name in columns else ""
                if expected and got and not any(word in got for word in _FAMILY_TYPES[expected]):
                    problems.append(Damage(table, "check_column_type", {"column": f.column_name, "got": got}))
        if not missing:
            usable.add(mdl)
    return usable


# A column's type on PostgreSQL, by the kind of field it holds (words its data_type contains).
_FAMILY_TYPES = {"integer": ("int", "serial"), "date": ("date",), "flag": ("bool",)}


def _family(f: peewee.Field) -> str | None:
    if isinstance(f, peewee.BooleanField):
        return "flag"
    if isinstance(f, (peewee.IntegerField, peewee.ForeignKeyField, peewee.AutoField)):
        return "integer"
    if isinstance(f, peewee.DateField) and not isinstance(f, peewee.DateTimeField):
        return "date"
    return None


def _name(mdl: type[peewee.Model]) -> str:
    """A table as the data format names it (receipts), else as the store does (pledge_funder)."""
    from fundtrack.storage.tables import MODELS

    return next((n for n, x in MODELS.items() if x is mdl), mdl._meta.table_name)


def _is_date(value: object) -> bool:
    try:
        return isinstance(value, str) and dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _cells(problems: list[Damage], mdl: type[peewee.Model]) -> Callable[[], None]:
    """Cells SQLite stored with another type than their column's: text in a money cell, a date that is not one."""

    def check() -> None:
        table = mdl._meta.table_name
        for f in mdl._meta.sorted_fields:
            col = f'"{f.column_name}"'
            if isinstance(f, peewee.BooleanField):
                bad, code = f"typeof({col}) NOT IN ('integer', 'null') OR {col} NOT IN (0, 1)", "check_not_flag"
            elif isinstance(f, (peewee.IntegerField, peewee.ForeignKeyField, peewee.AutoField)):
                bad, code = f"typeof({col}) NOT IN ('integer', 'null')", "check_not_integer"
            elif isinstance(f, peewee.DateField) and not isinstance(f, peewee.DateTimeField):
                # SQLite's date() takes 2024-02-30 as it is: days past the 28th are read again below.
                bad = f"{col} IS NOT NULL AND (typeof({col}) != 'text' OR date({col}) IS NOT {col} OR substr({col}, 9) > '28')"
                code = "check_not_date"
            else:
                continue
            sql = f'SELECT rowid, {col} FROM "{table}" WHERE {bad}'  # names from the models
            shown = 0
            for rowid, value in database.execute_sql(sql):
                if code == "check_not_date" and _is_date(value):
                    continue
                problems.append(
                    Damage(f"{_name(mdl)}:{rowid}", code, {"column": f.column_name, "value": _shown(value)})
                )
                shown += 1
                if shown >= SHOWN_PER_CHECK:
                    break

    return check


def _links(problems: list[Damage], usable: set[type[peewee.Model]]) -> None:
    """Links to records that do not exist (SQLite enforces foreign keys only where they are switched on)."""
    for mdl in (*m.MODELS, m.Change):
        if mdl not in usable:
            continue
        for f in mdl._meta.sorted_fields:
            if not isinstance(f, peewee.ForeignKeyField) or f.rel_model not in usable:
                continue
            target = f.rel_model.alias()
            key = getattr(target, f.rel_model._meta.primary_key.name)
            q = (
                mdl.select(mdl._meta.primary_key, f)
                .join(target, peewee.JOIN.LEFT_OUTER, on=(f == key))
                .where(f.is_null(False), key.is_null())
                .limit(SHOWN_PER_CHECK)
            )
            for rid, link in q.tuples():
                problems.append(
                    Damage(
                        f"{_name(mdl)}:{rid}",
                        "check_link_missing",
                        {"column": f.name, "target": _name(f.rel_model), "id": link},
                    )
                )


def _voided_links(problems: list[Damage], usable: set[type[peewee.Model]]) -> None:
    """Active records that link to voided ones, for every link the table declarations name."""
    from fundtrack.storage.tables import MODELS, THROUGH

    for name, t in decl.TABLES.items():
        src = MODELS.get(name)
        if src is None or src not in usable:
            continue
        for key in t.keys:
            if key.link is None or key.link not in MODELS or MODELS[key.link] not in usable:
                continue
            target = MODELS[key.link].alias()
            if key.kind == "name":
                fk = getattr(src, key.stored_as)
                q = src.select(src.id, target.id).join(target, on=(fk == target.id))
            elif (name, key.name) in THROUGH:
                through, own, other = THROUGH[(name, key.name)]
                if through not in usable:
                    continue
                q = (
                    src.select(src.id, target.id)
                    .join(through, on=(getattr(through, own) == src.id))
                    .join(target, on=(getattr(through, other) == target.id))
                )
            else:
                continue
            q = q.where(src.voided == False, target.voided == True).limit(SHOWN_PER_CHECK)  # noqa: E712
            for rid, tid in q.tuples():
                problems.append(
                    Damage(f"{name}:{rid}", "check_link_voided", {"column": key.name, "target": key.link, "id": tid})
                )


def _cycles(problems: list[Damage]) -> None:
    """Projects whose parents lead back to themselves (each cycle once)."""
    parent = dict(m.Project.select(m.Project.id, m.Project.parent).tuples())
    done: set[int] = set()
    for start in sorted(parent):
        path: list[int] = []
        node: int | None = start
        while node is not None and node not in done and node not in path:
            path.append(node)
            node = parent.get(node)
        if node is not None and node in path:
            cycle = path[path.index(node) :]
            low = cycle.index(min(cycle))
            cycle = cycle[low:] + cycle[:low]
            shown = " -> ".join(f"projects:{i}" for i in [*cycle, cycle[0]])
            problems.append(Damage(f"projects:{cycle[0]}", "check_cycle", {"path": shown}))
        done.update(path)


def _rules(problems: list[Damage]) -> None:
    """The store's own rules a file import checks, seen again (a store edited by hand)."""
    is_joint = m.Pledge.joint == True  # noqa: E712  (peewee builds SQL from ==)
    has_members = m.Pledge.id.in_(m.PledgeFunder.select(m.PledgeFunder.pledge))
    for (pid,) in m.Pledge.select(m.Pledge.id).where(is_joint, ~has_members).tuples():
        problems.append(Damage(f"pledges:{pid}", "check_joint_no_members"))
    single_without_funder = m.Pledge.select(m.Pledge.id).where(m.Pledge.joint == False, m.Pledge.funder.is_null())  # noqa: E712
    for (pid,) in single_without_funder.tuples():
        problems.append(Damage(f"pledges:{pid}", "check_no_funder"))
    for name, model in (("receipts", m.Receipt), ("expenses", m.Expense)):
        for (rid,) in model.select(model.id).where(model.amount_fen < 0).tuples():
            problems.append(Damage(f"{name}:{rid}", "check_negative"))
    enterprise_funder = m.Enterprise.select(m.Enterprise.id).join(m.Funder).where(m.Funder.kind != "enterprise")
    for (eid,) in enterprise_funder.tuples():
        problems.append(Damage(f"enterprises:{eid}", "check_enterprise_kind"))
