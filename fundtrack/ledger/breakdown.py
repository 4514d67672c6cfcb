"""Funding breakdown per project, and how receipts are attributed to pledges, levies and joint groups."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fundtrack.ledger import vocab
from fundtrack.ledger.facts import InKindFact, LedgerFacts, LevyFact, PledgeFact, ProjectFact
from fundtrack.ledger.money import ZERO, Amount, share, total


@dataclass(slots=True)
class FunderLine:
    """One funder or joint group's part of a project, in one form."""

    funders: tuple[str, ...]
    kind: str
    form: str
    pledged: Amount
    """Valued pledges (or a levy's per_household × households)."""
    received: Amount = ZERO
    """Receipts attributed to this line."""
    share: Decimal | None = None
    joint: bool = False
    expects_receipts: bool = True
    """Cash pledges and levies must arrive as receipts; in-kind ones never do."""
    levy: LevyFact | None = None
    households_paid: int | None = None
    """Households whose receipts reach per_household (None: receipts do not say who paid)."""
    unvalued: int = 0
    pledged_any: bool = True
    """False for a funder that sent money with no pledge or levy behind it."""

    @property
    def outstanding(self) -> Amount:
        """What is still to arrive (ZERO when nothing is expected or all arrived)."""
        if not self.expects_receipts or self.received.fen >= self.pledged.fen:
            return Amount(0, self.pledged.at_least)
        return self.pledged.minus(self.received)

    @property
    def only_unvalued(self) -> bool:
        """Whether no pledge on this line carries a value (shown as "not valued", not as 0)."""
        return bool(self.unvalued) and not self.pledged.fen

    @property
    def excess(self) -> Amount:
        return Amount(max(self.received.fen - self.pledged.fen, 0), self.received.at_least)


@dataclass
class KindLine:
    kind: str
    pledged: Amount
    received: Amount
    share: Decimal | None


@dataclass
class ProjectBreakdown:
    """Everything the breakdown report says about one project (child projects not included)."""

    project: ProjectFact
    pledged: Amount
    received: Amount
    spent: Amount
    gap: Amount | None
    by_kind: list[KindLine]
    by_funder: list[FunderLine]
    in_kind: list = field(default_factory=list)
    children: list[str] = field(default_factory=list)

    @property
    def budget(self) -> Amount | None:
        return self.project.budget


@dataclass
class Totals:
    budget: Amount
    pledged: Amount
    received: Amount
    spent: Amount


@dataclass
class Breakdown:
    as_of: dt.date
    projects: list[ProjectBreakdown]
    totals: Totals


_KIND_ORDER = {kind: i for i, kind in enumerate(vocab.FUNDER_KINDS)}


def _kind_order(kind: str) -> int:
    return _KIND_ORDER.get(kind, len(_KIND_ORDER))


def _line_order(ln: FunderLine) -> tuple[int, int, tuple[str, ...], str]:
    return (_KIND_ORDER.get(ln.kind, len(_KIND_ORDER)), -ln.pledged.fen, ln.funders, ln.form)


def _allocate(fen: int, at_least: bool, line: FunderLine, room: int | None) -> int:
    """Move up to `room` of `fen` onto `line` (all of it when room is None); return what is left."""
    take = fen if room is None else max(min(fen, room), 0)
    if take:
        received = line.received
        line.received = Amount(received.fen + take, received.at_least or at_least)
    return fen - take


class Attribution:
    """The lines of one project and the rule that attributes receipts to them, one receipt at a time.

    A funder's receipts fill its own cash pledges first, then its levies, then the
    joint pledges it is part of (in the order they were recorded); what is left over
    stays on the last line it could go to (an excess), or, with no pledge or levy
    behind it at all, on a line of its own (an unpledged receipt). Filling is greedy,
    so a funder's receipts given one by one end where their sum given at once does.
    `households` maps a levy's funder -> households paid.
    """

    def __init__(self, pledges: list[PledgeFact], levies: list[LevyFact], households: dict[str, int | None]):
        self.lines: list[FunderLine] = []
        """Every line: pledges, then levies, then unpledged funders as they are first met."""
        self._own_cash: dict[str, FunderLine] = {}
        self._own_any: dict[str, FunderLine] = {}
        self._joint_cash: dict[str, list[FunderLine]] = defaultdict(list)
        self._levies: dict[str, list[FunderLine]] = defaultdict(list)
        self._unpledged: dict[str, FunderLine] = {}
        self._orders: dict[str, tuple[list[FunderLine], bool]] = {}
        for p in pledges:
            line = FunderLine(p.funders, p.kind, p.form, p.amount, joint=p.joint, expects_receipts=p.form == "cash")
            self.lines.append(line)
            for name in p.funders:
                self._own_any.setdefault(name, line)
            if p.form == "cash":
                if p.joint:
                    for name in p.funders:
                        self._joint_cash[name].append(line)
                else:
                    self._own_cash[p.funders[0]] = line
        for levy in levies:
            line = FunderLine((levy.funder,), "villagers", "cash", levy.expected, levy=levy)
            line.households_paid = households.get(levy.funder)
            self.lines.append(line)
            self._levies[levy.funder].append(line)
            self._own_any.setdefault(levy.funder, line)

    def receive(self, funder: str, kind: str, amount: Amount) -> list[tuple[FunderLine, int]]:
        """Attribute one receipt (or a funder's receipts summed) of `kind`: the lines it went to, each once, with fen."""
        rest, at_least = amount
        parts: list[tuple[FunderLine, int]] = []
        if funder not in self._orders:
            joint = self._joint_cash.get(funder, [])
            own = [self._own_cash[funder]] if funder in self._own_cash else []
            self._orders[funder] = (own + self._levies.get(funder, []) + joint, bool(joint))
        order, joint_last = self._orders[funder]
        for line in order:
            left = _allocate(rest, at_least, line, line.pledged.fen - line.received.fen)
            if left != rest:
                parts.append((line, rest - left))
            rest = left
        if rest:
            line = self._overflow(funder, kind, order, joint_last)
            _allocate(rest, at_least, line, None)
            filled = [fen for ln, fen in parts if ln is line]
            parts = [(ln, fen) for ln, fen in parts if ln is not line] + [(line, rest + sum(filled))]
        return parts

    def _overflow(self, funder: str, kind: str, order: list[FunderLine], joint: bool) -> FunderLine:
        """The line that keeps what is left once every line the funder could fill is full."""
        if order:
            return order[-1] if joint else order[0]
        if funder in self._own_any:
            return self._own_any[funder]
        if funder not in self._unpledged:
            self._unpledged[funder] = FunderLine((funder,), kind, "cash", ZERO, pledged_any=False)
            self.lines.append(self._unpledged[funder])
        return self._unpledged[funder]


def attribute(
    pledges: list[PledgeFact],
    levies: list[LevyFact],
    receipts: dict[str, tuple[str, Amount]],
    households: dict[str, int | None],
) -> list[FunderLine]:
    """Lines of one project with every funder's receipts attributed, as the data format says (see Attribution).

    `receipts` maps funder -> (kind, amount summed); funders are taken in name order.
    """
    att = Attribution(pledges, levies, households)
    for funder in sorted(receipts):
        kind, amount = receipts[funder]
        att.receive(funder, kind, amount)
    return att.lines


@dataclass(frozen=True, slots=True)
class _ByProject:
    """A ledger's facts grouped by project id, as the breakdown reads them one project at a time."""

    pledges: dict[int, list[PledgeFact]]
    levies: dict[int, list[LevyFact]]
    receipts: dict[int, dict[str, tuple[str, Amount]]]
    """Project -> funder -> (kind, amount summed)."""
    households: dict[int, dict[str, int | None]]
    """Project -> levy funder -> households paid in full (see _households_paid)."""
    spent: dict[int, Amount]
    in_kind: dict[int, list[InKindFact]]
    children: dict[tuple[str, str], list[str]]
    """(village, parent code) -> child project codes."""


def _by_project(facts: LedgerFacts) -> _ByProject:
    """The facts of `facts` grouped by the project they belong to."""
    pledges: dict[int, list[PledgeFact]] = defaultdict(list)
    for p in facts.pledges:
        pledges[p.project_id].append(p)
    levies: dict[int, list[LevyFact]] = defaultdict(list)
    for levy in facts.levies:
        levies[levy.project_id].append(levy)
    receipts: dict[int, dict[str, tuple[str, Amount]]] = defaultdict(dict)
    for r in facts.receipts:
        receipts[r.project_id][r.funder] = (r.kind, r.amount)
    in_kind: dict[int, list[InKindFact]] = defaultdict(list)
    for k in facts.in_kind:
        in_kind[k.project_id].append(k)
    children: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p in facts.projects:
        if p.parent:
            children[(p.village, p.parent)].append(p.code)
    spent = {s.project_id: s.amount for s in facts.spent}
    return _ByProject(pledges, levies, receipts, _households_paid(facts), spent, in_kind, children)


def _funder_lines(project: ProjectFact, facts: _ByProject) -> list[FunderLine]:
    """A project's lines with receipts attributed, each with its share and unvalued in-kind pledges, in report order."""
    pid = project.id
    lines = attribute(facts.pledges[pid], facts.levies[pid], facts.receipts[pid], facts.households.get(pid, {}))
    unvalued = Counter((k.funders, k.form) for k in facts.in_kind[pid] if k.amount is None)
    for line in lines:
        line.share = share(line.pledged, project.budget)
        if unvalued:
            line.unvalued = unvalued[(line.funders, line.form)]
    lines.sort(key=_line_order)
    return lines


def _by_kind(lines: list[FunderLine], budget: Amount | None) -> list[KindLine]:
    """The lines summed per funder kind, in the vocabulary's order of kinds."""
    kinds: dict[str, list[FunderLine]] = {}
    for line in lines:
        kinds.setdefault(line.kind, []).append(line)
    by_kind = []
    for kind in sorted(kinds, key=_kind_order):
        kl = kinds[kind]
        kp = total(ln.pledged for ln in kl)
        by_kind.append(KindLine(kind, kp, total(ln.received for ln in kl), share(kp, budget)))
    return by_kind


def _project_breakdown(project: ProjectFact, facts: _ByProject) -> ProjectBreakdown:
    """One project's breakdown: its lines, their sums per kind, and the project's figures."""
    lines = _funder_lines(project, facts)
    pledged = total(ln.pledged for ln in lines if ln.pledged_any)
    return ProjectBreakdown(
        project=project,
        pledged=pledged,
        received=total(ln.received for ln in lines),
        spent=facts.spent.get(project.id, ZERO),
        gap=project.budget.minus(pledged) if project.budget is not None else None,
        by_kind=_by_kind(lines, project.budget),
        by_funder=lines,
        in_kind=facts.in_kind[project.id],
        children=facts.children.get((project.village, project.code), []),
    )


def build_breakdown(facts: LedgerFacts, project_code: str | None = None) -> Breakdown:
    """The funding breakdown of every project in `facts` (or of one project code)."""
    grouped = _by_project(facts)
    out = [
        _project_breakdown(project, grouped)
        for project in facts.projects
        if project_code is None or project.code == project_code
    ]
    return Breakdown(facts.as_of, out, totals_of(out))


def paid_in_full(paid: Amount, per_household: Amount) -> bool:
    """Whether what a household paid reaches its levy's per-household amount."""
    return paid.fen >= per_household.fen


def _households_paid(facts: LedgerFacts) -> dict[int, dict[str, int | None]]:
    """Per project and levy funder: households whose receipts reach per_household.

    None when some receipt from that funder does not say which household paid, or
    when the funder has several levies on the project (their rates may differ).
    """
    rates: dict[tuple[int, str], list[LevyFact]] = defaultdict(list)
    for levy in facts.levies:
        rates[(levy.project_id, levy.funder)].append(levy)
    anonymous = {(r.project_id, r.funder) for r in facts.receipts if r.without_household}
    paid: dict[tuple[int, str], int] = defaultdict(int)
    for h in facts.households_paid:
        levy_list = rates.get((h.project_id, h.funder))
        if levy_list and len(levy_list) == 1 and paid_in_full(h.amount, levy_list[0].per_household):
            paid[(h.project_id, h.funder)] += 1
    out: dict[int, dict[str, int | None]] = defaultdict(dict)
    for key, levy_list in rates.items():
        known = len(levy_list) == 1 and key not in anonymous
        out[key[0]][key[1]] = paid.get(key, 0) if known else None
    return out


def totals_only(as_of: dt.date, rows: list[tuple[ProjectFact, Amount, Amount, Amount]]) -> Breakdown:
    """A breakdown with each project's figures but no per-funder lines, from (project, pledged, received, spent)."""
    projects = [
        ProjectBreakdown(
            project=p,
            pledged=pledged,
            received=received,
            spent=spent,
            gap=p.budget.minus(pledged) if p.budget is not None else None,
            by_kind=[],
            by_funder=[],
        )
        for p, pledged, received, spent in rows
    ]
    return Breakdown(as_of, projects, totals_of(projects))


def totals_of(projects: list[ProjectBreakdown]) -> Totals:
    """The totals of these projects' lines."""
    return Totals(
        budget=total(b.project.budget for b in projects if b.project.budget is not None),
        pledged=total(b.pledged for b in projects),
        received=total(b.received for b in projects),
        spent=total(b.spent for b in projects),
    )


def only_project(report: Breakdown, project_id: int) -> Breakdown:
    """The breakdown of one project of `report`, with that project's totals (not the report's or
    those of another village's project with the same code)."""
    chosen = [b for b in report.projects if b.project.id == project_id]
    return Breakdown(report.as_of, chosen, totals_of(chosen))


def sum_totals(parts: list[Totals]) -> Totals:
    """The totals of several breakdowns (villages) together."""
    return Totals(*(total(getattr(t, key) for t in parts) for key in ("budget", "pledged", "received", "spent")))


def combine(as_of: dt.date, parts: list[Breakdown]) -> Breakdown:
    """Several villages' breakdowns as one, in the order given."""
    return Breakdown(as_of, [b for part in parts for b in part.projects], sum_totals([part.totals for part in parts]))


@dataclass(frozen=True)
class FunderTotal:
    """One funder's part over all the projects of a breakdown."""

    village: str
    name: str
    kind: str
    projects: int
    """Projects it has a line on (its own or a joint group's)."""
    pledged: Amount
    received: Amount
    outstanding: Amount
    """Its own lines only: a joint group's figures belong to the group, not to each member."""
    joint: int
    """Joint lines it is a member of."""


def funder_lines(breakdown: Breakdown, funder: str, village: str) -> list[tuple[ProjectBreakdown, int, FunderLine]]:
    """The lines a funder of a village is on, its own or a joint group's: (project, line's index, line)."""
    return [
        (b, n, ln)
        for b in breakdown.projects
        if b.project.village == village
        for n, ln in enumerate(b.by_funder)
        if funder in ln.funders
    ]


def funder_totals(breakdown: Breakdown) -> list[FunderTotal]:
    """Every funder's own lines summed over the projects, the most still outstanding first.

    Sums in integer fen (a county adds up 400,000 lines): [kind, projects, joint lines,
    pledged fen, pledged ≥, received fen, received ≥, outstanding fen, outstanding ≥].
    """
    acc: dict[tuple[str, str], list[Any]] = {}
    for b in breakdown.projects:
        village, code = b.project.village, b.project.code
        for ln in b.by_funder:
            for name in ln.funders:
                entry = acc.get((village, name))
                if entry is None:
                    entry = acc[(village, name)] = ["", set(), 0, 0, False, 0, False, 0, False]
                entry[0] = ln.kind
                entry[1].add(code)
                entry[2] += ln.joint
            if not ln.joint:
                entry = acc[(village, ln.funders[0])]
                outstanding = ln.outstanding
                for i, amount in ((3, ln.pledged), (5, ln.received), (7, outstanding)):
                    entry[i] += amount.fen
                    entry[i + 1] = entry[i + 1] or amount.at_least
    totals = [
        FunderTotal(village, name, e[0], len(e[1]), Amount(e[3], e[4]), Amount(e[5], e[6]), Amount(e[7], e[8]), e[2])
        for (village, name), e in acc.items()
    ]
    totals.sort(key=lambda t: (-t.outstanding.fen, t.village, t.name))
    return totals


def with_every_funder(totals: list[FunderTotal], funders: Iterable[tuple[str, str, str]]) -> list[FunderTotal]:
    """`totals` (funder_totals) followed by each of `funders` (village, name, kind) that has no line in any
    project yet, at zero: a funder just added is listed (and can be chosen) before its first pledge."""
    listed = {(t.village, t.name) for t in totals}
    return totals + [
        FunderTotal(village, name, kind, 0, ZERO, ZERO, ZERO, 0)
        for village, name, kind in funders
        if (village, name) not in listed
    ]
