"""The levy roll as JSON (the spec's shape), CSV, Markdown and a workbook sheet; amounts in yuan.

With `only_unpaid`, each levy lists only its unpaid and partial households (unpaid first); its counts
and totals stay those of the whole roll."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from fundtrack.io.office import Sheet
from fundtrack.io.reports import Cell, csv_lines, markdown_head, markdown_rows
from fundtrack.ledger.levies import LevyReport, LevyRoll, RollLine
from fundtrack.ledger.messages import label
from fundtrack.ledger.money import Amount, format_amount, money_cell, money_json

UNIT = "元"
"""A levy is a few hundred yuan a household: its roll is written in yuan whatever the display unit."""

COLUMNS = (
    "col.project",
    "col.levy_funder",
    "col.household",
    "col.head",
    "col.settlement",
    "col.expected",
    "col.paid",
    "col.owed",
    "col.status",
)
MONEY = (5, 6, 7)
CODES = ("project", "levy_funder", "household", "head", "settlement", "expected", "paid", "outstanding", "status")
"""The spec's column names, as `--codes` writes them for scripts."""


def shown(levy: LevyRoll, only_unpaid: bool) -> tuple[RollLine, ...]:
    """The lines a report lists: every one, or the unpaid and partial ones, unpaid first."""
    if not only_unpaid:
        return levy.roll
    return tuple(ln for ln in levy.unpaid_first() if ln.status in ("unpaid", "partial"))


def levy_json(levy: LevyRoll, only_unpaid: bool = False) -> dict[str, Any]:
    return {
        "village": levy.village,
        "project": levy.project,
        "funder": levy.funder,
        "per_household": money_json(levy.per_household),
        "households": levy.households,
        "roll": [
            {
                "household": ln.household,
                "head": ln.head,
                "settlement": ln.settlement,
                "expected": money_json(ln.expected),
                "paid": money_json(ln.paid),
                "outstanding": money_json(ln.outstanding),
                "status": ln.status,
            }
            for ln in shown(levy, only_unpaid)
        ],
        "counts": levy.counts,
        "from_register": levy.from_register,
        "expected": money_json(levy.expected),
        "paid": money_json(levy.paid),
        "outstanding": money_json(levy.outstanding),
        "unassigned": money_json(levy.unassigned),
    }


def report_json(report: LevyReport, only_unpaid: bool = False) -> dict[str, Any]:
    return {"as_of": report.as_of.isoformat(), "levies": [levy_json(lv, only_unpaid) for lv in report.levies]}


def header(language: str) -> list[str]:
    return [label(language, key) for key in COLUMNS]


def _yuan(amount: Amount) -> Cell:
    return money_cell(amount, UNIT)


def counts_text(levy: LevyRoll, language: str) -> str:
    return label(language, "word.levy_counts").format(**levy.counts)


def levy_rows(levy: LevyRoll, language: str, only_unpaid: bool = False, codes: bool = False) -> Iterator[list[Any]]:
    """One row per household shown, then the levy's totals with its counts; amounts as Amount. With
    `codes`, statuses are their codes and the totals row is `totals` with `status=count` pairs."""
    for ln in shown(levy, only_unpaid):
        yield [
            levy.project,
            levy.funder,
            ln.household,
            ln.head,
            ln.settlement,
            ln.expected,
            ln.paid,
            ln.outstanding,
            ln.status if codes else label(language, f"levy.{ln.status}"),
        ]
    yield [
        levy.project,
        levy.funder,
        # listing only the unpaid, the totals are still the whole roll's: the label says so
        "totals" if codes else label(language, "title.totals_roll" if only_unpaid else "title.totals"),
        None,
        None,
        levy.expected,
        levy.paid,
        levy.outstanding,
        " ".join(f"{k}={v}" for k, v in levy.counts.items()) if codes else counts_text(levy, language),
    ]


def _cells(row: Sequence[Any]) -> list[Cell]:
    return [_yuan(v) if isinstance(v, Amount) else v for v in row]


def csv_part(report: LevyReport, language: str, only_unpaid: bool = False, codes: bool = False) -> str:
    return csv_lines(_cells(row) for lv in report.levies for row in levy_rows(lv, language, only_unpaid, codes))


def csv_head(language: str, codes: bool = False) -> str:
    if codes:
        return "\ufeff" + csv_lines([list(CODES)])
    return "\ufeff" + csv_lines([[f"{h}({UNIT})" if i in MONEY else h for i, h in enumerate(header(language))]])


def md_head(as_of: dt.date, language: str, only_unpaid: bool = False) -> str:
    title = label(language, "title.levies_unpaid" if only_unpaid else "title.levies")
    return f"# {title}\n\n{label(language, 'word.as_of')} {as_of.isoformat()} · {label(language, 'word.unit')} {UNIT}\n"


def levy_title(levy: LevyRoll, language: str) -> str:
    return label(language, "word.levy_roll").format(
        project=levy.project_name,
        code=levy.project,
        funder=levy.funder,
        per=format_amount(levy.per_household, UNIT),
        households=levy.households,
        roll=len(levy.roll),
    )


def md_part(report: LevyReport, language: str, only_unpaid: bool = False) -> str:
    out = []
    for lv in report.levies:
        rows = [
            [_md_money(v) if isinstance(v, Amount) else v for v in row[2:]]
            for row in levy_rows(lv, language, only_unpaid)
        ]
        text = f"\n## {levy_title(lv, language)}\n\n"
        text += markdown_head(header(language)[2:], right=(3, 4, 5)) + markdown_rows(rows)
        if lv.unassigned.fen:
            text += "\n" + label(language, "word.unassigned").format(amount=format_amount(lv.unassigned, UNIT)) + "\n"
        out.append(text)
    return "".join(out)


def _md_money(amount: Amount) -> str:
    return format_amount(amount, UNIT)


def sheet(report: LevyReport, language: str, only_unpaid: bool = False, codes: bool = False) -> Sheet:
    """The roll as one sheet: in `language`'s words, or with `codes` under the spec's column names as CSV."""
    rows: Iterable[Sequence[Any]] = [row for lv in report.levies for row in levy_rows(lv, language, only_unpaid, codes)]
    if codes:
        return Sheet("levies", list(CODES), rows, unit=UNIT)
    title = label(language, "title.levies_unpaid" if only_unpaid else "title.levies")
    return Sheet(title, header(language), rows, unit=UNIT)
