"""The ledger as a plain-text double-entry journal for hledger or beancount.

Accounts, per village V, project P and funder F:
  pledge (cash) or levy     assets:receivable:V:P:F  /  income:pledged:V:P:F
  pledge valued in kind     assets:in-kind:V:P:F     /  income:pledged:V:P:F
  receipt                   assets:cash:V:P          /  assets:receivable:V:P:L
  expense                   expenses:V:P             /  assets:cash:V:P
so that for each project: pledged = -income:pledged, spent = expenses,
received = assets:cash + expenses. Joint pledges are booked to one account
named by all members joined with "+". A receipt is credited to the line L the
ledger attributes it to (fundtrack.ledger.breakdown.Attribution: the funder's own
cash pledge, its levies, then its joint pledges; what is left over stays on one of
them, or on the funder's own account when it pledged nothing), split when it fills
one line and goes on to the next; so each receivable holds what its line still
expects (negative when more arrived than was pledged). In-kind pledges
without a value and the 余 lower bounds appear as comments.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from fundtrack.ledger.breakdown import Attribution
from fundtrack.ledger.facts import LevyFact, PledgeFact, counts_on
from fundtrack.ledger.money import Amount, format_yuan
from fundtrack.ledger.text import one_line
from fundtrack.storage import aggregates, queries
from fundtrack.storage import models as m

if TYPE_CHECKING:
    from fundtrack.service.ledger import Scope

COMMODITY = "CNY"


class _Names:
    """Account name parts: readable for hledger, ASCII for beancount (Chinese kept in metadata)."""

    def __init__(self, fmt: str):
        self.fmt = fmt
        self.ids: dict[tuple[str, str], str] = {}
        self.meta: dict[str, str] = {}
        self.counts: dict[str, int] = {}

    def part(self, what: str, text: str) -> str:
        key = (what, text)
        ident = self.ids.get(key)
        if ident is not None:
            return ident
        text = one_line(text)
        if self.fmt == "hledger":
            # ":" separates account levels and two spaces end a name: keep both out.
            ident = re.sub(r"\s+", " ", text.replace(":", "_")).strip()
        else:
            self.counts[what] = self.counts.get(what, 0) + 1
            if what == "project" and re.fullmatch(r"[a-z0-9-]+", text):
                ident = "P-" + text.upper()
            else:
                ident = f"{what[0].upper()}{self.counts[what]:04d}"
            self.meta[ident] = text
        self.ids[key] = ident
        return ident


def _root(fmt: str, name: str) -> str:
    return name if fmt == "hledger" else name.title().replace("-", "")


def _quote(text: str) -> str:
    """A journal's quoted text on one line: a line break in a note cannot start a transaction."""
    return '"' + one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


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
    for village in villages:
        out = _Village(scope.as_of, fmt, names, opened, body, village.name)
        recs: dict[str, Any] = queries.records(village.id)
        pledges = [p for p in recs["pledges"] if counts_on(p.get("date"), scope.as_of)]
        for p in pledges:
            out.pledge(p)
        levies = list(recs["levies"])
        for lv in levies:
            out.levy(lv)
        live = {p.code for p in aggregates.project_facts(village.id)}
        out.receipts(
            [r for r in recs["receipts"] if counts_on(r["date"], scope.as_of)],
            _attributions(pledges, levies, live),
        )
        for x in recs["expenses"]:
            if counts_on(x["date"], scope.as_of):
                out.expense(x)
        yield


class _Village:
    """One village's transactions, appended to `body` as they are written."""

    def __init__(
        self, as_of: dt.date, fmt: str, names: _Names, opened: dict[str, dt.date], body: list[str], village: str
    ):
        self.as_of, self.fmt, self.names = as_of, fmt, names
        self.opened, self.body, self.village = opened, body, village
        self.projects: dict[tuple[str, str], str] = {}

    def account(self, root: str, project: str, funder: str | None = None) -> str:
        # The root, village and project of a name are joined once per village.
        head = self.projects.get((root, project))
        if head is None:
            parts = [_root(self.fmt, r) for r in root.split(":")]
            parts += [self.names.part("village", self.village), self.names.part("project", project)]
            head = self.projects[(root, project)] = ":".join(parts)
        return head if funder is None else f"{head}:{self.names.part('funder', funder)}"

    def txn(self, date: dt.date, text: str, postings: list[tuple[str, int]], comment: str = "") -> None:
        if self.fmt == "hledger":  # hledger needs no `open`
            head = f"{date.isoformat()} {one_line(text)}" + (f"  ; {one_line(comment)}" if comment else "")
        else:
            for acc, _ in postings:
                if acc not in self.opened or date < self.opened[acc]:
                    self.opened[acc] = min(date, self.opened.get(acc, date))
            head = f"{date.isoformat()} * {_quote(text)}" + (f"\n  comment: {_quote(comment)}" if comment else "")
        lines = [head] + [f"    {acc}  {format_yuan(fen)} {COMMODITY}" for acc, fen in postings]
        self.body.append("\n".join(lines) + "\n\n")

    def pledge(self, p: dict[str, Any]) -> None:
        """A pledge that counts on the as-of date (an undated one is dated on it)."""
        date = p.get("date", self.as_of)
        funder = p.get("funder") or "+".join(p["funders"])
        amount: Amount | None = p.get("amount")
        form = p.get("form", "cash")
        what = f"{self.village} {p['project']} pledge {form} {funder}"
        if amount is None:
            quantity = f" ({p['quantity']})" if p.get("quantity") else ""
            self.body.append(f"; {date.isoformat()} {what}: in kind without a value{quantity}\n\n")
            return
        comment = " ".join(filter(None, [p.get("note", ""), "lower bound (余)" if amount.at_least else ""]))
        debit = "assets:receivable" if form == "cash" else "assets:in-kind"
        self.txn(
            date,
            what,
            [
                (self.account(debit, p["project"], funder), amount.fen),
                (self.account("income:pledged", p["project"], funder), -amount.fen),
            ],
            comment,
        )

    def levy(self, lv: dict[str, Any]) -> None:
        """A levy, dated on the as-of date (levies always count)."""
        fen = lv["per_household"].fen * lv["households"]
        what = f"{self.village} {lv['project']} levy {lv['funder']} {lv['households']} x {format_yuan(lv['per_household'].fen)}"
        self.txn(
            self.as_of,
            what,
            [
                (self.account("assets:receivable", lv["project"], lv["funder"]), fen),
                (self.account("income:pledged", lv["project"], lv["funder"]), -fen),
            ],
        )

    def receipts(self, receipts: list[dict[str, Any]], attributions: dict[str, Attribution]) -> None:
        """The receipts that count, each credited to the receivables the ledger attributes it to.

        The ledger attributes a project's receipts funder by funder in name order; each
        funder's in the order they were recorded.
        """
        parts = _attributed(receipts, attributions)
        for r, lines in zip(receipts, parts, strict=True):
            household = f" {r['household']}" if r.get("household") else ""
            postings = [(self.account("assets:cash", r["project"]), r["amount"].fen)]
            postings += [(self.account("assets:receivable", r["project"], funders), -fen) for funders, fen in lines]
            self.txn(
                r["date"],
                f"{self.village} {r['project']} receipt {r['funder']}{household}",
                postings,
                r.get("voucher", ""),
            )

    def expense(self, x: dict[str, Any]) -> None:
        self.txn(
            x["date"],
            f"{self.village} {x['project']} expense {x['item']}",
            [
                (self.account("expenses", x["project"]), x["amount"].fen),
                (self.account("assets:cash", x["project"]), -x["amount"].fen),
            ],
            x.get("voucher", ""),
        )


def _attributions(
    pledges: list[dict[str, Any]], levies: list[dict[str, Any]], live: set[str]
) -> dict[str, Attribution]:
    """Per project code, the ledger's attribution over the pledges and levies the journal writes.

    The pledges are summed per funder (or joint group) and form, own ones before joint ones,
    each group where its first pledge was recorded, as storage.aggregates sums them for the
    breakdown; a voided project's records are left out, as there.
    """
    own: dict[tuple[str, tuple[str, ...], str], list[Any]] = {}
    joint: dict[tuple[str, tuple[str, ...], str], list[Any]] = {}
    for p in pledges:
        code = p["project"]
        if code not in live:
            continue
        members = p.get("funders")
        groups, funders = (joint, tuple(members)) if members else (own, (p["funder"],))
        key = (code, funders, p.get("form", "cash"))
        group = groups.get(key)
        if group is None:
            group = groups[key] = [0, False, 0]  # fen, at least, valued
        amount: Amount | None = p.get("amount")
        if amount is not None:
            group[0] += amount.fen
            group[1] = group[1] or amount.at_least
            group[2] += 1
    # The attribution reads neither a fact's project id nor its kind: 0 and "".
    facts: dict[str, list[PledgeFact]] = defaultdict(list)
    for groups, is_joint in ((own, False), (joint, True)):
        for (code, funders, form), (fen, at_least, valued) in groups.items():
            facts[code].append(PledgeFact(0, funders, "", form, Amount(fen, at_least), valued, joint=is_joint))
    levy_facts: dict[str, list[LevyFact]] = defaultdict(list)
    for lv in levies:
        if lv["project"] in live:
            levy_facts[lv["project"]].append(LevyFact(0, lv["funder"], lv["per_household"], lv["households"]))
    return {code: Attribution(facts[code], levy_facts[code], {}) for code in facts.keys() | levy_facts.keys()}


def _attributed(receipts: list[dict[str, Any]], attributions: dict[str, Attribution]) -> list[list[tuple[str, int]]]:
    """For each receipt, the receivables it fills: (funder, or joint members joined by "+"; fen)."""
    by_project: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(receipts):
        by_project[r["project"]].append(i)
    parts: list[list[tuple[str, int]]] = [[]] * len(receipts)  # each replaced below
    for code, indices in by_project.items():
        receive = (attributions.get(code) or Attribution([], [], {})).receive
        indices.sort(key=lambda i: receipts[i]["funder"])  # stable: each funder's in record order
        for i in indices:
            r = receipts[i]
            received = receive(r["funder"], "", r["amount"])
            if len(received) == 1:
                line, fen = received[0]
                parts[i] = [("+".join(line.funders), fen)]
                continue
            by_account: dict[str, int] = {}  # a funder's levy and own pledge share its receivable
            for line, fen in received:
                key = "+".join(line.funders)
                by_account[key] = by_account.get(key, 0) + fen
            parts[i] = list(by_account.items())
    return parts
