"""Single records typed into a form: checked as the importer checks them, then added, corrected, voided
or undone with their audit entries, or every problem and nothing written."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from typing import Any

from fundtrack.io import fundfile
from fundtrack.io.fundfile import Known, LineIndex, Options, _FileChecker
from fundtrack.io.problems import Problem
from fundtrack.io.records import EDITED_IN_PLACE, FieldWarning, kind_of, warnings_of
from fundtrack.ledger import names
from fundtrack.ledger import tables as decl
from fundtrack.service import limits
from fundtrack.storage import audit, queries, security, writes
from fundtrack.storage.db import StoreError, database, redact, write_transaction


def _known(village_id: int, without: tuple[str, str] | None = None) -> Known:
    known = Known(**queries.known_names(village_id))
    if without is not None:
        pool_name, name = without
        pool = getattr(known, pool_name)
        own = names.NameIndex(pool).find(name) or name  # the record's own name, typed in any form of it
        if isinstance(pool, dict):
            pool.pop(own, None)
        else:
            pool.discard(own)
        if pool_name == "enterprises":  # its implied funder goes with it
            known.funders.pop(own, None)
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


def with_project_codes(village_id: int, table: str, raw: dict[str, Any]) -> dict[str, Any]:
    """A form's record with a project named as the screens show it (`一期安居房工程`) given its code,
    as a spreadsheet may name it: a code stays as typed."""
    links = [k.name for k in decl.TABLES[table].keys if k.link == "projects" and isinstance(raw.get(k.name), str)]
    if not links:
        return raw
    by_name = {names.key(n): c for n, c in queries.project_codes_by_name(village_id).items()}
    codes = {names.key(c) for c in by_name.values()}
    out = dict(raw)
    for key in links:
        typed = names.key(out[key])
        if typed not in codes and typed in by_name:
            out[key] = by_name[typed]
    return out


def form_warnings(village_id: int, table: str, raw: dict[str, Any], today: dt.date) -> list[tuple[str, FieldWarning]]:
    """The likely slips in a record a form is about to save (io/records.warnings_of), with what the
    store knows: the funders' kinds and the projects with a levy."""
    if table != "receipts":
        return warnings_of(table, raw, today)
    known = queries.known_names(village_id)
    rec = dict(raw)
    for key, pool in (("funder", known["funders"]), ("project", known["projects"])):
        if isinstance(rec.get(key), str):  # a name as typed, in any form the importer accepts
            rec[key] = names.NameIndex(pool).find(rec[key]) or rec[key]
    return warnings_of(table, rec, today, known["funders"], queries.levy_projects(village_id))


def form_problems(
    village_id: int, table: str, raw: dict[str, Any], options: Options, unit: str, in_place: bool = False
) -> list[Problem]:
    """What the importer would refuse in a form's record, written nowhere: shown before any warning,
    so that a second ctrl+s is never asked for a record that cannot be saved."""
    check = _check_in_place if in_place else check_record
    return check(village_id, table, raw, options, unit)[1]


def operator_name(configured: str = "") -> str:
    """Who is making changes: on PostgreSQL the login role (whatever the settings say; a superuser
    excepted), else the configured operator, else the operating-system user."""
    login = security.login_operator()
    if login is not None:
        return login
    if configured.strip():
        return configured.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _check_in_place(
    village_id: int, table: str, raw: dict[str, Any], options: Options, unit: str
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check a changed record that keeps its name: its own name does not count as taken."""
    key = decl.TABLES[table].name_key or "name"
    return check_record(village_id, table, raw, options, unit, without=(table, raw.get(key, "")))


def _insert_logged(village_id: int, table: str, rec: dict[str, Any], operator: str, batch: int | None = None) -> int:
    batch = audit.log(operator, "add", [(table, None, None, None)], batch, village=village_id)
    writes.import_tables(village_id, {table: [rec]}, batch=batch)
    new_id = audit.added_by(batch, table)
    assert new_id is not None
    audit.fill_record(batch, table, new_id, audit.snapshot(table, new_id))
    return batch


def add_record(
    village_id: int, table: str, raw: dict[str, Any], options: Options, unit: str, operator: str = ""
) -> list[Problem]:
    """Check and write one record, with its audit entry; nothing is written when there is any problem."""
    # Checked inside the write transaction: a name voided or taken meanwhile (an undo, an import)
    # is seen here, not after the record is written.
    with write_transaction():
        writes.lock_writers()
        _refuse_hidden_village(village_id)
        rec, problems = check_record(village_id, table, raw, options, unit)
        if rec is None:
            return problems
        problems = limits.check_record(village_id, table, rec)
        if problems:
            return problems
        _insert_logged(village_id, table, rec, operator_name(operator))
    return []


def _own_ancestor(village_id: int, table: str, record_id: int, rec: dict[str, Any]) -> list[Problem]:
    """A corrected project whose parent line leads back to itself: refused, as the importer refuses it."""
    if table != "projects" or not rec.get("parent"):
        return []
    parents = writes.project_parents(village_id)
    code = rec["code"]
    parents[code] = rec["parent"]
    seen = {code}
    node = parents.get(code)
    while node is not None and node not in seen:
        seen.add(node)
        node = parents.get(node)
    if node == code:
        return [Problem("form", 0, "projects[0].parent", "own_ancestor", {"code": code})]
    return []


def _changed_meanwhile(table: str, record_id: int, expected: dict[str, Any] | None) -> list[Problem]:
    """Inside the write transaction: is the record still what the form showed? (Locks it on PostgreSQL.)"""
    if expected is None:
        return []
    writes.lock_row(table, record_id)
    current = audit.snapshot(table, record_id)
    if current != expected:
        return [Problem("form", 0, "record", "changed_meanwhile")]
    return []


def replace_record(
    village_id: int,
    table: str,
    record_id: int,
    raw: dict[str, Any],
    options: Options,
    unit: str,
    operator: str = "",
    expected: dict[str, Any] | None = None,
) -> list[Problem]:
    """Correct a record. Names others link to change in place; other records are voided and
    added anew (the old one stays visible as voided). `expected` is the record as the form
    showed it: if someone changed it meanwhile, nothing is written and that is the problem."""
    who = operator_name(operator)
    in_place = table in EDITED_IN_PLACE
    check = _check_in_place if in_place else check_record
    with write_transaction():
        writes.lock_writers()
        _refuse_hidden_village(village_id)
        problems = _changed_meanwhile(table, record_id, expected) or _voided(table, record_id)
        if problems:
            return problems
        rec, problems = check(village_id, table, raw, options, unit)
        if rec is None:
            return problems
        problems = _own_ancestor(village_id, table, record_id, rec) or limits.check_record(
            village_id, table, rec, record_id
        )
        if problems:
            return problems
        if in_place:
            _logged(who, "edit", table, record_id, lambda: writes.update_in_place(village_id, table, record_id, rec))
        else:
            batch = _logged(who, "void", table, record_id, lambda: writes.void(table, record_id))
            _insert_logged(village_id, table, rec, who, batch)
    return []


def _voided(table: str, record_id: int) -> list[Problem]:
    """Inside the write transaction: a record voided already (by someone else, or on a list not yet
    refreshed) is neither corrected nor voided again: that would bring its figures back or log a void
    that undo would then reverse."""
    row = writes.TABLE_MODELS[table].get_or_none(writes.TABLE_MODELS[table].id == record_id)
    if row is None or row.voided:
        return [Problem("form", 0, "record", "record_voided", {})]
    return []


def _logged(
    operator: str, action: str, table: str, record_id: int, change: Callable[[], None], reason: str | None = None
) -> int:
    """Make a change to one record and log it with the record before and after; its batch."""
    before = audit.snapshot(table, record_id)
    change()
    return audit.log(operator, action, [(table, record_id, before, audit.snapshot(table, record_id))], reason=reason)


def void_reason(text: str) -> str | None:
    """A void's reason as typed: one line, kept without the spaces around it; None when nothing was said."""
    reason = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return reason or None


def void_record(
    table: str, record_id: int, operator: str = "", seen: int | None = None, reason: str | None = None
) -> list[Problem]:
    """Void a record (it leaves every total and stays in the trail, with `reason`); the problem when it is
    voided already, or, `seen` being the newest trail entry when the screen read its list, when it was
    written since."""
    with write_transaction():
        writes.lock_writers()
        if seen is not None and audit.changed_since(table, record_id, seen):
            return [Problem("form", 0, "record", "changed_meanwhile")]
        problems = _voided(table, record_id)
        if problems:
            return problems
        _logged(operator_name(operator), "void", table, record_id, lambda: writes.void(table, record_id), reason)
    return []


def undo_last(options: Options, operator: str = "") -> tuple[int, list[audit.Entry]] | None:
    """Undo the newest change not yet undone; the batch and its entries, or None when nothing is left."""
    who = operator_name(operator)
    with write_transaction():
        writes.lock_writers()  # two undo at once on PostgreSQL would otherwise undo one change twice
        batch = audit.last_undoable()
        if batch is None:
            return None
        done = audit.entries(batch)
        _refuse_others(done)
        for entry in done:  # newest first
            if entry.action == "import":
                writes.remove_batch(batch)
                if entry.after and entry.after.get("created"):
                    row = writes.village_row(entry.after.get("village", ""))
                    if row is not None:
                        writes.remove_village_if_empty(row.id)
            elif entry.action == "add" and entry.table and entry.record:
                audit.set_voided(entry.table, entry.record, True)
            elif entry.action == "void" and entry.table and entry.record:
                audit.set_voided(entry.table, entry.record, False)
            elif entry.action == "edit" and entry.table and entry.record and entry.before:
                _restore(entry.table, entry.record, entry.before, options)
        writes.mark_undone(batch)
        audit.log(who, "undo", [(None, None, None, {"batch": batch})], village=audit.batch_village(batch))
    return batch, done


def _refuse_hidden_village(village_id: int) -> None:
    """A write into a village this login role may not see (row-level security on PostgreSQL) is refused."""
    if security.login_operator() is not None and not writes.village_visible(village_id):
        raise StoreError(redact(str(database.database)), "store_denied")


def _refuse_others(entries: list[audit.Entry]) -> None:
    """A committee member undoes only its own changes (an admin any): refused, nothing undone, otherwise."""
    if security.role_of() != "committee":
        return
    me = security.login_operator()
    others = sorted({e.operator for e in entries if e.operator != me})
    if others:
        raise StoreError(redact(str(database.database)), "undo_not_yours", operator=others[0])


def _restore(table: str, record_id: int, before: dict[str, Any], options: Options) -> None:
    raw = {k: v for k, v in before.items() if k != "voided"}
    for key, value in list(raw.items()):
        if kind_of(table, key) == "date" and isinstance(value, str):
            raw[key] = dt.date.fromisoformat(value)
    village_id = writes.TABLE_MODELS[table].get_by_id(record_id).village_id  # corrected in place: a village's own
    rec, problems = _check_in_place(village_id, table, raw, options, "元")
    if rec is None:
        raise ValueError("; ".join(str(p) for p in problems))
    writes.update_in_place(village_id, table, record_id, rec)
