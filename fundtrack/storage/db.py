"""The one database proxy, how a --db target becomes a connection, and the write transaction."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import peewee

database = peewee.DatabaseProxy()

BUSY_TIMEOUT_S = 30
SQLITE_PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "synchronous": "full",
    "busy_timeout": BUSY_TIMEOUT_S * 1000,
}


class TargetError(ValueError):
    """A --db target that fundtrack cannot open."""


def is_url(target: str) -> bool:
    return "://" in target


def sqlite_path(target: str) -> Path | None:
    """The file behind a SQLite target, None for other backends and in-memory databases."""
    if not is_url(target):
        return Path(target).expanduser()
    parsed = urlparse(target)
    if parsed.scheme != "sqlite":
        return None
    path = target[len("sqlite:///") :] if target.startswith("sqlite:///") else parsed.path
    if path in ("", ":memory:"):
        return None
    return Path(path)


def _create_private(path: Path) -> None:
    """Create the SQLite file 0600 so that its -wal and -shm (which copy its mode) are private too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def open_database(target: str) -> peewee.Database:
    """Open `target` (a path, sqlite:///path or postgresql://…) and bind the proxy to it."""
    path = sqlite_path(target)
    if path is not None:
        _create_private(path)
        db: peewee.Database = peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=BUSY_TIMEOUT_S)
    else:
        scheme = urlparse(target).scheme
        if scheme not in ("sqlite", "postgres", "postgresql"):
            raise TargetError(f"{target}: unknown database type {scheme!r}")
        kwargs: dict[str, object] = {}
        if scheme.startswith("postgres"):
            if not postgres_driver_installed():
                raise TargetError(
                    f"{redact(target)}: PostgreSQL needs its driver, which is not installed: "
                    "pip install 'fundtrack[postgres]'"
                )
            kwargs["prefer_psycopg3"] = True
        else:
            kwargs["pragmas"] = SQLITE_PRAGMAS
        from playhouse.db_url import connect  # only for URLs; it pulls in every backend's module

        db = connect(target, **kwargs)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except peewee.OperationalError as exc:
        raise TargetError(f"{redact(target)}: cannot open: {str(exc).strip().splitlines()[0]}") from exc
    return db


def postgres_driver_installed() -> bool:
    """Whether psycopg (the `postgres` extra) can be imported."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    return True


def redact(target: str) -> str:
    """The target with any password hidden, for messages."""
    parsed = urlparse(target)
    if parsed.password:
        return target.replace(f":{parsed.password}@", ":***@")
    return target


def is_sqlite() -> bool:
    return isinstance(database.obj, peewee.SqliteDatabase)


def shareable() -> bool:
    """Whether other connections (other threads, other processes) can read what this one reads now:
    not inside a transaction (they would not see its writes), not an in-memory SQLite database."""
    db = database.obj
    if db.in_transaction():
        return False
    return not (isinstance(db, peewee.SqliteDatabase) and db.database in ("", ":memory:"))


# Called before a write transaction that is not nested in another (set by the service layer for the
# daily backup); it must be cheap after its first call of the day.
before_write: Callable[[], None] | None = None


@contextmanager
def write_transaction() -> Iterator[None]:
    """A write: BEGIN IMMEDIATE on SQLite (no lock upgrade deadlocks), a plain transaction elsewhere."""
    if before_write is not None and database.transaction_depth() == 0:
        before_write()
    if is_sqlite() and database.transaction_depth() == 0:
        with database.atomic("IMMEDIATE"):
            yield
    else:
        with database.atomic():
            yield
