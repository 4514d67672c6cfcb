"""How lists are ordered for people: findings errors first, names with numbers in natural order."""

from __future__ import annotations

import datetime as dt
import json

from fundtrack.ledger.facts import EnterpriseFact, LevyFact, ProjectFact
from fundtrack.ledger.levies import HouseholdFact, levy_roll
from fundtrack.ledger.money import Amount
from fundtrack.ledger.names import natural_key, natural_sorted
from fundtrack.ledger.quotas import build_quotas, worst_first
from fundtrack.ledger.reconcile import Finding, Reconciliation, by_severity

# -- findings: errors, warnings, infos; the checks' order within each -----------------------------


def _finding(code: str, severity: str, subject: str) -> Finding:
    return Finding(code, severity, subject, f"{subject}: {code}", "某村")


FINDINGS = (
    _finding("budget_gap", "warning", "a"),
    _finding("lower_bound", "info", "b"),
    _finding("overspent", "error", "c"),
    _finding("arrears", "warning", "d"),
    _finding("unvalued_in_kind", "info", "e"),
    _finding("over_budget", "error", "f"),
)


def test_findings_are_listed_errors_first_then_in_the_checks_order() -> None:
    assert [f.subject for f in by_severity(FINDINGS)] == ["c", "f", "a", "d", "b", "e"]


def test_the_findings_table_lists_errors_first_and_json_keeps_the_checks_order() -> None:
    from io import StringIO

    from rich.console import Console

    from fundtrack.cli.render import build_findings_table
    from fundtrack.io import reports

    rec = Reconciliation(dt.date(2025, 1, 1), FINDINGS)
    out = StringIO()
    Console(file=out, width=100, color_system=None).print(build_findings_table(rec, "en"))
    shown = [line.split("│")[2].strip().split(":")[0] for line in out.getvalue().splitlines() if line.startswith("│")]
    assert shown == ["c", "f", "a", "d", "b", "e"]
    listed = json.loads(json.dumps([reports.finding_json(f) for f in rec.findings], default=str))
    assert [f["subject"] for f in listed] == ["a", "b", "c", "d", "e", "f"]


# -- names with numbers ----------------------------------------------------------------------------


def test_numbers_in_names_sort_as_numbers() -> None:
    assert natural_sorted(["10号煤矿", "2号煤矿", "1号煤矿", "煤矿"]) == ["1号煤矿", "2号煤矿", "10号煤矿", "煤矿"]
    assert natural_sorted(["1-10", "2-1", "1-2", "1-1"]) == ["1-1", "1-2", "1-10", "2-1"]
    assert natural_sorted(["私营煤矿10", "私营煤矿9"]) == ["私营煤矿9", "私营煤矿10"]


def test_full_width_digits_count_and_equal_numbers_keep_one_order() -> None:
    assert natural_sorted(["１２号", "3号"]) == ["3号", "１２号"]
    assert natural_sorted(["2号", "02号"]) == natural_sorted(["02号", "2号"]) == ["02号", "2号"]


def test_a_name_of_thousands_of_digits_is_still_sorted() -> None:
    long = "9" * 5000
    assert natural_sorted([long, "8"]) == ["8", long]
    assert natural_key(long) != natural_key("9" * 4999)


def _enterprise(name: str, registered: int) -> EnterpriseFact:
    return EnterpriseFact("某村", name, "coal_mine", 100, 0, registered, 0, True)


def test_enterprises_equally_short_are_listed_in_natural_order() -> None:
    report = build_quotas(dt.date(2025, 1, 1), tuple(_enterprise(n, 0) for n in ("10号煤矿", "2号煤矿", "1号煤矿")))
    assert [ln.fact.name for ln in worst_first(report)] == ["1号煤矿", "2号煤矿", "10号煤矿"]


def test_a_levy_roll_known_from_receipts_lists_households_in_natural_order() -> None:
    project = ProjectFact(1, "某村", "road", "道路", "road", "building", None, None)
    levy = LevyFact(1, "群众", Amount(10000), 3)
    paid = {code: Amount(10000) for code in ("1-10", "1-2", "1-1")}
    roll = levy_roll(project, levy, (), (), paid)
    assert [line.household for line in roll.roll] == ["1-1", "1-2", "1-10"]
    register = (HouseholdFact("1-1", "张三", None, False),)
    roll = levy_roll(project, levy, register, (), paid)  # the register's order first, then the others
    assert [line.household for line in roll.roll] == ["1-1", "1-2", "1-10"]
