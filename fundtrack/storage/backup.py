"""Copies of a database and their checks: SQLite's online backup API, pg_dump and pg_restore for PostgreSQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import peewee

from fundtrack.ledger.problem_messages import CodedError
from fundtrack.storage.db import database, file_head
from fundtrack.storage.models import MODELS, Change, SchemaVersion

DAILY = "-daily-"
"""Marks the automatic daily copies in a backups folder; only these are rotated."""


class BackupError(CodedError):
    """A backup that cannot be made, or a file that is not a good backup; nothing was replaced."""


def newest_schema() -> int:
    from fundtrack.storage.migrations import MIGRATIONS

    return max(version for version, _ in MIGRATIONS)


def private_temp(folder: Path, suffix: str) -> Path:
    """An empty 0600 file in `folder` (whatever the umask), to be renamed over the final name."""
    fd, name = tempfile.mkstemp(prefix=".fundtrack-", suffix=suffix, dir=folder)
    os.fchmod(fd, 0o600)
    os.close(fd)
    return Path(name)


def _folder_of(dest: Path) -> Path:
    folder = dest.parent
    if not folder.is_dir():
        raise BackupError("backup_no_folder", folder=str(folder))
    return folder


# --- SQLite ------------------------------------------------------------------------------------


@contextlib.contextmanager
def _checked_into_place(dest: Path, suffix: str) -> Iterator[Path]:
    """A private temporary file beside `dest` to write the copy to; renamed onto `dest` when the block
    (which writes and checks it) ends well, removed otherwise: a copy that fails never takes the name."""
    tmp = private_temp(_folder_of(dest), suffix)
    try:
        yield tmp
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def copy_sqlite(source: sqlite3.Connection, dest: Path) -> Path:
    """Copy the database behind `source` to `dest` with the online backup API, check the copy, then
    rename it into place (0600)."""
    with _checked_into_place(dest, ".db") as tmp:
        copy = sqlite3.connect(tmp)
        try:
            source.backup(copy)
            # One self-contained file: a copy in WAL mode would need its -wal and -shm alongside.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
        check_sqlite_file(tmp, shown=str(dest), newer_ok=True)
    return dest


def copy_open_sqlite(dest: Path) -> Path:
    """Copy the SQLite database the proxy is bound to (an online copy: other writers may go on)."""
    return copy_sqlite(database.connection(), dest)


def _starts_with(path: Path, shown: str | None, magic: bytes, code: str) -> str:
    """The name to show for a backup file that is a plain file starting with `magic` (else refused with `code`)."""
    name = shown or str(path)
    if not path.is_file():
        raise BackupError("backup_not_a_file", file=name)
    if file_head(path, len(magic)) != magic:  # not open()/close(): it may be the open store itself
        raise BackupError(code, file=name)
    return name


def check_sqlite_file(path: Path, shown: str | None = None, newer_ok: bool = False) -> int:
    """Check that `path` is a whole fundtrack SQLite database this program can open (or, `newer_ok`,
    one a newer fundtrack made: a copy of it is still worth keeping); its schema version."""
    name = _starts_with(path, shown, b"SQLite format 3\x00", "backup_not_sqlite")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError("backup_unreadable", file=name, message=str(exc)) from exc
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if rows != [("ok",)]:
            raise BackupError("backup_damaged", file=name, message=str(rows[0][0]))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        wanted = {m._meta.table_name for m in (*MODELS, Change, SchemaVersion)}
        if not wanted <= tables:
            raise BackupError("backup_not_fundtrack", file=name)
        version = conn.execute(f"SELECT max(version) FROM {SchemaVersion._meta.table_name}").fetchone()[0] or 0
    except sqlite3.Error as exc:
        raise BackupError("backup_damaged", file=name, message=str(exc)) from exc
    finally:
        conn.close()
    if version > newest_schema() and not newer_ok:
        raise BackupError("backup_newer_schema", file=name, version=version, newest=newest_schema())
    return int(version)


def replace_sqlite(target: Path, backup: Path, keep_as: Path | None) -> None:
    """Put a checked copy of `backup` in place of the database file `target`, after copying the
    database being replaced to `keep_as`. Refused while another program has the database open."""
    check_sqlite_file(backup)
    tmp = private_temp(_folder_of(target), ".db")
    try:
        shutil.copyfile(backup, tmp)
        check_sqlite_file(tmp, shown=str(backup))
        if target.exists():
            conn = sqlite3.connect(target, timeout=0.5, isolation_level=None)
            try:
                # Leaving WAL mode needs the only connection: it fails while anyone else has the
                # database open, and it folds the -wal file into the database, so no stale -wal
                # can be replayed over the restored file afterwards.
                if conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0].lower() != "delete":
                    raise BackupError("restore_in_use", file=str(target))
                if keep_as is not None:
                    copy_sqlite(conn, keep_as)
                os.replace(tmp, target)
            except sqlite3.OperationalError as exc:
                raise BackupError("restore_in_use", file=str(target)) from exc
            finally:
                conn.close()
        else:
            os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for extra in ("-wal", "-shm"):
        Path(f"{target}{extra}").unlink(missing_ok=True)


# --- PostgreSQL --------------------------------------------------------------------------------


def pg_tool(name: str) -> str | None:
    """pg_dump or pg_restore: on the PATH, else from the newest server install under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    installed = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: p.parent.parent.name)
    return str(installed[-1]) if installed else None


def has_pg_tools() -> bool:
    """Whether pg_dump and pg_restore are both found (else a PostgreSQL backup is a fundtrack/1 export)."""
    return pg_tool("pg_dump") is not None and pg_tool("pg_restore") is not None


def pg_url() -> str:
    """A libpq URL for the PostgreSQL database the proxy is bound to, without its password (a command
    line is readable by every user of the machine: the password goes by `pg_env`)."""
    db = database.obj
    params = dict(db.connect_params)
    from urllib.parse import quote

    user = params.get("user") or ""
    auth = quote(str(user))
    host = params.get("host") or ""
    port = params.get("port")
    netloc = (auth + "@" if auth else "") + host + (f":{port}" if port else "")
    return f"postgresql://{netloc}/{quote(db.database)}"


def pg_env() -> dict[str, str]:
    """The environment of pg_dump and pg_restore: this one, with the bound database's password (if any)
    as PGPASSWORD, which only this user's processes can read."""
    env = dict(os.environ)
    password = (getattr(database.obj, "connect_params", None) or {}).get("password")
    if password:
        env["PGPASSWORD"] = str(password)
    return env


def _run(cmd: list[str], shown: str) -> subprocess.CompletedProcess[bytes]:
    proc = subprocess.run(cmd, capture_output=True, timeout=3600, env=pg_env())
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["failed"]
        raise BackupError("backup_tool_failed", file=shown, tool=Path(cmd[0]).name, message=lines[0][:300])
    return proc


def dump_postgres(dest: Path) -> Path:
    """pg_dump (custom format) of the bound PostgreSQL database to `dest`, 0600, checked with pg_restore --list."""
    dump, restore = pg_tool("pg_dump"), pg_tool("pg_restore")
    if dump is None or restore is None:
        raise BackupError("backup_no_pg_dump")
    with _checked_into_place(dest, ".dump") as tmp:
        _run([dump, "--format=custom", "--no-owner", f"--file={tmp}", f"--dbname={pg_url()}"], str(dest))
        check_pg_dump(tmp, shown=str(dest), newer_ok=True)
    return dest


def check_pg_dump(path: Path, shown: str | None = None, newer_ok: bool = False) -> int:
    """Check that `path` is a pg_dump (custom format) of a fundtrack database (of this program's schema
    or, `newer_ok`, a newer one); its schema version."""
    name = _starts_with(path, shown, b"PGDMP", "backup_not_pg_dump")
    restore = pg_tool("pg_restore")
    if restore is None:
        raise BackupError("backup_no_pg_dump")
    listing = _run([restore, "--list", str(path)], name).stdout.decode("utf-8", "replace")
    wanted = {m._meta.table_name for m in (*MODELS, Change, SchemaVersion)}
    have = {parts[-2] for line in listing.splitlines() if " TABLE DATA " in line and len(parts := line.split()) > 2}
    if not wanted <= have:
        raise BackupError("backup_not_fundtrack", file=name)
    table = SchemaVersion._meta.table_name
    data = _run([restore, "--data-only", f"--table={table}", "--file=-", str(path)], name).stdout.decode()
    versions, inside = [0], False
    for line in data.splitlines():
        if line.startswith(f"COPY public.{table} ") or line.startswith(f"COPY {table} "):
            inside = True
        elif inside and line == "\\.":
            inside = False
        elif inside and line.strip():
            cols = line.split("\t")
            versions.append(int(cols[1]) if len(cols) > 2 else int(cols[0]))
    version = max(versions)
    if version > newest_schema() and not newer_ok:
        raise BackupError("backup_newer_schema", file=name, version=version, newest=newest_schema())
    return version


def restore_postgres(backup: Path, keep_as: Path | None) -> None:
    """Replace every table of the bound PostgreSQL database with those in a pg_dump file, in one
    transaction (a failure leaves the database as it was), after dumping it to `keep_as`."""
    check_pg_dump(backup)
    restore = pg_tool("pg_restore")
    assert restore is not None  # check_pg_dump found it
    if keep_as is not None:
        dump_postgres(keep_as)
    url = pg_url()
    database.close()
    _run(
        [restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={url}", str(backup)],
        str(backup),
    )


def today() -> dt.date:
    return dt.date.today()


def is_postgres() -> bool:
    return isinstance(database.obj, peewee.PostgresqlDatabase)
