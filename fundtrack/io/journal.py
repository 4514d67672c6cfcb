"""The ledger as a plain-text double-entry journal for hledger or beancount.

Accounts, per village V, project P and funder F:
  pledge (cash) or levy     assets:receivable:V:P:F  /  income:pledged:V:P:F
  pledge valued in kind     assets:in-kind:V:P:F     /  income:pledged:V:P:F
  receipt                   assets:cash:V:P          /  assets:receivable:V:P:F
  expense                   expenses:V:P             /  assets:cash:V:P
so that for each project: pledged = -income:pledged, spent = expenses,
received = assets:cash + expenses. Joint pledges are booked to one account
named by all members joined with "+". In-kind pledges without a value and
the 余 lower bounds appear as comments.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from fundtrack.ledger.money import Amount
from fundtrack.storage import models as m
from fundtrack.storage import queries

if TYPE_CHECKING:
    from fundtrack.service.ledger import Scope

COMMODITY = "CNY"


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


class _Names:
    """Account name parts: readable for hledger, ASCII for beancount (Chinese kept in metadata)."""

    def __init__(self, fmt: str):
        self.fmt = fmt
        self.ids: dict[tuple[str, str], str] = {}
        self.meta: dict[str, str] = {}
        self.counts: dict[str, int] = {}

    def part(self, what: str, text: str) -> str:
        if self.fmt == "hledger":
            # ":" separates account levels and two spaces end a name: keep both out.
            return re.sub(r"\s+", " ", text.replace(":", "_")).strip()
        key = (what, text)
        if key not in self.ids:
            self.counts[what] = self.counts.get(what, 0) + 1
            if what == "project" and re.fullmatch(r"[a-z0-9-]+", text):
                ident = "P-" + text.upper()
            else:
                ident = f"{what[0].upper()}{self.counts[what]:04d}"
            self.ids[key] = ident
            self.meta[ident] = text
        return self.ids[key]


def _root(fmt: str, name: str) -> str:
    return name if fmt == "hledger" else name.title().replace("-", "")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def journal_lines(scope: Scope, fmt: str) -> Iterator[str]:
    """The journal, village by village: a county's never sits whole in memory.

    beancount's `open` directives come first but are known only at the end: the
    transactions wait in a spooled temporary file until then.
    """
    names = _Names(fmt)
    opened: dict[str, dt.date] = {}
    body: list[str] = []
    if fmt == "hledger":
        yield f"; fundtrack journal (hledger), as of {scope.as_of.isoformat()}\n"
        yield f"commodity 1000.00 {COMMODITY}\n\n"
        for _ in _village_transactions(scope, fmt, names, opened, body):
            yield "".join(body)
            body.clear()
        return
    with tempfile.SpooledTemporaryFile(16 * 2**20, mode="w+", encoding="utf-8") as spool:
        for _ in _village_transactions(scope, fmt, names, opened, body):
            spool.writelines(body)
            body.clear()
        yield f"; fundtrack journal (beancount), as of {scope.as_of.isoformat()}\n"
        yield 'option "operating_currency" "CNY"\n\n'
        yield f"1970-01-01 commodity {COMMODITY}\n\n"
        for acc, date in sorted(opened.items()):
            meta = [names.meta[p] for p in acc.split(":") if p in names.meta]
            yield f"{date.isoformat()} open {acc} {COMMODITY}\n"
            if meta:
                yield f"  name: {_quote(' / '.join(meta))}\n"
        yield "\n"
        spool.seek(0)
        while chunk := spool.read(2**20):
            yield chunk


def _village_transactions(
    scope: Scope, fmt: str, names: _Names, opened: dict[str, dt.date], body: list[str]
) -> Iterator[None]:
    """Append each village's transactions to `body`, yielding after each village."""
    villages = m.Village.select().order_by(m.Village.name)
    if scope.village_id is not None:
        villages = villages.where(m.Village.id == scope.village_id)

    def account(root: str, village: str, project: str, funder: str | None = None) -> str:
        parts = [_root(fmt, r) for r in root.split(":")]
        parts += [names.part("village", village), names.part("project", project)]
        if funder is not None:
            parts.append(names.part("funder", funder))
        return ":".join(parts)

    def txn(date: dt.date, text: str, postings: list[tuple[str, int]], comment: str = "") -> None:
        for acc, _ in postings if fmt == "beancount" else ():  # hledger needs no `open`
            if acc not in opened or date < opened[acc]:
                opened[acc] = min(date, opened.get(acc, date))
        if fmt == "hledger":
            head = f"{date.isoformat()} {text}" + (f"  ; {comment}" if comment else "")
        else:
            head = f"{date.isoformat()} * {_quote(text)}" + (f"\n  comment: {_quote(comment)}" if comment else "")
        lines = [head] + [f"    {acc}  {_yuan(fen)} {COMMODITY}" for acc, fen in postings]
        body.append("\n".join(lines) + "\n\n")

    undated = scope.as_of
    for village in villages:
        recs: dict[str, Any] = queries.records(village.id)
        V = village.name
        for p in recs["pledges"]:
            date = p.get("date", undated)
            if date > scope.as_of:
                continue
            funder = p.get("funder") or "+".join(p["funders"])
            amount: Amount | None = p.get("amount")
            form = p.get("form", "cash")
            what = f"{V} {p['project']} pledge {form} {funder}"
            comment = " ".join(
                filter(None, [p.get("note", ""), "lower bound (余)" if amount and amount.at_least else ""])
            )
            if amount is None:
                body.append(
                    f"; {date.isoformat()} {what}: in kind without a value"
                    + (f" ({p['quantity']})" if p.get("quantity") else "")
                    + "\n\n"
                )
                continue
            debit = "assets:receivable" if form == "cash" else "assets:in-kind"
            txn(
                date,
                what,
                [
                    (account(debit, V, p["project"], funder), amount.fen),
                    (account("income:pledged", V, p["project"], funder), -amount.fen),
                ],
                comment,
            )
        for lv in recs["levies"]:
            fen = lv["per_household"].fen * lv["households"]
            what = f"{V} {lv['project']} levy {lv['funder']} {lv['households']} x {_yuan(lv['per_household'].fen)}"
            txn(
                undated,
                what,
                [
                    (account("assets:receivable", V, lv["project"], lv["funder"]), fen),
                    (account("income:pledged", V, lv["project"], lv["funder"]), -fen),
                ],
            )
        for r in recs["receipts"]:
            if r["date"] > scope.as_of:
                continue
            what = f"{V} {r['project']} receipt {r['funder']}" + (f" {r['household']}" if r.get("household") else "")
            txn(
                r["date"],
                what,
                [
                    (account("assets:cash", V, r["project"]), r["amount"].fen),
                    (account("assets:receivable", V, r["project"], r["funder"]), -r["amount"].fen),
                ],
                r.get("voucher", ""),
            )
        for x in recs["expenses"]:
            if x["date"] > scope.as_of:
                continue
            txn(
                x["date"],
                f"{V} {x['project']} expense {x['item']}",
                [
                    (account("expenses", V, x["project"]), x["amount"].fen),
                    (account("assets:cash", V, x["project"]), -x["amount"].fen),
                ],
                x.get("voucher", ""),
            )
        yield
