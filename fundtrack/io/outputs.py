"""One place that turns a report into a file's contents, for the command line and the app alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fundtrack.io import office, reports

FILE_FORMATS = ("md", "csv", "json", "xlsx")


def render(what: str, fmt: str, report: Any, unit: str, language: str, kind_name: Callable[[str], str]) -> str | bytes:
    """`report` (a Breakdown, QuotaReport or Reconciliation, per `what`) as md, csv, json or xlsx."""
    if what == "breakdown":
        makers: dict[str, Callable[[], str | bytes]] = {
            "md": lambda: reports.breakdown_markdown(report, unit, language, kind_name),
            "csv": lambda: reports.breakdown_csv(report, unit),
            "json": lambda: reports.dumps(reports.breakdown_json(report)),
            "xlsx": lambda: office.workbook(office.breakdown_sheets(report, unit, language, kind_name)),
        }
    elif what == "quotas":
        makers = {
            "md": lambda: reports.quotas_markdown(report, language),
            "csv": lambda: reports.quotas_csv(report),
            "json": lambda: reports.dumps(reports.quotas_json(report)),
            "xlsx": lambda: office.workbook([office.quotas_sheet(report, language)]),
        }
    else:
        makers = {
            "md": lambda: reports.reconcile_markdown(report, language),
            "csv": lambda: reports.reconcile_csv(report),
            "json": lambda: reports.dumps(reports.reconcile_json(report)),
            "xlsx": lambda: office.workbook([office.findings_sheet(report, language, unit)]),
        }
    return makers[fmt]()
