"""Numbered schema migrations and the runner that applies the missing ones, in one transaction each."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import peewee
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as migrate_schema

from fundtrack.storage.db import StoreError, database, is_sqlite, redact, write_transaction
from fundtrack.storage.models import MODELS, Change, Household, ReceiptSerial, SchemaVersion


def _m001_initial() -> None:
    database.create_tables([*MODELS, Change], safe=False)


def add_columns(model: type[peewee.Model], *names: str) -> None:
    """A migration step that adds model fields declared since a database was made.

    The first migration creates every table from today's models, so on a new database the
    columns are already there: only the missing ones are added.
    """
    have = {c.name for c in database.get_columns(model._meta.table_name)}
    fields = [model._meta.fields[n] for n in names if model._meta.fields[n].column_name not in have]
    if fields:
        migrator = SchemaMigrator.from_database(database)
        migrate_schema(*(migrator.add_column(model._meta.table_name, f.column_name, f) for f in fields))


def _m002_receipt_serials() -> None:
    """Printed receipts' serials (收据编号), one row per receipt printed."""
    database.create_tables([ReceiptSerial], safe=True)


def _m005_county_security() -> None:
    """The audit trail's entries name their village; on PostgreSQL, roles, grants and row-level policies."""
    from fundtrack.storage import audit, security

    add_columns(Change, "village_id")  # with its index
    audit.fill_villages()
    security.secure()


# A new schema change is a new function appended here; never edit a released one. A new optional
# key of a table is a field on its model plus a step `lambda: add_columns(Model, "field")`.
def _m003_households() -> None:
    """The household register (a new table; a new database has it from the first step)."""
    database.create_tables([Household], safe=True)


# On PostgreSQL every migration run ends with security.secure(), which puts the row-level policies
# on a table a step has just made (when it is listed in security.GUARDED).
MIGRATIONS: tuple[tuple[int, Callable[[], None]], ...] = (
    (1, _m001_initial),
    (2, _m002_receipt_serials),
    (3, _m003_households),
    # The reason a record was voided, kept in the audit trail (before step 5 reads the trail's rows).
    (4, lambda: add_columns(Change, "reason")),
    (5, _m005_county_security),
)


def latest() -> int:
    """The newest schema this program knows."""
    return max(version for version, _ in MIGRATIONS)


def where() -> str:
    """The open store as shown in messages."""
    return redact(str(database.database))


def newer_schema() -> StoreError | None:
    """The problem of a schema newer than this program (which must not write to it), or None."""
    have = current_version()
    return StoreError(where(), "store_newer", have=have, know=latest()) if have > latest() else None


def current_version() -> int:
    if not database.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select(SchemaVersion.version).order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def backup_sqlite(version: int) -> str | None:
    """Copy a SQLite database with the online backup API before its schema changes; the copy's path."""
    if not is_sqlite() or database.database in ("", ":memory:"):
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = Path(f"{database.database}.schema{version}-{stamp}.bak")
    # A new file only (O_EXCL, no link followed), private from the start: it holds personal data.
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_WRONLY, 0o600)
    os.close(fd)
    copy = sqlite3.connect(target)
    try:
        database.connection().backup(copy)
    finally:
        copy.close()
    return str(target)


def migrate(create: bool = True) -> tuple[list[int], str | None]:
    """Apply every migration newer than the database; the versions applied and the backup made first.

    Without `create`, a database that holds no fundtrack tables is refused rather than set up; a
    schema newer than this program is refused either way (its caller decides whether to read on)."""
    applied: list[int] = []
    have = current_version()
    if have > latest():
        raise StoreError(where(), "store_newer", have=have, know=latest())
    if have == latest():
        return applied, None  # nothing to write: a read-only store reads on
    if not create and not have and not database.table_exists(SchemaVersion._meta.table_name):
        raise StoreError(where(), "store_uninitialised")
    with write_transaction():
        if not database.table_exists(SchemaVersion._meta.table_name):
            database.create_tables([SchemaVersion])
    backup = None
    if have and any(version > have for version, _ in MIGRATIONS):
        backup = backup_sqlite(have)
    for version, step in MIGRATIONS:
        with write_transaction():
            if current_version() >= version:
                continue
            step()
            SchemaVersion.create(version=version, applied_at=dt.datetime.now(dt.UTC))
            applied.append(version)
    if applied and not is_sqlite():
        from fundtrack.storage import security

        with write_transaction():
            security.secure()
    return applied, backup
