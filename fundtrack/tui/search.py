"""Matching what people type against Chinese names: plain text, full pinyin, or pinyin initials (dtg → 大炭沟煤矿)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

# Names and codes are matched by their pinyin too; longer texts (a finding's message, a note)
# by their characters only: their pinyin matches almost any two letters, and working it out
# for a county's hundreds of thousands of messages at every keystroke is far too slow.
PINYIN_MAX = 40


class Plain(str):
    """A text matched by its characters only, whatever its length (a finding's message)."""

    __slots__ = ()


@lru_cache(maxsize=65536)
def _keys(text: str) -> tuple[str, str, str]:
    lowered = text.lower()
    if text.isascii():
        return lowered, "", ""
    # Imported on the first search, not at start-up: pypinyin's dictionaries are slow to load.
    from pypinyin import Style, lazy_pinyin

    initials = "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default") if p).lower()
    full = "".join(lazy_pinyin(text, errors="default")).lower()
    return lowered, initials, full


def normal(query: str) -> str:
    """A query as it is matched: lower case, without spaces."""
    return query.strip().lower().replace(" ", "")


def narrows(before: str, after: str) -> bool:
    """Whether every text that `after` matches is matched by `before` too (it contains it)."""
    return bool(normal(before)) and normal(before) in normal(after)


def matcher(query: str) -> Callable[..., bool]:
    """A test of texts against `query`: true when it is in any text, or in the pinyin initials or
    full pinyin of a name (case-insensitive). Made once per query, used on every row."""
    q = normal(query)

    def match(*texts: str) -> bool:
        if not q:
            return True
        for text in texts:
            if not text:
                continue
            if len(text) > PINYIN_MAX or type(text) is Plain:  # not cached: they would push the names out
                if q in text.lower():
                    return True
                continue
            lowered, initials, full = _keys(text)
            if q in lowered or q in initials or q in full:
                return True
        return False

    return match


def matches(query: str, *texts: str) -> bool:
    """True when `query` is in any text, or in its pinyin initials or full pinyin (case-insensitive)."""
    return matcher(query)(*texts)
