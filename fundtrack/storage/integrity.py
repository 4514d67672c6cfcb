"""Integrity checks of the store: SQLite's own, foreign keys, and records that point nowhere. Fixes nothing."""

from __future__ import annotations

from fundtrack.storage import models as m
from fundtrack.storage.db import database, is_sqlite


def check_integrity() -> list[str]:
    """One line per problem; empty when the store is sound."""
    problems: list[str] = []
    if is_sqlite():
        for (line,) in database.execute_sql("PRAGMA integrity_check").fetchall():
            if line != "ok":
                problems.append(f"integrity_check: {line}")
        for table, rowid, parent, _ in database.execute_sql("PRAGMA foreign_key_check").fetchall():
            problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
    is_joint = m.Pledge.joint == True  # noqa: E712  (peewee builds SQL from ==)
    has_members = m.Pledge.id.in_(m.PledgeFunder.select(m.PledgeFunder.pledge))
    joint_without_members = m.Pledge.select(m.Pledge.id).where(is_joint, ~has_members)
    for (pid,) in joint_without_members.tuples():
        problems.append(f"pledges:{pid}: a joint pledge without members")
    single_without_funder = m.Pledge.select(m.Pledge.id).where(m.Pledge.joint == False, m.Pledge.funder.is_null())  # noqa: E712
    for (pid,) in single_without_funder.tuples():
        problems.append(f"pledges:{pid}: a pledge without a funder")
    negative = [(name, model) for name, model in (("receipts", m.Receipt), ("expenses", m.Expense)) if model]
    for name, model in negative:
        for (rid,) in model.select(model.id).where(model.amount_fen < 0).tuples():
            problems.append(f"{name}:{rid}: a negative amount")
    enterprise_funder = m.Enterprise.select(m.Enterprise.id).join(m.Funder).where(m.Funder.kind != "enterprise")
    for (eid,) in enterprise_funder.tuples():
        problems.append(f"enterprises:{eid}: its funder is not of kind enterprise")
    problems.extend(_links_to_voided())
    return problems


# Live records that name a voided one: what a write racing an undo or a void could leave behind.
_LINKS = (
    ("milestones", "project"),
    ("pledges", "project"),
    ("pledges", "funder"),
    ("levies", "project"),
    ("levies", "funder"),
    ("receipts", "project"),
    ("receipts", "funder"),
    ("expenses", "project"),
    ("hires", "enterprise"),
    ("hires", "settlement"),
    ("headcounts", "enterprise"),
)


def _links_to_voided() -> list[str]:
    problems = []
    for table, key in _LINKS:
        model = m.TABLE_MODELS[table]
        column = getattr(model, key)
        target = column.rel_model
        live = model.voided == False  # noqa: E712
        q = model.select(model.id, target.id).join(target, on=(column == target.id)).where(live, target.voided == True)  # noqa: E712
        for rid, tid in q.tuples():
            problems.append(f"{table}:{rid}: links to {key} {tid}, which is voided")
    return problems
