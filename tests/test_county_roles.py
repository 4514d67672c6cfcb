"""A county's PostgreSQL database: what each role reads and writes, through fundtrack and through psql."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest

from fundtrack.cli.main import main
from fundtrack.io.config import Config
from fundtrack.io.problems import InputError
from fundtrack.service.importing import import_files
from fundtrack.service.records import add_record, replace_record, undo_last, void_record
from fundtrack.storage import audit, security
from fundtrack.storage import models as m
from fundtrack.storage.db import StoreError, database, open_database
from fundtrack.storage.migrations import migrate
from tests.conftest import PG_BIN, SAMPLE, _create_pg_database

OTHER = """
format = "fundtrack/1"
[village]
name = "乙村"
[[funders]]
name = "县财政"
kind = "local_finance"
[[projects]]
code = "road"
name = "通组路"
category = "road"
status = "building"
budget = "100000"
[[receipts]]
project = "road"
funder = "县财政"
amount = "20000"
date = 2025-01-10
"""

A_VILLAGE, B_VILLAGE = "xx彝族村", "乙村"


@dataclass
class County:
    """A county database holding two villages (A: the sample, B: 乙村) and one login role per kind."""

    owner: str  # the superuser's URL
    tmp: Path
    committee_a: str
    committee_b: str
    auditor: str
    auditor_b: str
    admin: str

    def url(self, user: str) -> str:
        p = urlparse(self.owner)
        return f"postgresql://{user}@{p.hostname}:{p.port}{p.path}"

    def psql(self, user: str, sql: str) -> subprocess.CompletedProcess[str]:
        p = urlparse(self.owner)
        conninfo = f"host={p.hostname} port={p.port} dbname={p.path.lstrip('/')} user={user}"
        return subprocess.run(
            [str(PG_BIN / "psql"), conninfo, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
            capture_output=True,
            text=True,
        )

    def as_owner(self) -> None:
        open_database(self.owner)

    def as_user(self, user: str) -> None:
        open_database(self.url(user))


def _name(kind: str) -> str:
    return f"{kind}_{uuid.uuid4().hex[:8]}"  # roles belong to the whole (test session's) server


@pytest.fixture
def county(pg_server: str, tmp_path: Path, config: Config) -> Iterator[County]:
    target = _create_pg_database(pg_server)
    open_database(target)
    migrate()
    import_files([str(p) for p in SAMPLE], config.import_options, operator="县里")
    other = tmp_path / "b.toml"
    other.write_text(OTHER, encoding="utf-8")
    import_files([str(other)], config.import_options, operator="县里")
    c = County(target, tmp_path, _name("ca"), _name("cb"), _name("au"), _name("aub"), _name("ad"))
    security.add_user(c.committee_a, "committee", [A_VILLAGE], "pw")
    security.add_user(c.committee_b, "committee", [B_VILLAGE], "pw")
    security.add_user(c.auditor, "auditor", [], "pw")
    security.add_user(c.auditor_b, "auditor", [B_VILLAGE], None)
    security.add_user(c.admin, "admin", [], "pw")
    yield c
    database.close()


def _villages_in_breakdown(capsys: pytest.CaptureFixture[str], url: str) -> set[str]:
    assert main(["--db", url, "report", "breakdown", "--format", "json"]) == 0
    return {p["village"] for p in json.loads(capsys.readouterr().out)["projects"]}


def _count(c: County, sql: str) -> int:
    out = c.psql("postgres", sql)
    assert out.returncode == 0, out.stderr
    return int(out.stdout.strip())


def test_each_role_reads_exactly_its_villages_in_fundtrack_and_psql(
    county: County, capsys: pytest.CaptureFixture[str]
) -> None:
    c = county
    seen = {
        c.committee_a: {A_VILLAGE},
        c.committee_b: {B_VILLAGE},
        c.auditor: {A_VILLAGE, B_VILLAGE},
        c.auditor_b: {B_VILLAGE},
        c.admin: {A_VILLAGE, B_VILLAGE},
    }
    receipts_b = _count(c, "SELECT count(*) FROM receipt r JOIN project p ON p.id = r.project_id WHERE p.code = 'road'")
    receipts_all = _count(c, "SELECT count(*) FROM receipt")
    for user, villages in seen.items():
        assert _villages_in_breakdown(capsys, c.url(user)) == villages, user
        names = c.psql(user, "SELECT name FROM village ORDER BY name")
        assert names.returncode == 0 and set(names.stdout.split()) == villages, (user, names.stderr)
        receipts = c.psql(user, "SELECT count(*) FROM receipt").stdout.strip()
        expected = {frozenset({B_VILLAGE}): receipts_b, frozenset({A_VILLAGE}): receipts_all - receipts_b}
        assert int(receipts) == expected.get(frozenset(villages), receipts_all), user
        # Not even another village's changes in the audit trail, nor who may see what.
        trail = c.psql(user, "SELECT DISTINCT village_id FROM change WHERE village_id IS NOT NULL")
        assert len(trail.stdout.split()) == len(villages), user
    assert c.psql(c.committee_a, "SELECT * FROM village_access").returncode != 0
    # Reconcile and export as a committee member: only its village.
    assert main(["--db", c.url(c.committee_a), "reconcile", "--format", "json"]) in (0, 1)
    assert B_VILLAGE not in capsys.readouterr().out
    assert main(["--db", c.url(c.committee_a), "export", "--format", "json"]) == 0
    assert A_VILLAGE in capsys.readouterr().out


def test_psql_writes_follow_the_role(county: County) -> None:
    c = county
    insert = (
        "INSERT INTO receipt (project_id, funder_id, amount_fen, at_least, date, voided) "
        "SELECT p.id, f.id, 100, false, '2025-02-01', false FROM project p JOIN funder f ON f.village_id = p.village_id "
        "WHERE p.code = '{code}' LIMIT 1"
    )
    before = _count(c, "SELECT count(*) FROM receipt")
    # Its own village: written.
    assert c.psql(c.committee_b, insert.format(code="road")).stdout.strip() == "INSERT 0 1"
    # Another village's rows are not there for it: nothing to insert from, nothing to update or delete.
    assert c.psql(c.committee_b, insert.format(code="housing-1")).stdout.strip() == "INSERT 0 0"
    assert (
        c.psql(
            c.committee_b, "UPDATE receipt SET amount_fen = 1 WHERE project_id NOT IN (SELECT id FROM project)"
        ).stdout.strip()
        == "UPDATE 0"
    )
    assert c.psql(c.committee_b, "DELETE FROM project WHERE code = 'housing-1'").stdout.strip() == "DELETE 0"
    # A row naming another village's project by its id: refused by the policy.
    housing = _count(c, "SELECT id FROM project WHERE code = 'housing-1'")
    forged = c.psql(
        c.committee_b,
        f"INSERT INTO receipt (project_id, funder_id, amount_fen, at_least, date, voided) "
        f"VALUES ({housing}, 1, 1, false, '2025-01-01', false)",
    )
    assert forged.returncode != 0 and "row-level security" in forged.stderr
    moved = c.psql(c.committee_b, f"UPDATE receipt SET project_id = {housing}")
    assert moved.returncode != 0 and "row-level security" in moved.stderr
    assert c.psql(c.committee_b, "INSERT INTO village (name) VALUES ('新村')").returncode != 0
    # An auditor writes nothing at all.
    for user in (c.auditor, c.auditor_b):
        denied = c.psql(user, insert.format(code="road"))
        assert denied.returncode != 0 and "permission denied" in denied.stderr
    # An admin writes anywhere.
    assert c.psql(c.admin, insert.format(code="housing-1")).stdout.strip() == "INSERT 0 1"
    assert _count(c, "SELECT count(*) FROM receipt") == before + 2


def test_a_committee_member_cannot_change_another_village_by_any_path(
    county: County, config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    c = county
    c.as_owner()
    b_village = m.Village.get(m.Village.name == B_VILLAGE).id
    b_receipt = m.Receipt.select().join(m.Project).where(m.Project.code == "road").get().id
    b_project = m.Project.get(m.Project.code == "road").id
    snapshot = _count(c, "SELECT count(*) FROM receipt") + _count(c, "SELECT count(*) FROM change")
    # An import naming the other village (a new record of it).
    more = c.tmp / "more.toml"
    more.write_text(
        OTHER.split("[[funders]]")[0] + '[[funders]]\nname = "新出资方"\nkind = "other"\n', encoding="utf-8"
    )
    assert main(["--db", c.url(c.committee_a), "--lang", "zh", "import", str(more)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "没有这个权限" in err[0] and "Traceback" not in err[0]
    c.as_user(c.committee_a)
    options = config.import_options
    # The form's add and correction, the void, all on the other village's records.
    raw = {"project": "road", "funder": "县财政", "amount": "1", "date": dt.date(2025, 3, 1)}
    with pytest.raises(StoreError) as refused:
        add_record(b_village, "receipts", raw, options, "元", "某人")
    assert refused.value.code == "store_denied"
    with pytest.raises(StoreError):
        replace_record(b_village, "receipts", b_receipt, raw, options, "元", "某人")
    assert void_record("receipts", b_receipt, "某人") != []  # not there for it: nothing voided
    assert void_record("projects", b_project, "某人") != []
    # Undo reaches only its own village's trail, and there only its own changes.
    with pytest.raises(StoreError) as not_mine:
        undo_last(options, "某人")
    assert not_mine.value.code == "undo_not_yours"
    c.as_owner()
    assert _count(c, "SELECT count(*) FROM receipt") + _count(c, "SELECT count(*) FROM change") == snapshot
    assert not m.Receipt.get_by_id(b_receipt).voided


def test_history_names_the_login_role_and_a_committee_undoes_only_its_own(
    county: County, config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    c = county
    c.as_user(c.committee_a)
    a_village = m.Village.get().id
    raw = {"project": "housing-1", "funder": "上级拨款", "amount": "5", "date": dt.date(2025, 3, 1)}
    assert add_record(a_village, "receipts", raw, config.import_options, "元", "配置里的名字") == []
    (entry,) = audit.history(limit=1)
    assert entry.operator == c.committee_a and entry.action == "add"
    # Its own change: undone; then the one before (the county's import): refused, in one line.
    assert main(["--db", c.url(c.committee_a), "undo"]) == 0
    capsys.readouterr()
    assert main(["--db", c.url(c.committee_a), "--lang", "zh", "undo"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "只能撤销自己的修改" in err[0]
    # An admin undoes anyone's; the trail names it too.
    assert main(["--db", c.url(c.admin), "undo"]) == 0
    c.as_owner()
    operators = [e.operator for e in audit.history(limit=3)]
    assert operators == [c.admin, c.committee_a, c.committee_a]
    rows = c.psql(c.committee_b, "SELECT DISTINCT operator FROM change").stdout.split()
    assert c.committee_a not in rows and c.admin not in rows  # the other committee sees none of these


def test_two_committees_write_their_villages_at_the_same_time(county: County, config: Config) -> None:
    c = county
    files = {}
    for user, village, code in ((c.committee_a, A_VILLAGE, "housing-1"), (c.committee_b, B_VILLAGE, "road")):
        path = c.tmp / f"{user}.toml"
        receipts = "".join(
            f'[[receipts]]\nproject = "{code}"\nfunder = "{"上级拨款" if code == "housing-1" else "县财政"}"\n'
            f'amount = "{n + 1}"\ndate = 2025-04-01\n'
            for n in range(50)
        )
        path.write_text(f'format = "fundtrack/1"\n[village]\nname = "{village}"\n{receipts}', encoding="utf-8")
        files[user] = path
    database.close()
    results: dict[str, int] = {}

    def run(user: str) -> None:
        for _ in range(3):
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "fundtrack.cli.main",
                    "--db",
                    c.url(user),
                    "import",
                    str(files[user]),
                ],
                capture_output=True,
                text=True,
            )
            results[user] = results.get(user, 0) + (proc.returncode == 0)

    threads = [threading.Thread(target=run, args=(u,)) for u in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {c.committee_a: 3, c.committee_b: 3}
    added = "SELECT count(*) FROM receipt r JOIN project p ON p.id = r.project_id WHERE r.date = '2025-04-01' AND p.code = '{}'"
    assert _count(c, added.format("housing-1")) == 150 and _count(c, added.format("road")) == 150
    operators = c.psql(
        "postgres", "SELECT DISTINCT operator FROM change WHERE action = 'import' ORDER BY 1"
    ).stdout.split()
    assert set(operators) >= {c.committee_a, c.committee_b}


def test_admin_commands_manage_users(county: County, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    c = county
    name = _name("new")
    secret = tmp_path / "pw"
    secret.write_text("s3cret\n", encoding="utf-8")
    admin = c.url(c.admin)
    assert (
        main(
            [
                "--db",
                admin,
                "admin",
                "add-user",
                name,
                "--role",
                "committee",
                "--village",
                A_VILLAGE,
                "--password-file",
                str(secret),
            ]
        )
        == 0
    )
    assert main(["--db", admin, "admin", "set-villages", name, "--village", A_VILLAGE, B_VILLAGE]) == 0
    capsys.readouterr()
    assert main(["--db", admin, "admin", "users", "--format", "json"]) == 0
    listed = {u["name"]: u for u in json.loads(capsys.readouterr().out)}
    assert listed[name] == {"name": name, "role": "committee", "villages": sorted([A_VILLAGE, B_VILLAGE])}
    assert listed[c.auditor]["villages"] is None and listed[c.auditor_b]["villages"] == [B_VILLAGE]
    assert c.psql(name, "SELECT count(*) FROM village").stdout.strip() == "2"
    # A committee member needs a village; an unknown village is named; a committee member is no admin.
    assert main(["--db", admin, "admin", "add-user", _name("x"), "--role", "committee"]) == 2
    assert main(["--db", admin, "admin", "add-user", _name("x"), "--role", "committee", "--village", "无此村"]) == 2
    assert main(["--db", c.url(c.committee_a), "admin", "add-user", _name("x"), "--role", "admin"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("fundtrack: ") for line in err)
    assert main(["--db", admin, "admin", "remove-user", name]) == 0
    assert c.psql(name, "SELECT count(*) FROM village").returncode != 0  # no rights left at all
    capsys.readouterr()
    assert main(["--db", admin, "admin", "users", "--format", "json"]) == 0
    assert name not in {u["name"] for u in json.loads(capsys.readouterr().out)}


def test_admin_commands_on_sqlite_say_so_in_one_line(
    sqlite_db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["--db", sqlite_db, "--lang", "zh", "admin", "users"]) == 2
    assert main(["--db", str(tmp_path / "none.db"), "admin", "add-user", "x", "--role", "auditor"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all("PostgreSQL" in line for line in err)
    assert not (tmp_path / "none.db").exists()


def test_an_auditor_gets_a_read_only_app(county: County, config: Config) -> None:
    import asyncio

    from fundtrack.tui.app import make_app

    county.as_user(county.auditor)
    app = make_app(config, village=A_VILLAGE)

    async def run() -> tuple[str, bool, bool, int]:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.5)
            await pilot.press("a")
            await pilot.pause(0.2)
            return app.title, app.check_action("add", ()), app.check_action("undo", ()), len(app.screen_stack)

    title, can_add, can_undo, screens = asyncio.run(run())
    assert "只读" in title or "read-only" in title
    assert not can_add and not can_undo and screens == 2  # the dashboard only: no form was opened
    county.as_user(county.committee_a)
    assert make_app(config).read_only is False


def test_an_import_into_a_hidden_village_is_refused_whole(county: County, config: Config) -> None:
    c = county
    c.as_user(c.committee_a)
    other = c.tmp / "again.toml"
    other.write_text(OTHER.replace("乙村", "丙村"), encoding="utf-8")
    with pytest.raises(Exception) as refused:
        import_files([str(other)], config.import_options)
    assert not isinstance(refused.value, InputError)
    c.as_owner()
    assert m.Village.select().where(m.Village.name == "丙村").count() == 0


def test_the_migration_gives_an_older_trail_its_villages(county: County, config: Config) -> None:
    """A database from before entries named their village: the migration fills them in (else a committee
    member would not see its own village's trail, and its undo would find nothing to undo)."""
    c = county
    c.as_user(c.committee_a)
    a_village = m.Village.get().id
    raw = {"project": "housing-1", "funder": "上级拨款", "amount": "5", "date": dt.date(2025, 3, 1)}
    assert add_record(a_village, "receipts", raw, config.import_options, "元") == []
    assert undo_last(config.import_options) is not None
    c.as_owner()
    expected = {e.id: e for e in m.Change.select()}
    m.Change.update(village_id=None).execute()
    audit.fill_villages()
    filled = {e.id: e.village_id for e in m.Change.select()}
    assert filled == {i: e.village_id for i, e in expected.items()}
    assert None not in filled.values()


def test_every_table_of_a_village_has_a_policy() -> None:
    """A table added to the models without a line in GUARDED would be open to every committee."""
    from fundtrack.storage import models, security

    guarded = {g.table for g in security.GUARDED}
    tables = {m._meta.table_name for m in (*models.MODELS, models.Change, models.ReceiptSerial, models.Household)}
    tables |= {
        m._meta.table_name
        for m in vars(models).values()
        if isinstance(m, type)
        and issubclass(m, models.BaseModel)
        and m is not models.BaseModel
        and m is not models.RecordModel
    }
    assert tables - guarded <= {"schema_version"}, tables - guarded


def test_a_committee_cannot_rewrite_delete_or_forge_the_audit_trail_through_psql(county: County) -> None:
    c = county
    own = c.psql(
        c.committee_b,
        "INSERT INTO change (batch, at, operator, action, undone, village_id) "
        f"SELECT 0, now(), '{c.committee_b}', 'edit', false, id FROM village RETURNING id",
    )
    assert own.returncode == 0, own.stderr
    own_id = int(own.stdout.split()[0])
    trail = _count(c, "SELECT count(*) FROM change")
    county_import = _count(
        c, f"SELECT min(id) FROM change WHERE village_id = (SELECT village_id FROM change WHERE id = {own_id})"
    )
    attacks = [
        f"UPDATE change SET operator = '{c.committee_b}' WHERE id = {county_import}",
        f"UPDATE change SET undone = true WHERE id = {county_import}",
        f"UPDATE change SET operator = '县里' WHERE id = {own_id}",
        f"UPDATE change SET before = '{{}}' WHERE id = {own_id}",
        f"DELETE FROM change WHERE id = {own_id}",
        "DELETE FROM change",
        "INSERT INTO change (batch, at, operator, action, undone, village_id) "
        "SELECT 0, now(), '县里', 'edit', false, id FROM village",
    ]
    for sql in attacks:
        out = c.psql(c.committee_b, sql)
        assert out.returncode != 0 and "permission denied" in out.stderr, sql
    assert _count(c, "SELECT count(*) FROM change") == trail
    assert (
        _count(c, f"SELECT count(*) FROM change WHERE id = {county_import} AND operator = '县里' AND NOT undone") == 1
    )
    # What fundtrack itself does to its own entries still goes through.
    assert c.psql(c.committee_b, f"UPDATE change SET undone = true WHERE id = {own_id}").returncode == 0


def test_a_committee_cannot_link_its_rows_to_another_villages_rows(county: County) -> None:
    c = county
    other_funder = _count(
        c, "SELECT min(f.id) FROM funder f JOIN project p ON p.village_id = f.village_id WHERE p.code = 'housing-1'"
    )
    links = [
        "INSERT INTO receipt (project_id, funder_id, amount_fen, at_least, date, voided) "
        f"SELECT p.id, {other_funder}, 100, false, '2025-02-01', false FROM project p WHERE p.code = 'road'",
        "INSERT INTO levy (project_id, funder_id, per_household_fen, at_least, households, voided) "
        f"SELECT p.id, {other_funder}, 100, false, 3, false FROM project p WHERE p.code = 'road'",
        f"UPDATE receipt SET funder_id = {other_funder}",
    ]
    before = _count(c, "SELECT count(*) FROM receipt") + _count(c, "SELECT count(*) FROM levy")
    for sql in links:
        out = c.psql(c.committee_b, sql)
        assert out.returncode != 0 and "row-level security" in out.stderr, (sql, out.stdout, out.stderr)
    assert _count(c, "SELECT count(*) FROM receipt") + _count(c, "SELECT count(*) FROM levy") == before
    assert (
        _count(
            c,
            f"SELECT count(*) FROM receipt WHERE funder_id = {other_funder} AND project_id IN (SELECT id FROM project WHERE code = 'road')",
        )
        == 0
    )


def test_add_user_without_a_terminal_or_password_file_refuses_a_new_user(
    county: County, capsys: pytest.CaptureFixture[str]
) -> None:
    c = county
    name = _name("nopw")
    capsys.readouterr()
    assert main(["--db", c.url(c.admin), "admin", "add-user", name, "--role", "auditor"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and name in err[0] and "--password-file" in err[0]
    assert _count(c, f"SELECT count(*) FROM pg_roles WHERE rolname = '{name}'") == 0
    # An existing user keeps its password: changing its villages needs none.
    assert main(["--db", c.url(c.admin), "admin", "add-user", c.auditor, "--role", "auditor"]) == 0


def test_init_by_a_database_owner_who_is_not_a_superuser_sets_everything_up(pg_server: str) -> None:
    import psycopg

    owner, name = _name("own"), "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{owner}" LOGIN CREATEROLE')  # generated identifiers
        conn.execute(f'CREATE DATABASE "{name}" OWNER "{owner}"')
    p = urlparse(pg_server)
    url = f"postgresql://{owner}@{p.hostname}:{p.port}/{name}"
    try:
        assert main(["--db", url, "init"]) == 0
        assert security.role_of(owner) == "admin"
        tables = subprocess.run(
            [
                str(PG_BIN / "psql"),
                f"host={p.hostname} port={p.port} dbname={name} user={owner}",
                "-XAt",
                "-c",
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'fundtrack_admin'",
            ],
            capture_output=True,
            text=True,
        )
        assert int(tables.stdout.strip()) >= len(security.GUARDED)
    finally:
        database.close()


def test_a_read_refused_by_a_missing_grant_says_nothing_of_writes(
    county: County, capsys: pytest.CaptureFixture[str]
) -> None:
    c = county
    stranger = _name("nobody")
    assert c.psql("postgres", f'CREATE ROLE "{stranger}" LOGIN').returncode == 0
    capsys.readouterr()
    assert main(["--db", c.url(stranger), "report", "breakdown", "--format", "json"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "没有读这些记录的权限" in err[0] and "什么也没写" not in err[0], err


def test_an_auditor_is_not_offered_printing_receipts_which_gives_serials(county: County, config: Config) -> None:
    import asyncio

    from textual.widgets import TabbedContent

    from fundtrack.tui.app import make_app
    from fundtrack.tui.screens.project import ProjectScreen

    serials = _count(county, "SELECT count(*) FROM receipt_serial")
    county.as_user(county.auditor)
    project = m.Project.select().join(m.Village).where(m.Village.name == A_VILLAGE).first()
    app = make_app(config, village=A_VILLAGE)

    async def run() -> tuple[bool, bool]:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.5)
            screen = ProjectScreen(project.id)
            app.push_screen(screen)
            await pilot.pause(0.5)
            elsewhere = screen.check_action("parent", ())
            screen.query_one("#tabs", TabbedContent).active = "tab-receipts"
            await pilot.pause(0.3)
            on_receipts = screen.check_action("print_receipt", ())
            screen.action_print_receipt()  # as the palette would call it
            await pilot.pause(0.5)
            return bool(elsewhere), bool(on_receipts)

    elsewhere, on_receipts = asyncio.run(run())
    assert elsewhere and not on_receipts
    assert _count(county, "SELECT count(*) FROM receipt_serial") == serials
