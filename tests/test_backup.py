"""Backup and restore: a copy gives back the same records, bad copies are refused, the daily copy rotates."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from fundtrack.service import backup as service
from fundtrack.storage import backup as mech
from fundtrack.storage import db
from fundtrack.storage.db import database
from tests.hostile.harness import SAMPLE, assert_check_clean, fingerprint, run

pytestmark = pytest.mark.usefixtures("private_umask")


@pytest.fixture
def private_umask() -> object:
    # Files must come out 0600 whatever the umask: test under the most open one.
    old = os.umask(0)
    yield None
    os.umask(old)


@pytest.fixture(autouse=True)
def no_daily_hook_left() -> object:
    yield None
    db.before_write = None


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _suffix(backend: str) -> str:
    return ".db" if "://" not in backend else ".dump"


def test_backup_then_restore_gives_back_the_same_records(backend: str, tmp_path: Path) -> None:
    assert run("--db", backend, "import", str(SAMPLE[0])).code == 0
    before = fingerprint()
    copy = tmp_path / f"copy{_suffix(backend)}"
    result = run("--db", backend, "backup", "-o", str(copy))
    assert result.code == 0, result.err
    assert _mode(copy) == 0o600
    assert run("--db", backend, "import", str(SAMPLE[1])).code == 0
    assert fingerprint() != before
    result = run("--db", backend, "restore", str(copy))
    assert result.code == 0, result.err
    assert fingerprint() == before
    assert_check_clean(backend)


def test_restore_keeps_the_replaced_database(backend: str, tmp_path: Path) -> None:
    assert run("--db", backend, "import", str(SAMPLE[0])).code == 0
    copy = tmp_path / f"copy{_suffix(backend)}"
    assert run("--db", backend, "backup", "-o", str(copy)).code == 0
    assert run("--db", backend, "import", str(SAMPLE[1])).code == 0
    both = fingerprint()
    result = run("--db", backend, "restore", str(copy))
    assert result.code == 0, result.err
    kept = Path(result.err.split("kept at ")[1].strip())
    assert kept.exists() and _mode(kept) == 0o600
    assert run("--db", backend, "restore", str(kept)).code == 0
    assert fingerprint() == both


def test_a_backup_without_o_goes_to_the_backups_folder_0600(sqlite_db: str) -> None:
    result = run("--db", sqlite_db, "backup")
    assert result.code == 0, result.err
    made = list((Path(sqlite_db).parent / "backups").glob("test-*.db"))
    assert len(made) == 1 and _mode(made[0]) == 0o600
    assert mech.check_sqlite_file(made[0]) == mech.newest_schema()


def test_a_corrupted_backup_is_refused_and_nothing_is_replaced(sqlite_db: str, tmp_path: Path) -> None:
    assert run("--db", sqlite_db, "import", str(SAMPLE[0])).code == 0
    copy = tmp_path / "copy.db"
    assert run("--db", sqlite_db, "backup", "-o", str(copy)).code == 0
    data = bytearray(copy.read_bytes())
    for at in range(8192, len(data), 4096):  # scribble over every page but the first two
        data[at : at + 300] = os.urandom(300)
    copy.write_bytes(bytes(data))
    before = fingerprint()
    result = run("--db", sqlite_db, "restore", str(copy))
    assert result.code == 2, result.err
    assert fingerprint() == before
    assert not list((Path(sqlite_db).parent / "backups").glob("*before-restore*"))


def test_the_daily_backup_is_made_once_a_day_and_only_n_are_kept(sqlite_db: str, monkeypatch) -> None:
    folder = Path(sqlite_db).parent / "backups"
    start = dt.date(2026, 11, 1)
    for n in range(20):
        day = start + dt.timedelta(days=n)
        monkeypatch.setattr(mech, "today", lambda day=day: day)
        service.enable_daily_backups(sqlite_db, keep=14)
        for _ in range(3):
            with db.write_transaction():
                pass
    dailies = sorted(p.name for p in folder.glob("*-daily-*"))
    assert len(dailies) == 14
    assert dailies[0] == "test-daily-2026-11-07.db" and dailies[-1] == "test-daily-2026-11-20.db"
    assert all(_mode(folder / name) == 0o600 for name in dailies)


def test_the_daily_backup_runs_before_the_first_write_of_a_cli_day(sqlite_db: str) -> None:
    assert run("--db", sqlite_db, "import", str(SAMPLE[0])).code == 0
    assert run("--db", sqlite_db, "import", str(SAMPLE[1])).code == 0
    dailies = list((Path(sqlite_db).parent / "backups").glob("*-daily-*"))
    assert len(dailies) == 1
    # Made before the first import: it holds the empty, freshly made store.
    assert mech.check_sqlite_file(dailies[0]) == mech.newest_schema()


def test_keep_zero_turns_the_daily_backup_off(sqlite_db: str) -> None:
    service.enable_daily_backups(sqlite_db, keep=0)
    with db.write_transaction():
        pass
    assert not (Path(sqlite_db).parent / "backups").exists()


def test_the_daily_check_costs_nothing_measurable_after_the_first(sqlite_db: str) -> None:
    import time

    service.enable_daily_backups(sqlite_db, keep=14)
    with db.write_transaction():
        pass
    hook = db.before_write
    assert hook is not None
    start = time.perf_counter()
    for _ in range(10_000):
        hook()
    assert (time.perf_counter() - start) / 10_000 < 20e-6  # a set lookup, no stat, no copy


def test_the_config_takes_backups_keep(tmp_path: Path) -> None:
    from fundtrack.io.config import load_config
    from fundtrack.io.problems import InputError

    good = tmp_path / "good.toml"
    good.write_text("[backups]\nkeep = 3\n", encoding="utf-8")
    assert load_config(str(good), use_user_file=False).backups_keep == 3
    assert load_config(use_user_file=False).backups_keep == 14
    bad = tmp_path / "bad.toml"
    bad.write_text("[backups]\nkeep = -1\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_config(str(bad), use_user_file=False)


def test_a_restored_database_opens_in_wal_mode_again(sqlite_db: str, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert run("--db", sqlite_db, "backup", "-o", str(copy)).code == 0
    assert run("--db", sqlite_db, "restore", str(copy)).code == 0
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_kept_database_never_writes_over_another(tmp_path: Path) -> None:
    """Two restores in one second named their kept databases alike: the second wrote over the backup
    being restored (seen on PostgreSQL: the restored database had no receipts)."""
    from fundtrack.service.backup import _unused

    first = tmp_path / "x-before-restore-20261130-185000.dump"
    assert _unused(first) == first
    first.write_bytes(b"kept")
    second = _unused(first)
    assert second != first and second.name == "x-before-restore-20261130-185000-2.dump"


def test_a_daily_copy_that_failed_is_tried_again_at_the_next_write(
    sqlite_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first write of the day on a full disk failed to copy; the day's copy was then never made."""
    from fundtrack.service import backup as svc

    hook = svc._Daily(sqlite_db, 14)
    calls: list[int] = []

    def failing(*args: object, **kwargs: object) -> None:
        calls.append(1)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(svc, "daily_backup", failing)
    hook()
    assert hook.failed and calls == [1]
    monkeypatch.setattr(svc, "daily_backup", lambda *a, **k: calls.append(2))
    hook()
    hook()  # made: not again the same day
    assert calls == [1, 2] and hook.failed is None
