"""The breakdown, quotas and reconcile reports as JSON (the spec's shapes), CSV and Markdown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import orjson

from fundtrack.ledger.breakdown import Breakdown, FunderLine, ProjectBreakdown, Totals
from fundtrack.ledger.messages import label
from fundtrack.ledger.money import (
    Amount,
    format_amount,
    format_number,
    format_percent,
    format_share,
    money_cell,
    money_json,
)
from fundtrack.ledger.quotas import QuotaReport
from fundtrack.ledger.reconcile import Reconciliation
from fundtrack.ledger.text import for_sheet, one_line

# ---------------------------------------------------------------- JSON


def _funder_json(line: FunderLine) -> dict[str, Any]:
    out: dict[str, Any] = {
        "funders": line.funders,  # a tuple: orjson writes it as a list
        "kind": line.kind,
        "form": line.form,
        "pledged": money_json(line.pledged),
        "received": money_json(line.received),
        "share": format_share(line.share),
        "joint": line.joint,
        "outstanding": money_json(line.outstanding),
    }
    if not line.pledged_any:
        out["unpledged"] = True
    if line.levy is not None:
        out["levy"] = {
            "per_household": money_json(line.levy.per_household),
            "households": line.levy.households,
            "expected": money_json(line.levy.expected),
            "collected": money_json(line.received),
            "households_paid": line.households_paid,
        }
    return out


def project_json(b: ProjectBreakdown) -> dict[str, Any]:
    p = b.project
    return {
        "village": p.village,
        "code": p.code,
        "name": p.name,
        "category": p.category,
        "status": p.status,
        "parent": p.parent,
        "budget": money_json(p.budget),
        "pledged": money_json(b.pledged),
        "received": money_json(b.received),
        "spent": money_json(b.spent),
        "gap": money_json(b.gap),
        "by_kind": [
            {
                "kind": k.kind,
                "pledged": money_json(k.pledged),
                "received": money_json(k.received),
                "share": format_share(k.share),
            }
            for k in b.by_kind
        ],
        "by_funder": [_funder_json(ln) for ln in b.by_funder],
        "in_kind": [
            {
                "funders": list(k.funders),
                "form": k.form,
                "quantity": k.quantity,
                "valued": k.amount is not None,
                "amount": money_json(k.amount),
            }
            for k in b.in_kind
        ],
        "children": b.children,
    }


def totals_json(t: Totals) -> dict[str, Any]:
    return {
        "budget": money_json(t.budget),
        "pledged": money_json(t.pledged),
        "received": money_json(t.received),
        "spent": money_json(t.spent),
    }


def breakdown_json(report: Breakdown) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "projects": [project_json(b) for b in report.projects],
        "totals": totals_json(report.totals),
    }


def quotas_json(report: QuotaReport) -> dict[str, Any]:
    t = report.totals
    return {
        "as_of": report.as_of.isoformat(),
        "enterprises": [
            {
                "village": ln.fact.village,
                "name": ln.fact.name,
                "kind": ln.fact.kind,
                "quota": ln.fact.quota,
                "management_quota": ln.fact.management_quota,
                "registered": ln.fact.registered,
                "registered_management": ln.fact.registered_management,
                "declared": ln.fact.declared,
                "declared_management": ln.fact.declared_management,
                "declared_on": ln.fact.declared_on.isoformat() if ln.fact.declared_on else None,
                "shortfall": ln.shortfall,
                "status": ln.status,
            }
            for ln in report.lines
        ],
        "totals": {
            "quota": t.quota,
            "registered": t.registered,
            "shortfall": t.shortfall,
            "met": t.met,
            "short": t.short,
            "no_data": t.no_data,
            "enterprises": len(report.lines),
        },
    }


def finding_json(f: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"code": f.code, "severity": f.severity, "subject": f.subject, "village": f.village}
    if f.amount is not None:
        item["amount"] = money_json(f.amount)
    if f.count is not None:
        item["count"] = f.count
    if f.funders:
        item["funders"] = f.funders  # a tuple: orjson writes it as a list
    item["message"] = f.message
    return item


def dumps(data: Any) -> str:
    """JSON as `json.dumps(data, ensure_ascii=False, indent=2)` writes it, through orjson (several times faster)."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"


# ---------------------------------------------------------------- CSV and Markdown

Cell = str | int | Decimal | None


def neutralise(value: Cell) -> Cell:
    """A spreadsheet cell: text made safe (ledger/text.for_sheet: no formula, nothing XML cannot hold,
    nothing that acts when shown); numbers stay numbers."""
    return for_sheet(value) if isinstance(value, str) else value


def csv_lines(rows: Iterable[Sequence[Cell]]) -> str:
    """CSV lines (CRLF) for rows: formula text neutralised, None as an empty cell."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if c is None else neutralise(c) for c in row])
    return buf.getvalue()


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """UTF-8 CSV with a BOM so that Excel and WPS read Chinese right; formula text neutralised."""
    return "\ufeff" + csv_lines([header]) + csv_lines(rows)


def _md_cell(value: Cell) -> str:
    text = "" if value is None else one_line(str(value).replace("\n", " "))
    return text.replace("|", "\\|")


def markdown_rows(rows: Iterable[Sequence[Cell]]) -> str:
    """Markdown table rows, one line each."""
    return "".join("| " + " | ".join(_md_cell(c) for c in row) + " |\n" for row in rows)


def markdown_head(header: Sequence[str], right: Sequence[int] = ()) -> str:
    """A Markdown table's header line and alignment line."""
    return markdown_rows([header]) + "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|\n"


def to_markdown(header: Sequence[str], rows: Iterable[Sequence[Cell]], right: Sequence[int] = ()) -> str:
    return markdown_head(header, right) + markdown_rows(rows)


def _lower(flag: bool) -> str:
    return "yes" if flag else ""


BREAKDOWN_CSV_HEADER = (
    "village",
    "code",
    "project",
    "line",
    "kind",
    "funders",
    "form",
    "budget",
    "pledged",
    "received",
    "spent",
    "gap",
    "outstanding",
    "share",
    "lower_bound",
)


def _figures_row(
    where: tuple[str | None, str | None, str, str],
    figures: tuple[Amount | None, Amount | None, Amount | None, Amount | None],
    gap: Amount | None,
    unit: str,
) -> Sequence[Cell]:
    """The CSV row of a project or of the totals, with no funder columns.

    `where` is (village, code, project, line); `figures` (budget, pledged, received, spent) and `gap`
    go in `unit`; lower_bound says whether one of the four figures (not the gap) is a lower bound.
    """
    return (
        *where,
        None,
        None,
        None,
        *(money_cell(a, unit) for a in figures),
        money_cell(gap, unit),
        None,
        None,
        _lower(any(a is not None and a.at_least for a in figures)),
    )


def breakdown_rows(projects: Iterable[ProjectBreakdown], unit: str) -> Iterator[Sequence[Cell]]:
    """One CSV row per project, then one per funder line of it; amounts as numbers in `unit`."""
    for b in projects:
        p = b.project
        yield _figures_row(
            (p.village, p.code, p.name, "project"), (p.budget, b.pledged, b.received, b.spent), b.gap, unit
        )
        for ln in b.by_funder:
            yield (
                p.village,
                p.code,
                p.name,
                "levy" if ln.levy else "funder",
                ln.kind,
                "、".join(ln.funders),
                ln.form,
                None,
                money_cell(ln.pledged, unit),
                money_cell(ln.received, unit),
                None,
                None,
                money_cell(ln.outstanding, unit),
                format_share(ln.share),
                _lower(ln.pledged.at_least or ln.received.at_least),
            )


def breakdown_total_row(t: Totals, unit: str) -> Sequence[Cell]:
    return _figures_row((None, None, "TOTAL", "totals"), (t.budget, t.pledged, t.received, t.spent), None, unit)


def breakdown_csv_header(unit: str) -> list[str]:
    return [f"{h} ({unit})" if h in _MONEY_COLUMNS else h for h in BREAKDOWN_CSV_HEADER]


def breakdown_csv(report: Breakdown, unit: str) -> str:
    """One row per project, then one per funder line of it, then the totals; amounts as numbers in `unit`."""
    rows = itertools.chain(breakdown_rows(report.projects, unit), [breakdown_total_row(report.totals, unit)])
    return to_csv(breakdown_csv_header(unit), rows)


_MONEY_COLUMNS = {"budget", "pledged", "received", "spent", "gap", "outstanding"}


def breakdown_md_head(as_of: dt.date, unit: str, language: str) -> str:
    L = lambda key: label(language, key)  # noqa: E731
    header = [L(key) for key in PROJECT_COLUMNS]
    return (
        f"# {L('title.breakdown')}\n\n"
        f"{L('word.as_of')} {as_of.isoformat()} · {L('word.unit')}: {unit}\n\n" + markdown_head(header, range(3, 8))
    )


def breakdown_md_summary(projects: Iterable[ProjectBreakdown], unit: str, language: str) -> str:
    L = lambda key: label(language, key)  # noqa: E731
    n = lambda a: "" if a is None else format_number(a, unit)  # noqa: E731
    return markdown_rows(
        [
            b.project.code,
            b.project.name,
            L(f"status.{b.project.status}"),
            n(b.budget),
            n(b.pledged),
            n(b.received),
            n(b.spent),
            n(b.gap),
        ]
        for b in projects
    )


def breakdown_md_totals(t: Totals, unit: str, language: str) -> str:
    n = lambda a: format_number(a, unit)  # noqa: E731
    title = f"**{label(language, 'title.totals')}**"
    return markdown_rows([["", title, "", n(t.budget), n(t.pledged), n(t.received), n(t.spent), ""]])


PROJECT_COLUMNS = (
    "col.code",
    "col.project",
    "col.status",
    "col.budget",
    "col.pledged",
    "col.received",
    "col.spent",
    "col.gap",
)
"""Labels of the columns of the project summary, in the Markdown report, the workbook and the table."""

FUNDER_LINE_COLUMNS = (
    "col.kind",
    "col.funders",
    "col.form",
    "col.pledged",
    "col.share",
    "col.received",
    "col.outstanding",
)
"""Labels of the columns of a project's funder lines, in the Markdown report and the workbook."""


def breakdown_md_sections(
    projects: Iterable[ProjectBreakdown], unit: str, language: str, kind_name: Callable[[str], str]
) -> str:
    """Each project's funders with their shares."""
    L = lambda key: label(language, key)  # noqa: E731
    n = lambda a: "" if a is None else format_number(a, unit)  # noqa: E731
    header = [L(key) for key in FUNDER_LINE_COLUMNS]
    out = []
    for b in projects:
        if not b.by_funder and not b.in_kind:
            continue
        out.append(f"\n## {one_line(b.project.name)} ({one_line(b.project.code)})\n\n")
        rows = [
            [
                kind_name(ln.kind),
                funder_label(ln, language),
                L(f"form.{ln.form}"),
                L("word.unvalued") if ln.only_unvalued else n(ln.pledged),
                format_percent(ln.share),
                n(ln.received),
                n(ln.outstanding) if ln.expects_receipts else "",
            ]
            for ln in b.by_funder
        ]
        out.append(to_markdown(header, rows, right=(3, 4, 5, 6)))
    return "".join(out)


def breakdown_markdown(report: Breakdown, unit: str, language: str, kind_name: Any) -> str:
    """The breakdown as Markdown: a summary table, then each project's funders with their shares."""
    return (
        breakdown_md_head(report.as_of, unit, language)
        + breakdown_md_summary(report.projects, unit, language)
        + breakdown_md_totals(report.totals, unit, language)
        + breakdown_md_sections(report.projects, unit, language, kind_name)
    )


def funder_label(line: FunderLine, language: str) -> str:
    """Funders of a line as people read them: joint groups and levies marked."""
    text = label(language, "sep").join(line.funders)
    if line.joint:
        text += label(language, "word.joint")
    if not line.pledged_any:
        text += label(language, "word.unpledged")
    if line.levy is not None:
        text += " " + label(language, "word.levy").format(
            per=format_amount(line.levy.per_household),
            households=line.levy.households,
        )
    return text


QUOTA_COLUMNS = (
    "village",
    "name",
    "kind",
    "quota",
    "management_quota",
    "registered",
    "registered_management",
    "declared",
    "declared_management",
    "declared_on",
    "shortfall",
    "status",
)


def _quota_row(ln: Any) -> list[Cell]:
    e = ln.fact
    return [
        e.village,
        e.name,
        e.kind,
        e.quota,
        e.management_quota,
        e.registered,
        e.registered_management,
        e.declared,
        e.declared_management,
        e.declared_on.isoformat() if e.declared_on else None,
        ln.shortfall,
        ln.status,
    ]


def quota_rows(report: QuotaReport) -> Iterator[list[Cell]]:
    return (_quota_row(ln) for ln in report.lines)


def quotas_csv(report: QuotaReport) -> str:
    return to_csv(QUOTA_COLUMNS, quota_rows(report))


def quotas_markdown(report: QuotaReport, language: str) -> str:
    L = lambda key: label(language, key)  # noqa: E731
    header = [
        L("col.enterprise"),
        L("col.enterprise_kind"),
        L("col.quota"),
        L("col.registered"),
        L("col.declared"),
        L("col.declared_on"),
        L("col.shortfall"),
        L("col.status"),
    ]
    rows = [
        [
            ln.fact.name,
            L(f"enterprise.{ln.fact.kind}"),
            ln.fact.quota,
            ln.fact.registered,
            ln.fact.declared,
            ln.fact.declared_on.isoformat() if ln.fact.declared_on else None,
            ln.shortfall,
            L(f"quota.{ln.status}"),
        ]
        for ln in report.lines
    ]
    t = report.totals
    rows.append(
        [
            f"**{L('title.totals')}**",
            "",
            t.quota,
            t.registered,
            None,
            None,
            t.shortfall,
            f"{L('quota.met')} {t.met} · {L('quota.short')} {t.short} · {L('quota.no_data')} {t.no_data}",
        ]
    )
    return f"# {L('title.quotas')}\n\n{L('word.as_of')} {report.as_of.isoformat()}\n\n" + to_markdown(
        header, rows, right=(2, 3, 4, 6)
    )


FINDING_COLUMNS = ("village", "severity", "code", "subject", "amount_yuan", "lower_bound", "count", "message")


def finding_rows(findings: Iterable[Any]) -> Iterator[list[Cell]]:
    for f in findings:
        yield [
            f.village,
            f.severity,
            f.code,
            f.subject,
            money_cell(f.amount, "元"),
            _lower(bool(f.amount and f.amount.at_least)),
            f.count,
            f.message,
        ]


def reconcile_csv(rec: Reconciliation) -> str:
    return to_csv(FINDING_COLUMNS, finding_rows(rec.findings))


def findings_md_head(as_of: dt.date, ok: bool, counts: dict[str, int], language: str) -> str:
    L = lambda key: label(language, key)  # noqa: E731
    return (
        f"# {L('title.findings')}\n\n{L('word.as_of')} {as_of.isoformat()} · "
        f"{L('severity.error')} {counts['error']} · {L('severity.warning')} {counts['warning']} · "
        f"{L('severity.info')} {counts['info']} · {L('word.ok') if ok else L('word.not_ok')}\n\n"
        + markdown_head([L("col.severity"), L("col.finding"), L("col.subject"), L("col.message")])
    )


def findings_md_rows(findings: Iterable[Any], language: str) -> str:
    return markdown_rows([label(language, f"severity.{f.severity}"), f.code, f.subject, f.message] for f in findings)


def reconcile_markdown(rec: Reconciliation, language: str) -> str:
    return findings_md_head(rec.as_of, rec.ok, rec.counts(), language) + findings_md_rows(rec.findings, language)
