"""Every write to the store: bulk import of checked records, in chunks, inside the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

import peewee
from peewee import fn

from fundtrack.storage import models as m
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


def village_row(name: str) -> m.Village | None:
    return m.Village.get_or_none(m.Village.name == name)


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


def _rows(records: Iterable[Record], make: Callable[[Record], tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    for rec in records:
        if rec:
            yield make(rec)


def _fen(rec: Record, key: str) -> tuple[int | None, bool]:
    amount = rec.get(key)
    return (None, False) if amount is None else (amount.fen, amount.at_least)


def import_tables(
    village_id: int, tables: dict[str, list[Record]], progress: Progress = _nothing, batch: int | None = None
) -> None:
    """Insert one checked file's records into a village. Call inside write_transaction().

    `batch` tags every row with the audit-trail batch that added it.
    """
    _bulk = partial(_bulk_any, batch=batch)
    _bulk(
        m.Settlement,
        [m.Settlement.village, m.Settlement.name, m.Settlement.households, m.Settlement.people, m.Settlement.note],
        _rows(
            tables["settlements"],
            lambda r: (village_id, r["name"], r.get("households"), r.get("people"), r.get("note")),
        ),
        progress,
    )
    settlements = name_map(m.Settlement, village_id)

    funder_fields = [m.Funder.village, m.Funder.name, m.Funder.kind, m.Funder.implied]
    _bulk(
        m.Funder, funder_fields, _rows(tables["funders"], lambda r: (village_id, r["name"], r["kind"], False)), progress
    )
    implied = [r for r in tables["enterprises"] if r and r["implied_funder"]]
    _bulk(m.Funder, funder_fields, ((village_id, r["name"], "enterprise", True) for r in implied), _nothing)
    funders = name_map(m.Funder, village_id)

    _bulk(
        m.Enterprise,
        [
            m.Enterprise.village,
            m.Enterprise.funder,
            m.Enterprise.name,
            m.Enterprise.kind,
            m.Enterprise.hiring_quota,
            m.Enterprise.management_quota,
            m.Enterprise.quota_given,
        ],
        _rows(
            tables["enterprises"],
            lambda r: (
                village_id,
                funders[r["name"]],
                r["name"],
                r["kind"],
                r["hiring_quota"],
                r["management_quota"],
                r["quota_given"],
            ),
        ),
        progress,
    )
    enterprises = name_map(m.Enterprise, village_id)

    P = m.Project
    _bulk(
        P,
        [
            P.village,
            P.code,
            P.name,
            P.category,
            P.status,
            P.budget_fen,
            P.budget_at_least,
            P.beneficiary_households,
            P.beneficiary_people,
            P.start,
            P.expected_end,
            P.note,
        ],
        _rows(
            tables["projects"],
            lambda r: (
                village_id,
                r["code"],
                r["name"],
                r["category"],
                r["status"],
                *_fen(r, "budget"),
                r.get("beneficiary_households"),
                r.get("beneficiary_people"),
                r.get("start"),
                r.get("expected_end"),
                r.get("note"),
            ),
        ),
        progress,
    )
    projects = name_map(P, village_id, "code")
    parents = [
        (projects[rec["parent"]], projects[rec["code"]]) for rec in tables["projects"] if rec and "parent" in rec
    ]
    if parents:
        sql, _ = P.update(parent=0).where(P.id == 0).sql()
        m.database.cursor().executemany(sql, parents)
    _bulk(
        m.ProjectSettlement,
        [m.ProjectSettlement.project, m.ProjectSettlement.settlement, m.ProjectSettlement.position],
        (
            (projects[rec["code"]], settlements[name], pos)
            for rec in tables["projects"]
            if rec
            for pos, name in enumerate(rec.get("settlements", []))
        ),
        _nothing,
    )

    M = m.Milestone
    _bulk(
        M,
        [M.project, M.name, M.status, M.due, M.note],
        _rows(
            tables["milestones"],
            lambda r: (projects[r["project"]], r["name"], r["status"], r.get("due"), r.get("note")),
        ),
        progress,
    )

    Pl = m.Pledge
    pledge_fields = [
        Pl.project,
        Pl.funder,
        Pl.joint,
        Pl.amount_fen,
        Pl.at_least,
        Pl.form,
        Pl.quantity,
        Pl.date,
        Pl.ref,
        Pl.note,
    ]

    def pledge_row(r: Record) -> tuple[Any, ...]:
        funder = funders[r["funder"]] if "funder" in r else None
        return (
            projects[r["project"]],
            funder,
            "funders" in r,
            *_fen(r, "amount"),
            r["form"],
            r.get("quantity"),
            r.get("date"),
            r.get("ref"),
            r.get("note"),
        )

    # Every pledge goes in bulk, in file order (export keeps that order by id); the joint ones'
    # ids are then read back, in the same order, for their member rows.
    live = [rec for rec in tables["pledges"] if rec]
    joint = [rec for rec in live if "funders" in rec]
    before = Pl.select(fn.COALESCE(fn.MAX(Pl.id), 0)).scalar() if joint else 0
    _bulk(Pl, pledge_fields, (pledge_row(rec) for rec in live), progress)
    if joint:
        mine = Pl.select(Pl.id).join(P, on=(Pl.project == P.id))
        mine = mine.where(Pl.id > before, Pl.joint == True, P.village == village_id)  # noqa: E712
        if batch is not None:
            mine = mine.where(Pl.batch == batch)
        ids = [pid for (pid,) in mine.order_by(Pl.id).tuples()]
        assert len(ids) == len(joint), "joint pledges read back do not match those written"
        _bulk(
            m.PledgeFunder,
            [m.PledgeFunder.pledge, m.PledgeFunder.funder, m.PledgeFunder.position],
            (
                (pid, funders[n], pos)
                for pid, rec in zip(ids, joint, strict=True)
                for pos, n in enumerate(rec["funders"])
            ),
            _nothing,
        )

    L = m.Levy
    _bulk(
        L,
        [L.project, L.funder, L.per_household_fen, L.at_least, L.households],
        _rows(
            tables["levies"],
            lambda r: (projects[r["project"]], funders[r["funder"]], *_fen(r, "per_household"), r["households"]),
        ),
        progress,
    )
    R = m.Receipt
    _bulk(
        R,
        [R.project, R.funder, R.amount_fen, R.at_least, R.date, R.voucher, R.household, R.note],
        _rows(
            tables["receipts"],
            lambda r: (
                projects[r["project"]],
                funders[r["funder"]],
                *_fen(r, "amount"),
                r["date"],
                r.get("voucher"),
                r.get("household"),
                r.get("note"),
            ),
        ),
        progress,
    )
    E = m.Expense
    _bulk(
        E,
        [E.project, E.amount_fen, E.at_least, E.date, E.item, E.voucher, E.note],
        _rows(
            tables["expenses"],
            lambda r: (
                projects[r["project"]],
                *_fen(r, "amount"),
                r["date"],
                r["item"],
                r.get("voucher"),
                r.get("note"),
            ),
        ),
        progress,
    )
    H = m.Hire
    _bulk(
        H,
        [H.enterprise, H.person, H.role, H.start, H.end, H.settlement, H.id_number, H.note],
        _rows(
            tables["hires"],
            lambda r: (
                enterprises[r["enterprise"]],
                r["person"],
                r["role"],
                r["start"],
                r.get("end"),
                settlements[r["settlement"]] if "settlement" in r else None,
                r.get("id_number"),
                r.get("note"),
            ),
        ),
        progress,
    )
    Hc = m.Headcount
    _bulk(
        Hc,
        [Hc.enterprise, Hc.date, Hc.local_workers, Hc.management],
        _rows(
            tables["headcounts"],
            lambda r: (enterprises[r["enterprise"]], r["date"], r["local_workers"], r.get("management")),
        ),
        progress,
    )


def village_by_id(village_id: int) -> m.Village:
    return m.Village.get_by_id(village_id)


TABLE_MODELS = m.TABLE_MODELS


def void(table: str, record_id: int) -> None:
    """Mark a record voided: it stays visible in the trail and leaves every total."""
    model = TABLE_MODELS[table]
    model.update(voided=True).where(model.id == record_id).execute()


def update_in_place(village_id: int, table: str, record_id: int, rec: Record) -> None:
    """Change a record that others link to by name (project, enterprise, settlement) without moving it."""
    if table == "projects":
        P = m.Project
        settlements = name_map(m.Settlement, village_id)
        parent = None
        if rec.get("parent"):
            parent = P.get((P.village == village_id) & (P.code == rec["parent"])).id
        fen, at_least = _fen(rec, "budget")
        P.update(
            name=rec["name"],
            category=rec["category"],
            status=rec["status"],
            budget_fen=fen,
            budget_at_least=at_least,
            parent=parent,
            beneficiary_households=rec.get("beneficiary_households"),
            beneficiary_people=rec.get("beneficiary_people"),
            start=rec.get("start"),
            expected_end=rec.get("expected_end"),
            note=rec.get("note"),
        ).where(P.id == record_id).execute()
        m.ProjectSettlement.delete().where(m.ProjectSettlement.project == record_id).execute()
        for pos, name in enumerate(rec.get("settlements", [])):
            m.ProjectSettlement.insert(project=record_id, settlement=settlements[name], position=pos).execute()
    elif table == "enterprises":
        E = m.Enterprise
        E.update(
            kind=rec["kind"],
            hiring_quota=rec["hiring_quota"],
            quota_given=rec["quota_given"],
            management_quota=rec["management_quota"],
        ).where(E.id == record_id).execute()
    elif table == "settlements":
        S = m.Settlement
        S.update(households=rec.get("households"), people=rec.get("people"), note=rec.get("note")).where(
            S.id == record_id
        ).execute()
    else:
        raise ValueError(f"{table} records are corrected by replacing them")


def mark_undone(batch: int) -> None:
    m.Change.update(undone=True).where(m.Change.batch == batch).execute()


def lock_row(table: str, record_id: int) -> None:
    """Hold a record until the transaction ends, so that a read-then-write cannot interleave.

    SQLite's BEGIN IMMEDIATE already holds the whole database; PostgreSQL needs FOR UPDATE
    (a plain read-then-write there lost 837 of 2,000 concurrent updates when measured).
    """
    if is_sqlite():
        return
    model = TABLE_MODELS[table]
    list(model.select(model.id).where(model.id == record_id).for_update().tuples())
