"""Hostile names and text: escape sequences, C1 and bidi controls, zero-width characters, line breaks
and spaces where a name is, and names that differ only in their Unicode form. Each is refused in
located lines with nothing written, or (a link written in another form) finds the name it stands for."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from fundtrack.io.config import Config
from fundtrack.service.records import add_record, replace_record
from fundtrack.storage import models as m
from fundtrack.storage import writes
from tests.hostile.harness import assert_check_clean, assert_refused, fingerprint, run

HEADER = 'format = "fundtrack/1"\n[village]\nname = "测试村"\n'
# What the village has before each case: names to collide with and link to.
BASE = (
    HEADER
    + 'township = "镇"\n'
    + '[[settlements]]\nname = "Café"\n'
    + '[[funders]]\nname = "ABC"\nkind = "other"\n'
    + '[[funders]]\nname = "乡亲"\nkind = "villagers"\n'
    + '[[projects]]\ncode = "p1"\nname = "道路"\ncategory = "road"\nstatus = "building"\n'
)


def _funder(name: str) -> str:
    """A funder named by a TOML basic string's body (escapes as TOML reads them)."""
    return HEADER + f'[[funders]]\nname = "{name}"\nkind = "other"\n'


def _receipt(**keys: str) -> str:
    body = {"project": '"p1"', "funder": '"ABC"', "amount": "1", "date": "2024-01-01"} | keys
    return HEADER + "[[receipts]]\n" + "".join(f"{k} = {v}\n" for k, v in body.items())


NFD_CAFE = unicodedata.normalize("NFD", "Café")

# Each case: a file that must be refused (exit 2) without a write, the village as BASE left it.
REFUSED = {
    # escape sequences and controls in a name
    "esc_clear_screen": _funder(r"\u001b[2J"),
    "esc_colour": _funder(r"甲\u001b[31m红"),
    "osc_title": _funder(r"\u001b]0;pwned\u0007"),
    "osc52_clipboard": _funder(r"\u001b]52;c;cm0gLXJmIC8K\u0007"),
    "c1_csi": _funder(r"\u009b2J"),
    "c1_next_line": _funder(r"甲\u0085乙"),
    "delete": _funder(r"甲\u007f"),
    "nul": _funder(r"甲\u0000乙"),
    "bell": _funder(r"甲\u0007"),
    "backspace_overwrite": _funder(r"ABD\b\bBC"),
    "carriage_return": _funder(r"甲\r乙"),
    "tab_in_name": _funder(r"甲\t乙"),
    "newline_forges_an_error_line": _funder(r"x\n/etc/passwd:1: funders[0].name: forged"),
    "newline_in_settlement": HEADER + '[[settlements]]\nname = "上\\n下"\n',
    # bidirectional controls and zero-width characters
    "rlo_u202e": _funder(r"\u202eexe.txt"),
    "lre_u202a": _funder(r"\u202a甲"),
    "pdf_u202c": _funder(r"甲\u202c"),
    "isolate_u2066": _funder(r"\u2066甲"),
    "isolate_u2068_u2069": _funder(r"\u2068甲\u2069"),
    "zero_width_space_lookalike": _funder(r"A\u200bBC"),
    "zero_width_non_joiner": _funder(r"甲\u200c乙"),
    "zero_width_joiner": _funder(r"甲\u200d乙"),
    "word_joiner": _funder(r"甲\u2060乙"),
    "byte_order_mark": _funder(r"\ufeff甲"),
    # spaces around a name
    "leading_space": _funder(" 甲"),
    "trailing_space": _funder("甲 "),
    "only_spaces": _funder("   "),
    "ideographic_space_around": _funder("\u3000甲\u3000"),
    "empty": _funder(""),
    # every other place a name or a line of text is
    "esc_in_project_code": HEADER
    + '[[projects]]\ncode = "p\\u001b[2J"\nname = "x"\ncategory = "road"\nstatus = "planned"\n',
    "esc_in_project_name": HEADER
    + '[[projects]]\ncode = "p2"\nname = "\\u001b]0;t\\u0007"\ncategory = "road"\nstatus = "planned"\n',
    "esc_in_category": HEADER
    + '[[projects]]\ncode = "p2"\nname = "x"\ncategory = "road\\u001b[2J"\nstatus = "planned"\n',
    "esc_in_choice": _funder("丙").replace('kind = "other"', 'kind = "other\\u001b[2J"'),
    "esc_in_link": _receipt(funder=r'"AB\u001b[2JC"'),
    "zero_width_in_link": _receipt(funder=r'"A\u200bBC"'),
    "rlo_in_ethnic_groups": HEADER.replace('"测试村"\n', '"测试村"\nethnic_groups = ["\\u202e彝族"]\n'),
    "newline_in_township": HEADER.replace('"测试村"\n', '"测试村"\ntownship = "镇\\n2024-01-01 * forged"\n'),
    "newline_in_voucher_forges_a_transaction": _receipt(voucher=r'"v1\n2024-01-01 * forged\n  assets  100"'),
    "newline_in_household": _receipt(household=r'"户\n  income  -1"'),
    "esc_in_item": HEADER + '[[expenses]]\nproject = "p1"\namount = 1\ndate = 2024-01-01\nitem = "\\u009b2J"\n',
    "esc_in_person": HEADER
    + '[[enterprises]]\nname = "厂"\nkind = "processing"\n'
    + '[[hires]]\nenterprise = "厂"\nperson = "\\u001b[2J"\nrole = "worker"\nstart = 2024-01-01\n',
    # notes: line breaks and tabs only
    "vertical_tab_in_note": _receipt(note=r'"a\u000bb"'),
    "form_feed_in_note": _receipt(note=r'"a\fb"'),
    "esc_in_note": _receipt(note=r'"\u001b[2J"'),
    "lone_carriage_return_in_note": _receipt(note=r'"a\rb"'),
    "c1_in_note": _receipt(note=r'"a\u0085b"'),
    "rlo_in_note": _receipt(note=r'"\u202eab"'),
    # one name in two forms: a duplicate, in the file or against the village
    "nfd_twice_in_file": HEADER + '[[settlements]]\nname = "Über"\n[[settlements]]\nname = "U\u0308ber"\n',
    "nfd_against_database": HEADER + f'[[settlements]]\nname = "{NFD_CAFE}"\n',
    "full_width_against_database": _funder("ＡＢＣ"),
    "full_width_twice_in_file": _funder("XYZ") + '[[funders]]\nname = "ＸＹＺ"\nkind = "other"\n',
    "compatibility_ideograph_twice": _funder("\u8c48") + '[[funders]]\nname = "\uf900"\nkind = "other"\n',
    "circled_digit_twice": _funder("1号") + '[[funders]]\nname = "①号"\nkind = "other"\n',
    "full_width_enterprise_is_a_funder": HEADER + '[[enterprises]]\nname = "ＡＢＣ"\nkind = "processing"\n',
    "full_width_code_against_database": HEADER
    + '[[projects]]\ncode = "ｐ1"\nname = "x"\ncategory = "road"\nstatus = "planned"\n',
    "joint_pledge_lists_one_funder_twice": HEADER
    + '[[funders]]\nname = "DEF"\nkind = "other"\n'
    + '[[pledges]]\nproject = "p1"\nfunders = ["DEF", "ＤＥＦ"]\namount = 1\n',
}


def _base(target: str, tmp_path: Path) -> None:
    base = tmp_path / "base.toml"
    base.write_text(BASE, encoding="utf-8")
    result = run("--db", target, "import", str(base))
    assert result.code == 0, result.err


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_hostile_name_or_text_is_refused_and_changes_nothing(backend: str, tmp_path: Path, case: str) -> None:
    _base(backend, tmp_path)
    path = tmp_path / f"{case}.toml"
    path.write_text(REFUSED[case], encoding="utf-8")
    before = fingerprint()
    result = run("--db", backend, "import", str(path))
    assert_refused(result)
    assert str(path) in result.err
    assert fingerprint() == before
    assert_check_clean(backend)


def test_newline_in_a_name_forges_no_error_line(sqlite_db: str, tmp_path: Path) -> None:
    path = tmp_path / "forge.toml"
    path.write_text(REFUSED["newline_forges_an_error_line"], encoding="utf-8")
    result = run("--db", sqlite_db, "import", str(path))
    assert_refused(result)
    assert "/etc/passwd" not in result.err
    assert all(line.startswith(str(path)) for line in result.err.strip().splitlines())


# A link written in another form of a name finds the name, and is stored as that name.
LINKED = {
    "full_width_funder": _receipt(funder='"ＡＢＣ"'),
    "full_width_project_code": _receipt(project='"ｐ１"'),
    "nfd_settlement": HEADER
    + '[[enterprises]]\nname = "厂"\nkind = "processing"\n'
    + f'[[hires]]\nenterprise = "厂"\nperson = "张三"\nrole = "worker"\nstart = 2024-01-01\nsettlement = "{NFD_CAFE}"\n',
    "joint_pledge_in_other_forms": HEADER
    + '[[funders]]\nname = "DEF"\nkind = "other"\n'
    + '[[pledges]]\nproject = "p1"\nfunders = ["ＡＢＣ", "ＤＥＦ"]\namount = 1\n',
}


@pytest.mark.parametrize("case", sorted(LINKED))
def test_a_link_in_another_form_finds_the_name(backend: str, tmp_path: Path, case: str) -> None:
    _base(backend, tmp_path)
    path = tmp_path / f"{case}.toml"
    path.write_text(LINKED[case], encoding="utf-8")
    result = run("--db", backend, "import", str(path))
    assert result.code == 0, result.err
    assert m.Funder.select().where(m.Funder.name == "ＡＢＣ").count() == 0
    assert m.Settlement.select().count() == 1
    assert m.Project.select().count() == 1
    if case == "full_width_funder":
        assert m.Receipt.get().funder.name == "ABC"
    if case == "nfd_settlement":
        assert m.Hire.get().settlement.name == "Café"
    assert_check_clean(backend)


def test_a_name_is_stored_in_nfc(backend: str, tmp_path: Path) -> None:
    path = tmp_path / "nfd.toml"
    path.write_text(HEADER + f'[[settlements]]\nname = "{unicodedata.normalize("NFD", "Ōmi")}"\n', encoding="utf-8")
    assert run("--db", backend, "import", str(path)).code == 0
    assert [s.name for s in m.Settlement.select()] == ["Ōmi"]


def test_a_village_named_in_another_form_is_the_same_village(backend: str, tmp_path: Path) -> None:
    _base(backend, tmp_path)
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    first.write_text('format = "fundtrack/1"\n[village]\nname = "XY村"\n', encoding="utf-8")
    second.write_text(
        'format = "fundtrack/1"\n[village]\nname = "ＸＹ村"\n[[funders]]\nname = "GHI"\nkind = "other"\n',
        encoding="utf-8",
    )
    assert run("--db", backend, "import", str(first)).code == 0
    assert run("--db", backend, "import", str(second)).code == 0
    assert sorted(v.name for v in m.Village.select()) == ["XY村", "测试村"]
    assert writes.village_row("ＸＹ村").name == "XY村"  # type: ignore[union-attr]
    result = run("--db", backend, "--village", "ＸＹ村", "report", "breakdown")
    assert result.code == 0, result.err
    result = run("--db", backend, "--village", "测试村", "report", "breakdown", "--project", "ｐ１")
    assert result.code == 0, result.err


# The same through a form (service/records): the record as a form gives it, checked as a file's.
FORM_REFUSED = {
    "esc_in_funder_name": ("funders", {"name": "\x1b[2J", "kind": "other"}, "forbidden_char"),
    "osc52_in_funder_name": ("funders", {"name": "\x1b]52;c;cm0K\x07", "kind": "other"}, "forbidden_char"),
    "rlo_in_settlement": ("settlements", {"name": "\u202e甲"}, "forbidden_char"),
    "zero_width_in_link": ("receipts", {"project": "p1", "funder": "A\u200bBC", "amount": 1}, "forbidden_char"),
    "vertical_tab_in_note": (
        "receipts",
        {"project": "p1", "funder": "ABC", "amount": 1, "note": "a\vb"},
        "forbidden_char",
    ),
    "newline_in_voucher": (
        "receipts",
        {"project": "p1", "funder": "ABC", "amount": 1, "voucher": "1\n2"},
        "forbidden_char",
    ),
    "leading_space": ("funders", {"name": " 甲", "kind": "other"}, "name_spaces"),
    "only_spaces": ("funders", {"name": "  ", "kind": "other"}, "empty"),
    "full_width_duplicate": ("funders", {"name": "ＡＢＣ", "kind": "other"}, "already_defined"),
    "nfd_duplicate": ("settlements", {"name": NFD_CAFE}, "already_defined"),
}


def _village_id() -> int:
    village = writes.village_row("测试村")
    assert village is not None
    return village.id


@pytest.mark.parametrize("case", sorted(FORM_REFUSED))
def test_a_hostile_name_through_a_form_is_refused(backend: str, tmp_path: Path, config: Config, case: str) -> None:
    _base(backend, tmp_path)
    table, raw, code = FORM_REFUSED[case]
    raw = dict(raw)
    if table == "receipts":
        raw["date"] = dt.date(2024, 1, 1)
    before = fingerprint()
    problems = add_record(_village_id(), table, raw, config.import_options, "元")
    assert [p.code for p in problems] == [code]
    for problem in problems:
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in str(problem)), str(problem)
    assert fingerprint() == before
    assert_check_clean(backend)


def test_a_link_through_a_form_in_another_form_finds_the_name(backend: str, tmp_path: Path, config: Config) -> None:
    _base(backend, tmp_path)
    raw = {"project": "ｐ１", "funder": "ＡＢＣ", "amount": 1, "date": dt.date(2024, 1, 1)}
    assert add_record(_village_id(), "receipts", raw, config.import_options, "元") == []
    receipt = m.Receipt.get()
    assert (receipt.funder.name, receipt.project.code) == ("ABC", "p1")


def test_a_record_corrected_in_place_keeps_its_name_in_another_form(
    backend: str, tmp_path: Path, config: Config
) -> None:
    _base(backend, tmp_path)
    settlement = m.Settlement.get()
    raw = {"name": NFD_CAFE, "households": 3}
    assert replace_record(_village_id(), "settlements", settlement.id, raw, config.import_options, "元") == []
    assert [(s.name, s.households) for s in m.Settlement.select()] == [("Café", 3)]
