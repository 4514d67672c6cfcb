"""Reconcile: an ordered list of pure checks, each turning the breakdown and quotas into findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from fundtrack.ledger.breakdown import Breakdown, FunderLine, ProjectBreakdown
from fundtrack.ledger.facts import MilestoneFact
from fundtrack.ledger.levies import LevyRoll
from fundtrack.ledger.messages import finding_text, label
from fundtrack.ledger.money import NO_AMOUNT, Amount, format_amount
from fundtrack.ledger.quotas import QuotaReport

SEVERITY = {
    "budget_gap": "warning",
    "over_pledged": "warning",
    "arrears": "warning",
    "levy_arrears": "warning",
    "unpledged_receipt": "error",
    "over_received": "warning",
    "overspent": "error",
    "over_budget": "error",
    "unvalued_in_kind": "info",
    "lower_bound": "info",
    "quota_shortfall": "warning",
    "management_shortfall": "warning",
    "headcount_mismatch": "warning",
    "milestone_overdue": "warning",
    "levy_roll_mismatch": "warning",
    "future_dated": "warning",
}


class Finding(NamedTuple):
    """Something the committee should look at (a NamedTuple: a county has hundreds of thousands)."""

    code: str
    severity: str
    subject: str
    """The project code, or the enterprise name."""
    message: str
    """For people, in the configured language."""
    village: str
    amount: Amount | None = None
    count: int | None = None
    funders: tuple[str, ...] = ()
    """The funder or joint group the finding is about, where there is one."""


# Findings whose subject is an enterprise's name; every other finding's subject is a project's code.
ENTERPRISE_CODES = frozenset({"quota_shortfall", "management_shortfall", "headcount_mismatch"})


# How findings are listed for people: errors first, then warnings, then notes.
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """`findings` errors first, then warnings, then infos, each kept in the order the checks gave them
    (tables and screens; JSON keeps the checks' order, which scripts compare)."""
    return sorted(findings, key=lambda f: SEVERITY_RANK.get(f.severity, len(SEVERITY_RANK)))


def about_enterprise(finding: Finding) -> bool:
    """Whether a finding is about an enterprise (its subject is the enterprise's name)."""
    return finding.code in ENTERPRISE_CODES


def about_project(finding: Finding, code: str, village: str) -> bool:
    """Whether a finding is about the project with this code in this village."""
    return finding.subject == code and finding.village == village and not about_enterprise(finding)


class FutureFact(NamedTuple):
    """A project's receipts and expenses dated after as_of (which every figure leaves out): how many, their sum."""

    project_id: int
    count: int
    amount: Amount


@dataclass(frozen=True)
class ReconcileOptions:
    """How findings are worded: language and the unit of amounts in messages."""

    language: str = "zh"
    unit: str = "万元"


DEFAULT_OPTIONS = ReconcileOptions()


@dataclass
class Context:
    """What every check reads."""

    as_of: dt.date
    breakdown: Breakdown
    quotas: QuotaReport
    milestones: tuple[MilestoneFact, ...]
    options: ReconcileOptions
    rolls: tuple[LevyRoll, ...] = ()
    """The levy rolls (ledger/levies.py) of the villages read."""
    future: tuple[FutureFact, ...] = ()

    def money(self, amount: Amount | None) -> str:
        return NO_AMOUNT if amount is None else format_amount(amount, self.options.unit)

    def funders(self, names: tuple[str, ...]) -> str:
        return label(self.options.language, "sep").join(names)

    def finding(
        self,
        code: str,
        subject: str,
        village: str,
        amount: Amount | None = None,
        count: int | None = None,
        funders: tuple[str, ...] = (),
        **words: object,
    ) -> Finding:
        words = {"amount": self.money(amount), "count": count, "funders": self.funders(funders), **words}
        text = finding_text(self.options.language, code, words)
        return Finding(code, SEVERITY[code], subject, text, village, amount, count, funders)


def _project_words(ctx: Context, b: ProjectBreakdown) -> dict[str, object]:
    return {
        "name": b.project.name,
        "budget": ctx.money(b.budget),
        "pledged": ctx.money(b.pledged),
        "received": ctx.money(b.received),
        "spent": ctx.money(b.spent),
    }


def _line_finding(
    ctx: Context,
    code: str,
    b: ProjectBreakdown,
    ln: FunderLine,
    amount: Amount,
    count: int | None = None,
    **words: object,
) -> Finding:
    """A finding about one funder line of a project, worded with the project's name and what the line pledged and received."""
    return ctx.finding(
        code,
        b.project.code,
        b.project.village,
        amount,
        count,
        ln.funders,
        name=b.project.name,
        pledged=ctx.money(ln.pledged),
        received=ctx.money(ln.received),
        **words,
    )


Check = Callable[[Context], list[Finding]]


def check_budget(ctx: Context) -> list[Finding]:
    out = []
    for b in ctx.breakdown.projects:
        if b.gap is None or b.gap.fen == 0:
            continue
        p = b.project
        if b.gap.fen > 0:
            out.append(ctx.finding("budget_gap", p.code, p.village, b.gap, **_project_words(ctx, b)))
        else:
            excess = Amount(-b.gap.fen, b.gap.at_least)
            out.append(ctx.finding("over_pledged", p.code, p.village, excess, **_project_words(ctx, b)))
    return out


def check_arrears(ctx: Context) -> list[Finding]:
    out = []
    for b in ctx.breakdown.projects:
        for ln in b.by_funder:
            if ln.levy is None and ln.expects_receipts and ln.pledged_any and ln.outstanding.fen > 0:
                out.append(_line_finding(ctx, "arrears", b, ln, ln.outstanding))
    return out


def check_levy_arrears(ctx: Context) -> list[Finding]:
    """With a household register the households not paid in full are counted on the levy's roll (the
    same count as `report levies`); without one, the levy's households less those paid in full."""
    on_register = {(r.village, r.project, r.funder): r for r in ctx.rolls if r.from_register}
    out = []
    for b in ctx.breakdown.projects:
        for ln in b.by_funder:
            if ln.levy is None or ln.outstanding.fen <= 0:
                continue
            roll = on_register.get((b.project.village, b.project.code, ln.levy.funder))
            if roll is not None:
                count: int | None = roll.counts["unpaid"] + roll.counts["partial"]
            else:
                count = None if ln.households_paid is None else ln.levy.households - ln.households_paid
            out.append(
                _line_finding(
                    ctx,
                    "levy_arrears",
                    b,
                    ln,
                    ln.outstanding,
                    count,
                    households=ln.levy.households,
                    per_household=ctx.money(ln.levy.per_household),
                    unpaid=count,
                )
            )
    return out


def check_unpledged(ctx: Context) -> list[Finding]:
    return [
        ctx.finding(
            "unpledged_receipt", b.project.code, b.project.village, ln.received, funders=ln.funders, name=b.project.name
        )
        for b in ctx.breakdown.projects
        for ln in b.by_funder
        if not ln.pledged_any
    ]


def check_over_received(ctx: Context) -> list[Finding]:
    """More received than pledged; when the pledge is a `余` lower bound (60余万: more than 60万), the
    excess is within that "more than", and the finding is the `lower_bound` information instead."""
    out = []
    for b in ctx.breakdown.projects:
        for ln in b.by_funder:
            if not (ln.pledged_any and ln.excess.fen > 0):
                continue
            if ln.pledged.at_least:
                f = _line_finding(ctx, "lower_bound", b, ln, ln.excess, figures="")
                text = finding_text(ctx.options.language, "lower_bound_received", _received_words(ctx, b, ln))
                out.append(f._replace(message=text))
            else:
                out.append(_line_finding(ctx, "over_received", b, ln, ln.excess))
    return out


def _received_words(ctx: Context, b: ProjectBreakdown, ln: FunderLine) -> dict[str, object]:
    return {
        "name": b.project.name,
        "funders": ctx.funders(ln.funders),
        "pledged": ctx.money(ln.pledged),
        "received": ctx.money(ln.received),
        "amount": ctx.money(ln.excess),
    }


def check_spending(ctx: Context) -> list[Finding]:
    out = []
    for b in ctx.breakdown.projects:
        if b.spent.fen > b.received.fen:
            p = b.project
            out.append(ctx.finding("overspent", p.code, p.village, b.spent.minus(b.received), **_project_words(ctx, b)))
    for b in ctx.breakdown.projects:
        if b.budget is not None and b.spent.fen > b.budget.fen:
            p = b.project
            out.append(ctx.finding("over_budget", p.code, p.village, b.spent.minus(b.budget), **_project_words(ctx, b)))
    return out


def check_in_kind(ctx: Context) -> list[Finding]:
    out = []
    for b in ctx.breakdown.projects:
        for k in b.in_kind:
            if k.amount is None:
                quantity = f"({k.quantity})" if k.quantity else ""
                out.append(
                    ctx.finding(
                        "unvalued_in_kind",
                        b.project.code,
                        b.project.village,
                        funders=k.funders,
                        name=b.project.name,
                        form=label(ctx.options.language, f"form.{k.form}"),
                        quantity=quantity,
                    )
                )
    return out


def check_lower_bounds(ctx: Context) -> list[Finding]:
    out = []
    lang = ctx.options.language
    for b in ctx.breakdown.projects:
        figures = [
            label(lang, f"figure.{key}")
            for key, amount in (
                ("budget", b.budget),
                ("pledged", b.pledged),
                ("received", b.received),
                ("spent", b.spent),
            )
            if amount is not None and amount.at_least
        ]
        if figures:
            out.append(
                ctx.finding(
                    "lower_bound",
                    b.project.code,
                    b.project.village,
                    name=b.project.name,
                    figures=label(lang, "sep").join(figures),
                )
            )
    return out


# Each quota an enterprise can fall short of: the finding's code, then the names of the line's
# shortfall and of the enterprise's quota and active hires it is measured by.
QUOTAS = (
    ("quota_shortfall", "shortfall", "quota", "registered"),
    ("management_shortfall", "management_shortfall", "management_quota", "registered_management"),
)


def check_quotas(ctx: Context) -> list[Finding]:
    """Every enterprise short of its local-hire quota, then every one short of its management quota."""
    out = []
    for code, shortfall, quota, registered in QUOTAS:
        for ln in ctx.quotas.lines:
            e = ln.fact
            short = getattr(ln, shortfall)
            if ln.status != "no_data" and short > 0:
                out.append(
                    ctx.finding(
                        code,
                        e.name,
                        e.village,
                        count=short,
                        name=e.name,
                        quota=getattr(e, quota),
                        registered=getattr(e, registered),
                    )
                )
    return out


def check_headcounts(ctx: Context) -> list[Finding]:
    out = []
    for ln in ctx.quotas.lines:
        e = ln.fact
        if e.declared is None or e.registered_on_declared is None:
            continue
        if e.declared != e.registered_on_declared:
            out.append(
                ctx.finding(
                    "headcount_mismatch",
                    e.name,
                    e.village,
                    count=e.declared - e.registered_on_declared,
                    name=e.name,
                    date=e.declared_on,
                    declared=e.declared,
                    registered=e.registered_on_declared,
                )
            )
    return out


def check_milestones(ctx: Context) -> list[Finding]:
    out = []
    by_id = {b.project.id: b for b in ctx.breakdown.projects}
    for m in ctx.milestones:
        b = by_id.get(m.project_id)
        if b is None or m.due is None or m.status == "done" or m.due >= ctx.as_of:
            continue
        out.append(
            ctx.finding(
                "milestone_overdue",
                b.project.code,
                b.project.village,
                name=b.project.name,
                milestone=m.name,
                due=m.due.isoformat(),
                status=label(ctx.options.language, f"milestone.{m.status}"),
            )
        )
    return out


def check_levy_rolls(ctx: Context) -> list[Finding]:
    """A levy whose `households` differs from the non-exempt households on its register roll."""
    out = []
    for roll in ctx.rolls:
        if not roll.from_register or roll.households == roll.liable:
            continue
        out.append(
            ctx.finding(
                "levy_roll_mismatch",
                roll.project,
                roll.village,
                count=roll.households - roll.liable,
                funders=(roll.funder,),
                name=roll.project_name,
                households=roll.households,
                liable=roll.liable,
            )
        )
    return out


def check_future_dated(ctx: Context) -> list[Finding]:
    """Receipts and expenses dated after as_of: left out of every figure, perhaps a wrong year."""
    by_id = {b.project.id: b for b in ctx.breakdown.projects}
    out = []
    for fact in ctx.future:
        b = by_id.get(fact.project_id)
        if b is None:
            continue
        out.append(
            ctx.finding(
                "future_dated",
                b.project.code,
                b.project.village,
                fact.amount,
                fact.count,
                name=b.project.name,
                as_of=ctx.as_of.isoformat(),
            )
        )
    return out


# A new rule is a new function appended here.
CHECKS: tuple[Check, ...] = (
    check_budget,
    check_arrears,
    check_levy_arrears,
    check_unpledged,
    check_over_received,
    check_spending,
    check_in_kind,
    check_lower_bounds,
    check_quotas,
    check_headcounts,
    check_milestones,
    check_levy_rolls,
    check_future_dated,
)


@dataclass(frozen=True)
class Reconciliation:
    as_of: dt.date
    findings: tuple[Finding, ...]
    strict: bool = False

    @property
    def ok(self) -> bool:
        failing = ("error", "warning") if self.strict else ("error",)
        return not any(f.severity in failing for f in self.findings)

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out


def reconcile(
    breakdown: Breakdown,
    quotas: QuotaReport,
    milestones: tuple[MilestoneFact, ...] = (),
    options: ReconcileOptions = DEFAULT_OPTIONS,
    strict: bool = False,
    rolls: tuple[LevyRoll, ...] = (),
    future: tuple[FutureFact, ...] = (),
) -> Reconciliation:
    """Run every check of CHECKS in order; never raises on bad data."""
    ctx = Context(breakdown.as_of, breakdown, quotas, milestones, options, rolls, future)
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check(ctx))
    return Reconciliation(breakdown.as_of, tuple(findings), strict)
