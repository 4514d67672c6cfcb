"""What paper reads from the store: receipts to print and their serials (收据编号), levy payments, money by day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import NamedTuple

from peewee import fn

from fundtrack.ledger import names
from fundtrack.ledger.money import Amount
from fundtrack.storage import models as m
from fundtrack.storage.db import is_sqlite, write_transaction


class PrintRow(NamedTuple):
    """One receipt with all a printed 收据 shows of it."""

    id: int
    village_id: int
    village: str
    township: str | None
    county: str | None
    project: str
    project_name: str
    funder: str
    funder_kind: str
    amount: Amount
    date: dt.date
    voucher: str | None
    household: str | None
    note: str | None
    voided: bool
    levy_per_household: Amount | None
    """The levy of this funder on this project, when the receipt pays one (else it pays a pledge)."""


class Serial(NamedTuple):
    serial: int
    reprint: bool
    """Printed before: the sheet says 补打."""


def receipts_to_print(
    village_id: int | None = None,
    project_id: int | None = None,
    funder: str | None = None,
    household: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    receipt_id: int | None = None,
) -> list[PrintRow]:
    """The receipts chosen (voided ones too: they print marked 作废), oldest first."""
    R, P, F, V, L = m.Receipt, m.Project, m.Funder, m.Village, m.Levy
    q = (
        R.select(
            R.id,
            V.id,
            V.name,
            V.township,
            V.county,
            P.code,
            P.name,
            F.name,
            F.kind,
            R.amount_fen,
            R.at_least,
            R.date,
            R.voucher,
            R.household,
            R.note,
            R.voided,
        )
        .join(P, on=(R.project == P.id))
        .join(V, on=(P.village == V.id))
        .switch(R)
        .join(F, on=(R.funder == F.id))
    )
    if village_id is not None:
        q = q.where(V.id == village_id)
    if project_id is not None:
        q = q.where(R.project == project_id)
    if since is not None:
        q = q.where(R.date >= since)
    if until is not None:
        q = q.where(R.date <= until)
    if receipt_id is not None:
        q = q.where(R.id == receipt_id)
    rows = list(q.order_by(R.date, R.id).tuples())
    # A funder or household typed in any form of it (NFKC: full-width `Ａ-００１` is `A-001`), as names elsewhere.
    if funder is not None:
        rows = [r for r in rows if names.key(r[7]) == names.key(funder)]
    if household is not None:
        rows = [r for r in rows if r[13] is not None and names.key(r[13]) == names.key(household)]
    levies: dict[tuple[str, str], Amount] = {}
    if rows:
        lq = (
            L.select(P.code, F.name, L.per_household_fen, L.at_least)
            .join(P, on=(L.project == P.id))
            .switch(L)
            .join(F, on=(L.funder == F.id))
            .where(L.voided == False)  # noqa: E712
        )
        if village_id is not None:
            lq = lq.where(P.village == village_id)
        levies = {(c, f): Amount(fen, bool(al)) for c, f, fen, al in lq.tuples()}
    return [
        PrintRow(
            i,
            vi,
            vn,
            tw,
            co,
            pc,
            pn,
            fname,
            fkind,
            Amount(fen, bool(al)),
            d,
            vo,
            hh,
            note,
            bool(void),
            levies.get((pc, fname)),
        )  # fmt: skip
        for i, vi, vn, tw, co, pc, pn, fname, fkind, fen, al, d, vo, hh, note, void in rows
    ]


def has_serial(receipt_id: int) -> bool:
    """Whether a receipt was printed before (it has its 收据编号): printed again it says 补打."""
    return m.ReceiptSerial.select().where(m.ReceiptSerial.receipt == receipt_id).exists()


def assign_serials(
    receipts: Sequence[tuple[int, int]],
    operator: str,
    now: dt.datetime,
    then: Callable[[dict[int, Serial]], None] | None = None,
) -> dict[int, Serial]:
    """Serials for (receipt id, village id) pairs about to be printed, in the order given.

    `then` is called with the serials inside the same transaction (it writes the sheets): when it
    fails, no serial is given and no print is counted.

    A receipt printed before keeps its serial (and counts one print more); a new one takes the
    village's next number. One write transaction: on PostgreSQL the village's row is locked first,
    so two printers at once wait for each other instead of taking the same number (the UNIQUE
    (village, serial) index would refuse it anyway); SQLite's BEGIN IMMEDIATE does the same.
    """
    S = m.ReceiptSerial
    out: dict[int, Serial] = {}
    with write_transaction():
        villages = sorted({v for _, v in receipts})
        if not is_sqlite() and villages:
            list(m.Village.select(m.Village.id).where(m.Village.id.in_(villages)).order_by(m.Village.id).for_update())
        known = {r: s for r, s in S.select(S.receipt, S.serial).where(S.receipt.in_([r for r, _ in receipts])).tuples()}
        if known:
            S.update(prints=S.prints + 1).where(S.receipt.in_(list(known))).execute()
        top = dict(S.select(S.village, fn.MAX(S.serial)).where(S.village.in_(villages)).group_by(S.village).tuples())
        for receipt, village in receipts:
            if receipt in out:
                continue
            if receipt in known:
                out[receipt] = Serial(known[receipt], True)
                continue
            serial = (top.get(village) or 0) + 1
            top[village] = serial
            S.insert(village=village, serial=serial, receipt=receipt, first_printed=now, operator=operator).execute()
            out[receipt] = Serial(serial, False)
        if then is not None:
            then(out)
    return out


def levy_payments(project_id: int, funder: str, as_of: dt.date) -> list[tuple[str | None, int]]:
    """(household, fen) of each receipt a levy funder paid a project up to a date, voided ones left out."""
    R, F = m.Receipt, m.Funder
    q = (
        R.select(R.household, R.amount_fen)
        .join(F, on=(R.funder == F.id))
        .where(R.project == project_id, F.name == funder, R.voided == False, R.date <= as_of)  # noqa: E712
    )
    return [(h, int(fen)) for h, fen in q.tuples()]


def received_by_day(project_id: int, as_of: dt.date) -> list[tuple[dt.date, int]]:
    """A project's receipts up to a date summed by day (voided ones left out), oldest first."""
    R = m.Receipt
    q = (
        R.select(R.date, fn.SUM(R.amount_fen))
        .where(R.project == project_id, R.voided == False, R.date <= as_of)  # noqa: E712
        .group_by(R.date)
        .order_by(R.date)
    )
    return [(d, int(fen)) for d, fen in q.tuples()]
