"""The table declarations (ledger/tables.py) bound to the store: rows to insert, records read back, corrections.

Each table's columns come from its declaration; what is left here is only what the store keeps
beyond the data format: a village column, the funder an enterprise implies, a pledge's `joint` flag,
the `quota_given` mark, and the two link tables that hold lists of names (a project's settlements,
a joint pledge's funders).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import peewee

from fundtrack.ledger import tables as decl
from fundtrack.ledger.money import Amount
from fundtrack.storage import models as m

Record = dict[str, Any]
Ids = dict[str, dict[str, int]]  # per table, name (or code) -> id

MODELS: dict[str, type[m.RecordModel]] = m.TABLE_MODELS

# A list of names kept in a link table: (link model, its column for the record, its column for the name).
THROUGH: dict[tuple[str, str], tuple[type[m.BaseModel], str, str]] = {
    ("projects", "settlements"): (m.ProjectSettlement, "project", "settlement"),
    ("pledges", "funders"): (m.PledgeFunder, "pledge", "funder"),
}

# Columns the store keeps beyond the declared keys: (column, Python expression over the record `r`
# and the name maps `ids`, written on correction too).
EXTRA: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "funders": (("implied", "False", False),),
    "enterprises": (("funder", "ids['funders'][r['name']]", False), ("quota_given", "r['quota_given']", True)),
    "pledges": (("joint", "'funders' in r", True),),
}

# A link to a record of the same table (a project's parent) is set once every record of the file is in.
SELF_LINKS = {("projects", "parent")}


def table(name: str) -> decl.Table:
    return decl.TABLES[name]


def name_column(name: str) -> peewee.Field:
    """The column other records link to a `name` record by (a project's code, otherwise its name)."""
    key = table(name).name_key
    assert key is not None, name
    return getattr(MODELS[name], key)


def _fen(amount: Amount | None) -> tuple[int | None, bool]:
    return (None, False) if amount is None else (amount.fen, amount.at_least)


def _stored(t: decl.Table, updating: bool) -> Iterator[tuple[decl.Key, bool]]:
    """The declared keys that have a column of the table's own, with whether each is written."""
    for key in t.keys:
        if (t.name, key.name) in THROUGH or (t.name, key.name) in SELF_LINKS:
            continue
        yield key, not (updating and key.name == t.name_key)


def _expression(t: decl.Table, key: decl.Key) -> str:
    """Python source for the value(s) of `key` in the record `r`."""
    name = repr(key.name)
    if key.kind == "amount":
        return f"*_fen(r[{name}])" if key.required else f"*_fen(r.get({name}))"
    if key.link is not None:
        found = f"ids[{key.link!r}][r[{name}]]"
        return found if key.required else f"({found} if {name} in r else None)"
    if key.required:
        return f"r[{name}]"
    return f"r.get({name}, {key.default!r})" if key.default is not None else f"r.get({name})"


def columns_and_row(name: str, updating: bool = False) -> tuple[list[peewee.Field], Callable[[Record, Ids], tuple]]:
    """The columns a record of `name` is written to, and a function giving the row's values.

    The function is compiled from the declaration, like a namedtuple's: the importer calls it once a
    record, and one tuple display is several times faster than a loop over the keys.
    """
    t, model = table(name), MODELS[name]
    fields: list[peewee.Field] = []
    parts: list[str] = []
    for key, written in _stored(t, updating):
        if not written:
            continue
        if key.kind == "amount":
            fields += [getattr(model, key.stored_as), getattr(model, key.at_least or "at_least")]
        else:
            fields.append(getattr(model, key.stored_as))
        parts.append(_expression(t, key))
    for column, source, on_update in EXTRA.get(name, ()):
        if on_update or not updating:
            fields.append(getattr(model, column))
            parts.append(source)
    if t.owner == "village" and not updating:
        fields.insert(0, model.village)
        parts.insert(0, "village")
    source = f"lambda r, ids, village=None: ({', '.join(parts)},)"
    return fields, eval(source, {"_fen": _fen})  # noqa: S307 -- our own declarations, not input


def self_links(name: str) -> list[decl.Key]:
    return [table(name).by[k] for t, k in SELF_LINKS if t == name]


def through_keys(name: str) -> list[decl.Key]:
    return [table(name).by[k] for t, k in THROUGH if t == name]


# ---------------------------------------------------------------- reading back


class _Plan:
    """How one table's records are read back as fundtrack/1 records."""

    def __init__(self, name: str):
        self.t = t = table(name)
        self.model = model = MODELS[name]
        self.columns: list[peewee.Field] = [model.id]
        self.joins: list[tuple[Any, peewee.Expression, bool]] = []
        self.readers: list[tuple[str, int, decl.Key]] = []  # key, first column, declaration
        self.owner: Any = model
        for key in t.keys:
            if (name, key.name) in THROUGH:
                continue
            if key.link is not None:
                target = MODELS[key.link].alias()
                self.joins.append((target, getattr(model, key.stored_as) == target.id, key.required))
                self.readers.append((key.name, len(self.columns), key))
                self.columns.append(getattr(target, table(key.link).name_key or "name"))
                if key.name == t.owner:
                    self.owner = target
            elif key.kind == "amount":
                self.readers.append((key.name, len(self.columns), key))
                self.columns += [getattr(model, key.stored_as), getattr(model, key.at_least or "at_least")]
            else:
                self.readers.append((key.name, len(self.columns), key))
                self.columns.append(getattr(model, key.stored_as))
        if name == "enterprises":
            self.columns.append(model.quota_given)

    def query(self, village_id: int, where: peewee.Expression) -> peewee.ModelSelect:
        q = self.model.select(*self.columns)
        for target, on, inner in self.joins:
            q = q.join_from(self.model, target, peewee.JOIN.INNER if inner else peewee.JOIN.LEFT_OUTER, on=on)
        return q.where(self.owner.village == village_id, where).order_by(self.model.id)

    def record(self, row: tuple, lists: dict[str, dict[int, list[str]]], personal: bool) -> Record:
        out: Record = {}
        for key, at, k in self.readers:
            if k.kind == "amount":
                fen = row[at]
                if fen is not None:
                    out[key] = Amount(fen, bool(row[at + 1]))
                continue
            value = row[at]
            if value is None or (k.default is not None and value == k.default) or (k.personal and not personal):
                continue
            out[key] = value
        for key, names in lists.items():
            found = names.get(row[0])
            if found:
                out[key] = found
        if self.t.name == "enterprises" and not row[-1]:
            out.pop("hiring_quota", None)  # the configured default, not written in the file
        return _ordered(self.t, out)


def _ordered(t: decl.Table, rec: Record) -> Record:
    return {k.name: rec[k.name] for k in t.keys if k.name in rec}


_PLANS: dict[str, _Plan] = {}


def _plan(name: str) -> _Plan:
    plan = _PLANS.get(name)
    if plan is None:
        plan = _PLANS[name] = _Plan(name)
    return plan


def lists_of(name: str, village_id: int) -> dict[str, dict[int, list[str]]]:
    """Per list-of-names key of `name`: record id -> the names, in their order."""
    out: dict[str, dict[int, list[str]]] = {}
    for key in through_keys(name):
        link, mine, theirs = THROUGH[(name, key.name)]
        target = MODELS[key.link or ""]
        names: dict[int, list[str]] = defaultdict(list)
        q = (
            link.select(getattr(link, mine), name_column(key.link or ""))
            .join(target, on=(getattr(link, theirs) == target.id))
            .where(target.village == village_id)
            .order_by(getattr(link, mine), link.position)
        )
        for rid, n in q.tuples():
            names[rid].append(n)
        out[key.name] = names
    return out


def read(name: str, village_id: int, personal: bool, only: int | None = None) -> Iterator[Record]:
    """The live records of one table of a village in the order they were written (or the one record
    `only`, voided or not)."""
    plan = _plan(name)
    model = plan.model
    where = (model.id == only) if only is not None else (model.voided == False)  # noqa: E712
    if name == "funders" and only is None:
        where = where & (model.implied == False)  # noqa: E712 -- implied by an enterprise, not written
    lists = lists_of(name, village_id)
    for row in plan.query(village_id, where).tuples().iterator():
        yield plan.record(row, lists, personal)
