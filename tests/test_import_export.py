"""Import and export of fundtrack/1: seed figures, byte-identical round trips, and a corpus of broken files."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fundtrack.cli.main import main
from fundtrack.io import export as exporter
from fundtrack.io.config import Config
from fundtrack.io.problems import InputError
from fundtrack.service.export import village_document
from fundtrack.service.importing import import_files
from fundtrack.storage import queries
from fundtrack.storage.db import open_database
from fundtrack.storage.migrations import migrate
from tests.conftest import ROOT, SAMPLE, _create_pg_database, write_doc

EVERY_KEY = ROOT / "tests" / "data" / "every_key.toml"


def export_text(village: str | None = None, personal: bool = False) -> str:
    rows = queries.villages()
    row = next(r for r in rows if village is None or r.name == village)
    return exporter.to_toml(village_document(row.id, queries.village_values(row), personal))


def fresh_like(target: str, tmp_path: Path, name: str) -> str:
    """Another empty store on the same backend as `target`."""
    if target.startswith("postgresql://"):
        other = _create_pg_database(target.rsplit("/", 1)[0])
    else:
        other = str(tmp_path / name)
    open_database(other)
    migrate()
    return other


def test_sample_keeps_every_seed_figure(backend: str, config: Config) -> None:
    import_files([str(SAMPLE[0])], config.import_options)
    doc = tomllib.loads(export_text())
    projects = {p["code"]: p for p in doc["projects"]}
    assert projects["housing-1"]["budget"] == "2914.25万"
    assert projects["housing-1"]["beneficiary_households"] == 313
    assert projects["housing-1"]["beneficiary_people"] == 1321
    assert projects["wanxiao-building"]["budget"] == "400余万"
    assert projects["minzu-school"]["budget"] == "3700万"
    assert projects["faao-water"]["budget"] == "1100万"
    assert projects["guihua-reservoir"]["budget"] == "1200万"
    pledges = [
        (p["project"], p.get("funder") or tuple(p["funders"]), p.get("amount"), p.get("form", "cash"))
        for p in doc["pledges"]
    ]
    assert ("housing-1", "上级拨款", "1090万", "cash") in pledges
    assert (
        "housing-1",
        ("打厂沟煤矿", "大炭沟煤矿", "小河沟煤矿", "打磨冲煤矿", "xx省兴云煤矿"),
        "1600万",
        "cash",
    ) in pledges
    assert ("minority-primary-schools", ("新华煤矿", "沟发煤矿", "红土田煤矿", "新寨煤矿"), "260万", "cash") in pledges
    assert ("minzu-school", "大炭沟煤矿", "413万", "cash") in pledges
    assert ("minzu-school", "xx村群众", "20万", "cash") in pledges
    assert ("minzu-school", "xx省兴云煤矿", "20万", "cash") in pledges
    assert ("damochong-bridge", "镇党委政府", "15万", "cash") in pledges
    assert {f for p, _, a, f in pledges if p == "damochong-bridge" and a is None} == {"land", "labour", "machinery"}
    assert ("dingjianaobao-road", "辖区企业(报告未具名)", "60余万", "cash") in pledges
    assert doc["levies"] == [
        {"project": "housing-1", "funder": "安居房住户", "per_household": "2万", "households": 313}
    ]
    assert [(x["project"], x["amount"]) for x in doc["expenses"]] == [("guihua-reservoir", "30万")]
    kinds = [e["kind"] for e in doc["enterprises"]]
    assert (kinds.count("private_mine"), kinds.count("state_mine"), kinds.count("processing")) == (10, 1, 8)
    assert {s["name"] for s in doc["settlements"]} == {"新云", "秧田沟", "秤杆边", "打磨冲", "厦卡", "丁家脑包"}
    assert len([m for m in doc["milestones"] if m["project"] == "minzu-school"]) == 8


@pytest.mark.parametrize("files", [[EVERY_KEY], SAMPLE], ids=["every-key", "sample"])
def test_export_import_export_is_byte_identical(
    backend: str, config: Config, tmp_path: Path, files: list[Path]
) -> None:
    import_files([str(f) for f in files], config.import_options)
    first = export_text(personal=True)
    (tmp_path / "first.toml").write_text(first, encoding="utf-8")
    fresh_like(backend, tmp_path, "second.db")
    import_files([str(tmp_path / "first.toml")], config.import_options)
    assert export_text(personal=True) == first


def test_every_key_survives_the_round_trip(backend: str, config: Config) -> None:
    import_files([str(EVERY_KEY)], config.import_options)
    original = tomllib.loads(EVERY_KEY.read_text(encoding="utf-8"))
    exported = tomllib.loads(export_text(personal=True))
    assert exported["village"] == original["village"]
    for table in ("settlements", "households", "milestones", "hires", "headcounts"):
        assert exported[table] == original[table], table
    assert [p["code"] for p in exported["projects"]] == [p["code"] for p in original["projects"]]
    assert exported["projects"][0]["budget"] == "120.5万"
    assert exported["projects"][1]["budget"] == "30余万"
    assert exported["projects"][2]["budget"] == "1234567.89元"
    assert exported["pledges"][1]["funders"] == ["上级", "省级补助"]
    assert exported["pledges"][1]["amount"] == "60万"
    assert exported["pledges"][5]["amount"] == "12.34元"
    assert exported["enterprises"][0] == {
        "name": "甲煤矿",
        "kind": "private_mine",
        "hiring_quota": 120,
        "management_quota": 5,
    }
    assert "id_number" not in export_text()


def test_second_file_links_to_names_already_in_the_database(backend: str, config: Config, tmp_path: Path) -> None:
    import_files([str(SAMPLE[0])], config.import_options)
    path = write_doc(
        tmp_path,
        """
        format = "fundtrack/1"
        [village]
        name = "xx彝族村"
        [[receipts]]
        project = "housing-1"
        funder = "上级拨款"
        amount = "100万"
        date = 2024-05-01
    """,
        header=False,
    )
    assert import_files([path], config.import_options).records == 1


def test_defining_a_name_the_village_has_is_an_error(backend: str, config: Config, tmp_path: Path) -> None:
    import_files([str(SAMPLE[0])], config.import_options)
    path = write_doc(
        tmp_path,
        """
        format = "fundtrack/1"
        [village]
        name = "xx彝族村"
        [[funders]]
        name = "上级拨款"
        kind = "upper_grant"
    """,
        header=False,
    )
    with pytest.raises(InputError, match=r'funders\[0\]\.name: the village already has a funder "上级拨款"'):
        import_files([path], config.import_options)


def test_dry_run_writes_nothing(backend: str, config: Config) -> None:
    result = import_files([str(SAMPLE[0])], config.import_options, dry_run=True)
    assert result.records > 60 and result.dry_run
    assert queries.villages() == []


# One defect per file: (id, body after the standard header, expected "LINE: where: what" fragment).
BROKEN = [
    (
        "amount-fen",
        '[[projects]]\ncode = "a"\nname = "A"\ncategory = "road"\nstatus = "planned"\nbudget = "1.001元"\n',
        r":4: projects\[0\]\.budget: '1\.001元' is more precise than a fen",
    ),
    (
        "amount-negative",
        '[[projects]]\ncode = "a"\nname = "A"\ncategory = "road"\nstatus = "planned"\nbudget = -3\n',
        r":4: projects\[0\]\.budget: '-3' is negative",
    ),
    (
        "amount-nan",
        '[[projects]]\ncode = "a"\nname = "A"\ncategory = "road"\nstatus = "planned"\nbudget = nan\n',
        r":4: projects\[0\]\.budget: 'NaN' is not a number",
    ),
    (
        "amount-inf",
        '[[projects]]\ncode = "a"\nname = "A"\ncategory = "road"\nstatus = "planned"\nbudget = inf\n',
        r":4: projects\[0\]\.budget: 'Infinity' is not a number",
    ),
    (
        "amount-junk",
        '[[projects]]\ncode = "a"\nname = "A"\ncategory = "road"\nstatus = "planned"\nbudget = "12万元元"\n',
        r":4: projects\[0\]\.budget: '12万元元' is not an amount",
    ),
    (
        "amount-bool",
        '[[projects]]\ncode = "a"\nname = "A"\ncategory = "road"\nstatus = "planned"\nbudget = true\n',
        r":4: projects\[0\]\.budget: true is not an amount",
    ),
    (
        "unknown-key",
        '[[funders]]\nname = "甲"\nkind = "other"\nkinds = "x"\n',
        r':4: funders\[0\]\.kinds: unknown key \(did you mean "kind"\?\)',
    ),
    ("unknown-top-key", None, r":2: budgets: unknown top-level key"),
    (
        "misspelt-name",
        '[[enterprises]]\nname = "打厂沟煤矿"\nkind = "private_mine"\n[[projects]]\ncode = "a"\nname = "A"\n'
        'category = "road"\nstatus = "planned"\n[[pledges]]\nproject = "a"\nfunder = "打厂沟"\namount = 5\n',
        r':12: pledges\[0\]\.funder: no funder named "打厂沟" \(did you mean "打厂沟煤矿"\?\)',
    ),
    (
        "unknown-project",
        '[[funders]]\nname = "甲"\nkind = "other"\n[[receipts]]\nproject = "nope"\nfunder = "甲"\n'
        "amount = 5\ndate = 2024-01-01\n",
        r':7: receipts\[0\]\.project: no project named "nope"',
    ),
    ("missing-required", '[[funders]]\nname = "甲"\n', r":4: funders\[0\]\.kind: is required"),
    ("missing-village", None, r": village: is required"),
    ("wrong-enum", '[[funders]]\nname = "甲"\nkind = "grant"\n', r":4: funders\[0\]\.kind: 'grant' is not one of"),
    (
        "wrong-status",
        '[[projects]]\ncode = "a"\nname = "A"\ncategory = "road"\nstatus = "done"\n',
        r":4: projects\[0\]\.status: 'done' is not one of",
    ),
    (
        "wrong-category",
        '[[projects]]\ncode = "a"\nname = "A"\ncategory = "roads"\nstatus = "planned"\n',
        r":4: projects\[0\]\.category: 'roads' is not one of .*\(did you mean \"road\"\?\)",
    ),
    (
        "bad-date-string",
        '[[enterprises]]\nname = "甲"\nkind = "other"\n[[headcounts]]\nenterprise = "甲"\n'
        'date = "2024-06-31"\nlocal_workers = 3\n',
        r":7: headcounts\[0\]\.date: expected a date like 2024-08-31",
    ),
    (
        "impossible-date",
        '[[enterprises]]\nname = "甲"\nkind = "other"\n[[headcounts]]\nenterprise = "甲"\n'
        "date = 2024-02-30\nlocal_workers = 3\n",
        r":\d+: toml: ",
    ),
    (
        "duplicate-code",
        '[[projects]]\ncode = "a"\nname = "A"\ncategory = "road"\nstatus = "planned"\n'
        '[[projects]]\ncode = "a"\nname = "B"\ncategory = "road"\nstatus = "planned"\n',
        r':9: projects\[1\]\.code: project "a" is defined twice in this file',
    ),
    (
        "bad-code",
        '[[projects]]\ncode = "Road 1"\nname = "A"\ncategory = "road"\nstatus = "planned"\n',
        r":4: projects\[0\]\.code: \"Road 1\" may hold only a-z, 0-9 and -",
    ),
    (
        "funder-and-funders",
        '[[funders]]\nname = "甲"\nkind = "other"\n[[funders]]\nname = "乙"\nkind = "other"\n'
        '[[projects]]\ncode = "a"\nname = "A"\ncategory = "road"\nstatus = "planned"\n[[pledges]]\nproject = "a"\n'
        'funder = "甲"\nfunders = ["甲", "乙"]\namount = 5\n',
        r":15: pledges\[0\]\.funder: give exactly one of funder or funders",
    ),
    (
        "joint-mixed-kinds",
        '[[funders]]\nname = "甲"\nkind = "other"\n[[funders]]\nname = "乙"\nkind = "villagers"\n'
        '[[projects]]\ncode = "a"\nname = "A"\ncategory = "road"\nstatus = "planned"\n[[pledges]]\nproject = "a"\n'
        'funders = ["甲", "乙"]\namount = 5\n',
        r":15: pledges\[0\]\.funders: joint funders must be of one kind",
    ),
    (
        "levy-not-villagers",
        '[[funders]]\nname = "甲"\nkind = "other"\n[[projects]]\ncode = "a"\nname = "A"\n'
        'category = "road"\nstatus = "planned"\n[[levies]]\nproject = "a"\nfunder = "甲"\nper_household = "2万"\n'
        "households = 3\n",
        r':12: levies\[0\]\.funder: "甲" is of kind other; a levy is paid by a villagers funder',
    ),
    (
        "cash-without-amount",
        '[[funders]]\nname = "甲"\nkind = "other"\n[[projects]]\ncode = "a"\nname = "A"\n'
        'category = "road"\nstatus = "planned"\n[[pledges]]\nproject = "a"\nfunder = "甲"\n',
        r":12: pledges\[0\]\.amount: a cash pledge needs an amount",
    ),
    (
        "hire-ends-before-start",
        '[[enterprises]]\nname = "甲"\nkind = "other"\n[[hires]]\nenterprise = "甲"\n'
        'person = "张三"\nrole = "worker"\nstart = 2024-05-01\nend = 2024-04-01\n',
        r":7: hires\[0\]\.end: 2024-04-01 is not after start 2024-05-01",
    ),
    (
        "parent-cycle",
        '[[projects]]\ncode = "a"\nname = "A"\ncategory = "road"\nstatus = "planned"\nparent = "b"\n'
        '[[projects]]\ncode = "b"\nname = "B"\ncategory = "road"\nstatus = "planned"\nparent = "a"\n',
        r":4: projects\[0\]\.parent: \"a\" is its own ancestor",
    ),
    ("toml-syntax", '[[funders]]\nname = "甲\nkind = "other"\n', r":5: toml: "),
    # TOML 1.1 only (a newer parser would take them): fundtrack/1 files are TOML 1.0.
    ("toml-1.1-escape", '[[funders]]\nname = "甲\\e"\nkind = "other"\n', r":5: toml: "),
    ("toml-1.1-inline-table", "x = {a = 1,\n b = 2}\n", r":4: toml: "),
    ("wrong-format", None, r':1: format: is "fundtrack/2"'),
    ("table-not-array", '[funders]\nname = "甲"\n', r":4: funders: must be an array of tables"),
    (
        "count-not-integer",
        '[[settlements]]\nname = "甲"\nhouseholds = 3.5\n',
        r":4: settlements\[0\]\.households: expected a whole number, got 3.5",
    ),
    (
        "headcount-management-too-many",
        '[[enterprises]]\nname = "甲"\nkind = "other"\n[[headcounts]]\nenterprise = "甲"\n'
        "date = 2024-06-30\nlocal_workers = 3\nmanagement = 5\n",
        r":7: headcounts\[0\]\.management: 5 managers is more than local_workers 3",
    ),
]

SPECIAL = {
    "unknown-top-key": 'format = "fundtrack/1"\nbudgets = 3\n[village]\nname = "测试村"\n',
    "missing-village": 'format = "fundtrack/1"\n[[funders]]\nname = "甲"\nkind = "other"\n',
    "wrong-format": 'format = "fundtrack/2"\n[village]\nname = "测试村"\n',
}
HEAD = 'format = "fundtrack/1"\n[village]\nname = "测试村"\n'


@pytest.mark.parametrize(("case", "body", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_rejected_with_a_line_and_changes_nothing(
    backend: str,
    config: Config,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    body: str | None,
    expected: str,
) -> None:
    import_files([str(EVERY_KEY)], config.import_options)
    before = export_text(personal=True)
    path = tmp_path / f"{case}.toml"
    path.write_text(SPECIAL[case] if body is None else HEAD + body, encoding="utf-8")
    code = main(["--lang", "en", "--db", backend, "import", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert re.search(re.escape(str(path)) + expected, err), err
    for line in err.strip().splitlines():
        assert re.match(r"^.+?:(\d+:)? [\w\[\].]+: .+$", line), line
    assert main(["--lang", "zh", "--db", backend, "import", str(path)]) == 2
    zh = capsys.readouterr().err
    assert len(zh.splitlines()) == len(err.splitlines())
    for line in zh.splitlines():  # every message has its Chinese wording
        what = line.split(": ", 2)[-1]
        assert re.search(r"[\u4e00-\u9fff]", what) or line.split(": ")[1] == "toml", line
    open_database(backend)
    assert export_text("全键村", personal=True) == before
    assert [v.name for v in queries.villages()] == ["全键村"]


def test_every_error_of_a_file_is_reported(sqlite_db: str, config: Config, tmp_path: Path) -> None:
    path = write_doc(
        tmp_path,
        """
        [[funders]]
        name = "甲"
        kind = "grant"
        [[funders]]
        name = "乙"
        [[receipts]]
        project = "x"
        funder = "丙"
        amount = "-1"
        date = 2024-01-01
    """,
    )
    with pytest.raises(InputError) as info:
        import_files([path], config.import_options)
    wheres = [p.where for p in info.value.problems]
    assert wheres == [
        "funders[0].kind",
        "funders[1].kind",
        "receipts[0].amount",
        "receipts[0].project",
        "receipts[0].funder",
    ]


def test_a_bad_second_file_rolls_back_the_good_first(sqlite_db: str, config: Config, tmp_path: Path) -> None:
    bad = write_doc(tmp_path, '[[funders]]\nname = "甲"\n', "bad.toml")
    with pytest.raises(InputError):
        import_files([str(SAMPLE[0]), bad], config.import_options)
    assert queries.villages() == []


def test_import_cli_reports_and_exits_zero(sqlite_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", sqlite_db, "--lang", "en", "import", *map(str, SAMPLE)]) == 0
    assert "imported" in capsys.readouterr().err
    assert main(["--db", sqlite_db, "export", "--format", "json"]) == 0
    assert '"2914.25万"' in capsys.readouterr().out


def test_missing_file_is_one_line(sqlite_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", sqlite_db, "--lang", "en", "import", "/nonexistent/x.toml"]) == 2
    assert capsys.readouterr().err.strip() == "/nonexistent/x.toml: file: No such file or directory"


# toml-rs reads files; tomllib is the reference. Mutations of small documents (characters put in
# or taken out) must be read alike: the same values, or both refuse (then tomllib words the error).
_SEEDS = [
    "a = 1\n",
    '[x]\nb = "c"\n',
    "[[t]]\nk = 2024-01-01\n",
    "a = [1, 2]\n",
    "a = {b = 1}\n",
    "a.b = 1\n",
    'a = """x\ny"""\n',
    "a = 'x'\n",
    "a = 1979-05-27T07:32:00Z\n",
    "a = 1.5\n",
    "[a.b]\n[a]\n",
    'a = "x"\n',
    "a = {b = 1, c = 2}\n",
]
_PIECES = [
    *"ab=[]{}\"'\n ,.0123456789-:T#\\e+_xuZ\t",
    '"""',
    "'''",
    "true",
    "inf",
    "nan",
    "余",
    "\\u00e9",
    "\\e",  # TOML 1.1 escapes: a newer parser's
    "\\x41",
    "1e5",
    "\x00",
]


@settings(max_examples=3000, deadline=None)
@given(
    seed=st.sampled_from(_SEEDS),
    edits=st.lists(st.tuples(st.integers(0, 60), st.sampled_from([None, *_PIECES])), min_size=1, max_size=4),
)
def test_the_fast_parser_reads_what_tomllib_reads(seed: str, edits: list[tuple[int, str | None]]) -> None:
    from decimal import Decimal

    from fundtrack.io.fundfile import _fast_parse

    text = seed
    for pos, piece in edits:
        pos = min(pos, len(text))
        text = text[:pos] + piece + text[pos:] if piece is not None else text[:pos] + text[pos + 1 :]
    try:
        reference = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError:
        reference = None
    fast = _fast_parse(text)
    if fast is not None:
        assert reference is not None, f"toml-rs reads what tomllib refuses: {text!r}"
        assert repr(fast) == repr(reference)  # repr: Decimal NaN is not equal to itself


def test_postgresql_without_its_driver_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from fundtrack.storage import db

    monkeypatch.setattr(db, "postgres_driver_installed", lambda: False)
    assert main(["--db", "postgresql://clerk:secret@127.0.0.1:5432/county", "report", "quotas"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "fundtrack: postgresql://clerk:***@127.0.0.1:5432/county: PostgreSQL needs its driver, "
        "which is not installed: pip install 'fundtrack[postgres]'"
    )


def test_a_sqlite_only_install_never_imports_psycopg(sqlite_db: str, tmp_path: Path) -> None:
    """Without the postgres extra (psycopg made unimportable here), SQLite works and a
    PostgreSQL URL says what to install."""
    import subprocess
    import sys

    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "psycopg.py").write_text('raise ImportError("not installed")\n', encoding="utf-8")
    code = (
        "import sys; from fundtrack.cli.main import main; rc = main(sys.argv[1:]); "
        "assert 'psycopg' not in sys.modules or sys.modules['psycopg'] is None, 'psycopg imported'; sys.exit(rc)"
    )
    env = {**os.environ, "PYTHONPATH": str(hidden), "FUNDTRACK_NO_USER_CONFIG": "1"}

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", code, *argv], env=env, capture_output=True, text=True)

    done = run("--db", sqlite_db, "import", *map(str, SAMPLE))
    assert done.returncode == 0, done.stderr
    done = run("--db", sqlite_db, "report", "breakdown", "--format", "json")
    assert done.returncode == 0 and '"projects"' in done.stdout, done.stderr
    done = run("--db", "postgresql://127.0.0.1/county", "report", "quotas")
    assert done.returncode == 2
    assert done.stderr.strip().endswith(
        "PostgreSQL needs its driver, which is not installed: pip install 'fundtrack[postgres]'"
    )
