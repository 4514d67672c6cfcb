"""Hostile backups: bad files given to restore, bad places given to backup; each refused in one located
line, nothing replaced or written, the store still clean."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from fundtrack.storage import db
from fundtrack.storage import models as m
from fundtrack.storage.db import database, sqlite_path
from tests.hostile.harness import SAMPLE, assert_check_clean, assert_refused, fingerprint, run


@pytest.fixture(autouse=True)
def no_daily_hook_left() -> object:
    yield None
    db.before_write = None


def _good_backup(backend: str, tmp_path: Path) -> Path:
    copy = tmp_path / ("good.db" if sqlite_path(backend) else "good.dump")
    assert run("--db", backend, "backup", "-o", str(copy)).code == 0
    return copy


def _truncated(backend: str, tmp_path: Path) -> Path:
    good = _good_backup(backend, tmp_path)
    bad = tmp_path / f"truncated{good.suffix}"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return bad


def _text(backend: str, tmp_path: Path) -> Path:
    bad = tmp_path / "notes.txt"
    bad.write_text("这不是数据库\nnot a database\n", encoding="utf-8")
    return bad


def _empty(backend: str, tmp_path: Path) -> Path:
    bad = tmp_path / "empty.db"
    bad.write_bytes(b"")
    return bad


def _random(backend: str, tmp_path: Path) -> Path:
    bad = tmp_path / "noise.db"
    bad.write_bytes(os.urandom(64 * 1024))
    return bad


def _header_then_noise(backend: str, tmp_path: Path) -> Path:
    bad = tmp_path / "header.db"
    bad.write_bytes((b"SQLite format 3\x00" if sqlite_path(backend) else b"PGDMP") + os.urandom(8192))
    return bad


def _newer_schema(backend: str, tmp_path: Path) -> Path:
    row = m.SchemaVersion.create(version=999, applied_at=dt.datetime.now(dt.UTC))
    good = _good_backup(backend, tmp_path)
    database.connect(reuse_if_open=True)
    row.delete_instance()
    return good


def _other_program(backend: str, tmp_path: Path) -> Path:
    bad = tmp_path / "other.db"
    conn = sqlite3.connect(bad)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    return bad


def _missing_a_table(backend: str, tmp_path: Path) -> Path:
    good = _good_backup(backend, tmp_path)
    conn = sqlite3.connect(good)
    conn.execute(f"DROP TABLE {m.Change._meta.table_name}")
    conn.commit()
    conn.close()
    return good


def _folder(backend: str, tmp_path: Path) -> Path:
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    return folder


def _missing(backend: str, tmp_path: Path) -> Path:
    return tmp_path / "no-such-backup.db"


def _fifo(backend: str, tmp_path: Path) -> Path:
    path = tmp_path / "pipe.db"
    os.mkfifo(path)
    return path


def _damaged_pages(backend: str, tmp_path: Path) -> Path:
    good = _good_backup(backend, tmp_path)
    data = bytearray(good.read_bytes())
    for at in range(8192, len(data), 4096):
        data[at : at + 300] = os.urandom(300)
    good.write_bytes(bytes(data))
    return good


# Files that are bad whatever the backend.
ANY_BACKEND: dict[str, Callable[[str, Path], Path]] = {
    "truncated": _truncated,
    "text_file": _text,
    "empty_file": _empty,
    "random_bytes": _random,
    "header_then_noise": _header_then_noise,
    "newer_schema": _newer_schema,
    "other_program_sqlite": _other_program,
    "a_folder": _folder,
    "missing_file": _missing,
    "a_fifo": _fifo,
}
# Files whose damage is SQLite's.
SQLITE_ONLY: dict[str, Callable[[str, Path], Path]] = {
    "missing_a_table": _missing_a_table,
    "damaged_pages": _damaged_pages,
}


def _refused_restore(backend: str, tmp_path: Path, make: Callable[[str, Path], Path]) -> None:
    assert run("--db", backend, "import", str(SAMPLE[0])).code == 0
    bad = make(backend, tmp_path)
    before = fingerprint()
    backups = tmp_path / "backups"
    kept_before = set(backups.glob("*before-restore*")) if backups.exists() else set()
    assert_refused(run("--db", backend, "restore", str(bad)))
    assert fingerprint() == before
    if backups.exists():
        assert set(backups.glob("*before-restore*")) == kept_before
    assert_check_clean(backend)


@pytest.mark.parametrize("case", sorted(ANY_BACKEND))
def test_a_bad_backup_is_refused_and_nothing_is_replaced(backend: str, tmp_path: Path, case: str) -> None:
    _refused_restore(backend, tmp_path, ANY_BACKEND[case])


@pytest.mark.parametrize("case", sorted(SQLITE_ONLY))
def test_a_damaged_sqlite_backup_is_refused(sqlite_db: str, tmp_path: Path, case: str) -> None:
    _refused_restore(sqlite_db, tmp_path, SQLITE_ONLY[case])


def test_a_sqlite_backup_given_to_postgresql_is_refused(backend: str, tmp_path: Path) -> None:
    if sqlite_path(backend):
        pytest.skip("about PostgreSQL")
    src = tmp_path / "src.db"
    assert run("--db", str(src), "init").code == 0
    copy = tmp_path / "copy.db"
    assert run("--db", str(src), "backup", "-o", str(copy)).code == 0
    db.before_write = None
    _refused_restore(backend, tmp_path, lambda b, t: copy)


def test_restore_onto_a_locked_database_is_refused(sqlite_db: str, tmp_path: Path) -> None:
    assert run("--db", sqlite_db, "import", str(SAMPLE[0])).code == 0
    good = _good_backup(sqlite_db, tmp_path)
    assert run("--db", sqlite_db, "import", str(SAMPLE[1])).code == 0
    before = fingerprint()
    other = sqlite3.connect(sqlite_db, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program in the middle of a change
        result = run("--db", sqlite_db, "restore", str(good))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert_refused(result)
    assert fingerprint() == before
    assert_check_clean(sqlite_db)


def test_restore_onto_a_database_another_program_has_open_is_refused(sqlite_db: str, tmp_path: Path) -> None:
    good = _good_backup(sqlite_db, tmp_path)
    assert run("--db", sqlite_db, "import", str(SAMPLE[0])).code == 0
    before = fingerprint()
    other = sqlite3.connect(sqlite_db, isolation_level=None)
    try:
        other.execute("SELECT count(*) FROM village").fetchone()
        other.execute("BEGIN")
        other.execute("SELECT count(*) FROM village").fetchone()  # a reader holding a snapshot
        result = run("--db", sqlite_db, "restore", str(good))
    finally:
        other.execute("COMMIT")
        other.close()
    assert_refused(result)
    assert fingerprint() == before


@pytest.mark.parametrize("where", ["missing_folder", "existing_folder", "file_under_a_file"])
def test_backup_to_a_bad_place_is_refused_and_writes_nothing(backend: str, tmp_path: Path, where: str) -> None:
    assert run("--db", backend, "import", str(SAMPLE[0])).code == 0
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    output = {
        "missing_folder": tmp_path / "no" / "such" / "x.db",
        "existing_folder": tmp_path / "folder",
        "file_under_a_file": tmp_path / "plain.txt" / "x.db",
    }[where]
    listing = sorted(tmp_path.rglob("*"))
    before = fingerprint()
    assert_refused(run("--db", backend, "backup", "-o", str(output)))
    assert sorted(tmp_path.rglob("*")) == listing
    assert fingerprint() == before
    assert_check_clean(backend)


def test_backup_of_an_absent_database_is_refused_and_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "absent.db"
    assert_refused(run("--db", str(target), "backup", "-o", str(tmp_path / "copy.db")))
    assert sorted(tmp_path.iterdir()) == []


def test_backup_of_another_programs_database_is_refused(tmp_path: Path) -> None:
    other = _other_program("", tmp_path)
    assert_refused(run("--db", str(other), "backup", "-o", str(tmp_path / "copy.db")))
    assert not (tmp_path / "copy.db").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".fundtrack-")] == []


def test_restore_while_the_app_has_the_database_open_is_refused(sqlite_db: str, tmp_path: Path) -> None:
    good = _good_backup(sqlite_db, tmp_path)
    assert run("--db", sqlite_db, "import", str(SAMPLE[0])).code == 0
    before = fingerprint()
    app = sqlite3.connect(sqlite_db, isolation_level=None)  # open and idle, as the app sits
    try:
        app.execute("PRAGMA journal_mode=wal")
        app.execute("SELECT count(*) FROM village").fetchone()
        result = run("--db", sqlite_db, "restore", str(good))
    finally:
        app.close()
    assert_refused(result)
    assert fingerprint() == before
    assert_check_clean(sqlite_db)
