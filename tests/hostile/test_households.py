"""Hostile household registers: bad codes, duplicates (NFKC-equal too), receipts naming a household
the register lacks or an exempt one, impossible head counts. Each is refused in located lines with
nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.harness import assert_check_clean, assert_refused, fingerprint, run

HEADER = 'format = "fundtrack/1"\n[village]\nname = "测试村"\n'
BASE = (
    HEADER
    + '[[settlements]]\nname = "上寨"\n'
    + '[[households]]\ncode = "上寨-001"\nhead = "张三"\nsettlement = "上寨"\npeople = 4\n'
    + '[[households]]\ncode = "上寨-002"\nhead = "李四"\nsettlement = "上寨"\nexempt = true\nexempt_reason = "五保户"\n'
    + '[[funders]]\nname = "乡亲"\nkind = "villagers"\n'
    + '[[projects]]\ncode = "p1"\nname = "道路"\ncategory = "road"\nstatus = "building"\n'
    + '[[levies]]\nproject = "p1"\nfunder = "乡亲"\nper_household = "300元"\nhouseholds = 1\n'
)


def _household(**keys: str) -> str:
    body = {"code": '"上寨-009"'} | keys
    return HEADER + "[[households]]\n" + "".join(f"{k} = {v}\n" for k, v in body.items())


def _receipt(household: str) -> str:
    return HEADER + (
        f'[[receipts]]\nproject = "p1"\nfunder = "乡亲"\namount = "300元"\ndate = 2024-01-01\nhousehold = {household}\n'
    )


REFUSED = {
    "control_char_in_code": _household(code=r'"上寨-003\u0007"'),
    "escape_in_code": _household(code=r'"\u001b[2J"'),
    "newline_in_code": _household(code=r'"上寨\n-003"'),
    "bidi_in_head": _household(head=r'"\u202e张三"'),
    "empty_code": _household(code='""'),
    "code_taken_in_the_village": _household(code='"上寨-001"'),
    "code_nfkc_taken_in_the_village": _household(code='"上寨－００１"'),
    "code_twice_in_file": _household() + '[[households]]\ncode = "上寨-009"\n',
    "code_nfkc_twice_in_file": _household(code='"AB-1"') + '[[households]]\ncode = "ＡＢ-1"\n',
    "unknown_settlement": _household(settlement='"中寨"'),
    "huge_people": _household(people="99999999999"),
    "implausible_people": _household(people="5000"),
    "negative_people": _household(people="-1"),
    "people_as_text": _household(people='"四"'),
    "exempt_as_text": _household(exempt='"是"'),
    "exempt_reason_without_exempt": _household(exempt_reason='"五保户"'),
    "unknown_key": _household(phone='"123"'),
    "receipt_names_unknown_household": _receipt('"上寨-099"'),
    "receipt_names_exempt_household": _receipt('"上寨-002"'),
    "receipt_names_exempt_household_nfkc": _receipt('"上寨－００２"'),
    "receipt_household_with_escape": _receipt(r'"上寨-001\u001b[2J"'),
    "receipt_names_household_of_the_same_file_wrongly": _household() + _receipt('"上寨-010"').replace(HEADER, ""),
}


def _base(target: str, tmp_path: Path) -> None:
    base = tmp_path / "base.toml"
    base.write_text(BASE, encoding="utf-8")
    result = run("--db", target, "import", str(base))
    assert result.code == 0, result.err


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_hostile_household_is_refused_and_changes_nothing(backend: str, tmp_path: Path, case: str) -> None:
    _base(backend, tmp_path)
    path = tmp_path / f"{case}.toml"
    path.write_text(REFUSED[case], encoding="utf-8")
    before = fingerprint()
    result = run("--db", backend, "import", str(path))
    assert_refused(result)
    assert str(path) in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert fingerprint() == before
    assert_check_clean(backend)


def test_a_receipt_names_a_household_written_in_another_form(sqlite_db: str, tmp_path: Path) -> None:
    _base(sqlite_db, tmp_path)
    path = tmp_path / "ok.toml"
    path.write_text(_receipt('"上寨－００１"'), encoding="utf-8")
    assert run("--db", sqlite_db, "import", str(path)).code == 0
    export = run("--db", sqlite_db, "export")
    assert 'household = "上寨-001"' in export.out


def test_without_a_register_a_receipt_names_any_household(sqlite_db: str, tmp_path: Path) -> None:
    path = tmp_path / "free.toml"
    path.write_text(BASE.split("[[settlements]]")[0] + BASE.split('exempt_reason = "五保户"\n')[1], encoding="utf-8")
    assert run("--db", sqlite_db, "import", str(path)).code == 0, path.read_text()
    path2 = tmp_path / "r.toml"
    path2.write_text(_receipt('"随便写的户"'), encoding="utf-8")
    result = run("--db", sqlite_db, "import", str(path2))
    assert result.code == 0, result.err


def test_undoing_the_import_of_a_village_with_a_register_removes_it(backend: str, tmp_path: Path) -> None:
    from fundtrack.storage import models as m

    _base(backend, tmp_path)
    assert m.Household.select().count() == 2
    result = run("--db", backend, "undo")
    assert result.code == 0, result.err
    assert m.Household.select().count() == 0 and m.Village.select().count() == 0
    assert_check_clean(backend)


def test_a_household_is_corrected_in_place_and_voided_codes_stay_taken(backend: str, tmp_path: Path) -> None:
    from fundtrack.io.config import load_config
    from fundtrack.service.records import replace_record, void_record
    from fundtrack.storage import models as m

    _base(backend, tmp_path)
    config = load_config()
    hh = m.Household.get(m.Household.code == "上寨-001")
    raw = {"code": "上寨-001", "head": "张三丰", "settlement": "上寨", "people": 5}
    problems = replace_record(hh.village_id, "households", hh.id, raw, config.import_options, "元", "test")
    assert problems == []
    assert m.Household.get_by_id(hh.id).head == "张三丰"
    void_record("households", hh.id, "test")
    path = tmp_path / "again.toml"
    path.write_text(_household(code='"上寨-001"'), encoding="utf-8")
    assert_refused(run("--db", backend, "import", str(path)))
    path.write_text(_receipt('"上寨-001"'), encoding="utf-8")
    result = run("--db", backend, "import", str(path))
    assert_refused(result)
    assert "voided" in result.err


def test_a_store_made_before_the_register_gains_it_by_migration(backend: str, tmp_path: Path) -> None:
    from fundtrack.storage import migrations
    from fundtrack.storage import models as m
    from fundtrack.storage.db import database, write_transaction

    _base(backend, tmp_path)
    with write_transaction():  # the store as schema 1 left it: no household table
        database.drop_tables([m.Household])
        m.SchemaVersion.delete().where(m.SchemaVersion.version > 1).execute()
    assert not database.table_exists("household")
    assert migrations.migrate()[0] == [v for v, _ in migrations.MIGRATIONS if v > 1]
    assert database.table_exists("household") and m.Household.select().count() == 0
    assert migrations.migrate()[0] == []
    assert_check_clean(backend)


def test_a_first_register_that_leaves_out_a_stored_receipts_household_is_refused(backend: str, tmp_path: Path) -> None:
    """Receipts named 老王家 before any register; a register without it was taken, and then the village's
    own export could not be imported again."""
    path = tmp_path / "free.toml"
    path.write_text(BASE.split("[[settlements]]")[0] + BASE.split('exempt_reason = "五保户"\n')[1], encoding="utf-8")
    assert run("--db", backend, "import", str(path)).code == 0
    receipt = tmp_path / "r.toml"
    receipt.write_text(_receipt('"老王家"'), encoding="utf-8")
    assert run("--db", backend, "import", str(receipt)).code == 0
    register = tmp_path / "register.toml"
    register.write_text(_household(code='"H1"'), encoding="utf-8")
    before = fingerprint()
    result = run("--db", backend, "import", str(register))
    assert_refused(result)
    assert "老王家" in result.err and len(result.err.strip().splitlines()) == 1, result.err
    assert fingerprint() == before
    register.write_text(_household(code='"H1"') + '[[households]]\ncode = "老王家"\n', encoding="utf-8")
    assert run("--db", backend, "import", str(register)).code == 0
    exported = tmp_path / "again.toml"
    assert run("--db", backend, "export", "-o", str(exported)).code == 0
