"""Text from the store made safe where it leaves: for a terminal, a one-line message, a spreadsheet, a
document or a journal. Data is shown, never obeyed: a character that would act (an escape sequence,
a bidirectional override, a line break that forges a second message) is written as a visible escape."""

from __future__ import annotations

import re

# What may not reach an output as itself: C0 controls, DEL, C1 controls, bidirectional controls,
# zero-width characters and the Unicode line and paragraph separators.
_C0 = "\x00-\x1f"
_ACTING = _C0 + "\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
ACTING = re.compile(f"[{_ACTING}]")
_ACTING_BEYOND_C0 = re.compile(f"[{_ACTING[len(_C0) :]}]")
_ANY = ACTING
_BUT_LINES = re.compile(f"[{_ACTING.replace(chr(0) + '-', chr(0) + '-' + chr(8) + chr(0xB) + '-')}]")  # \t and \n kept
# XML 1.0 (XLSX, DOCX) cannot hold C0 controls other than tab, newline and carriage return at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")


def _escaped(m: re.Match[str]) -> str:
    code = ord(m[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """For a terminal or a document: tabs and line breaks kept, every other acting character escaped."""
    return _BUT_LINES.sub(_escaped, text) if _BUT_LINES.search(text) else text


def one_line(text: str) -> str:
    """For a line of its own (a message, a journal's text): line breaks and tabs escaped too."""
    return _ANY.sub(_escaped, text) if _ANY.search(text) else text


def for_xml(text: str) -> str:
    """For a cell or paragraph of a workbook or document: what XML cannot hold escaped, and what would
    act when shown escaped as for a terminal."""
    return visible(_NOT_XML.sub(_escaped, text))


def for_sheet(text: str) -> str:
    """For a spreadsheet cell (CSV or XLSX): as for_xml, and text that a spreadsheet would run as a
    formula gets a leading apostrophe."""
    text = for_xml(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def toml_visible(text: str) -> str:
    """TOML text for a terminal: what a TOML writer leaves as itself but would act there (C1 controls,
    bidi and zero-width characters; it escapes C0 itself) written as TOML's \\uXXXX escapes, which
    read back the same inside its strings."""
    return _ACTING_BEYOND_C0.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
