"""The one database proxy, how a --db target becomes a connection, and the write transaction."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee

from fundtrack.ledger.problem_messages import CodedError

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


class StoreError(CodedError):
    """The store cannot do what was asked (absent, damaged, newer, read-only, locked, full, unreachable):
    a catalog problem about `where`, the target as shown to the user (never with its password)."""

    def __init__(self, where: str, code: str, **params: object):
        super().__init__(code, **params)
        self.where = where

    def line(self, language: str) -> str:
        """The one line a command prints."""
        return f"fundtrack: {self.where}: {self.text(language)}"


SQLITE_HEADER = b"SQLite format 3\x00"


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


_HELD: dict[tuple[int, int], int] = {}
"""(device, inode) -> a read-only descriptor of a database file this process keeps open (file_head)."""


def file_head(path: Path, size: int) -> bytes:
    """The first `size` bytes of a (database) file, read through a descriptor this process keeps open.

    POSIX drops every lock a process holds on a file as soon as it closes *any* descriptor of that file.
    Reading a store that SQLite has open with a plain open()/close() would silently take away SQLite's
    own locks, and another process closing the same store would then believe itself the last one,
    checkpoint and delete the -wal that this process still writes into: its later saves would be lost.
    So the descriptor stays open (one per file, closed by release_files once no connection is left)."""
    st = os.stat(path)
    key = (st.st_dev, st.st_ino)
    fd = _HELD.get(key)
    if fd is None:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
        _HELD[key] = fd
    return os.pread(fd, size, 0)


def release_files(keep: Path | None = None) -> None:
    """Close the descriptors file_head keeps, but `keep`'s: called when the proxy is bound to another
    store, so that a process that opens many stores one after the other (tests, restores) holds one."""
    kept = None
    if keep is not None:
        with suppress(OSError):
            st = os.stat(keep)
            kept = (st.st_dev, st.st_ino)
    for key in [k for k in _HELD if k != kept]:
        with suppress(OSError):
            os.close(_HELD[key])
        del _HELD[key]


def sqlite_header(path: Path) -> bytes:
    """The first 16 bytes of a file (what makes it a SQLite database)."""
    return file_head(path, len(SQLITE_HEADER))


def read_only(path: Path) -> bool:
    """Whether SQLite cannot write next to `path`: the file, or its folder (for -wal, -shm), is not writable."""
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)


def pending_wal(path: Path) -> bool:
    """Whether commits wait in the file's -wal, not yet copied back into it."""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def _open_sqlite(path: Path, create: bool, damaged_ok: bool) -> peewee.Database:
    where = str(path)
    if path.is_dir():
        raise StoreError(where, "store_not_file")
    if not path.exists():
        if not create:
            raise StoreError(where, "store_missing")
        _create_private(path)
    else:
        if not path.is_file():
            raise StoreError(where, "store_not_file")
        head = sqlite_header(path)
        if not head and not create:
            raise StoreError(where, "store_empty")
        if head and head != SQLITE_HEADER and not damaged_ok:
            raise StoreError(where, "store_damaged", detail="not a SQLite file")
    pragmas = {**SQLITE_PRAGMAS, "busy_timeout": int(BUSY_TIMEOUT_S * 1000)}
    if read_only(path):
        for key in ("journal_mode", "synchronous"):
            pragmas.pop(key)
        if pending_wal(path):
            # The latest commits are still in the -wal: an immutable open would silently show the
            # figures from before them. A plain read-only open reads the -wal (through its -shm).
            uri = f"file:{path.resolve()}?mode=ro"
            return peewee.SqliteDatabase(uri, uri=True, pragmas=pragmas, timeout=BUSY_TIMEOUT_S)
        # Read-only file or media: open it read-only (immutable: no -wal/-shm can be made next to it).
        uri = f"file:{path.resolve()}?mode=ro&immutable=1"
        return peewee.SqliteDatabase(uri, uri=True, pragmas=pragmas, timeout=BUSY_TIMEOUT_S)
    return peewee.SqliteDatabase(str(path), pragmas=pragmas, timeout=BUSY_TIMEOUT_S)


def open_database(target: str, create: bool = True, damaged_ok: bool = False) -> peewee.Database:
    """Open `target` (a path, sqlite:///path or postgresql://…) and bind the proxy to it.

    Only with `create` is an absent (or empty) SQLite file made a database; `damaged_ok` lets a file
    that is not SQLite through to be examined (by `check`)."""
    if re.match(r"\s*(host|hostaddr|dbname|user|port|password|service|sslmode)\s*=", target):
        # libpq's key=value form would be taken for a SQLite file's name (with the password in it).
        raise TargetError(
            f"{redact(target)}: a PostgreSQL connection string; write it as postgresql://user@host:port/dbname"
        )
    path = sqlite_path(target)
    if path is not None:
        db: peewee.Database = _open_sqlite(path, create, damaged_ok)
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

        try:
            db = connect(target, **kwargs)
        except ValueError as exc:  # a URL that does not parse (a port that is not a number, ...)
            raise StoreError(redact(target), "store_refused", detail=redact(first_line(exc))) from exc
    database.initialize(db)
    release_files(keep=path)
    try:
        db.connect(reuse_if_open=True)
    except peewee.DatabaseError as exc:
        found = store_error(exc, target)
        if found is not None and (path is None or not damaged_ok or found.code != "store_damaged"):
            raise found from exc
        if path is None:
            raise StoreError(redact(target), "store_refused", detail=first_line(exc)) from exc
        if not damaged_ok:
            raise StoreError(redact(target), "store_unopenable", detail=redact_text(first_line(exc), target)) from exc
    return db


def first_line(exc: BaseException) -> str:
    """An error's first line, for a one-line message."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# What a database error says, mapped to a problem of the store (lowercase fragments, in order).
_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # PostgreSQL refused a write outside the user's rights (a grant, a row-level policy: storage/security.py)
    ("store_denied", ("violates row-level security policy", "permission denied for", "permission denied to")),
    ("disk_full", ("database or disk is full", "no space left on device", "could not extend file", "disk full")),
    (
        "store_damaged",
        (
            "malformed",
            "file is not a database",
            "file is encrypted",
            "no such table",
            "no such column",
            "not a sqlite file",
            "unsupported file format",
        ),
    ),
    ("store_read_only", ("readonly database", "read-only", "read only")),
    # SQLite's "disk I/O error" (SQLITE_IOERR_*): on a full disk its -shm cannot grow, elsewhere the
    # medium fails; the space left on the store's disk tells which (store_error).
    ("store_io", ("disk i/o error",)),
    ("store_cannot_open", ("unable to open database file",)),
    ("store_locked", ("database is locked", "database table is locked", "lock timeout", "deadlock detected")),
    (
        "store_refused",
        (
            "connection refused",
            "password authentication failed",
            "no password supplied",
            'role "',
            "could not connect",
            "connection failed",
            "could not translate host name",
            "no pg_hba.conf entry",
        ),
    ),
    (
        "store_gone",
        (
            "server closed the connection",
            "terminating connection",
            "connection already closed",
            "the connection is closed",
            "consuming input failed",
            "connection is lost",
            "ssl syscall",
        ),
    ),
)


# Below this much space left on its disk, a SQLite store's "disk I/O error" is the disk being full (its
# -shm alone needs 32 KiB to be made).
NEARLY_FULL = 1024 * 1024


def space_left(target: str) -> int | None:
    """Bytes free on the disk of a SQLite target (None for a server, or when it cannot be told)."""
    path = sqlite_path(target)
    if path is None:
        return None
    try:
        found = os.statvfs(path.expanduser().resolve().parent)
    except OSError:
        return None
    return found.f_bavail * found.f_frsize


def store_error(exc: BaseException, target: str, free: Callable[[str], int | None] | None = None) -> StoreError | None:
    """The store problem behind `exc` (looking through the errors it was raised during), or None.

    A failed write can surface as a follow-up error ("cannot rollback - no transaction is active"
    after SQLite gave up on a full disk), so the whole chain is read. `free` tells the space left on
    the store's disk (default: space_left; a test gives its own)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StoreError):
            return current
        if isinstance(current, (peewee.PeeweeException, OSError)) or type(current).__module__.startswith(
            ("sqlite3", "psycopg")
        ):
            text = str(current).lower()
            if isinstance(current, OSError) and current.errno == 28:
                text += " no space left on device"
            for code, fragments in _KINDS:
                if code == "store_denied" and isinstance(current, OSError):
                    continue  # a file's "Permission denied" is no database right
                if any(f in text for f in fragments):
                    if code == "store_denied" and "permission denied for" in text and not _writing(exc):
                        code = "store_read_denied"  # a grant missing for a read: no word of writes
                    if code == "store_io":
                        left = (free or space_left)(target)
                        code = "disk_full" if left is not None and left < NEARLY_FULL else code
                    return _store_error(code, target, current)
            if (
                "undefinedtable" in type(current).__name__.lower()
                or "undefinedcolumn" in type(current).__name__.lower()
            ):
                return _store_error("store_damaged", target, current)
        current = current.__cause__ or current.__context__
    return None


def _writing(exc: BaseException) -> bool:
    """Whether `exc`, or an error it was raised during, left a write transaction."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if getattr(current, "fundtrack_writing", False):
            return True
        current = current.__cause__ or current.__context__
    return False


def _store_error(code: str, target: str, exc: BaseException) -> StoreError:
    detail = redact_text(first_line(exc), target)
    if code == "store_locked":
        return StoreError(redact(target), code, seconds=BUSY_TIMEOUT_S)
    path = sqlite_path(target)
    if code == "store_cannot_open" and path is not None and pending_wal(path):
        # Read-only, and the -wal cannot be read without a -shm that cannot be made next to it.
        return StoreError(redact(target), "store_wal_unreadable", wal=f"{path.name}-wal")
    if code in ("disk_full", "store_denied", "store_read_denied", "store_io", "store_cannot_open"):
        return StoreError(redact(target), code)
    return StoreError(redact(target), code, detail=detail)


def redact_text(text: str, target: str) -> str:
    """`text` with the target's password (if any) hidden."""
    for password in _passwords(target):
        text = text.replace(password, "***")
    return text


def postgres_driver_installed() -> bool:
    """Whether psycopg (the `postgres` extra) can be imported."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    return True


# A URL's password (`scheme://user:PASSWORD@host`, up to the last @ of the authority) and a
# `password=` parameter (a URL's query, a libpq connection string).
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@]*):(?P<pw>[^\s/]*)@")
_PARAM_PASSWORD = re.compile(r"(?i)(?P<head>\bpassword\s*=\s*)(?:'(?:[^'\\]|\\.)*'|[^&\s]*)")


def redact(text: str) -> str:
    """`text` (a target, or a message naming one) with every password hidden: what may be printed."""
    text = _URL_PASSWORD.sub(r"\g<head>:***@", text)
    return _PARAM_PASSWORD.sub(r"\g<head>***", text)


def _passwords(target: str) -> list[str]:
    """The password of a URL target as written and as meant (percent-decoded), longest first."""
    if not is_url(target):
        return []
    parsed = urlparse(target)
    found = [*re.findall(r"(?i)(?:^|&)password=([^&]*)", parsed.query)]
    userinfo = parsed.netloc.rpartition("@")[0]
    if ":" in userinfo:
        found.append(userinfo.split(":", 1)[1])
    found += [unquote(p) for p in found]
    return sorted({p for p in found if p}, key=len, reverse=True)


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
    try:
        if before_write is not None and database.transaction_depth() == 0:
            before_write()
        if is_sqlite() and database.transaction_depth() == 0:
            with database.atomic("IMMEDIATE"):
                yield
        else:
            with database.atomic():
                yield
    except Exception as exc:
        with suppress(AttributeError):
            exc.fundtrack_writing = True  # type: ignore[attr-defined]  # a refusal here is a write's
        raise
