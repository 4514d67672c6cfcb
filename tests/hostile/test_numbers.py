"""Numbers that do not fit: amounts past the limits, exponents, NaN, digits of other scripts, counts past
their bound, and village totals past 10^14 yuan, from a file or a form. Each is refused in one located line,
nothing written, the store still clean; totals exactly at the limit are accepted and every report runs."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from pathlib import Path

import pytest

from fundtrack.io.config import Config
from fundtrack.io.problems import InputError
from fundtrack.service.importing import import_files
from fundtrack.service.records import add_record, replace_record
from fundtrack.storage import models as m
from fundtrack.storage.db import database
from tests.hostile.harness import assert_check_clean, assert_refused, fingerprint, run

HEADER = 'format = "fundtrack/1"\n[village]\nname = "测试村"\n'
BASE = (
    HEADER
    + '[[funders]]\nname = "上级"\nkind = "upper_grant"\n'
    + '[[funders]]\nname = "群众"\nkind = "villagers"\n'
    + '[[enterprises]]\nname = "煤矿"\nkind = "private_mine"\n'
    + '[[projects]]\ncode = "p"\nname = "路"\ncategory = "road"\nstatus = "building"\nbudget = "100万"\n'
)

# Where a value goes: the record's text with {v} for it, and the `where` of its problem.
PLACES = {
    "budget": (
        '[[projects]]\ncode = "q"\nname = "桥"\ncategory = "bridge"\nstatus = "planned"\nbudget = {v}\n',
        "projects[0].budget",
    ),
    "pledge": ('[[pledges]]\nproject = "p"\nfunder = "上级"\namount = {v}\n', "pledges[0].amount"),
    "receipt": (
        '[[receipts]]\nproject = "p"\nfunder = "上级"\namount = {v}\ndate = 2024-01-01\n',
        "receipts[0].amount",
    ),
    "expense": ('[[expenses]]\nproject = "p"\namount = {v}\ndate = 2024-01-01\nitem = "水泥"\n', "expenses[0].amount"),
    "per_household": (
        '[[levies]]\nproject = "p"\nfunder = "群众"\nper_household = {v}\nhouseholds = 10\n',
        "levies[0].per_household",
    ),
    "levy_households": (
        '[[levies]]\nproject = "p"\nfunder = "群众"\nper_household = 100\nhouseholds = {v}\n',
        "levies[0].households",
    ),
    "settlement_people": ('[[settlements]]\nname = "新寨"\npeople = {v}\n', "settlements[0].people"),
    "hiring_quota": (
        '[[enterprises]]\nname = "厂"\nkind = "processing"\nhiring_quota = {v}\n',
        "enterprises[0].hiring_quota",
    ),
    "local_workers": (
        '[[headcounts]]\nenterprise = "煤矿"\ndate = 2024-01-01\nlocal_workers = {v}\n',
        "headcounts[0].local_workers",
    ),
    "beneficiaries": (
        '[[projects]]\ncode = "q"\nname = "桥"\ncategory = "bridge"\nstatus = "planned"\nbeneficiary_households = {v}\n',
        "projects[0].beneficiary_households",
    ),
}

TOO_LARGE = "is more than one amount may be"
FINER = "is more precise than a fen"
NOT_AMOUNT = "is not an amount like"
OVER_COUNT = "is more than the limit of 1000000000"
DIGITS_5000 = "9" * 5000

# (place, value as written in TOML, what the message says)
AMOUNT_CASES = {
    "yuan_21_digits": ("budget", '"100000000000000000000元"', TOO_LARGE),
    "just_over_one_amount": ("budget", '"10000000000000.01元"', TOO_LARGE),
    "wan_just_over": ("pledge", '"1000000000.01万"', TOO_LARGE),
    "integer_just_over": ("receipt", "10000000000001", TOO_LARGE),
    "integer_past_64_bits": ("budget", "99999999999999999999", TOO_LARGE),
    "text_5000_digits": ("budget", f'"{DIGITS_5000}元"', TOO_LARGE),
    "integer_5000_digits": ("pledge", DIGITS_5000, ""),
    "integer_4200_digits": ("expense", "9" * 4200, TOO_LARGE),
    "fraction_5000_digits": ("receipt", f'"1.{"0" * 4998}1"', FINER),
    "exponent_huge": ("budget", "1e400", TOO_LARGE),
    "exponent_past_decimal": ("pledge", "1e999999999999", TOO_LARGE),
    "exponent_tiny": ("receipt", "1e-400", FINER),
    "float_29_digits": ("expense", "1.0000000000000000000000000001", FINER),
    "float_over": ("per_household", "1.5e13", TOO_LARGE),
    "nan": ("pledge", "nan", "is not a number"),
    "inf": ("budget", "inf", "is not a number"),
    "minus_inf": ("receipt", "-inf", "is not a number"),
    "arabic_indic": ("budget", '"١٢٣"', NOT_AMOUNT),
    "arabic_indic_with_unit": ("pledge", '"٣٠٠万"', NOT_AMOUNT),
    "devanagari": ("receipt", '"१२३元"', NOT_AMOUNT),
    "fullwidth_mixed_with_arabic": ("expense", '"１٢３"', NOT_AMOUNT),
    "negative_integer": ("pledge", "-5", "is negative"),
    "negative_text": ("expense", '"-5元"', NOT_AMOUNT),
    "negative_float": ("receipt", "-0.01", "is negative"),
    "three_decimals": ("receipt", '"1.001"', FINER),
    "three_decimals_float": ("expense", "1.001", FINER),
    "wan_seven_decimals": ("pledge", '"0.0000001万"', FINER),
    "levy_per_household_huge": ("per_household", '"100000000000000元"', TOO_LARGE),
}

COUNT_CASES = {
    "village_households_20_digits": ("village", "99999999999999999999", OVER_COUNT),
    "levy_households_over": ("levy_households", "1000000001", OVER_COUNT),
    "levy_households_5000_digits": ("levy_households", DIGITS_5000, ""),
    "levy_households_exponent": ("levy_households", "1e400", "expected a whole number"),
    "settlement_people_over": ("settlement_people", "10000000000", OVER_COUNT),
    "hiring_quota_past_64_bits": ("hiring_quota", "18446744073709551616", OVER_COUNT),
    "local_workers_over": ("local_workers", "2147483648", OVER_COUNT),
    "beneficiaries_negative": ("beneficiaries", "-1", "must not be negative"),
    "levy_product_over_one_amount": ("levy_households", "1000000", "per household × 1000000 households"),
}


def _file(place: str, value: str) -> str:
    if place == "village":
        return f"{HEADER}households = {value}\n"
    text, _ = PLACES[place]
    if place == "levy_households" and value == "1000000":
        text = text.replace("per_household = 100\n", 'per_household = "10000000000元"\n')
    return HEADER + text.replace("{v}", value)


def _where(place: str) -> str:
    return "village.households" if place == "village" else PLACES[place][1]


def _refused_import(backend: str, tmp_path: Path, *texts: str) -> str:
    """Import `texts` as files into a store holding BASE: refused, nothing written, check clean; the error lines."""
    base = tmp_path / "base.toml"
    base.write_text(BASE, encoding="utf-8")
    assert run("--db", backend, "import", str(base)).code == 0
    paths = []
    for i, text in enumerate(texts):
        path = tmp_path / f"bad{i}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    before = fingerprint()
    result = run("--db", backend, "import", *paths)
    assert_refused(result)
    assert fingerprint() == before
    assert_check_clean(backend)
    return result.err


@pytest.mark.parametrize("case", sorted(AMOUNT_CASES) + sorted(COUNT_CASES))
def test_a_number_that_does_not_fit_is_one_located_error(backend: str, tmp_path: Path, case: str) -> None:
    place, value, says = AMOUNT_CASES.get(case) or COUNT_CASES[case]
    err = _refused_import(backend, tmp_path, _file(place, value))
    (line,) = err.strip().splitlines()
    assert len(line) < 300, line
    if case == "integer_5000_digits" or case == "levy_households_5000_digits":
        # Read as a number whatever the reader: its where, or the TOML reader's with a line.
        assert line.startswith(f"{tmp_path / 'bad0.toml'}:"), line
    else:
        assert f"bad0.toml:{4 if place != 'village' else 2}: {_where(place)}: " in line, line
    assert says in line, line


def test_an_amount_past_64_bits_is_a_located_error_not_an_internal_error(backend: str, tmp_path: Path) -> None:
    # Was exit 3: OverflowError ("Python int too large to convert to SQLite INTEGER") at the insert.
    err = _refused_import(backend, tmp_path, _file("budget", '"100000000000000000000元"'))
    assert "internal error" not in err and "projects[0].budget" in err


def test_a_count_past_64_bits_is_a_located_error_not_an_internal_error(backend: str, tmp_path: Path) -> None:
    # Was exit 3 (OverflowError) for `households = 99999999999999999999`.
    err = _refused_import(backend, tmp_path, _file("levy_households", "99999999999999999999"))
    assert "internal error" not in err and "levies[0].households" in err


# ---------------------------------------------------------------- a village's totals

YI = 10**13  # one amount at its limit, in yuan; ten of them are a village's limit


def _pledges(n: int, yuan: int, funder: str = "上级") -> str:
    return "".join(f'[[pledges]]\nproject = "p"\nfunder = "{funder}"\namount = "{yuan}元"\n' for _ in range(n))


def test_two_pledges_each_fine_but_together_over_the_village_limit_are_refused(backend: str, tmp_path: Path) -> None:
    # Was: both accepted, then every report on the village failed with SQLite's "integer overflow".
    first = tmp_path / "first.toml"
    first.write_text(HEADER + _pledges(9, YI) + _pledges(1, YI // 2), encoding="utf-8")
    base = tmp_path / "base.toml"
    base.write_text(BASE, encoding="utf-8")
    assert run("--db", backend, "import", str(base), str(first)).code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(HEADER + _pledges(2, 3 * YI // 10), encoding="utf-8")
    before = fingerprint()
    result = run("--db", backend, "import", str(bad))
    assert_refused(result)
    (line,) = result.err.strip().splitlines()
    assert line.startswith(f"{bad}:8: pledges[1].amount: the village's pledged (levies included) would come to 101,"), (
        line
    )
    assert fingerprint() == before
    assert_check_clean(backend)
    report = run("--db", backend, "report", "breakdown", "--format", "json")
    assert report.code == 0, report.err
    json.loads(report.out)


def test_two_files_of_one_import_together_over_the_village_limit_are_refused(backend: str, tmp_path: Path) -> None:
    err = _refused_import(backend, tmp_path, HEADER + _pledges(6, YI), HEADER + _pledges(5, YI))
    (line,) = err.strip().splitlines()
    assert "bad1.toml:20: pledges[4].amount: the village's pledged" in line, line


@pytest.mark.parametrize(
    "table",
    ["receipts", "expenses", "levies", "projects"],
)
def test_a_file_that_takes_a_village_figure_over_the_limit_is_refused(backend: str, tmp_path: Path, table: str) -> None:
    record = {
        "receipts": '[[receipts]]\nproject = "p"\nfunder = "上级"\namount = "{y}元"\ndate = 2024-01-01\n',
        "expenses": '[[expenses]]\nproject = "p"\namount = "{y}元"\ndate = 2024-01-01\nitem = "水泥"\n',
        "levies": '[[levies]]\nproject = "p"\nfunder = "群众"\nper_household = "{y}元"\nhouseholds = 1\n',
        "projects": '[[projects]]\ncode = "q{i}"\nname = "桥{i}"\ncategory = "bridge"\nstatus = "planned"\nbudget = "{y}元"\n',
    }[table]
    text = HEADER + "".join(record.format(y=YI, i=i) for i in range(11))
    err = _refused_import(backend, tmp_path, text)
    (line,) = err.strip().splitlines()
    key = {"receipts": "amount", "expenses": "amount", "levies": "households", "projects": "budget"}[table]
    assert f"{table}[{10 if table != 'projects' else 9}].{key}: the village's " in line, line


def _at_the_limit(backend: str, tmp_path: Path) -> None:
    """A village whose budgets, pledged, received and spent are each exactly 10^14 yuan."""
    budget = "".join(
        f'[[projects]]\ncode = "q{i}"\nname = "桥{i}"\ncategory = "bridge"\nstatus = "building"\nbudget = "{YI}元"\n'
        for i in range(9)
    )
    receipts = '[[receipts]]\nproject = "p"\nfunder = "上级"\namount = "10000000000000元"\ndate = 2024-01-01\n' * 10
    expenses = '[[expenses]]\nproject = "p"\namount = "10000000000000元"\ndate = 2024-01-01\nitem = "水泥"\n' * 10
    pledges = (
        _pledges(9, YI)
        + '[[levies]]\nproject = "p"\nfunder = "群众"\nper_household = "1000000000元"\nhouseholds = 10000\n'
    )
    text = BASE.replace('budget = "100万"', f'budget = "{YI}元"') + budget + pledges + receipts + expenses
    path = tmp_path / "limit.toml"
    path.write_text(text, encoding="utf-8")
    result = run("--db", backend, "import", str(path))
    assert result.code == 0, result.err


def test_a_village_exactly_at_its_limits_is_accepted_and_every_report_runs(backend: str, tmp_path: Path) -> None:
    _at_the_limit(backend, tmp_path)
    for args in (
        ("report", "breakdown", "--format", "json"),
        ("report", "findings", "--format", "json"),
        ("reconcile", "--format", "json"),
        ("report", "breakdown", "--format", "csv"),
    ):
        result = run("--db", backend, *args)
        assert result.code in (0, 1), (args, result.err)
        assert "Traceback" not in result.err and "overflow" not in result.err, result.err
        if "json" in args:
            json.loads(result.out)
    breakdown = json.loads(run("--db", backend, "report", "breakdown", "--format", "json").out)
    assert "100000000000000.00" in json.dumps(breakdown)
    out = tmp_path / "export.toml"
    assert run("--db", backend, "export", "-o", str(out)).code == 0
    assert_check_clean(backend)
    # One fen more on any figure is refused.
    more = tmp_path / "more.toml"
    more.write_text(HEADER + '[[pledges]]\nproject = "p"\nfunder = "上级"\namount = "0.01元"\n', encoding="utf-8")
    before = fingerprint()
    result = run("--db", backend, "import", str(more))
    assert_refused(result)
    assert "pledges[0].amount" in result.err
    assert fingerprint() == before


# ---------------------------------------------------------------- forms


def _village_id() -> int:
    return m.Village.get(m.Village.name == "测试村").id


@pytest.mark.parametrize(
    ("table", "raw", "where"),
    [
        (
            "receipts",
            {"project": "p", "funder": "上级", "amount": "0.01元", "date": dt.date(2024, 1, 1)},
            "receipts[0].amount",
        ),
        (
            "expenses",
            {"project": "p", "amount": "1元", "date": dt.date(2024, 1, 1), "item": "砂"},
            "expenses[0].amount",
        ),
        ("pledges", {"project": "p", "funder": "群众", "amount": "0.01元"}, "pledges[0].amount"),
        ("levies", {"project": "p", "funder": "群众", "per_household": "1元", "households": 1}, "levies[0].households"),
        (
            "projects",
            {"code": "z", "name": "新", "category": "road", "status": "planned", "budget": "0.01元"},
            "projects[0].budget",
        ),
    ],
)
def test_a_form_entry_over_the_village_limit_is_refused(
    backend: str, tmp_path: Path, config: Config, table: str, raw: dict, where: str
) -> None:
    _at_the_limit(backend, tmp_path)
    before = fingerprint()
    problems = add_record(_village_id(), table, raw, config.import_options, "元")
    assert [(p.where, p.code) for p in problems] == [(where, "village_total_too_large")]
    assert problems[0].text("zh").startswith("该村")
    assert fingerprint() == before
    assert_check_clean(backend)


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("amount", "10000000000000.01元", "amount_too_large"),
        ("amount", "١٠元", "amount_like"),
        ("amount", "9" * 5000, "amount_too_large"),
    ],
)
def test_a_form_amount_that_does_not_fit_is_refused(
    backend: str, tmp_path: Path, config: Config, key: str, value: str, code: str
) -> None:
    base = tmp_path / "base.toml"
    base.write_text(BASE, encoding="utf-8")
    assert run("--db", backend, "import", str(base)).code == 0
    before = fingerprint()
    raw = {"project": "p", "funder": "上级", key: value, "date": dt.date(2024, 1, 1)}
    problems = add_record(_village_id(), "receipts", raw, config.import_options, "元")
    assert [(p.where, p.code) for p in problems] == [(f"receipts[0].{key}", code)]
    assert fingerprint() == before


def test_a_correction_is_checked_without_the_record_it_replaces(backend: str, tmp_path: Path, config: Config) -> None:
    _at_the_limit(backend, tmp_path)
    village, options = _village_id(), config.import_options

    def budget(code: str, yuan: str) -> list:
        raw = {"code": code, "name": f"桥{code[1:]}", "category": "bridge", "status": "building", "budget": yuan}
        return replace_record(village, "projects", m.Project.get(m.Project.code == code).id, raw, options, "元")

    # The same figure again, edited in place or voided and added anew: the village stays exactly at its limit.
    assert budget("q0", f"{YI}元") == []
    receipt = m.Receipt.select().where(m.Receipt.voided == False).first()  # noqa: E712
    raw = {"project": "p", "funder": "上级", "amount": f"{YI}元", "date": dt.date(2024, 1, 1)}
    assert replace_record(village, "receipts", receipt.id, raw, options, "元") == []
    # Room made by lowering one budget, taken by a new project; then raising the first again is refused.
    assert budget("q1", "5000000000000元") == []
    raw = {"code": "z", "name": "新", "category": "road", "status": "planned", "budget": "5000000000000元"}
    assert add_record(village, "projects", raw, options, "元") == []
    before = fingerprint()
    problems = budget("q1", "5000000000000.01元")
    assert [(p.where, p.code) for p in problems] == [("projects[0].budget", "village_total_too_large")]
    assert fingerprint() == before
    assert_check_clean(backend)


def test_a_report_that_fails_halfway_leaves_its_output_file_as_it_was(sqlite_db: str, tmp_path: Path) -> None:
    # The limits keep every SUM inside 64 bits (above); a database written past them by hand still
    # makes SQLite's SUM fail ("integer overflow") halfway through a report: the file is then untouched.
    base = tmp_path / "base.toml"
    base.write_text(BASE + _pledges(2, 1), encoding="utf-8")
    assert run("--db", sqlite_db, "import", str(base)).code == 0
    m.Pledge.update(amount_fen=9 * 10**18).execute()
    out = tmp_path / "out.json"
    out.write_text('{"old": true}\n', encoding="utf-8")
    result = run("--db", sqlite_db, "report", "breakdown", "--format", "json", "-o", str(out))
    assert result.code != 0
    assert out.read_text(encoding="utf-8") == '{"old": true}\n'
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.json")]  # no temporary file left


def test_two_imports_at_once_that_together_pass_the_village_limit_are_checked_in_turn(
    backend: str, tmp_path: Path, config: Config
) -> None:
    # On PostgreSQL each transaction reads what is committed: without a lock on the village, both
    # imports summed the village before the other's pledges and both were written.
    base = tmp_path / "base.toml"
    base.write_text(BASE + _pledges(4, YI), encoding="utf-8")
    assert run("--db", backend, "import", str(base)).code == 0
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    first.write_text(HEADER + _pledges(4, YI), encoding="utf-8")
    second.write_text(HEADER + _pledges(4, YI), encoding="utf-8")
    writing = threading.Event()
    outcome: dict[str, object] = {}

    def slowly(_n: int) -> None:
        writing.set()
        time.sleep(1.0)  # the first import holds its write while the second one starts

    def run_import(name: str, path: Path, progress: object) -> None:
        try:
            import_files([str(path)], config.import_options, progress=progress)  # type: ignore[arg-type]
            outcome[name] = "imported"
        except InputError as exc:
            outcome[name] = [p.code for p in exc.problems]
        finally:
            database.close()

    one = threading.Thread(target=run_import, args=("first", first, slowly))
    one.start()
    assert writing.wait(20)
    two = threading.Thread(target=run_import, args=("second", second, None))
    two.start()
    one.join(30)
    two.join(30)
    assert outcome == {"first": "imported", "second": ["village_total_too_large"]}
    assert m.Pledge.select().count() == 8
    assert_check_clean(backend)
