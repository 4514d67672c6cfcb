"""Names and text (ledger/names.py), as properties: normalising is idempotent, two names equal under
NFKC are one name (a duplicate when defined twice, found by a link in either form), and a forbidden
character anywhere in a name is refused."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from fundtrack.io.fundfile import Known, check_document
from fundtrack.io.records import FieldError, coerce
from fundtrack.ledger import names

# Names as a village writes them: letters and digits (Chinese, Latin with accents, full-width...).
NAMES = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=10)
ASCII_NAMES = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters='"\\'), min_size=1, max_size=10
)


def _full_width(text: str) -> str:
    """ASCII written in full-width forms (`ABC` → `ＡＢＣ`), as a Chinese input method types it."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


VARIANTS = st.sampled_from(
    [
        lambda n: unicodedata.normalize("NFD", n),
        lambda n: unicodedata.normalize("NFKD", n),
        lambda n: unicodedata.normalize("NFKC", n),
        _full_width,
    ]
)


def _check(doc: dict, known: Known | None = None) -> tuple[dict, list[str]]:
    text = tomli_w.dumps({"format": "fundtrack/1", "village": {"name": "性质村"}, **doc})
    checked = check_document("t.toml", text, lambda _: known or Known())
    return checked.tables, [p.code for p in checked.problems]


def _usable(name: str) -> bool:
    return names.forbidden(name) is None and name == name.strip() and bool(name.strip())


@given(st.text())
def test_normalising_is_idempotent(text: str) -> None:
    once = names.normalise(text)
    assert names.normalise(once) == once
    assert names.key(names.key(text)) == names.key(text)
    assert names.key(once) == names.key(text)


@settings(max_examples=60, deadline=None)
@given(name=st.one_of(NAMES, ASCII_NAMES), variant=VARIANTS)
def test_two_names_equal_under_nfkc_are_a_duplicate(name: str, variant) -> None:  # type: ignore[no-untyped-def]
    other = variant(name)
    if not (_usable(name) and _usable(other)):
        return
    _, problems = _check({"funders": [{"name": name, "kind": "other"}, {"name": other, "kind": "other"}]})
    assert problems == ["defined_twice"]
    # ... and against a name the village already has.
    _, problems = _check({"funders": [{"name": other, "kind": "other"}]}, Known(funders={name: "other"}))
    assert problems == ["already_defined"]


@settings(max_examples=60, deadline=None)
@given(name=st.one_of(NAMES, ASCII_NAMES), variant=VARIANTS, in_database=st.booleans())
def test_a_link_in_either_form_finds_the_name(name: str, variant, in_database: bool) -> None:  # type: ignore[no-untyped-def]
    other = variant(name)
    if not (_usable(name) and _usable(other)):
        return
    stored = names.normalise(name)
    receipt = {"project": "p", "funder": other, "amount": 1, "date": dt.date(2024, 1, 1)}
    project = {"code": "p", "name": "x", "category": "road", "status": "planned"}
    if in_database:
        known = Known(funders={stored: "other"}, projects={"p"})
        tables, problems = _check({"receipts": [receipt]}, known)
    else:
        funder = {"name": name, "kind": "other"}
        tables, problems = _check({"funders": [funder], "projects": [project], "receipts": [receipt]})
    assert problems == []
    assert tables["receipts"][0]["funder"] == stored


FORBIDDEN = sorted(names.FORBIDDEN)


@settings(max_examples=80, deadline=None)
@given(before=NAMES, bad=st.sampled_from(FORBIDDEN), after=NAMES, key=st.sampled_from(["name", "link"]))
def test_a_forbidden_character_anywhere_in_a_name_is_refused(before: str, bad: str, after: str, key: str) -> None:
    for name in (bad + before, before + bad + after, before + bad):
        if key == "name":
            _, problems = _check({"funders": [{"name": name, "kind": "other"}]})
        else:
            _, problems = _check(
                {"receipts": [{"project": "p", "funder": name, "amount": 1, "date": dt.date(2024, 1, 1)}]}
            )
        assert problems[:1] == ["forbidden_char"], (name, problems)
        with pytest.raises(FieldError):
            coerce("funders", "name", name)


@settings(max_examples=60, deadline=None)
@given(before=st.text(max_size=5), bad=st.sampled_from(FORBIDDEN), after=st.text(max_size=5))
def test_a_note_holds_line_breaks_and_tabs_and_no_other_forbidden_character(before: str, bad: str, after: str) -> None:
    clean = (
        "".join(c for c in before if c not in names.FORBIDDEN),
        "".join(c for c in after if c not in names.FORBIDDEN),
    )
    note = clean[0] + bad + clean[1]
    _, problems = _check({"settlements": [{"name": "甲", "note": note}]})
    if bad in "\n\t" or (bad == "\r" and clean[1].startswith("\n")):
        assert problems == []
    else:
        assert problems == ["forbidden_char"]


def test_spaces_around_a_name_are_an_error_not_stripped() -> None:
    for name, code in ((" 甲", "name_spaces"), ("甲 ", "name_spaces"), ("\u3000甲", "name_spaces"), ("  ", "empty")):
        assert _check({"funders": [{"name": name, "kind": "other"}]})[1] == [code]


@pytest.mark.parametrize("invisible", ["\u00ad", "\u034f", "\u180e", "\u200e", "\u2028", "\u2029", "\U000e0041"])
def test_an_invisible_character_that_makes_two_codes_look_alike_is_refused(invisible: str) -> None:
    """`A-001` followed by a soft hyphen was a second household that reads exactly as A-001."""
    assert names.forbidden(f"A-001{invisible}") == (6, invisible)
    assert names.forbidden(f"备注{invisible}", note=True) is not None
    with pytest.raises(names.TextError):
        names.check_name(f"A-001{invisible}")
