"""A store that cannot be read as it is (a full disk, a read-only -wal, a file cut short): every read-only
command says so in one line in zh and en, exit 2, writes nothing, and the store is whole afterwards."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import peewee
import pytest

from fundtrack.ledger.problem_messages import detail_words
from fundtrack.storage import db
from fundtrack.storage.db import database, store_error
from tests.hostile.harness import assert_check_clean, fingerprint
from tests.hostile.test_stores import _imported, _mount, _one_line, run_elsewhere

READ_ONLY = {
    "breakdown": ("report", "breakdown", "--format", "json"),
    "check": ("check",),
    "reconcile": ("reconcile", "--format", "table"),
    "history": ("history", "--format", "table"),
    "export": ("export", "--format", "toml"),
}
FULL = {"zh": "磁盘已满", "en": "disk full"}


def _raised(message: str) -> peewee.OperationalError:
    """What peewee raises for a SQLite error `message` (the sqlite3 error inside it, as the chain has it)."""
    try:
        try:
            raise sqlite3.OperationalError(message)
        except sqlite3.OperationalError as inner:
            raise peewee.OperationalError(message) from inner
    except peewee.OperationalError as outer:
        return outer


# -- the mapping, simulated ------------------------------------------------------------------------


def test_a_disk_io_error_on_a_full_disk_is_disk_full() -> None:
    found = store_error(_raised("disk I/O error"), "/media/usb/store.db", free=lambda target: 4096)
    assert found is not None and found.code == "disk_full"
    assert found.line("zh") == "fundtrack: /media/usb/store.db: 磁盘已满; 什么也没写"
    assert found.line("en") == "fundtrack: /media/usb/store.db: disk full; nothing was written"


def test_a_disk_io_error_with_room_left_is_a_failing_medium_not_a_full_disk() -> None:
    found = store_error(_raised("disk I/O error"), "/media/usb/store.db", free=lambda target: 10**9)
    assert found is not None and found.code == "store_io"
    assert "disk I/O" not in found.line("zh") and "fundtrack check" in found.line("zh")
    assert "failing" in found.line("en")


def test_a_disk_io_error_where_the_space_cannot_be_told_is_not_called_full() -> None:
    found = store_error(_raised("disk I/O error"), "postgresql://u@h/db", free=lambda target: None)
    assert found is not None and found.code == "store_io"


def test_a_file_that_cannot_be_opened_is_worded(tmp_path: Path) -> None:
    found = store_error(_raised("unable to open database file"), str(tmp_path / "store.db"))
    assert found is not None and found.code == "store_cannot_open"
    assert "打不开数据库文件" in found.line("zh") and "unable" not in found.line("zh")


def test_a_read_only_store_whose_wal_cannot_be_read_says_so(tmp_path: Path) -> None:
    (tmp_path / "store.db-wal").write_bytes(b"\0" * 8272)
    found = store_error(_raised("unable to open database file"), str(tmp_path / "store.db"))
    assert found is not None and found.code == "store_wal_unreadable"
    assert "store.db-wal" in found.line("zh") and "只读" in found.line("zh")
    assert "read-only" in found.line("en")


@pytest.mark.parametrize(
    ("detail", "zh"),
    [
        ("database disk image is malformed", "文件内容已损坏"),
        ("file is not a database", "不是数据库文件"),
        ("the file is cut short: 4096 bytes of 299008", "文件被截短了: 只有 4096 字节, 应有 299008 字节"),
        ("row 237 missing from index hire_role", "索引 hire_role 缺少第 237 行"),
        ("something SQLite has not said before", "something SQLite has not said before"),
    ],
)
def test_what_sqlite_says_of_damage_is_in_chinese_where_known(detail: str, zh: str) -> None:
    assert detail_words("zh", detail) == zh
    assert detail_words("en", detail) == detail


def test_opening_the_app_on_a_full_disk_is_one_worded_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fundtrack.cli import commands

    def full(*args: object, **kwargs: object) -> None:
        raise _raised("disk I/O error")  # what SQLite says when it cannot make the -shm

    monkeypatch.setattr(commands, "open_database", full)
    monkeypatch.setattr(db, "space_left", lambda target: 0)
    for language, words in FULL.items():
        result = run_elsewhere("--db", str(tmp_path / "store.db"), lang=language)  # no command: the app
        _one_line(result, words)
        assert result.out == ""


# -- a read-only file with commits still in its -wal ----------------------------------------------


def _with_pending_wal(path: Path) -> None:
    """Leave one commit (the village renamed) in the -wal, as a program killed before its checkpoint does."""
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA wal_autocheckpoint=0")
    raw.execute("UPDATE village SET name = name || '新'")
    copy = Path(f"{path}-wal").read_bytes(), Path(f"{path}-shm").read_bytes()
    raw.close()  # checkpoints and removes the -wal: put the pair back as the killed program left it
    for suffix, data in zip(("-wal", "-shm"), copy, strict=True):
        Path(f"{path}{suffix}").write_bytes(data)


def test_a_read_only_store_shows_the_commits_still_in_its_wal(
    sqlite_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _imported(sqlite_db)
    database.close()
    store = tmp_path / "copy.db"
    shutil.copyfile(sqlite_db, store)
    _with_pending_wal(store)
    monkeypatch.setattr(db, "read_only", lambda path: True)  # as on a read-only file, folder or medium
    result = run_elsewhere("--db", str(store), "report", "breakdown", "--format", "json")
    assert result.code == 0, result.err
    assert "xx彝族村新" in result.out  # an immutable open showed the name from before the last commit


# -- a real full disk (a small tmpfs; skipped where mounting is not allowed) -----------------------


def test_read_only_commands_on_a_full_tmpfs_are_one_worded_line(sqlite_db: str, tmp_path: Path) -> None:
    _imported(sqlite_db)
    before = fingerprint()
    database.close()
    folder = tmp_path / "small"
    folder.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)):
        pytest.skip("cannot mount a tmpfs here")
    try:
        store = folder / "store.db"
        shutil.copyfile(sqlite_db, store)
        original = store.read_bytes()
        with open(folder / "fill", "wb", buffering=0) as fill:  # the disk full to its last block
            try:
                while True:
                    fill.write(b"\0" * 4096)
            except OSError:
                pass
        for language, words in FULL.items():
            for name, args in READ_ONLY.items():
                result = run_elsewhere("--db", str(store), *args, lang=language)
                _one_line(result, words)
                assert result.out == "", name
            _one_line(run_elsewhere("--db", str(store), lang=language), words)  # the app, before it opens
            # a backup of a store on another disk onto the full one: the copy's disk is full, not the store
            copy = folder / "copy.db"
            _one_line(run_elsewhere("--db", sqlite_db, "backup", "-o", str(copy), lang=language), words)
            assert not copy.exists()
        assert store.read_bytes() == original
        (folder / "fill").unlink()  # space is back: the store is whole and reads as before
        assert run_elsewhere("--db", str(store), "report", "breakdown", "--format", "json").code == 0
        assert_check_clean(str(store))
        db.open_database(str(store), create=False)
        assert fingerprint() == before
    finally:
        database.close()
        subprocess.run(["umount", "--lazy", str(folder)], capture_output=True)
