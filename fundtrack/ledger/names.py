"""Names and text as fundtrack takes them in: what they may not hold, the form a name is stored in, and when two names are one."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from fundtrack.ledger.problem_messages import CodedError

# Characters that act on a terminal, a spreadsheet, a document or a journal instead of being read:
# C0 controls, DEL and C1 controls; the bidirectional controls that reorder what is shown (U+202A–
# U+202E, U+2066–U+2069); and the zero-width characters that make two names look alike
# (U+200B–U+200D, U+2060, U+FEFF).
FORBIDDEN: frozenset[str] = frozenset(
    [chr(c) for c in range(0x20)]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
    # Also invisible or line-breaking characters that make two names look alike or split a journal's
    # line: the soft hyphen, the grapheme joiner, the direction marks, the line and paragraph
    # separators, the invisible operators, the Hangul and Mongolian fillers, the tags.
    + list(
        _INVISIBLE := "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f"
        "\u200e\u200f\u2028\u2029\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f\u3164\uffa0"
        "\ufff9\ufffa\ufffb"
    )
)


class TextError(CodedError):
    """Text that a name or a note may not be."""


_ANY = "\x00-\x1f\x7f-\x9f\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069\ufeff" + _INVISIBLE
_IN_NAME = re.compile(f"[{_ANY}\U000e0000-\U000e007f]")
# In a note: the same but tab and line feed, and a carriage return that is not part of a CRLF.
_IN_NOTE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069\ufeff"
    + _INVISIBLE
    + "\U000e0000-\U000e007f]|\r(?!\n)"
)


def forbidden(text: str, note: bool = False) -> tuple[int, str] | None:
    """The first character of `text` that it may not hold (its position from 1, and the character), or
    None; a note may hold line breaks and tabs."""
    found = (_IN_NOTE if note else _IN_NAME).search(text)
    return None if found is None else (found.start() + 1, found[0])


def _refuse_forbidden(text: str, note: bool = False) -> None:
    found = forbidden(text, note)
    if found is not None:
        position, char = found
        raise TextError("forbidden_char", char=f"U+{ord(char):04X}", position=position)


def check_name(text: str) -> str:
    """A name as it is stored (NFC); raises TextError when it is empty, holds a forbidden character or
    starts or ends with a space."""
    if _IN_NAME.search(text):
        _refuse_forbidden(text)
    stripped = text.strip()
    if stripped != text:
        raise TextError("name_spaces" if stripped else "empty")
    if not text:
        raise TextError("empty")
    return unicodedata.normalize("NFC", text)


def check_line(text: str) -> str:
    """One line of free text (a voucher, a township): no forbidden character, kept as given."""
    if _IN_NAME.search(text):
        _refuse_forbidden(text)
    return text


def check_note(text: str) -> str:
    """A note: line breaks and tabs allowed, nothing else that acts on what shows it; kept as given."""
    if _IN_NOTE.search(text):
        _refuse_forbidden(text, note=True)
    return text


def normalise(name: str) -> str:
    """The form a name is stored in: Unicode NFC (a name typed as NFD is stored composed)."""
    return unicodedata.normalize("NFC", name)


def key(name: str) -> str:
    """What two names are compared by: equal keys are the same name (NFKC: full-width `ＡＢＣ` is
    `ABC`, a compatibility ideograph is its unified one, NFD is NFC)."""
    return unicodedata.normalize("NFKC", name)


class NameIndex:
    """Names by their comparison key: which of the names already known a text stands for (the first
    one given, when several share a key)."""

    def __init__(self, names: Iterable[str] = ()):
        self._by: dict[str, str] = {}
        self.exact: set[str] = set()
        """The names as they are known (a text among them is itself)."""
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        self._by.setdefault(key(name), name)
        self.exact.add(name)

    def find(self, text: str) -> str | None:
        """The known name that `text` is, or None (a known name is itself: the usual case, found at once)."""
        if text in self.exact:
            return text
        return self._by.get(key(text))

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and key(text) in self._by

    def __iter__(self) -> Iterator[str]:
        return iter(self._by.values())

    def __len__(self) -> int:
        return len(self._by)


_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[tuple[object, ...], str]:
    """A sort key that puts numbers in names in their order: 2号煤矿 before 10号煤矿, household 1-2 before
    1-10. Digits are compared as numbers of any length (no int(): a name of 5,000 digits is still a name),
    full-width ones as their values; names equal so (02 and 2) fall back to plain text order."""
    parts: list[object] = []
    for n, part in enumerate(_DIGITS.split(name)):
        if n % 2:
            value = "".join(str(unicodedata.digit(c)) for c in part).lstrip("0")
            parts.append((len(value), value))
        else:
            parts.append(part)
    return tuple(parts), name


def natural_sorted(names: Iterable[str]) -> list[str]:
    """`names` in natural order (natural_key)."""
    return sorted(names, key=natural_key)
