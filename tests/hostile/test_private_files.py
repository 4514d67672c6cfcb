"""Private data and files: id numbers masked where shown, personal files 0600, no planted link followed,
no special file read as input, no password printed."""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fundtrack.ledger.privacy import mask, masked
from fundtrack.storage import models as m
from fundtrack.storage.db import redact
from tests.hostile.harness import ROOT, assert_check_clean, assert_refused, fingerprint, run, run_process

EVERY_KEY = ROOT / "tests" / "data" / "every_key.toml"
ID_NUMBER = "530000199001011234"
MASKED = "5300************34"
SECRET = "s3cr3t-Pa55"


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def imported(target: str) -> None:
    assert run("--db", target, "import", str(EVERY_KEY)).code == 0


def voided_hire(target: str) -> int:
    """Import the file with every key and void its hire that has an id number: the trail then holds it."""
    from fundtrack.service.records import void_record

    imported(target)
    hire = m.Hire.get(m.Hire.id_number == ID_NUMBER)
    void_record("hires", hire.id, "李")
    return hire.id


def corrected_hire(config) -> None:  # noqa: ANN001
    """Correct the hire's id number (a new record, the old one voided): the trail then shows the new one."""
    from fundtrack.service.records import replace_record
    from fundtrack.storage import queries

    hire = m.Hire.get(m.Hire.id_number == ID_NUMBER)
    village = hire.enterprise.village_id
    record = dict(next(iter(queries.records(village, True, only=("hires", hire.id))["hires"])))
    record["id_number"] = "110101198001010011"
    assert replace_record(village, "hires", hire.id, record, config.import_options, "元", "李") == []


# ---------------------------------------------------------------- the mask


@pytest.mark.parametrize(
    ("value", "shown"),
    [(ID_NUMBER, MASKED), ("53000019900101123X", "5300************3X"), ("1234567", "1234*67"), ("123456", "******")],
)
def test_mask_keeps_the_first_four_and_last_two(value: str, shown: str) -> None:
    assert mask(value) == shown
    assert masked("hires", {"id_number": value, "person": "李四"}) == {"id_number": shown, "person": "李四"}


# ---------------------------------------------------------------- history


def test_history_json_showed_the_id_number_in_full(backend: str) -> None:
    voided_hire(backend)
    result = run("--db", backend, "history", "--format", "json")
    assert result.code == 0, result.err
    assert ID_NUMBER not in result.out
    voids = [e for e in json.loads(result.out) if e["action"] == "void"]
    assert voids and voids[0]["before"]["id_number"] == MASKED
    # The trail itself keeps the value: undo puts it back.
    assert ID_NUMBER in m.Change.get(m.Change.action == "void").before


def test_history_table_showed_the_id_number_in_full(backend: str, monkeypatch: pytest.MonkeyPatch, config) -> None:  # noqa: ANN001
    monkeypatch.setenv("COLUMNS", "400")  # one line per entry: a number cut by wrapping would hide a leak
    imported(backend)
    corrected_hire(config)
    result = run("--db", backend, "history", "--format", "table")
    assert result.code == 0, result.err
    assert ID_NUMBER not in result.out and "110101198001010011" not in result.out
    assert "1101************11" in result.out


def test_history_of_one_record_masks_the_id_number(backend: str) -> None:
    hire = voided_hire(backend)
    result = run("--db", backend, "history", "--record", f"hires:{hire}", "--format", "json")
    assert result.code == 0, result.err
    assert ID_NUMBER not in result.out and MASKED in result.out


def test_undo_after_masked_history_restores_the_full_id_number(backend: str) -> None:
    hire = voided_hire(backend)
    assert run("--db", backend, "history", "--format", "json").code == 0
    assert run("--db", backend, "undo").code == 0
    assert m.Hire.get_by_id(hire).id_number == ID_NUMBER


# ---------------------------------------------------------------- exports and their modes


@pytest.mark.parametrize("fmt", ["toml", "json", "xlsx"])
@pytest.mark.parametrize("mask_bits", [0o000, 0o022, 0o077], ids=["umask000", "umask022", "umask077"])
def test_personal_export_was_0644(sqlite_db: str, tmp_path: Path, fmt: str, mask_bits: int) -> None:
    imported(sqlite_db)
    out = tmp_path / f"village.{fmt}"
    with umask(mask_bits):
        result = run("--db", sqlite_db, "export", "--format", fmt, "--with-personal-data", "-o", str(out))
    assert result.code == 0, result.err
    assert mode(out) == 0o600
    if fmt != "xlsx":
        assert ID_NUMBER in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ("export",),
        ("export", "--with-personal-data"),
        ("export", "--format", "json"),
        ("report", "breakdown", "--format", "csv"),
        ("export-journal",),
    ],
    ids=lambda a: "-".join(a),
)
def test_output_over_a_0600_file_made_it_0644(sqlite_db: str, tmp_path: Path, args: tuple[str, ...]) -> None:
    imported(sqlite_db)
    out = tmp_path / "out.txt"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o600)
    with umask(0o022):
        result = run("--db", sqlite_db, *args, "-o", str(out))
    assert result.code == 0, result.err
    assert mode(out) == 0o600 and out.read_text(encoding="utf-8") != "old\n"


def test_output_keeps_a_narrower_mode_and_a_personal_export_narrows_a_wider_one(sqlite_db: str, tmp_path: Path) -> None:
    imported(sqlite_db)
    narrow, wide = tmp_path / "narrow.toml", tmp_path / "wide.toml"
    narrow.write_text("", encoding="utf-8")
    narrow.chmod(0o640)
    wide.write_text("", encoding="utf-8")
    wide.chmod(0o666)
    with umask(0o000):
        assert run("--db", sqlite_db, "export", "-o", str(narrow)).code == 0
        assert run("--db", sqlite_db, "export", "--with-personal-data", "-o", str(wide)).code == 0
    assert mode(narrow) == 0o640
    assert mode(wide) == 0o600


@pytest.mark.parametrize(("mask_bits", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o027, 0o640)])
def test_an_export_without_personal_data_follows_the_umask(
    sqlite_db: str, tmp_path: Path, mask_bits: int, expected: int
) -> None:
    imported(sqlite_db)
    out = tmp_path / "village.toml"
    with umask(mask_bits):
        assert run("--db", sqlite_db, "export", "-o", str(out)).code == 0
    assert mode(out) == expected
    assert ID_NUMBER not in out.read_text(encoding="utf-8")


def test_output_into_a_missing_folder_is_refused_not_made(sqlite_db: str, tmp_path: Path) -> None:
    """A typo in -o's folder made a new tree of folders; it is refused in one line (exit 2)."""
    imported(sqlite_db)
    out = tmp_path / "new" / "deeper" / "village.toml"
    with umask(0o000):
        assert run("--db", sqlite_db, "export", "--with-personal-data", "-o", str(out)).code == 2
    assert not (tmp_path / "new").exists()
    out = tmp_path / "village.toml"
    with umask(0o000):
        assert run("--db", sqlite_db, "export", "--with-personal-data", "-o", str(out)).code == 0
    assert mode(out) == 0o600


@pytest.mark.parametrize("where", ["folder", "under-a-file", "unwritable-folder"])
def test_output_that_cannot_be_written_is_one_line(backend: str, tmp_path: Path, where: str) -> None:
    imported(backend)
    if where == "folder":
        out = tmp_path / "a-folder"
        out.mkdir()
    elif where == "under-a-file":
        (tmp_path / "plain").write_text("x", encoding="utf-8")
        out = tmp_path / "plain" / "village.toml"
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into any folder")
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o500)
        out = folder / "village.toml"
    before = fingerprint()
    assert_refused(run("--db", backend, "export", "-o", str(out)))
    assert fingerprint() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert_check_clean(backend)


# ---------------------------------------------------------------- planted links

# Names an atomic writer might use for its temporary file; fundtrack used the first one.
TEMP_PATTERNS = {
    "pid-thread": lambda name: f".{name}.tmp{os.getpid()}-{threading.get_ident()}",
    "dot-tmp": lambda name: f".{name}.tmp",
    "tmp": lambda name: f"{name}.tmp",
    "tilde": lambda name: f"{name}~",
    "part": lambda name: f"{name}.part",
    "swp": lambda name: f".{name}.swp",
    "new": lambda name: f"{name}.new",
}


@pytest.mark.parametrize("pattern", sorted(TEMP_PATTERNS))
def test_a_planted_link_at_the_temporary_name_overwrote_another_file(
    sqlite_db: str, tmp_path: Path, pattern: str
) -> None:
    imported(sqlite_db)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    victim.chmod(0o644)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    link = out_dir / TEMP_PATTERNS[pattern]("village.toml")
    link.symlink_to(victim)
    assert run("--db", sqlite_db, "export", "--with-personal-data", "-o", str(out_dir / "village.toml")).code == 0
    assert victim.read_text(encoding="utf-8") == "precious\n" and mode(victim) == 0o644
    assert link.is_symlink()
    assert ID_NUMBER in (out_dir / "village.toml").read_text(encoding="utf-8")
    # Nothing else left behind: the temporary file was renamed.
    assert sorted(p.name for p in out_dir.iterdir()) == sorted([link.name, "village.toml"])


def test_a_link_as_the_output_is_replaced_not_written_through(sqlite_db: str, tmp_path: Path) -> None:
    imported(sqlite_db)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "village.toml"
    out.symlink_to(victim)
    assert run("--db", sqlite_db, "export", "--with-personal-data", "-o", str(out)).code == 0
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not out.is_symlink() and mode(out) == 0o600


def test_the_temporary_name_is_not_predictable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fundtrack.io import files

    seen: list[str] = []
    real = os.replace

    def spy(src: str, dst: object) -> None:
        seen.append(os.path.basename(src))
        real(src, dst)

    monkeypatch.setattr(files.os, "replace", spy)
    for _ in range(2):
        files.write_file(tmp_path / "a.txt", "x")
    assert len(set(seen)) == 2 and all(".a.txt." in name for name in seen)


def test_a_backup_before_a_schema_change_is_private(sqlite_db: str) -> None:
    from fundtrack.storage.migrations import backup_sqlite

    with umask(0o000):
        backup = backup_sqlite(1)
    assert backup is not None
    assert mode(Path(backup)) == 0o600


# ---------------------------------------------------------------- special files as input


def _special(kind: str, tmp_path: Path) -> str:
    if kind == "fifo":
        path = tmp_path / "pipe.toml"
        os.mkfifo(path)
        return str(path)
    if kind == "folder":
        path = tmp_path / "folder.toml"
        path.mkdir()
        return str(path)
    if kind == "link-to-fifo":
        os.mkfifo(tmp_path / "pipe")
        (tmp_path / "link.toml").symlink_to(tmp_path / "pipe")
        return str(tmp_path / "link.toml")
    return {"dev-zero": "/dev/zero", "dev-null": "/dev/null"}[kind]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "dev-null", "link-to-fifo"])
def test_import_of_a_fifo_hung(backend: str, tmp_path: Path, kind: str) -> None:
    path = _special(kind, tmp_path)
    before = fingerprint()
    result = run_process("--db", backend, "import", path, timeout=60)
    assert_refused(result)
    assert len(result.err.strip().splitlines()) == 1
    assert "not a regular file" in result.err
    assert fingerprint() == before
    assert_check_clean(backend)


def test_a_fifo_among_good_files_imports_nothing(backend: str, tmp_path: Path) -> None:
    fifo = _special("fifo", tmp_path)
    before = fingerprint()
    result = run_process("--db", backend, "import", str(EVERY_KEY), fifo, timeout=60)  # in a child: it hung
    assert_refused(result)
    assert re.search(r"pipe\.toml: file: not a regular file", result.err)
    assert fingerprint() == before
    assert_check_clean(backend)


# ---------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    "args",
    [("init",), ("import", str(EVERY_KEY)), ("report", "breakdown"), ("history",), ("export",), ("check",)],
    ids=lambda a: a[0],
)
def test_a_password_in_the_url_was_printed(args: tuple[str, ...]) -> None:
    url = f"postgresql://clerk:{SECRET}@127.0.0.1:1/fundtrack"  # a closed port: the connection is refused
    result = run_process("--db", url, *args)
    assert_refused(result)
    assert SECRET not in result.err + result.out
    assert "clerk:***@" in result.err


def test_a_password_in_an_unknown_url_is_not_printed() -> None:
    result = run_process("--db", f"mysql://clerk:{SECRET}@localhost/fundtrack", "init")
    assert_refused(result)
    assert SECRET not in result.err + result.out


def test_init_printed_the_password_of_the_url(pg_server: str) -> None:
    from tests.conftest import _create_pg_database

    target = _create_pg_database(pg_server)
    url = re.sub(r"^(postgresql://)([^:@/]+)@", rf"\g<1>\g<2>:{SECRET}@", target)
    if url == target:
        url = target.replace("postgresql://", f"postgresql://fundtrack:{SECRET}@", 1)
    result = run_process("--db", url, "init")
    assert SECRET not in result.err + result.out
    if result.code == 0:
        assert ":***@" in result.err


@pytest.mark.parametrize(
    "text",
    [
        f"postgresql://u:{SECRET}@h/db",
        f"postgres://u:{SECRET}@h:5432/db?sslmode=require",
        f"postgresql://u:p@{SECRET}@h/db",
        f"postgresql://h/db?password={SECRET}&sslmode=require",
        f"fundtrack: postgresql://u:{SECRET}@h/db: cannot open: refused",
    ],
)
def test_redact_hides_every_form_of_password(text: str) -> None:
    assert SECRET not in redact(text)
    assert redact("data/fundtrack.db") == "data/fundtrack.db"


# ---------------------------------------------------------------- the app


async def _app_on_every_key(sqlite_db: str, config):  # noqa: ANN001, ANN202
    from fundtrack.tui.app import make_app

    imported(sqlite_db)
    return make_app(config, village="全键村")


async def _settle(pilot, app) -> None:  # noqa: ANN001
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_app_history_showed_the_id_number(sqlite_db: str, config) -> None:  # noqa: ANN001
    from fundtrack.tui.screens.history import HistoryScreen
    from fundtrack.tui.widgets.record_table import RecordTable

    app = await _app_on_every_key(sqlite_db, config)
    corrected_hire(config)
    async with app.run_test(size=(160, 40)) as pilot:
        await _settle(pilot, app)
        app.action_history()
        await _settle(pilot, app)
        assert isinstance(app.screen, HistoryScreen)
        text = "\n".join(
            " ".join(str(c) for c in row.values) for row in app.screen.query_one("#list", RecordTable).filtered
        )
        assert ID_NUMBER not in text and "110101198001010011" not in text and "1101************11" in text


@pytest.mark.parametrize("typed", [None, "110101198001010011", ""])
async def test_the_correction_form_prefilled_the_id_number(sqlite_db: str, config, typed: str | None) -> None:  # noqa: ANN001
    from textual.widgets import Input

    from fundtrack.tui.screens.record_form import RecordForm

    app = await _app_on_every_key(sqlite_db, config)
    hire = m.Hire.get(m.Hire.id_number == ID_NUMBER)
    async with app.run_test(size=(160, 50)) as pilot:
        await _settle(pilot, app)
        app.open_form("hires", None, ("hires", hire.id))
        await _settle(pilot, app)
        form = app.screen
        assert isinstance(form, RecordForm)
        box = form.query_one("#f-id_number", Input)
        assert box.value == MASKED
        if typed is not None:
            box.value = typed
        form.query_one("#f-note", Input).value = "改了备注"
        await pilot.press("ctrl+s")
        await _settle(pilot, app)
        assert not isinstance(app.screen, RecordForm)
    current = m.Hire.select().where(m.Hire.person == "李四", m.Hire.voided == False).get()  # noqa: E712
    assert current.note == "改了备注"
    assert current.id_number == (ID_NUMBER if typed is None else (typed or None))


async def test_the_roster_masked_the_id_number_its_own_way(sqlite_db: str, config) -> None:  # noqa: ANN001
    """The enterprise's roster had a mask of its own (first 3 characters kept): it uses the one mask now."""
    from fundtrack.tui.messages import OpenEnterprise
    from fundtrack.tui.screens.lists import EnterpriseScreen
    from fundtrack.tui.widgets.record_table import RecordTable

    app = await _app_on_every_key(sqlite_db, config)
    async with app.run_test(size=(160, 40)) as pilot:
        await _settle(pilot, app)
        app.post_message(OpenEnterprise("甲煤矿", "全键村"))
        await _settle(pilot, app)
        assert isinstance(app.screen, EnterpriseScreen)
        await pilot.press("s")  # those who left too: every row of the roster is masked
        await _settle(pilot, app)
        rows = app.screen.query_one("#roster", RecordTable).filtered
        shown = [str(c) for row in rows for c in row.values]
        assert MASKED in shown and ID_NUMBER not in " ".join(shown)


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_output_onto_the_database_replaced_it(sqlite_db: str, suffix: str) -> None:
    imported(sqlite_db)
    Path(f"{sqlite_db}-wal").touch()
    before = fingerprint()
    assert_refused(run("--db", sqlite_db, "export", "-o", sqlite_db + suffix))
    assert fingerprint() == before
    assert_check_clean(sqlite_db)


def test_output_to_a_full_device_is_one_line(backend: str) -> None:
    imported(backend)
    before = fingerprint()
    result = run("--db", backend, "export", "--with-personal-data", "-o", "/dev/full")
    assert_refused(result)
    assert "/dev/full" in result.err
    assert fingerprint() == before
    assert_check_clean(backend)


async def test_a_partly_edited_mask_is_refused_not_stored(sqlite_db: str, config) -> None:  # noqa: ANN001
    """Changing the last two characters of the masked id number stored the asterisks."""
    from textual.widgets import Input, Label

    from fundtrack.tui.screens.record_form import RecordForm

    app = await _app_on_every_key(sqlite_db, config)
    hire = m.Hire.get(m.Hire.id_number == ID_NUMBER)
    async with app.run_test(size=(160, 50)) as pilot:
        await _settle(pilot, app)
        app.open_form("hires", None, ("hires", hire.id))
        await _settle(pilot, app)
        form = app.screen
        box = form.query_one("#f-id_number", Input)
        box.value = box.value[:-2] + "99"
        await pilot.press("ctrl+s")
        await _settle(pilot, app)
        assert isinstance(app.screen, RecordForm)
        assert "*" in str(form.query_one("#err-id_number", Label).content)
    assert m.Hire.get_by_id(hire.id).id_number == ID_NUMBER
    assert not m.Hire.select().where(m.Hire.id_number.contains("*")).exists()
