"""Personal data as it is shown: the one mask for the declared personal keys (tables.py `personal=True`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fundtrack.ledger import tables as decl

MASK = "*"
KEEP_START = 4
KEEP_END = 2

# Every personal key of any table, for records whose table is not known (an audit entry of an import).
PERSONAL_KEYS = frozenset(k.name for t in decl.DECLARED for k in t.keys if k.personal)


def mask(value: object) -> str:
    """`value` with all but its first 4 and last 2 characters hidden (all hidden when it is that short).

    110101199003071234 -> 1101************34. The mask keeps the length, so a clerk can tell a
    complete number from a truncated one without reading it.
    """
    text = str(value)
    if len(text) <= KEEP_START + KEEP_END:
        return MASK * len(text)
    return text[:KEEP_START] + MASK * (len(text) - KEEP_START - KEEP_END) + text[-KEEP_END:]


def personal_keys(table: str | None) -> frozenset[str]:
    """The personal keys of `table`, or of every table when it is not known."""
    if table is None or table not in decl.TABLES:
        return PERSONAL_KEYS
    return frozenset(decl.TABLES[table].personal)


def masked(table: str | None, record: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """`record` with its personal values masked (None stays None)."""
    if record is None:
        return None
    keys = personal_keys(table)
    return {k: mask(v) if k in keys and v not in (None, "") else v for k, v in record.items()}
