"""Printing for both front ends: 收据 sheets (serials given here) and the 公示 of a scope, as PDF bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from fundtrack.io.paper import Notice, NoticeLevy, NoticeProject, ReceiptSheet, Source, notice_pdf, receipts_pdf
from fundtrack.ledger.breakdown import FunderLine
from fundtrack.ledger.paper import tally_of
from fundtrack.service.ledger import Scope, load_breakdown, load_levies
from fundtrack.storage import levies as levy_store
from fundtrack.storage import paper as store
from fundtrack.storage import queries


@dataclass(frozen=True)
class ReceiptChoice:
    """Which receipts to print: every one matching all that is given."""

    village_id: int | None = None
    project_id: int | None = None
    funder: str | None = None
    household: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    receipt_id: int | None = None


def payer(row: store.PrintRow, heads: dict[str, str] | None = None) -> str:
    """Who paid: a household's code and its 户主 where a register names one, else the funder."""
    if row.household:
        head = (heads or {}).get(row.household)
        return f"{row.household}（户主：{head}）" if head else row.household
    return row.funder


def purpose(row: store.PrintRow) -> str:
    """What the money was for: a levy (with its per-household amount) or a pledge."""
    from fundtrack.io.paper import yuan

    if row.levy_per_household is not None:
        return f"{row.funder}自筹款（每户{yuan(row.levy_per_household)}）"
    return f"{row.funder}承诺资金到位"


def print_receipts(
    choice: ReceiptChoice, operator: str, deliver: Callable[[bytes, list[int]], None], now: dt.datetime | None = None
) -> int:
    """The 收据 of the receipts chosen, handed to `deliver` with their serials (it writes them); how many.

    Receipts printed for the first time take their serials in the same transaction as `deliver`
    runs: a sheet that could not be written gives no serial away.
    """
    rows = store.receipts_to_print(
        choice.village_id,
        choice.project_id,
        choice.funder,
        choice.household,
        choice.since,
        choice.until,
        choice.receipt_id,
    )
    if not rows:
        return 0

    heads = {
        hh.code: hh.head for village in {r.village_id for r in rows} for hh in levy_store.register(village) if hh.head
    }

    def write(serials: dict[int, store.Serial]) -> None:
        sheets = [_sheet(r, serials[r.id], operator, heads) for r in rows]
        deliver(receipts_pdf(sheets), [serials[r.id].serial for r in rows])

    store.assign_serials([(r.id, r.village_id) for r in rows], operator, now or dt.datetime.now(dt.UTC), write)
    return len(rows)


def marks_of(receipt_id: int) -> tuple[bool, bool]:
    """(printed before: its next sheet says 补打, voided: it says 作废) of one receipt, asked before printing it."""
    rows = store.receipts_to_print(receipt_id=receipt_id)
    return store.has_serial(receipt_id), bool(rows and rows[0].voided)


def _sheet(r: store.PrintRow, serial: store.Serial, operator: str, heads: dict[str, str]) -> ReceiptSheet:
    return ReceiptSheet(
        village=r.village,
        serial=serial.serial,
        date=r.date,
        payer=payer(r, heads),
        project=f"{r.project_name}（{r.project}）",
        purpose=purpose(r),
        amount=r.amount,
        voucher=r.voucher,
        operator=operator,
        reprint=serial.reprint,
        voided=r.voided,
    )


def _source(line: FunderLine, kind_name: Callable[[str], str]) -> Source:
    who = "、".join(line.funders)
    kind = kind_name(line.kind)
    return Source(who if who == kind else f"{kind}：{who}", line.pledged, line.share)


def _by_month(days: list[tuple[dt.date, int]]) -> list[tuple[str, int]]:
    """Money received summed to the end of each month that saw some, as (YYYY-MM, fen)."""
    out: list[tuple[str, int]] = []
    running = 0
    for day, fen in days:
        running += fen
        month = f"{day.year}-{day.month:02d}"
        if out and out[-1][0] == month:
            out[-1] = (month, running)
        else:
            out.append((month, running))
    return out


def build_notice(scope: Scope, village_id: int, kind_name: Callable[[str], str], with_unpaid: bool) -> Notice:
    """The 公示 of one village (or one of its projects) as of a date, from its ledger."""
    village = queries.villages_by_id(village_id).name
    breakdown = load_breakdown(Scope(scope.as_of, village_id, scope.project_id))
    rolls = {(r.project, r.funder): r for r in load_levies(Scope(scope.as_of, village_id, scope.project_id)).levies}
    projects = []
    for b in breakdown.projects:
        levies = [
            NoticeLevy(ln.levy.funder, ln.levy.per_household, tally_of(rolls[(b.project.code, ln.levy.funder)]))
            for ln in b.by_funder
            if ln.levy is not None and (b.project.code, ln.levy.funder) in rolls
        ]
        projects.append(
            NoticeProject(
                name=b.project.name,
                code=b.project.code,
                budget=b.project.budget,
                sources=[_source(ln, kind_name) for ln in b.by_funder if ln.pledged_any and not ln.only_unvalued],
                received=b.received,
                spent=b.spent,
                levies=levies,
                received_by_month=_by_month(store.received_by_day(b.project.id, scope.as_of)),
                pledged=b.pledged if b.pledged.fen else None,
                channels=[Source(kind_name(k.kind), k.pledged, k.share) for k in b.by_kind],
            )
        )
    return Notice(village, scope.as_of, projects, with_unpaid)


def print_notice(
    scope: Scope, village_id: int, kind_name: Callable[[str], str], with_unpaid: bool, a3: bool = False
) -> bytes:
    """The 公示 as a PDF."""
    return notice_pdf(build_notice(scope, village_id, kind_name, with_unpaid), a3)
