"""Numbered schema migrations and the runner that applies the missing ones, in one transaction each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fundtrack.storage.db import database, write_transaction
from fundtrack.storage.models import MODELS, SchemaVersion


def _m001_initial() -> None:
    database.create_tables(MODELS, safe=False)


# A new schema change is a new function appended here; never edit a released one.
MIGRATIONS: tuple[tuple[int, Callable[[], None]], ...] = ((1, _m001_initial),)
LATEST = MIGRATIONS[-1][0]


def current_version() -> int:
    if not database.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select(SchemaVersion.version).order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def migrate() -> list[int]:
    """Apply every migration newer than the database; return the versions applied."""
    applied = []
    with write_transaction():
        if not database.table_exists(SchemaVersion._meta.table_name):
            database.create_tables([SchemaVersion])
    for version, step in MIGRATIONS:
        with write_transaction():
            if current_version() >= version:
                continue
            step()
            SchemaVersion.create(version=version, applied_at=dt.datetime.now(dt.UTC))
            applied.append(version)
    return applied
