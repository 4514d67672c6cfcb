"""Export one village as a re-importable fundtrack/1 document, in TOML (tomli-w) or JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import tomli_w

from fundtrack.io.fundfile import FORMAT, TABLES
from fundtrack.ledger.money import Amount, canonical_amount


def document(village: dict[str, Any], tables: dict[str, Iterable[dict[str, Any]]]) -> dict[str, Any]:
    """A village's records (table by table, as storage reads them back) as a fundtrack/1 document
    (amounts as exact strings, dates as dates)."""
    doc: dict[str, Any] = {"format": FORMAT, "village": village}
    for table in TABLES:
        rows = [_plain(rec) for rec in tables[table]]
        if rows:
            doc[table] = rows
    return doc


def _plain(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: canonical_amount(v) if isinstance(v, Amount) else v for k, v in rec.items()}


def to_toml(doc: dict[str, Any]) -> str:
    """The document with a `[[table]]` header per record, as people write these files.

    tomli-w encodes every value; the layout is ours because tomli-w would fold short
    records into inline arrays, which are harder to read and to point at by line.
    """
    parts = [tomli_w.dumps({"format": doc["format"]}), "\n[village]\n", tomli_w.dumps(doc["village"])]
    for table in TABLES:
        for rec in doc.get(table, ()):
            parts.append(f"\n[[{table}]]\n")
            parts.append(tomli_w.dumps(rec))
    return "".join(parts)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, default=_json_default) + "\n"
