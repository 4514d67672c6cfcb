"""A store that this process has open keeps SQLite's locks while fundtrack reads its file's header.

POSIX drops all of a process's locks on a file when any descriptor of it is closed. Reading the header
with open()/close() (as the checks before each write did) let another process closing the same store take
itself for the last one, checkpoint and delete the -wal this process still wrote into: the app's later
saves were invisible to every other process and lost. SQLite only, by nature.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fundtrack.storage.db import database, open_database, sqlite_header
from fundtrack.storage.integrity import damage_before_use


def _count_elsewhere(db: Path) -> int:
    code = f"import sqlite3; c = sqlite3.connect({str(db)!r}); print(c.execute('select count(*) from t').fetchone()[0])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(out)


def test_another_process_closing_the_store_leaves_our_wal_and_sees_our_saves(tmp_path: Path) -> None:
    db = tmp_path / "village.db"
    open_database(str(db))
    try:
        database.execute_sql("CREATE TABLE t (x INTEGER)")
        database.execute_sql("INSERT INTO t VALUES (1)")
        # What the app does before each save, and the command line before it opens the store:
        assert sqlite_header(db).startswith(b"SQLite format 3")
        assert damage_before_use(db, writing=True) is None
        assert _count_elsewhere(db) == 1  # another fundtrack opens and closes the store (a report)
        assert Path(f"{db}-wal").exists()  # it did not take itself for the last user of the store
        database.execute_sql("INSERT INTO t VALUES (2)")
        assert _count_elsewhere(db) == 2  # our save is seen, not written into a deleted -wal
    finally:
        database.close()
    assert _count_elsewhere(db) == 2


def test_a_process_opening_store_after_store_holds_one_descriptor(tmp_path: Path) -> None:
    from fundtrack.storage import db as store

    for n in range(5):
        path = tmp_path / f"{n}.db"
        open_database(str(path))
        sqlite_header(path)
        database.close()
    assert len(store._HELD) <= 1
