"""Matching what people type against Chinese names: plain text, full pinyin, or pinyin initials (dtg → 大炭沟煤矿)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)
def _keys(text: str) -> tuple[str, str, str]:
    # Imported on the first search, not at start-up: pypinyin's dictionaries take 0.3 s to load.
    from pypinyin import Style, lazy_pinyin

    lowered = text.lower()
    initials = "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default") if p).lower()
    full = "".join(lazy_pinyin(text, errors="default")).lower()
    return lowered, initials, full


def matches(query: str, *texts: str) -> bool:
    """True when `query` is in any text, or in its pinyin initials or full pinyin (case-insensitive)."""
    q = query.strip().lower().replace(" ", "")
    if not q:
        return True
    for text in texts:
        if not text:
            continue
        lowered, initials, full = _keys(text)
        if q in lowered or q in initials or q in full:
            return True
    return False
