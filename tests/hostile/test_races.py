"""Races, the write lock, undo and corrections: a change that lands between a check and a write is
seen inside the write (a located problem, exit 2, nothing written), two undo never undo one change
twice, a correction may not make a project its own ancestor, undoing the import that created a
village removes it, and a JSON export imports again."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from fundtrack.io.config import Config
from fundtrack.service import importing
from fundtrack.service.importing import import_files
from fundtrack.service.records import add_record, replace_record, undo_last
from fundtrack.storage import audit, writes
from fundtrack.storage import models as m
from fundtrack.storage.db import database
from tests.hostile.harness import SAMPLE, assert_check_clean, assert_refused, fingerprint, run

VILLAGE = "xx彝族村"
HEADER = f'format = "fundtrack/1"\n[village]\nname = "{VILLAGE}"\n'

# A new record of each kind that links to a project, as a form sends it.
LINKING = {
    "receipts": {"funder": "上级拨款", "amount": "1万", "date": dt.date(2025, 1, 2)},
    "expenses": {"amount": "1万", "date": dt.date(2025, 1, 2), "item": "水泥"},
    "milestones": {"name": "验收", "status": "done"},
    "pledges": {"funder": "上级拨款", "amount": "2万"},
}
# The same in a file.
LINKING_TOML = {
    "receipts": 'funder = "上级拨款"\namount = "1万"\ndate = 2025-01-02\n',
    "expenses": 'amount = "1万"\ndate = 2025-01-02\nitem = "水泥"\n',
    "milestones": 'name = "验收"\nstatus = "done"\n',
    "pledges": 'funder = "上级拨款"\namount = "2万"\n',
}
# A file that defines one name of each pool.
DEFINING = {
    "project": '[[projects]]\ncode = "race-1"\nname = "抢先工程"\ncategory = "road"\nstatus = "planned"\n',
    "funder": '[[funders]]\nname = "抢先出资方"\nkind = "other"\n',
    "settlement": '[[settlements]]\nname = "抢先自然村"\n',
    "enterprise": '[[enterprises]]\nname = "抢先煤矿"\nkind = "private_mine"\n',
}
NEW_PROJECT = {"code": "race-p", "name": "赛跑工程", "category": "road", "status": "planned"}


def _village() -> int:
    return m.Village.get(m.Village.name == VILLAGE).id


@pytest.fixture
def sample(backend: str) -> str:
    assert run("--db", backend, "import", *map(str, SAMPLE)).code == 0
    return backend


def _after_checking(monkeypatch: pytest.MonkeyPatch, meanwhile: Any) -> list[tuple]:
    """Run `meanwhile()` once, after the import has checked its files and before it takes the write
    lock: the moment another writer can get in. The list gets the store's fingerprint just after."""
    original = importing._check_all
    seen: list[tuple] = []

    def checked_then_race(paths: list[str], options: Any) -> Any:
        result = original(paths, options)
        if not seen:
            seen.append(())
            meanwhile()
            seen[0] = fingerprint()
        return result

    monkeypatch.setattr(importing, "_check_all", checked_then_race)
    return seen


# ---------------------------------------------------------------- forms against undo


@pytest.mark.slow
@pytest.mark.parametrize("table", sorted(LINKING))
def test_a_form_saved_while_undo_voids_its_project_is_refused(
    sample: str, config: Config, monkeypatch: pytest.MonkeyPatch, table: str
) -> None:
    village = _village()
    assert add_record(village, "projects", NEW_PROJECT, config.import_options, "元") == []
    inside = threading.Event()
    original = writes.mark_undone

    def slow_mark_undone(batch: int) -> None:  # the undo holds the write lock a while
        original(batch)
        inside.set()
        time.sleep(0.5)

    monkeypatch.setattr(writes, "mark_undone", slow_mark_undone)

    def undo_then_close() -> None:
        try:
            undo_last(config.import_options)
        finally:
            database.close()  # this thread's connection

    undo = threading.Thread(target=undo_then_close)
    undo.start()
    assert inside.wait(20)
    model = m.TABLE_MODELS[table]
    rows = model.select().count()
    problems = add_record(village, table, {"project": "race-p", **LINKING[table]}, config.import_options, "元")
    undo.join(20)
    assert [(p.where, p.code) for p in problems] == [(f"{table}[0].project", "voided")]
    assert model.select().count() == rows
    assert_check_clean(sample)


# ---------------------------------------------------------------- two undo at once


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(3))
def test_two_undo_at_once_never_undo_one_change_twice(
    sample: str, config: Config, monkeypatch: pytest.MonkeyPatch, round_: int
) -> None:
    village = _village()
    for n in (1, 2):
        raw = {"project": "faao-water", **LINKING["receipts"], "amount": f"{n + round_}万"}
        assert add_record(village, "receipts", raw, config.import_options, "元") == []
    original = audit.last_undoable

    def slow_last_undoable() -> int | None:  # both read the newest change, then think a while
        found = original()
        time.sleep(0.3)
        return found

    monkeypatch.setattr(audit, "last_undoable", slow_last_undoable)
    start = threading.Barrier(2)
    done: list[Any] = []

    def one_undo() -> None:
        start.wait()
        try:
            done.append(undo_last(config.import_options))
        finally:
            database.close()

    threads = [threading.Thread(target=one_undo) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    database.connect(reuse_if_open=True)
    batches = [b for b, _ in done]
    assert len(batches) == 2 and len(set(batches)) == 2, batches
    undos = [e.after["batch"] for e in audit.history(limit=50) if e.action == "undo"]
    assert sorted(undos) == sorted(batches)
    added = m.Receipt.select().where(m.Receipt.batch.in_(batches))
    assert all(r.voided for r in added) and added.count() == 2
    assert_check_clean(sample)


# ---------------------------------------------------------------- two imports defining one name


@pytest.mark.parametrize("where", ["existing village", "new village"])
@pytest.mark.parametrize("pool", sorted(DEFINING))
def test_two_imports_defining_the_same_name_at_once(
    sample: str, config: Config, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pool: str, where: str
) -> None:
    header = HEADER if where == "existing village" else 'format = "fundtrack/1"\n[village]\nname = "新村"\n'
    mine, theirs = tmp_path / "mine.toml", tmp_path / "theirs.toml"
    mine.write_text(header + DEFINING[pool], encoding="utf-8")
    theirs.write_text(header + DEFINING[pool], encoding="utf-8")
    seen = _after_checking(monkeypatch, lambda: import_files([str(theirs)], config.import_options))
    result = run("--db", sample, "import", str(mine))
    assert_refused(result)
    assert len(result.err.strip().splitlines()) == 1 and "already" in result.err, result.err
    assert fingerprint() == seen[0]
    assert_check_clean(sample)


def test_a_unique_index_refusal_is_a_located_problem_not_a_crash(
    sample: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, config: Config
) -> None:
    """Regression: a name clash between two concurrent imports ended in a two-line exit 3."""
    path = tmp_path / "dup.toml"
    path.write_text(HEADER + DEFINING["project"], encoding="utf-8")
    assert run("--db", sample, "import", str(path)).code == 0
    # Were the re-check inside the write lock ever to miss a name, the unique index refuses it.
    monkeypatch.setattr(importing, "_recheck", lambda item, options: item.checked)
    monkeypatch.setattr(importing, "_village_conflicts", lambda checked: [])
    monkeypatch.setattr(importing, "_known_for", lambda name: importing.Known())
    before = fingerprint()
    result = run("--db", sample, "import", str(path))
    assert_refused(result)
    assert len(result.err.strip().splitlines()) == 1
    assert fingerprint() == before
    assert_check_clean(sample)


# ---------------------------------------------------------------- an import against undo


@pytest.mark.parametrize("table", sorted(LINKING_TOML))
def test_an_import_linking_to_a_project_undone_meanwhile_is_refused(
    sample: str, config: Config, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, table: str
) -> None:
    """Regression: names were checked before the write, so an undo in between let a record link to a
    voided project."""
    assert add_record(_village(), "projects", NEW_PROJECT, config.import_options, "元") == []
    path = tmp_path / "links.toml"
    path.write_text(HEADER + f'[[{table}]]\nproject = "race-p"\n' + LINKING_TOML[table], encoding="utf-8")
    seen = _after_checking(monkeypatch, lambda: undo_last(config.import_options))
    result = run("--db", sample, "import", str(path))
    assert_refused(result)
    (line,) = result.err.strip().splitlines()
    assert line.startswith(f"{path}:4: {table}[0].project: ") and "race-p" in line, line
    assert fingerprint() == seen[0]
    assert_check_clean(sample)


@pytest.mark.slow
def test_a_form_saves_while_a_long_import_is_being_checked(
    sample: str, config: Config, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Regression: parsing and checking held the write lock, so other writers waited (and timed out)."""
    path = tmp_path / "long.toml"
    body = "".join(f'[[receipts]]\nproject = "faao-water"\n{LINKING_TOML["receipts"]}\n' for _ in range(3000))
    path.write_text(HEADER + body, encoding="utf-8")
    saved: list[Any] = []

    def form_in_another_thread() -> None:
        def save() -> None:
            try:
                start = time.perf_counter()
                raw = {"project": "faao-water", **LINKING["receipts"], "amount": "7万"}
                saved.append((add_record(_village(), "receipts", raw, config.import_options, "元"), start))
                saved.append(time.perf_counter() - start)
            finally:
                database.close()

        t = threading.Thread(target=save)
        t.start()
        t.join(10)  # a form that waited for the import's lock would still be waiting (up to 30 s)

    _after_checking(monkeypatch, form_in_another_thread)
    result = run("--db", sample, "import", str(path))
    assert result.code == 0, result.err
    assert len(saved) == 2 and saved[0][0] == [] and saved[1] < 5, saved
    assert m.Receipt.select().where(m.Receipt.amount_fen == 7_000_000).count() == 1
    assert_check_clean(sample)


# ---------------------------------------------------------------- cycles by correction


CYCLES = {
    "own parent": ("minority-primary-schools", "minority-primary-schools"),
    "child as parent": ("minority-primary-schools", "xinhua-primary"),
    "grandchild as parent": ("top", "minority-primary-schools"),
}


@pytest.mark.parametrize("case", sorted(CYCLES))
def test_a_correction_may_not_make_a_project_its_own_ancestor(
    sample: str, config: Config, tmp_path: Path, case: str
) -> None:
    """Regression: a correction could make a project its own ancestor, which import refuses (and the
    export then did not import again)."""
    village = _village()
    code, parent = CYCLES[case]
    if code == "top":  # top <- minority-primary-schools <- xinhua-primary; then top's parent = xinhua
        assert add_record(village, "projects", {**NEW_PROJECT, "code": "top"}, config.import_options, "元") == []
        school = m.Project.get(m.Project.code == "minority-primary-schools")
        raw = {**audit.snapshot("projects", school.id), "parent": "top"}
        raw = {k: v for k, v in raw.items() if k != "voided"}
        assert replace_record(village, "projects", school.id, raw, config.import_options, "元") == []
        parent = "xinhua-primary"
    project = m.Project.get(m.Project.code == code)
    raw = {k: v for k, v in audit.snapshot("projects", project.id).items() if k != "voided"}
    raw["parent"] = parent
    for key in ("start", "expected_end"):
        if isinstance(raw.get(key), str):
            raw[key] = dt.date.fromisoformat(raw[key])
    before = fingerprint()
    problems = replace_record(village, "projects", project.id, raw, config.import_options, "元")
    assert [p.code for p in problems] in (["own_ancestor"], ["own_parent"]), problems
    assert fingerprint() == before
    assert_check_clean(sample)
    out = tmp_path / "again.toml"
    assert run("--db", sample, "export", "-o", str(out), "--with-personal-data").code == 0
    fresh = tmp_path / "fresh.db"
    assert run("--db", str(fresh), "import", str(out)).code == 0


# ---------------------------------------------------------------- undo of the import that created a village


@pytest.mark.parametrize("how", ["one file", "two files at once", "after a form and its undo"])
def test_undoing_the_import_that_created_a_village_leaves_no_village(backend: str, config: Config, how: str) -> None:
    """Regression: undoing the import that created a village left the (empty) village behind."""
    files = [str(SAMPLE[0])] if how != "two files at once" else [str(p) for p in SAMPLE]
    assert run("--db", backend, "import", *files).code == 0
    if how == "after a form and its undo":
        raw = {"project": "faao-water", **LINKING["receipts"]}
        assert add_record(_village(), "receipts", raw, config.import_options, "元") == []
        assert run("--db", backend, "undo").code == 0
    assert run("--db", backend, "undo").code == 0
    if how == "two files at once":  # one undo per file: the second file's import did not create it
        assert m.Village.select().count() == 1
        assert run("--db", backend, "undo").code == 0
    assert m.Village.select().count() == 0
    assert all(model.select().count() == 0 for model in m.MODELS if model not in (m.Village,))
    assert_check_clean(backend)
    assert run("--db", backend, "import", *files).code == 0  # and the same file imports again
    assert_check_clean(backend)


def test_undoing_an_import_into_an_existing_village_keeps_the_village(sample: str) -> None:
    assert run("--db", sample, "undo").code == 0  # the second file, which added to the village
    assert m.Village.select().count() == 1
    assert m.Project.select().where(m.Project.voided == False).count() > 0  # noqa: E712
    assert_check_clean(sample)


# ---------------------------------------------------------------- JSON exports import again


@pytest.mark.parametrize("name", ["again.json", "again.txt"])
@pytest.mark.parametrize("personal", [True, False])
def test_a_json_export_imports_again(sample: str, tmp_path: Path, personal: bool, name: str) -> None:
    """Regression: the README said JSON exports import again; they did not."""
    out = tmp_path / name
    extra = ["--with-personal-data"] if personal else []
    assert run("--db", sample, "export", "--format", "json", "-o", str(out), *extra).code == 0
    fresh = tmp_path / "fresh.db"
    result = run("--db", str(fresh), "import", str(out))
    assert result.code == 0, result.err
    again = tmp_path / "again2.json"
    assert run("--db", str(fresh), "export", "--format", "json", "-o", str(again), *extra).code == 0
    assert again.read_bytes() == out.read_bytes()
    assert_check_clean(str(fresh))


BAD_JSON = {
    "cut short": '{"format": "fundtrack/1", "village": {"name": "甲"',
    "not an object": '["fundtrack/1"]',
    "NaN amount": '{"format": "fundtrack/1", "village": {"name": "甲"}, "projects": [{"budget": NaN}]}',
    "date not a date": (
        '{"format": "fundtrack/1", "village": {"name": "甲"}, "funders": [{"name": "乙", "kind": "other"}],'
        ' "projects": [{"code": "p", "name": "丙", "category": "road", "status": "planned"}],'
        ' "receipts": [{"project": "p", "funder": "乙", "amount": "1", "date": "2024-02-30"}]}'
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_JSON))
def test_a_bad_json_document_is_refused_and_changes_nothing(sample: str, tmp_path: Path, case: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(BAD_JSON[case], encoding="utf-8")
    before = fingerprint()
    result = run("--db", sample, "import", str(path))
    assert_refused(result)
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert fingerprint() == before
    assert_check_clean(sample)


def test_check_reports_a_live_record_linking_to_a_voided_project(sample: str) -> None:
    """Regression: a receipt written against a project an undo voided meanwhile went unnoticed by check."""
    project = m.Project.get(m.Project.code == "housing-1")  # the illustrative file's receipts name it
    writes.void("projects", project.id)
    result = run("--db", sample, "check")
    assert result.code == 1
    assert f"links to the voided projects:{project.id}" in result.out + result.err
