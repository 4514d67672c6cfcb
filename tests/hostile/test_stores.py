"""Damaged and odd stores: each command refused in one line (exit 2), `check` reporting (exit 1), never exit 3."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest

from fundtrack.storage import db
from fundtrack.storage.db import database, open_database
from fundtrack.storage.migrations import MIGRATIONS, latest, migrate
from tests.hostile.harness import SAMPLE, Result, assert_check_clean, assert_refused, fingerprint, run

READS = {
    "breakdown": ("report", "breakdown"),
    "quotas": ("report", "quotas"),
    "findings": ("report", "findings"),
    "reconcile": ("reconcile",),
    "export": ("export",),
    "journal": ("export-journal",),
    "history": ("history",),
}
WRITES = {"undo": ("undo",), "import": ("import", str(SAMPLE[0]))}


def run_elsewhere(*args: str, lang: str = "en") -> Result:
    """`run` on a target that is not the test's store (absent, damaged, refused): the harness then has
    no store of the test's to reopen."""
    if database.obj is not None:
        database.close()
    placeholder = peewee.SqliteDatabase(":memory:")
    placeholder.database = ""  # what the harness reads as "no store to reopen"
    database.initialize(placeholder)
    result = run(*args, lang=lang)
    database.close()  # the command's own connection (a file on a mount must be let go)
    return result


def _imported(target: str) -> str:
    assert run("--db", target, "import", *map(str, SAMPLE)).code == 0
    return target


# What the tests that break a write import: one more receipt for the sample village, which reaches the
# write (the illustrative file itself defines the household register, so a second import of it is
# refused by the check before anything is written).
MORE = (
    'format = "fundtrack/1"\n[village]\nname = "xx彝族村"\n'
    '[[receipts]]\nproject = "housing-1"\nfunder = "上级拨款"\namount = "1万"\ndate = 2024-01-01\n'
)


def _more(folder: Path, receipts: int = 1) -> str:
    """A file of `receipts` more receipts (each with a note: enough of them fill a few pages)."""
    head, receipt = MORE.split("[[receipts]]")
    note = 'note = "' + "示意" * 40 + '"\n'
    path = folder / "more.toml"
    path.write_text(head + "".join("[[receipts]]" + receipt + note for _ in range(receipts)), encoding="utf-8")
    return str(path)


def _one_line(result: Result, *words: str) -> None:
    assert_refused(result)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, lines
    for word in words:
        assert word in lines[0], lines[0]


def _check(target: str) -> tuple[int, list[dict]]:
    """`check --format json`: its exit code and its problems (never a traceback, never exit 3)."""
    result = run_elsewhere("--db", target, "check", "--format", "json")
    assert "Traceback" not in result.err + result.out
    assert result.code in (0, 1), (result.code, result.err)
    return result.code, json.loads(result.out)["problems"]


# -- damaged files ---------------------------------------------------------------------------------


def _damage(path: Path, how: str) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    if how.startswith("truncated_"):
        size = {"truncated_100": 100, "truncated_4096": 4096, "truncated_half": len(data) // 2}[how]
        path.write_bytes(data[:size])
    elif how == "overwritten_middle":
        rng = random.Random(13)
        start, end = len(data) // 4, 3 * len(data) // 4
        data[start:end] = rng.randbytes(end - start)
        path.write_bytes(data)
    elif how == "text_file":
        path.write_text("这不是数据库\nnot a database\n", encoding="utf-8")
    elif how == "zeroed_header":
        data[:100] = bytes(100)
        path.write_bytes(data)


DAMAGE = ("truncated_100", "truncated_4096", "truncated_half", "overwritten_middle", "text_file", "zeroed_header")


@pytest.fixture
def damaged_copy(sqlite_db: str, tmp_path: Path) -> Iterator[callable]:
    _imported(sqlite_db)
    database.close()

    def make(how: str) -> str:
        copy = tmp_path / f"{how}.db"
        shutil.copyfile(sqlite_db, copy)
        _damage(copy, how)
        return str(copy)

    yield make


@pytest.mark.parametrize("how", DAMAGE)
@pytest.mark.parametrize("command", ["breakdown", "import", "undo"])
def test_a_damaged_file_is_refused_in_one_line_not_exit_3(damaged_copy, how: str, command: str) -> None:
    target = damaged_copy(how)
    before = Path(target).read_bytes()
    args = READS.get(command) or WRITES[command]
    _one_line(run_elsewhere("--db", target, *args), "damaged", "fundtrack check")
    assert Path(target).read_bytes() == before


@pytest.mark.parametrize("how", DAMAGE)
def test_check_reports_a_damaged_file_with_exit_1_not_3(damaged_copy, how: str) -> None:
    target = damaged_copy(how)
    code, problems = _check(target)
    assert code == 1 and problems
    assert problems[0]["where"] == "database"
    table = run_elsewhere("--db", target, "check", "--format", "table")
    assert table.code == 1 and table.out.strip() and "Traceback" not in table.err


# -- absent, empty and odd targets -------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted({**READS, "undo": ("undo",), "check": ("check",)}))
def test_a_mistyped_db_path_is_refused_and_not_created(tmp_path: Path, command: str) -> None:
    target = tmp_path / "typo" / "fundtrak.db"
    args = {**READS, "undo": ("undo",), "check": ("check",)}[command]
    _one_line(run_elsewhere("--db", str(target), *args), "no database here")
    assert not target.exists() and not target.parent.exists()


@pytest.mark.parametrize("command", ["breakdown", "history", "undo", "check"])
def test_an_empty_file_is_not_silently_made_a_database(tmp_path: Path, command: str) -> None:
    target = tmp_path / "empty.db"
    target.touch()
    args = {**READS, "undo": ("undo",), "check": ("check",)}[command]
    result = run_elsewhere("--db", str(target), *args)
    if command == "check":
        assert result.code == 1 and "Traceback" not in result.err
    else:
        _one_line(result, "empty file")
    assert target.stat().st_size == 0


def test_init_and_import_may_make_an_empty_file_a_database(tmp_path: Path) -> None:
    target = tmp_path / "empty.db"
    target.touch()
    assert run_elsewhere("--db", str(target), "import", str(SAMPLE[0])).code == 0
    assert_check_clean(str(target))


@pytest.mark.parametrize("command", ["breakdown", "import", "check"])
def test_a_directory_as_db_is_refused(tmp_path: Path, command: str) -> None:
    args = {**READS, **WRITES, "check": ("check",)}[command]
    _one_line(run_elsewhere("--db", str(tmp_path), *args), "folder")


def test_a_sqlite_file_that_is_not_fundtracks_is_not_taken_over_by_reads(tmp_path: Path) -> None:
    target = tmp_path / "other.db"
    with contextlib.closing(sqlite3.connect(target)) as conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
    _one_line(run_elsewhere("--db", str(target), "report", "breakdown"), "not a fundtrack database")
    with contextlib.closing(sqlite3.connect(target)) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["notes"]


# -- what `check` sees inside a store -----------------------------------------------------------------


def _sql(statement: str) -> None:
    database.execute_sql(statement)


def _found(target: str, code: str) -> list[dict]:
    result, problems = _check(target)
    assert result == 1, problems
    hits = [p for p in problems if p["code"] == code]
    assert hits, problems
    return hits


def test_check_reports_a_dropped_table(backend: str) -> None:
    _imported(backend)
    _sql("DROP TABLE expense")
    hits = _found(backend, "check_missing_table")
    assert hits[0]["where"] == "expense"
    _one_line(run("--db", backend, "report", "breakdown"), "damaged")


def test_check_reports_a_dropped_column(backend: str) -> None:
    _imported(backend)
    _sql("ALTER TABLE receipt DROP COLUMN note")
    assert _found(backend, "check_missing_column")[0]["what"] == "column note is missing"


def test_check_reports_a_money_column_altered_to_text_on_postgresql(backend: str) -> None:
    if not backend.startswith("postgresql"):
        pytest.skip("SQLite columns have no fixed type: its cells are checked instead")
    _imported(backend)
    _sql("ALTER TABLE receipt ALTER COLUMN amount_fen TYPE text")
    hit = _found(backend, "check_column_type")[0]
    assert hit["where"] == "receipt" and "amount_fen" in hit["what"] and "text" in hit["what"]


def test_a_read_only_postgresql_database_can_be_read_but_not_written(backend: str) -> None:
    if not backend.startswith("postgresql"):
        pytest.skip("about a server setting")
    _imported(backend)
    name = backend.rsplit("/", 1)[1]
    _sql(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    database.close()
    before = fingerprint()
    read = run("--db", backend, "report", "breakdown", "--format", "json")
    assert read.code == 0 and json.loads(read.out), read.err
    _one_line(run("--db", backend, "undo"), "read-only")
    assert fingerprint() == before
    assert_check_clean(backend)


def test_check_reports_text_in_a_money_cell(sqlite_db: str) -> None:
    _imported(sqlite_db)
    ids = [r[0] for r in database.execute_sql("SELECT id FROM receipt ORDER BY id LIMIT 3").fetchall()]
    _sql(f"UPDATE receipt SET amount_fen = '一百万' WHERE id = {ids[0]}")
    _sql(f"UPDATE receipt SET date = '2024-02-30' WHERE id = {ids[1]}")
    _sql(f"UPDATE receipt SET date = 'yesterday' WHERE id = {ids[2]}")
    (project,) = database.execute_sql("SELECT min(id) FROM project").fetchone()
    _sql(f"UPDATE project SET budget_at_least = 7 WHERE id = {project}")
    assert [p["where"] for p in _found(sqlite_db, "check_not_integer")] == [f"receipts:{ids[0]}"]
    assert [p["where"] for p in _found(sqlite_db, "check_not_date")] == [f"receipts:{i}" for i in ids[1:]]
    assert [p["where"] for p in _found(sqlite_db, "check_not_flag")] == [f"projects:{project}"]


def test_check_reports_an_active_record_linked_to_a_voided_one(backend: str) -> None:
    _imported(backend)
    receipt, project = database.execute_sql("SELECT id, project_id FROM receipt ORDER BY id LIMIT 1").fetchone()
    _sql(f"UPDATE project SET voided = TRUE WHERE id = {int(project)}")
    hits = _found(backend, "check_link_voided")
    assert any(h["where"] == f"receipts:{receipt}" and f"projects:{project}" in h["what"] for h in hits)


def test_check_reports_a_link_to_a_missing_record(sqlite_db: str) -> None:
    _imported(sqlite_db)
    (receipt,) = database.execute_sql("SELECT max(id) FROM receipt").fetchone()
    _sql("PRAGMA foreign_keys = OFF")
    _sql(f"UPDATE receipt SET funder_id = 99999 WHERE id = {int(receipt)}")
    assert _found(sqlite_db, "check_link_missing")[0]["where"] == f"receipts:{receipt}"


def test_check_reports_a_parent_cycle(backend: str) -> None:
    _imported(backend)
    ids = [r[0] for r in database.execute_sql("SELECT id FROM project ORDER BY id LIMIT 3").fetchall()]
    for child, parent in zip(ids, [*ids[1:], ids[0]], strict=True):
        _sql(f"UPDATE project SET parent_id = {int(parent)} WHERE id = {int(child)}")
    hits = _found(backend, "check_cycle")
    assert len(hits) == 1 and hits[0]["where"] == f"projects:{ids[0]}"


def test_schema_999_is_reported_and_not_written_to(backend: str) -> None:
    _imported(backend)
    _sql("INSERT INTO schema_version (version, applied_at) VALUES (999, '2030-01-01 00:00:00')")
    assert _found(backend, "check_newer")[0]["what"] == f"schema 999 is newer than this fundtrack's ({latest()})"
    before = fingerprint()
    _one_line(run("--db", backend, "import", str(SAMPLE[1])), "schema 999")
    _one_line(run("--db", backend, "undo"), "schema 999")
    assert fingerprint() == before
    read = run("--db", backend, "report", "breakdown", "--format", "json")
    assert read.code == 0 and json.loads(read.out) and "reading only" in read.err


# -- read-only, full, locked ----------------------------------------------------------------------


def _mount(*args: str) -> bool:
    return os.geteuid() == 0 and subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def read_only_folder(sqlite_db: str, tmp_path: Path) -> Iterator[Path]:
    """A folder holding the sample store that cannot be written: a read-only bind mount as root, else 0555."""
    _imported(sqlite_db)
    database.close()
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copyfile(sqlite_db, folder / "store.db")
    if os.geteuid() == 0:
        if not (_mount("--bind", str(folder), str(folder)) and _mount("-o", "remount,bind,ro", str(folder))):
            subprocess.run(["umount", str(folder)], capture_output=True)
            pytest.skip("cannot mount a read-only folder here")
        try:
            yield folder
        finally:
            database.close()
            subprocess.run(["umount", str(folder)], capture_output=True)
    else:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)


def test_a_store_on_read_only_media_can_be_read_but_not_written(read_only_folder: Path, tmp_path: Path) -> None:
    target = str(read_only_folder / "store.db")
    read = run("--db", target, "report", "breakdown", "--format", "json")
    assert read.code == 0 and json.loads(read.out), read.err
    assert run("--db", target, "check").code == 0
    _one_line(run("--db", target, "import", _more(tmp_path)), "read-only")
    _one_line(run("--db", target, "undo"), "read-only")
    assert sorted(p.name for p in read_only_folder.iterdir()) == ["store.db"]


def test_a_read_only_file_can_be_read(sqlite_db: str) -> None:
    _imported(sqlite_db)
    database.close()
    Path(sqlite_db).chmod(0o444)
    try:
        read = run("--db", sqlite_db, "report", "breakdown", "--format", "json")
        assert read.code == 0 and json.loads(read.out), read.err
        result = run("--db", sqlite_db, "undo")
        if os.geteuid() != 0:  # root writes whatever the mode says
            _one_line(result, "read-only")
    finally:
        Path(sqlite_db).chmod(0o600)


def test_a_full_disk_is_one_line_and_writes_nothing(
    sqlite_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _imported(sqlite_db)
    (pages,) = database.execute_sql("PRAGMA page_count").fetchone()
    before = fingerprint()
    monkeypatch.setitem(db.SQLITE_PRAGMAS, "max_page_count", pages + 2)
    result = run("--db", sqlite_db, "import", _more(tmp_path, 500))
    _one_line(result, "disk full")
    assert "cannot rollback" not in result.err
    monkeypatch.delitem(db.SQLITE_PRAGMAS, "max_page_count")
    open_database(sqlite_db)
    assert fingerprint() == before
    assert_check_clean(sqlite_db)


@pytest.mark.slow
def test_a_full_tmpfs_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=400k", "tmpfs", str(folder)):
        pytest.skip("cannot mount a tmpfs here")
    try:
        target = str(folder / "store.db")
        assert run_elsewhere("--db", target, "init").code == 0
        result = run_elsewhere("--db", target, "import", *map(str, SAMPLE))
        _one_line(result, "disk full")
        open_database(target)
        assert fingerprint()[0][1] == 0  # no village: nothing half-written
        database.close()
    finally:
        database.close()
        subprocess.run(["umount", "--lazy", str(folder)], capture_output=True)


def test_a_locked_store_is_one_line_after_the_timeout(
    sqlite_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _imported(sqlite_db)
    before = fingerprint()
    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.2)
    other = sqlite3.connect(sqlite_db, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN EXCLUSIVE")
        _one_line(run("--db", sqlite_db, "import", _more(tmp_path)), "locked")
        _one_line(run("--db", sqlite_db, "undo"), "locked")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert fingerprint() == before


# -- PostgreSQL servers that refuse ------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", ["breakdown", "import", "check"])
def test_a_closed_postgresql_port_is_one_line_without_the_password(command: str) -> None:
    pytest.importorskip("psycopg")
    target = f"postgresql://fundtrack:s3cretPW@127.0.0.1:{_closed_port()}/fundtrack"
    args = {**READS, **WRITES, "check": ("check",)}[command]
    result = run_elsewhere("--db", target, *args)
    _one_line(result, "refused")
    assert "s3cretPW" not in result.err + result.out


@pytest.mark.parametrize(
    "url",
    ["postgresql://fundtrack:p%40ss%3Aw0rd@127.0.0.1:{port}/x", "postgresql://127.0.0.1:{port}/x?password=s3cretPW"],
)
def test_a_password_written_otherwise_is_not_printed_either(url: str) -> None:
    pytest.importorskip("psycopg")
    result = run_elsewhere("--db", url.format(port=_closed_port()), "report", "breakdown")
    _one_line(result, "refused")
    for secret in ("p%40ss%3Aw0rd", "p@ss:w0rd", "s3cretPW"):
        assert secret not in result.err + result.out


@pytest.mark.parametrize("command", ["breakdown", "import"])
def test_a_wrong_postgresql_user_or_password_is_one_line_without_it(pg_server: str, command: str) -> None:
    server = pg_server.replace("postgresql://postgres@", "postgresql://nobody:s3cretPW@")
    args = {**READS, **WRITES}[command]
    result = run_elsewhere("--db", f"{server}/postgres", *args)
    _one_line(result, "refused")
    assert "s3cretPW" not in result.err + result.out


def test_a_postgresql_server_gone_mid_command_is_one_line(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not backend.startswith("postgresql"):
        pytest.skip("about a server")
    _imported(backend)
    before = fingerprint()
    import fundtrack.service.importing as importing

    def gone(*args: object, **kwargs: object) -> None:
        raise peewee.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(importing, "import_files", gone)
    monkeypatch.setattr("fundtrack.cli.commands.import_files", gone)
    _one_line(run("--db", backend, "import", str(SAMPLE[1])), "went away")
    assert fingerprint() == before


# -- the app -----------------------------------------------------------------------------------------


async def test_the_app_shows_a_full_disk_as_a_message_and_keeps_the_form(
    tui_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input

    from fundtrack.service import records as service_records
    from fundtrack.tui.screens.record_form import RecordForm
    from tests.test_tui import open_project, settle

    def full(*args: object, **kwargs: object) -> None:
        raise peewee.OperationalError("database or disk is full")

    monkeypatch.setattr(service_records, "add_record", full)
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await open_project(pilot, app, "minzu-school")
        await pilot.press("a")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, RecordForm), form
        form.query_one("#f-date", Input).value = "2025-06-01"
        form.query_one("#f-funder", Input).value = "大炭沟煤矿"
        form.query_one("#f-amount", Input).value = "5万"
        first = form.query_one("#f-funder", Input)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert app.screen is form and first.value == "大炭沟煤矿"
        assert any("disk full" in str(n.message) or "磁盘已满" in str(n.message) for n in app._notifications)


def test_migrate_still_sets_up_a_new_store(tmp_path: Path) -> None:
    open_database(str(tmp_path / "new.db"))
    assert migrate()[0] == [version for version, _ in MIGRATIONS]  # every step, in order
    database.close()


def test_check_reports_a_damaged_table_page_instead_of_refusing(sqlite_db: str) -> None:
    """A table's root page overwritten: `check` said the database is damaged and to run `check` (exit 2)."""
    import sqlite3

    assert run("--db", sqlite_db, "import", *map(str, SAMPLE)).code == 0
    database.close()
    raw = sqlite3.connect(sqlite_db)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'hire'").fetchone()[0]
    size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    with open(sqlite_db, "r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(b"\xff" * 200)
    result = run("--db", sqlite_db, "check", "--format", "json")
    assert result.code == 1, result.err
    assert "check_integrity" in result.out


@pytest.mark.parametrize("command", [("import", str(SAMPLE[0])), ("undo",), ("init",), ("report", "quotas")])
def test_a_file_cut_short_or_overwritten_is_neither_read_nor_written(sqlite_db: str, command: tuple[str, ...]) -> None:
    """Cut 1,000 bytes short, or overwritten in the middle: check said damaged, but import, undo and init
    wrote into it (and reports read it) with exit 0."""
    import sqlite3

    assert run("--db", sqlite_db, "import", *map(str, SAMPLE)).code == 0
    database.close()
    raw = sqlite3.connect(sqlite_db)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    size = os.path.getsize(sqlite_db)
    with open(sqlite_db, "r+b") as fh:
        fh.truncate(size - 1000)
    before = Path(sqlite_db).read_bytes()
    assert_refused(run("--db", sqlite_db, *command))
    assert Path(sqlite_db).read_bytes() == before
    assert run("--db", sqlite_db, "check").code == 1


def test_a_libpq_connection_string_is_not_taken_for_a_sqlite_file(tmp_path: Path, monkeypatch) -> None:
    """`--db "host=… user=u password=pw"` made a SQLite file named after the string, password included."""
    monkeypatch.chdir(tmp_path)
    result = run("--db", "host=127.0.0.1 port=5432 dbname=ft user=u password=sekret", "init")
    assert_refused(result)
    assert "sekret" not in result.err and "postgresql://" in result.err
    assert list(tmp_path.iterdir()) == []
