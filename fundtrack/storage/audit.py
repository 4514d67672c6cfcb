"""The audit trail: every change recorded in its own transaction, read back as history, and undone."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import peewee

from fundtrack.ledger.money import Amount, canonical_amount
from fundtrack.storage import models as m
from fundtrack.storage import tables as binding
from fundtrack.storage.writes import TABLE_MODELS


def _plain(value: Any) -> Any:
    if isinstance(value, Amount):
        return canonical_amount(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(table: str, record_id: int) -> dict[str, Any]:
    """A record's values as the data format writes them (and whether it is voided)."""
    model = TABLE_MODELS[table]
    row = model.get_or_none(model.id == record_id)
    if row is None:
        return {}
    rec = next(binding.read(table, village_of(table, row), personal=True, only=record_id), {})
    out = {k: _plain(v) for k, v in rec.items()}
    out["voided"] = bool(row.voided)
    return out


def village_of(table: str, row: Any) -> int:
    """The village a record belongs to, through its owner (a project or an enterprise) when it has no
    village column of its own."""
    owner = binding.table(table).owner
    if owner == "village":
        return row.village_id
    parent = binding.MODELS[binding.table(table).by[owner].link or ""]
    return parent.get_by_id(getattr(row, f"{owner}_id")).village_id


def record_village(table: str, record_id: int) -> int | None:
    """The village of a record given by its table and id (None when it is gone or cannot be seen)."""
    model = TABLE_MODELS[table]
    row = model.get_or_none(model.id == record_id)
    return None if row is None else village_of(table, row)


def batch_village(batch: int) -> int | None:
    """The village the entries of a batch belong to."""
    row = (
        m.Change.select(m.Change.village_id).where(m.Change.batch == batch, m.Change.village_id.is_null(False)).first()
    )
    return row.village_id if row else None


def fill_villages() -> None:
    """Give every entry of the trail written before entries had a village its village (a migration)."""
    villages = {v.name: v.id for v in m.Village.select(m.Village.id, m.Village.name)}
    undos = []
    for c in m.Change.select().where(m.Change.village_id.is_null()).order_by(m.Change.id):
        after = json.loads(c.after) if c.after else {}
        village = None
        if c.table and c.record and c.table in TABLE_MODELS:
            village = record_village(c.table, c.record)
        elif c.action == "import":
            village = villages.get(after.get("village", ""))
        elif c.action == "undo":
            undos.append((c.id, after.get("batch")))
        if village is not None:
            m.Change.update(village_id=village).where(m.Change.id == c.id).execute()
    for change_id, batch in undos:
        if isinstance(batch, int) and (village := batch_village(batch)) is not None:
            m.Change.update(village_id=village).where(m.Change.id == change_id).execute()


@dataclass(frozen=True)
class Entry:
    """One change as people read it in the history."""

    id: int
    batch: int
    at: dt.datetime
    operator: str
    action: str
    table: str | None
    record: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    undone: bool
    reason: str | None = None
    """Why the record was voided, as the person voiding it said (None for other changes)."""


def log(
    operator: str,
    action: str,
    changes: list[tuple[str | None, int | None, dict | None, dict | None]],
    batch: int | None = None,
    village: int | None = None,
    reason: str | None = None,
) -> int:
    """Write changes of one user action as one batch (or add to `batch`); call inside the write's transaction.

    Each entry belongs to `village`, or else to the village of the record it names. `reason` is why, as the
    person said it (a void asks for one)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for table, record, before, after in changes:
        if village is None and table and record:
            village = record_village(table, record)
        row_id = m.Change.insert(
            batch=batch or 0,
            village_id=village,
            at=now,
            operator=operator,
            action=action,
            table=table,
            record=record,
            before=None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
            after=None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
            reason=reason,
        ).execute()
        if not batch:
            # A batch is named after its first entry: unique without a counter to race on.
            batch = row_id
            m.Change.update(batch=batch).where(m.Change.id == row_id).execute()
    assert batch, "log() needs at least one change"
    return batch


def fill_record(change_batch: int, table: str, record: int, after: dict[str, Any]) -> None:
    """Name the record an `add` entry made, once the insert has given it an id."""
    m.Change.update(record=record, after=json.dumps(after, ensure_ascii=False, sort_keys=True)).where(
        (m.Change.batch == change_batch) & (m.Change.table == table) & m.Change.record.is_null()
    ).execute()


def added_by(batch: int, table: str) -> int | None:
    model = TABLE_MODELS[table]
    row = model.select(model.id).where(model.batch == batch).order_by(model.id.desc()).first()
    return row.id if row else None


def entries(batch: int) -> list[Entry]:
    return [e for e in history(limit=1_000_000, batch=batch)]


def history(
    table: str | None = None, record: int | None = None, limit: int = 100, batch: int | None = None
) -> list[Entry]:
    q = m.Change.select().order_by(m.Change.id.desc()).limit(limit)
    if batch is not None:
        q = q.where(m.Change.batch == batch)
    if table:
        q = q.where(m.Change.table == table)
    if record is not None:
        q = q.where(m.Change.record == record)
        model = TABLE_MODELS.get(table or "")
        row = model.get_or_none(model.id == record) if model is not None else None
        if row is not None and row.batch:
            # The record's own entries only: an undone import's records are removed, and SQLite gives
            # their ids again, so older entries of the same table and id were about another record.
            q = q.where(m.Change.batch >= row.batch)
    return [
        Entry(
            c.id,
            c.batch,
            c.at,
            c.operator,
            c.action,
            c.table,
            c.record,
            json.loads(c.before) if c.before else None,
            json.loads(c.after) if c.after else None,
            c.undone,
            c.reason,
        )
        for c in q
    ]


def newest_change() -> int:
    """The id of the newest entry of the trail (0 when there is none): what a screen has seen."""
    return m.Change.select(peewee.fn.COALESCE(peewee.fn.MAX(m.Change.id), 0)).scalar() or 0


def changed_since(table: str, record_id: int, seen: int) -> bool:
    """Whether a record was written, or changed, after the trail's entry `seen`: a screen that read
    before it shows another record (ids of records removed with their village come back) or old values."""
    model = TABLE_MODELS[table]
    row = model.get_or_none(model.id == record_id)
    if row is None or (row.batch or 0) > seen:
        return True
    newer = m.Change.select().where(m.Change.table == table, m.Change.record == record_id, m.Change.id > seen)
    return newer.exists()


def last_undoable() -> int | None:
    """The newest batch that is not an undo and has not been undone."""
    row = (
        m.Change.select(m.Change.batch)
        .where(m.Change.action != "undo", m.Change.undone == False)  # noqa: E712
        .order_by(m.Change.id.desc())
        .first()
    )
    return row.batch if row else None


def set_voided(table: str, record_id: int, voided: bool) -> None:
    model = TABLE_MODELS[table]
    model.update(voided=voided).where(model.id == record_id).execute()
