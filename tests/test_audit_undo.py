"""Audit trail, undo, concurrent-edit detection, integrity check, backups and file modes, on both backends."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from fundtrack import service
from fundtrack.cli.main import main
from fundtrack.io.config import Config
from fundtrack.ledger.money import Amount
from fundtrack.service.importing import import_files
from fundtrack.service.records import add_record, replace_record, undo_last, void_record
from fundtrack.storage import audit, migrations
from fundtrack.storage import models as m
from fundtrack.storage.db import database, open_database
from fundtrack.storage.integrity import check_integrity
from tests.conftest import SAMPLE

AS_OF = dt.date(2025, 6, 30)


def received(code: str) -> Amount:
    bd = service.load_breakdown(service.Scope(AS_OF))
    return next(b.received for b in bd.projects if b.project.code == code)


@pytest.fixture
def sample(backend: str, config: Config) -> int:
    import_files([str(p) for p in SAMPLE], config.import_options, operator="张会计")
    return m.Village.get().id


def test_add_is_recorded_and_undone(sample: int, config: Config) -> None:
    before = received("faao-water")
    assert (
        add_record(
            sample,
            "receipts",
            {"project": "faao-water", "funder": "上级拨款", "amount": "10万", "date": dt.date(2025, 1, 1)},
            config.import_options,
            "元",
            "李主任",
        )
        == []
    )
    assert received("faao-water") == before + Amount(10_000_000)
    (entry,) = audit.history(limit=1)
    assert (entry.operator, entry.action, entry.table) == ("李主任", "add", "receipts")
    assert entry.after["amount"] == "10万" and entry.after["voided"] is False
    batch, undone = undo_last(config.import_options, "李主任")
    assert [e.action for e in undone] == ["add"]
    assert received("faao-water") == before
    assert m.Receipt.get_by_id(entry.record).voided
    newest = audit.history(limit=2)
    assert newest[0].action == "undo" and newest[0].after == {"batch": batch}
    assert newest[1].undone


def test_void_and_undo_of_the_void(sample: int, config: Config) -> None:
    before = received("damochong-bridge")
    bridge = m.Receipt.select().join(m.Project).where(m.Project.code == "damochong-bridge").get()
    void_record("receipts", bridge.id, "王")
    assert received("damochong-bridge") == Amount(0)
    entry = audit.history(limit=1)[0]
    assert (entry.action, entry.before["voided"], entry.after["voided"]) == ("void", False, True)
    undo_last(config.import_options)
    assert received("damochong-bridge") == before


def test_a_correction_voids_the_old_entry_and_undo_restores_it(sample: int, config: Config) -> None:
    school = (
        m.Receipt.select()
        .join(m.Project)
        .where(m.Project.code == "minzu-school", m.Receipt.amount_fen == 12_500_000)
        .get()
    )
    expected = audit.snapshot("receipts", school.id)
    raw = {"project": "minzu-school", "funder": "xx村群众", "amount": "20万", "date": dt.date(2024, 3, 30)}
    assert replace_record(sample, "receipts", school.id, raw, config.import_options, "元", "王", expected) == []
    assert received("minzu-school") == Amount(340_000_000)
    batch_entries = audit.entries(audit.history(limit=1)[0].batch)
    assert sorted(e.action for e in batch_entries) == ["add", "void"]
    undo_last(config.import_options)
    assert received("minzu-school") == Amount(332_500_000)
    assert not m.Receipt.get_by_id(school.id).voided


def test_an_edit_of_a_record_changed_meanwhile_is_refused(sample: int, config: Config) -> None:
    school = (
        m.Receipt.select()
        .join(m.Project)
        .where(m.Project.code == "minzu-school", m.Receipt.amount_fen == 12_500_000)
        .get()
    )
    seen = audit.snapshot("receipts", school.id)
    void_record("receipts", school.id, "someone else")
    raw = {"project": "minzu-school", "funder": "xx村群众", "amount": "21.5万", "date": dt.date(2024, 3, 30)}
    problems = replace_record(sample, "receipts", school.id, raw, config.import_options, "元", "王", seen)
    assert [p.where for p in problems] == ["record"] and "someone else changed" in problems[0].what
    assert m.Receipt.select().where(m.Receipt.amount_fen == 21_500_000).count() == 0


def test_editing_a_project_in_place_and_undoing_it(sample: int, config: Config) -> None:
    project = m.Project.get(m.Project.code == "faao-water")
    raw = {
        "code": "faao-water",
        "name": "法凹水库引水工程(二期)",
        "category": "water",
        "status": "building",
        "budget": "1200万",
    }
    assert replace_record(sample, "projects", project.id, raw, config.import_options, "元") == []
    assert m.Project.get_by_id(project.id).budget_fen == 1_200_000_000
    entry = audit.history(limit=1)[0]
    assert entry.before["budget"] == "1100万" and entry.after["budget"] == "1200万"
    undo_last(config.import_options)
    restored = m.Project.get_by_id(project.id)
    assert (restored.name, restored.budget_fen, restored.status) == ("法凹水库引水工程", 1_100_000_000, "completed")


def test_undo_of_an_import_voids_what_it_added(sample: int, config: Config) -> None:
    assert received("housing-1") == Amount(2_439_000_000)
    undo_last(config.import_options)  # the illustrative file
    assert received("housing-1") == Amount(0)
    assert m.Hire.select().where(m.Hire.voided == False).count() == 0  # noqa: E712
    assert m.Project.select().where(m.Project.voided == False).count() == 11  # noqa: E712
    assert audit.history(limit=10)[-1].operator == "张会计"


def test_history_and_undo_commands(sample: int, capsys: pytest.CaptureFixture[str], backend: str) -> None:
    assert main(["--db", backend, "history", "--format", "json", "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert '"action": "import"' in out and '"operator": "张会计"' in out
    assert main(["--db", backend, "--lang", "en", "undo"]) == 0
    assert "undid change" in capsys.readouterr().err


def test_check_finds_nothing_on_a_sound_store_and_reports_damage(sample: int) -> None:
    assert check_integrity() == []
    joint = m.Pledge.select().where(m.Pledge.joint == True).first()  # noqa: E712
    m.PledgeFunder.delete().where(m.PledgeFunder.pledge == joint.id).execute()
    assert check_integrity() == [f"pledges:{joint.id}: a joint pledge without members"]


def test_database_files_are_private(tmp_path: Path, config: Config) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "private.db"
        assert main(["--db", str(target), "import", str(SAMPLE[0])]) == 0
        open_database(str(target))
        m.Village.select().count()
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{target}{suffix}")
            if path.exists():
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    finally:
        os.umask(old)
        database.close()


def test_schema_migration_backs_up_first(sqlite_db: str, config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    import_files([str(SAMPLE[0])], config.import_options)
    before = migrations.latest()
    steps = [*migrations.MIGRATIONS, (99, lambda: database.execute_sql("CREATE TABLE later_feature (x INTEGER)"))]
    monkeypatch.setattr(migrations, "MIGRATIONS", tuple(steps))
    applied, backup = migrations.migrate()
    assert applied == [99] and backup is not None
    assert stat.S_IMODE(Path(backup).stat().st_mode) == 0o600
    import sqlite3

    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT COUNT(*) FROM project").fetchone() == (11,)
    assert copy.execute("SELECT MAX(version) FROM schema_version").fetchone() == (before,)


def test_a_new_optional_key_is_added_by_a_migration_once(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key declared after a database was made: its column is added by the migration step, and the
    same step on a database that already has it (made by the first migration) changes nothing."""
    import peewee

    from fundtrack.storage import models as m

    class Receipt(m.Receipt):  # the model as a later version declares it
        payer = peewee.TextField(null=True)

        class Meta:
            table_name = "receipt"

    steps = [*migrations.MIGRATIONS, (99, lambda: migrations.add_columns(Receipt, "payer"))]
    monkeypatch.setattr(migrations, "MIGRATIONS", tuple(steps))
    assert migrations.migrate()[0] == [99]
    assert "payer" in {c.name for c in database.get_columns("receipt")}
    migrations.add_columns(Receipt, "payer")  # already there: nothing to do, no error
    assert [c.name for c in database.get_columns("receipt")].count("payer") == 1


INJECTIONS = [
    "'; DROP TABLE receipt; --",
    '" OR 1=1 --',
    "Robert'); DROP TABLE project;--",
    "1; DELETE FROM funder",
    "%s%s%s",
    "?",
    "\\x00",
    "' UNION SELECT * FROM change --",
    "${jndi:ldap://x}",
    "<script>alert(1)</script>",
    "名字'); --",
    "\\'; --",
    "/* comment */",
    "`rm -rf /`",
    "$(reboot)",
    "||",
    "' OR ''='",
    "--",
    ";",
    "NULL",
]


def test_sql_injection_payloads_are_stored_literally(backend: str, config: Config, tmp_path: Path) -> None:
    import tomli_w

    doc = {
        "format": "fundtrack/1",
        "village": {"name": "注入村", "township": INJECTIONS[0]},
        "settlements": [{"name": f"s{i} {p}", "note": p} for i, p in enumerate(INJECTIONS)],
        "funders": [{"name": f"f{i} {p}", "kind": "other"} for i, p in enumerate(INJECTIONS)],
        "projects": [
            {"code": f"p{i}", "name": p, "category": "other", "status": "planned", "note": p}
            for i, p in enumerate(INJECTIONS)
        ],
        "receipts": [
            {
                "project": f"p{i}",
                "funder": f"f{i} {p}",
                "amount": "1元",
                "date": dt.date(2024, 1, 1),
                "voucher": p,
                "household": p,
                "note": p,
            }
            for i, p in enumerate(INJECTIONS)
        ],
    }
    path = tmp_path / "inject.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    import_files([str(path)], config.import_options)
    assert m.Receipt.select().count() == len(INJECTIONS)
    stored = {r.note for r in m.Receipt.select()}
    assert stored == set(INJECTIONS)
    assert {p.name for p in m.Project.select()} == set(INJECTIONS)


def test_records_cannot_link_to_a_voided_record(sample: int, config: Config) -> None:
    project = m.Project.get(m.Project.code == "faao-water")
    void_record("projects", project.id, "王")
    raw = {"project": "faao-water", "funder": "上级拨款", "amount": "1万", "date": dt.date(2025, 1, 1)}
    problems = add_record(sample, "receipts", raw, config.import_options, "元")
    assert [(p.where, p.what) for p in problems] == [("receipts[0].project", 'project "faao-water" has been voided')]


def test_a_voided_record_is_neither_corrected_nor_voided_again(backend: str, config: Config) -> None:
    """Correcting a voided receipt brought its money back; voiding it again and undoing that
    restored it as a second live copy."""
    import_files([str(p) for p in SAMPLE], config.import_options)
    receipt = m.Receipt.select().where(m.Receipt.voided == False).first()  # noqa: E712
    village = m.Project.get_by_id(receipt.project_id).village_id
    assert void_record("receipts", receipt.id) == []
    live = m.Receipt.select().where(m.Receipt.voided == False).count()  # noqa: E712
    again = void_record("receipts", receipt.id)
    assert [p.code for p in again] == ["record_voided"]
    raw = {"project": "housing-1", "funder": "上级拨款", "amount": "1万", "date": dt.date(2024, 1, 2)}
    fixed = replace_record(village, "receipts", receipt.id, raw, config.import_options, "元")
    assert [p.code for p in fixed] == ["record_voided"]
    assert m.Receipt.select().where(m.Receipt.voided == False).count() == live  # noqa: E712
    undo_last(config.import_options)  # undoes the one real void
    assert m.Receipt.get_by_id(receipt.id).voided is False
    assert m.Receipt.select().where(m.Receipt.voided == False).count() == live + 1  # noqa: E712


def test_a_void_from_a_screen_read_before_a_change_is_refused(backend: str, config: Config) -> None:
    """A stale screen voided another record: ids of records removed with their village come back, and
    the screen's row named the old one."""
    import_files([str(p) for p in SAMPLE], config.import_options)
    seen = audit.newest_change()
    receipt = m.Receipt.select().where(m.Receipt.voided == False).first()  # noqa: E712
    village = m.Project.get_by_id(receipt.project_id).village_id
    raw = {"project": "housing-1", "funder": "上级拨款", "amount": "1万", "date": dt.date(2024, 1, 2)}
    assert add_record(village, "receipts", raw, config.import_options, "元") == []
    newest = m.Receipt.select().order_by(m.Receipt.id.desc()).first()
    assert [p.code for p in void_record("receipts", newest.id, seen=seen)] == ["changed_meanwhile"]
    assert [p.code for p in void_record("receipts", receipt.id, seen=seen)] == []  # unchanged since: voided
    assert m.Receipt.get_by_id(newest.id).voided is False


GROWN_NAMES = """
format = "fundtrack/1"

[village]
name = "xx彝族村"

[[funders]]
name = "新出资方"
kind = "upper_grant"

[[projects]]
code = "new-1"
name = "新项目"
category = "road"
status = "planned"
settlements = ["新云"]

[[pledges]]
project = "new-1"
funders = ["新出资方", "上级拨款"]
amount = "5万"

[[receipts]]
project = "new-1"
funder = "新出资方"
amount = "1万"
date = 2025-01-02
"""


def test_the_file_an_undo_took_back_imports_again(backend: str, tmp_path: Path, config: Config) -> None:
    """Undoing an import removes what it added, names included: the same file imports again, and
    nothing is left over (link rows, a second copy)."""
    assert main(["--db", backend, "import", *map(str, SAMPLE)]) == 0
    doc = tmp_path / "grown.toml"
    doc.write_text(GROWN_NAMES, encoding="utf-8")
    before = {t: model.select().count() for t, model in m.TABLE_MODELS.items()}
    links = (m.PledgeFunder.select().count(), m.ProjectSettlement.select().count())
    for _ in range(2):
        import_files([str(doc)], config.import_options)
        assert undo_last(config.import_options) is not None
        assert {t: model.select().count() for t, model in m.TABLE_MODELS.items()} == before
        assert (m.PledgeFunder.select().count(), m.ProjectSettlement.select().count()) == links
    import_files([str(doc)], config.import_options)
    assert m.Funder.select().where(m.Funder.name == "新出资方", m.Funder.voided == False).count() == 1  # noqa: E712


def test_a_record_given_the_id_of_an_undone_import_has_only_its_own_history(
    backend: str, tmp_path: Path, config: Config
) -> None:
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    body = 'format = "fundtrack/1"\n[village]\nname = "测试村"\n[[projects]]\ncode = "{code}"\nname = "{name}"\ncategory = "road"\nstatus = "planned"\n'
    first.write_text(body.format(code="old-1", name="旧项目"), encoding="utf-8")
    second.write_text(body.format(code="new-1", name="新项目"), encoding="utf-8")
    import_files([str(first)], config.import_options)
    (old,) = m.Project.select()
    assert void_record("projects", old.id, "王", None, "录错了") == []
    undo_last(config.import_options)  # the void
    undo_last(config.import_options)  # the import: its project removed
    import_files([str(second)], config.import_options)
    (new,) = m.Project.select()
    assert all(e.action != "void" for e in audit.history("projects", new.id))  # SQLite may give it old's id
    assert [e.action for e in audit.history("projects", old.id)] == ([] if new.id == old.id else ["void"])
