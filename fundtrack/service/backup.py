"""Backup use cases: a copy on demand, the rotating daily copy before the first write of a day, restore."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import platformdirs

from fundtrack.io.fundfile import DEFAULT_OPTIONS, Options
from fundtrack.service import archive
from fundtrack.storage import backup as mech
from fundtrack.storage import db
from fundtrack.storage.db import database, sqlite_path

APP = "fundtrack"
DEFAULT_KEEP = 14


def backups_folder(target: str) -> Path:
    """Where backups of `target` go when no file is named: a `backups` folder next to a SQLite
    database file (for the default database, the user data folder's), and the user data folder's
    `backups` folder for a PostgreSQL database."""
    path = sqlite_path(target)
    if path is not None:
        return path.expanduser().resolve().parent / "backups"
    return Path(platformdirs.user_data_dir(APP)) / "backups"


def _stem(target: str) -> str:
    path = sqlite_path(target)
    if path is not None:
        return path.stem
    name = str(database.obj.database) if database.obj is not None else "fundtrack"
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "fundtrack"


def _suffix() -> str:
    if not mech.is_postgres():
        return ".db"
    return ".dump" if mech.has_pg_tools() else archive.SUFFIX


def _make_folder(folder: Path) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def copy_to(dest: Path, options: Options = DEFAULT_OPTIONS) -> Path:
    """A checked copy of the bound database at `dest` (0600); `options` check a ZIP's files."""
    if mech.is_postgres():
        # Without pg_dump: every village's live records as fundtrack/1 files in a ZIP.
        return mech.dump_postgres(dest) if mech.has_pg_tools() else archive.write_archive(dest, options)
    return mech.copy_open_sqlite(dest)


def backup_now(target: str, output: str | None = None, options: Options = DEFAULT_OPTIONS) -> Path:
    """A checked copy of the bound database (whose --db target is `target`) at `output`, or in the
    backups folder with the date and time in its name. Raises mech.BackupError."""
    if output:
        dest = Path(output).expanduser()
        if dest.is_dir():
            raise mech.BackupError("backup_is_folder", file=str(dest))
    else:
        stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
        dest = _make_folder(backups_folder(target)) / f"{_stem(target)}-{stamp}{_suffix()}"
    return copy_to(dest, options)


def daily_name(target: str, day: dt.date) -> str:
    return f"{_stem(target)}{mech.DAILY}{day.isoformat()}{_suffix()}"


def daily_backup(target: str, keep: int, day: dt.date | None = None, options: Options = DEFAULT_OPTIONS) -> Path | None:
    """Today's copy of the bound database, unless it exists; then only the newest `keep` daily
    copies stay. None when turned off (keep 0) or when today's copy was already there."""
    if keep <= 0:
        return None
    day = day or mech.today()
    folder = backups_folder(target)
    dest = folder / daily_name(target, day)
    if dest.exists():
        return None
    copy_to(_make_folder(folder) / dest.name, options)
    prefix = f"{_stem(target)}{mech.DAILY}"
    dailies = sorted(p for p in folder.glob(f"{prefix}*{_suffix()}") if len(p.name) == len(dest.name))
    for old in dailies[:-keep]:
        old.unlink(missing_ok=True)
    return dest


class _Daily:
    """The hook run before each outermost write: one stat of today's file, once per database and day."""

    def __init__(self, target: str, keep: int, options: Options = DEFAULT_OPTIONS) -> None:
        self.target, self.keep, self.options = target, keep, options
        self.done: set[tuple[str, dt.date]] = set()
        self.failed: str | None = None

    def __call__(self) -> None:
        key = (self.target, mech.today())
        if key in self.done or db.sqlite_path(self.target) is None and not mech.is_postgres():
            return
        try:
            daily_backup(self.target, self.keep, key[1], self.options)
        except (OSError, sqlite3.Error, mech.BackupError) as exc:
            # A copy that cannot be made must not stop the work: the caller says so once, and the
            # next write tries again (after a full disk is cleared, the day's copy is still made first).
            self.failed = str(exc)
            return
        self.done.add(key)
        self.failed = None


def enable_daily_backups(target: str, keep: int = DEFAULT_KEEP, options: Options = DEFAULT_OPTIONS) -> None:
    """Make a daily copy before the first write of each day to the database `target` (keep 0: none)."""
    db.before_write = _Daily(target, keep, options) if keep > 0 and _is_file_or_server(target) else None


def _is_file_or_server(target: str) -> bool:
    return sqlite_path(target) is not None or mech.is_postgres()


def daily_backup_failure() -> str | None:
    """Why today's daily copy could not be made, if it could not."""
    hook = db.before_write
    return hook.failed if isinstance(hook, _Daily) else None


def _unused(path: Path) -> Path:
    """`path`, or the same name with -2, -3 ... when it is taken: a kept database never replaces another
    (two restores in one second would otherwise write over the backup being restored)."""
    n, found = 1, path
    while found.exists():
        n += 1
        found = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return found


def restore(target: str, backup_file: str, options: Options = DEFAULT_OPTIONS, operator: str = "") -> Path | None:
    """Replace the database `target` with `backup_file`, after checking the file and keeping the
    database being replaced in the backups folder (its path; None when there was no database).
    A ZIP (the backup made without pg_dump) is imported into the open database instead.
    Raises mech.BackupError, with nothing replaced."""
    source = Path(backup_file).expanduser()
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    if archive.is_archive(source):
        keep_as = _unused(_make_folder(backups_folder(target)) / f"{_stem(target)}-before-restore-{stamp}{_suffix()}")
        archive.restore_archive(source, backup_file, lambda: copy_to(keep_as, options), options, operator)
        return keep_as
    path = sqlite_path(target)
    if path is not None:
        path = path.expanduser()
        mech.check_sqlite_file(source, shown=backup_file)
        keep_as = None
        if path.exists():
            keep_as = _unused(_make_folder(backups_folder(target)) / f"{path.stem}-before-restore-{stamp}.db")
        if database.obj is not None and not database.is_closed():
            database.close()
        mech.replace_sqlite(path, source, keep_as)
        return keep_as
    keep_as = _unused(_make_folder(backups_folder(target)) / f"{_stem(target)}-before-restore-{stamp}.dump")
    mech.restore_postgres(source, keep_as)
    return keep_as
