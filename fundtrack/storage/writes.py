"""Every write to the store: bulk import of checked records, in chunks, inside the caller's transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import peewee
from peewee import fn

from fundtrack.ledger import names
from fundtrack.ledger import tables as decl
from fundtrack.storage import models as m
from fundtrack.storage import tables as binding
from fundtrack.storage.db import is_sqlite

CHUNK = 500  # rows per INSERT: far below SQLite's and PostgreSQL's parameter limits

Record = dict[str, Any]
Progress = Callable[[int], None]


_NATIVE_FIELDS = (
    peewee.TextField,
    peewee.IntegerField,
    peewee.BigIntegerField,
    peewee.BooleanField,
    peewee.DateField,
    peewee.ForeignKeyField,
)


def _nothing(_: int) -> None:
    return None


def _bulk_any(
    model: type[m.BaseModel],
    fields: list[peewee.Field],
    rows: Iterable[tuple[Any, ...]],
    progress: Progress,
    batch: int | None = None,
) -> None:
    """Insert rows through one prepared statement (executemany), CHUNK rows at a time.

    peewee renders the statement once, from the model, with placeholders; building a
    multi-row INSERT per chunk instead cost more than half of an import's time.
    """
    # Columns with defaults are given explicitly, so the statement has exactly these columns.
    extra = [f for f in model._meta.defaults if all(f is not g for g in fields)]  # peewee's == builds SQL
    extra_values = tuple(f.default() if callable(f.default) else f.default for f in extra)
    if issubclass(model, m.RecordModel) and batch is not None:
        extra.append(model.batch)
        extra_values += (batch,)
    full = [*fields, *extra]
    # Checked records hold ints, str, bool, dates and None, which both drivers take as they are:
    # peewee's per-value conversion (a third of an import's time) changes nothing for these columns.
    native = all(type(f) in _NATIVE_FIELDS for f in full)
    sql: str | None = None
    for chunk in peewee.chunked(rows, CHUNK):
        if sql is None:
            sql, params = model.insert_many([chunk[0] + extra_values], fields=full).returning().sql()
            assert len(params) == len(full), (model, params)
        if native:
            converted = [row + extra_values for row in chunk]
        else:
            converted = [tuple(f.db_value(v) for f, v in zip(full, row + extra_values, strict=True)) for row in chunk]
        m.database.cursor().executemany(sql, converted)
        progress(len(chunk))


def _integrity_errors() -> tuple[type[Exception], ...]:
    """A unique index's refusal as peewee raises it, and as the drivers do under the bulk insert's
    own cursor (which peewee does not wrap)."""
    errors: list[type[Exception]] = [peewee.IntegrityError, sqlite3.IntegrityError]
    try:
        import psycopg
    except ImportError:
        pass
    else:
        errors.append(psycopg.IntegrityError)
    return tuple(errors)


INTEGRITY_ERRORS = _integrity_errors()


def village_row(name: str) -> m.Village | None:
    """The village of that name, written in any form of it (ledger/names.key: NFD, full-width)."""
    row = m.Village.get_or_none(m.Village.name == name)
    if row is None:
        same = names.key(name)
        row = next((r for r in m.Village.select() if names.key(r.name) == same), None)
    return row


def ensure_village(values: dict[str, Any]) -> int:
    """The id of the village named in `values`, created with those values if it is new."""
    row = village_row(values["name"])
    if row is not None:
        return row.id
    data = dict(values)
    if data.get("ethnic_groups") is not None:
        data["ethnic_groups"] = json.dumps(data["ethnic_groups"], ensure_ascii=False)
    return m.Village.insert(**data).execute()


def name_map(model: type[m.BaseModel], village_id: int, key: str = "name") -> dict[str, int]:
    column = getattr(model, key)
    return {name: pk for name, pk in model.select(column, model.id).where(model.village == village_id).tuples()}


def import_tables(
    village_id: int, tables: dict[str, list[Record]], progress: Progress = _nothing, batch: int | None = None
) -> None:
    """Insert one checked file's records into a village, table by table in the data format's order
    (a table after those it links to). Call inside write_transaction().

    `batch` tags every row with the audit-trail batch that added it.
    """
    ids: binding.Ids = {}
    for name in decl.NAMES:
        records = tables.get(name) or []
        model = binding.MODELS[name]
        fields, row = binding.columns_and_row(name)
        listed = binding.through_keys(name)
        needs_ids = (
            bool(listed)
            and binding.table(name).name_key is None
            and any(k.name in r for r in records if r for k in listed)
        )
        before = model.select(fn.COALESCE(fn.MAX(model.id), 0)).scalar() if needs_ids else 0
        _bulk_any(model, fields, (row(r, ids, village_id) for r in records if r), progress, batch)
        if name == "funders":
            _insert_implied_funders(village_id, tables.get("enterprises") or [], batch)
        key = binding.table(name).name_key
        if key is not None:
            ids[name] = name_map(model, village_id, key)
        if any(r for r in records):
            own = _ids_in_order(name, village_id, before, batch, ids) if needs_ids else None
            _set_self_links(name, records, ids)
            _insert_lists(name, records, ids, own)


def _insert_implied_funders(village_id: int, enterprises: list[Record], batch: int | None) -> None:
    """Every enterprise is a funder of kind enterprise; one not defined as a funder is implied by it."""
    F = m.Funder
    rows = ((village_id, r["name"], "enterprise", True) for r in enterprises if r and r["implied_funder"])
    _bulk_any(F, [F.village, F.name, F.kind, F.implied], rows, _nothing, batch)


def _ids_in_order(name: str, village_id: int, before: int, batch: int | None, ids: binding.Ids) -> list[int]:
    """The ids of the records just written (those after `before`), in the order written."""
    model = binding.MODELS[name]
    owner = binding.table(name).owner
    parent = binding.MODELS[binding.table(name).by[owner].link or ""]
    q = model.select(model.id).join(parent, on=(getattr(model, owner) == parent.id))
    q = q.where(model.id > before, parent.village == village_id)
    if batch is not None:
        q = q.where(model.batch == batch)
    return [rid for (rid,) in q.order_by(model.id).tuples()]


def _record_ids(
    name: str, records: list[Record], ids: binding.Ids, own: list[int] | None
) -> Iterator[tuple[int, Record]]:
    live = (r for r in records if r)
    if own is not None:
        live_list = [r for r in records if r]
        assert len(own) == len(live_list), "records read back do not match those written"
        yield from zip(own, live_list, strict=True)
        return
    key = binding.table(name).name_key or ""
    for rec in live:
        yield ids[name][rec[key]], rec


def _set_self_links(name: str, records: list[Record], ids: binding.Ids) -> None:
    for key in binding.self_links(name):
        pairs = [(ids[name][r[key.name]], rid) for rid, r in _record_ids(name, records, ids, None) if key.name in r]
        if pairs:
            model = binding.MODELS[name]
            sql, _ = model.update({getattr(model, key.stored_as): 0}).where(model.id == 0).sql()
            m.database.cursor().executemany(sql, pairs)


def _insert_lists(name: str, records: list[Record], ids: binding.Ids, own: list[int] | None) -> None:
    """The lists of names the records hold (`own`: their ids, when the table has no name to find them by;
    None when no record holds a list)."""
    if own is None and binding.table(name).name_key is None:
        return
    for key in binding.through_keys(name):
        link, mine, theirs = binding.THROUGH[(name, key.name)]
        found = ids[key.link or ""]
        rows = (
            (rid, found[n], pos)
            for rid, rec in _record_ids(name, records, ids, own)
            for pos, n in enumerate(rec.get(key.name, ()))
        )
        _bulk_any(link, [getattr(link, mine), getattr(link, theirs), link.position], rows, _nothing)


def village_visible(village_id: int) -> bool:
    """Whether the village exists for this connection (row-level security may hide it)."""
    return m.Village.select().where(m.Village.id == village_id).exists()


def village_by_id(village_id: int) -> m.Village:
    return m.Village.get_by_id(village_id)


TABLE_MODELS = m.TABLE_MODELS


def void(table: str, record_id: int) -> None:
    """Mark a record voided: it stays visible in the trail and leaves every total."""
    model = TABLE_MODELS[table]
    model.update(voided=True).where(model.id == record_id).execute()


def update_in_place(village_id: int, table: str, record_id: int, rec: Record) -> None:
    """Change a record that others link to by name (project, enterprise, settlement) without moving it:
    every declared key but its name, and the lists of names it holds."""
    if not binding.table(table).in_place:
        raise ValueError(f"{table} records are corrected by replacing them")
    model = binding.MODELS[table]
    fields, row = binding.columns_and_row(table, updating=True)
    # The ids of the records it links to by name in a column of its own (a household's settlement).
    plain = {
        k.link: name_map(binding.MODELS[k.link], village_id, binding.table(k.link).name_key or "name")
        for k in binding.table(table).keys
        if k.kind == "name" and k.link and k.link != table and k.name in rec
    }
    values = dict(zip(fields, row(rec, plain), strict=True))
    for key in binding.self_links(table):
        target = rec.get(key.name)
        values[getattr(model, key.stored_as)] = (
            model.get((model.village == village_id) & (binding.name_column(table) == target)).id if target else None
        )
    model.update(values).where(model.id == record_id).execute()
    for key in binding.through_keys(table):
        link, mine, _ = binding.THROUGH[(table, key.name)]
        link.delete().where(getattr(link, mine) == record_id).execute()
    ids = {k.link or "": name_map(binding.MODELS[k.link or ""], village_id) for k in binding.through_keys(table)}
    _insert_lists(table, [rec], ids, [record_id])


def project_parents(village_id: int) -> dict[str, str]:
    """Each project code of a village with its parent's code, for the ancestry of a corrected project."""
    P = m.Project
    Parent = P.alias()
    q = P.select(P.code, Parent.code).join(Parent, on=(P.parent == Parent.id)).where(P.village == village_id).tuples()
    return dict(q)


def remove_village_if_empty(village_id: int) -> bool:
    """Delete a village and its records when every one of them is voided (the undo of the import that
    created it); False, and nothing deleted, when any record of it is still live or any of its receipts
    was printed (a serial on paper is never given again)."""
    projects = m.Project.select(m.Project.id).where(m.Project.village == village_id)
    enterprises = m.Enterprise.select(m.Enterprise.id).where(m.Enterprise.village == village_id)
    pledges = m.Pledge.select(m.Pledge.id).where(m.Pledge.project.in_(projects))
    owned: list[tuple[type[m.RecordModel], peewee.Expression]] = [
        (m.Settlement, m.Settlement.village == village_id),
        (m.Household, m.Household.village == village_id),
        (m.Funder, m.Funder.village == village_id),
        (m.Enterprise, m.Enterprise.village == village_id),
        (m.Project, m.Project.village == village_id),
        *((model, model.project.in_(projects)) for model in (m.Milestone, m.Pledge, m.Levy, m.Receipt, m.Expense)),
        *((model, model.enterprise.in_(enterprises)) for model in (m.Hire, m.Headcount)),
    ]
    if any(model.select().where(where, model.voided == False).exists() for model, where in owned):  # noqa: E712
        return False
    if m.ReceiptSerial.select().where(m.ReceiptSerial.village == village_id).exists():
        return False  # receipts of it were printed: the village stays (voided) and keeps its receipt book
    m.PledgeFunder.delete().where(m.PledgeFunder.pledge.in_(pledges)).execute()
    m.ProjectSettlement.delete().where(m.ProjectSettlement.project.in_(projects)).execute()
    for model, where in reversed(owned):
        if model is m.Project:
            model.update(parent=None).where(where).execute()
        model.delete().where(where).execute()
    m.Village.delete().where(m.Village.id == village_id).execute()
    return True


def remove_batch(batch: int) -> int:
    """Undo an import: every record it added removed, so that its names can be defined again (the same
    file imported again after the undo), table by table, those that others refer to first; a table whose
    records something outside the batch still refers to (a receipt printed on paper, a record a later
    change added) is voided instead, and kept. The count removed or voided."""
    count = 0
    for model in reversed(m.TABLE_MODELS.values()):
        mine = model.select(model.id).where(model.batch == batch)
        try:
            with m.database.atomic():  # a savepoint: a refused delete leaves the rest of the undo whole
                if model is m.Pledge:
                    m.PledgeFunder.delete().where(m.PledgeFunder.pledge.in_(mine)).execute()
                elif model is m.Project:
                    m.ProjectSettlement.delete().where(m.ProjectSettlement.project.in_(mine)).execute()
                    model.update(parent=None).where(model.batch == batch).execute()
                count += model.delete().where(model.batch == batch).execute()
        except peewee.DatabaseError:
            count += model.update(voided=True).where(model.batch == batch).execute()
    return count


def mark_undone(batch: int) -> None:
    m.Change.update(undone=True).where(m.Change.batch == batch).execute()


WRITERS_LOCK = 0x66756E64  # "fund": the advisory lock every fundtrack writer takes on PostgreSQL


def lock_writers() -> None:
    """Serialise fundtrack's writers until the transaction ends, as BEGIN IMMEDIATE does on SQLite.

    Without it two undo on PostgreSQL (READ COMMITTED) both read the same newest change and undo it
    twice, and two imports both find a name free. Each statement after this sees what the writer
    before committed."""
    if is_sqlite():
        return
    m.database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITERS_LOCK,))


def lock_row(table: str, record_id: int) -> None:
    """Hold a record until the transaction ends, so that a read-then-write cannot interleave.

    SQLite's BEGIN IMMEDIATE already holds the whole database; PostgreSQL needs FOR UPDATE
    (a plain read-then-write there lost 837 of 2,000 concurrent updates when measured).
    """
    if is_sqlite():
        return
    model = TABLE_MODELS[table]
    list(model.select(model.id).where(model.id == record_id).for_update().tuples())


def delete_everything() -> None:
    """Delete every row of every fundtrack table but the schema version (inside the caller's write
    transaction): the audit trail first, then the records, dependants before what they link to."""
    m.Change.delete().execute()
    for model in reversed(m.MODELS):
        model.delete().execute()
