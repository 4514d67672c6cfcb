"""The rules the app's screens ask the ledger, each with a small inline document, on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fundtrack import service
from fundtrack.io.config import Config
from fundtrack.ledger.breakdown import funder_lines, paid_in_full
from fundtrack.ledger.facts import counts_on, hire_active, next_milestones
from fundtrack.ledger.money import Amount, total
from fundtrack.ledger.reconcile import ReconcileOptions, about_enterprise, about_project
from fundtrack.storage import models as m
from fundtrack.storage import queries
from tests.conftest import load_doc

AS_OF = dt.date(2024, 12, 31)

PROJECT = """
[[funders]]
name = "县财政"
kind = "local_finance"
[[funders]]
name = "甲矿"
kind = "enterprise"
[[funders]]
name = "村民"
kind = "villagers"
[[projects]]
code = "p"
name = "工程"
category = "road"
status = "building"
budget = "100万"
"""


def ledger(as_of: dt.date = AS_OF) -> service.Ledger:
    return service.load_ledger(service.Scope(as_of), ReconcileOptions("en", "万元"))


def test_hire_active_agrees_with_the_registered_count(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        """
        [[enterprises]]
        name = "丙矿"
        kind = "private_mine"
        hiring_quota = 3
        [[hires]]
        enterprise = "丙矿"
        person = "甲"
        role = "worker"
        start = 2024-01-01
        [[hires]]
        enterprise = "丙矿"
        person = "乙"
        role = "worker"
        start = 2024-01-01
        end = 2024-06-30
        [[hires]]
        enterprise = "丙矿"
        person = "丙"
        role = "management"
        start = 2024-07-01
        """,
    )
    hires = queries.hires_of(m.Enterprise.get().id)
    for on, names in (
        (dt.date(2023, 12, 31), []),
        (dt.date(2024, 1, 1), ["甲", "乙"]),
        (dt.date(2024, 6, 29), ["甲", "乙"]),
        (dt.date(2024, 6, 30), ["甲"]),  # the end date is the first day gone
        (dt.date(2024, 7, 1), ["甲", "丙"]),
    ):
        active = [h.person for h in hires if hire_active(h.start, h.end, on)]
        assert active == names, on
        assert service.load_quotas(service.Scope(on)).lines[0].fact.registered == len(names)


def test_counts_on_agrees_with_the_breakdown(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        PROJECT
        + """
        [[pledges]]
        project = "p"
        funder = "县财政"
        amount = "50万"
        [[receipts]]
        project = "p"
        funder = "县财政"
        amount = "10万"
        date = 2024-03-01
        [[receipts]]
        project = "p"
        funder = "县财政"
        amount = "20万"
        date = 2024-12-31
        [[receipts]]
        project = "p"
        funder = "县财政"
        amount = "5万"
        date = 2025-01-01
        """,
    )
    assert counts_on(None, AS_OF)  # the undated pledge
    receipts = queries.receipts_of(m.Project.get().id)
    for as_of, fen in ((dt.date(2024, 2, 1), 0), (AS_OF, 30_000_000), (dt.date(2025, 1, 1), 35_000_000)):
        counted = total(r.amount for r in receipts if counts_on(r.date, as_of))
        assert counted == Amount(fen)
        assert ledger(as_of).breakdown.projects[0].received == counted
        assert ledger(as_of).breakdown.projects[0].pledged == Amount(50_000_000)


def test_paid_in_full_agrees_with_households_paid(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        PROJECT
        + """
        [[levies]]
        project = "p"
        funder = "村民"
        per_household = "2万"
        households = 3
        [[receipts]]
        project = "p"
        funder = "村民"
        amount = "2万"
        date = 2024-03-01
        household = "张家"
        [[receipts]]
        project = "p"
        funder = "村民"
        amount = "1万"
        date = 2024-03-01
        household = "李家"
        [[receipts]]
        project = "p"
        funder = "村民"
        amount = "1.5万"
        date = 2024-04-01
        household = "王家"
        [[receipts]]
        project = "p"
        funder = "村民"
        amount = "0.5万"
        date = 2024-05-01
        household = "王家"
        """,
    )
    per = Amount(2_000_000)
    paid = queries.household_payments(m.Project.get().id, "村民")
    assert [(h.household, paid_in_full(h.paid, per)) for h in paid] == [("张家", True), ("李家", False), ("王家", True)]
    (line,) = ledger().breakdown.projects[0].by_funder
    assert line.households_paid == 2


def test_findings_about_an_enterprise_named_like_a_project(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        PROJECT
        + """
        [[enterprises]]
        name = "p"
        kind = "private_mine"
        hiring_quota = 2
        [[hires]]
        enterprise = "p"
        person = "甲"
        role = "worker"
        start = 2024-01-01
        """,
    )
    findings = ledger().reconciliation.findings
    village = findings[0].village
    assert [f.code for f in findings if about_enterprise(f)] == ["quota_shortfall"]
    assert [f.code for f in findings if about_project(f, "p", village)] == ["budget_gap"]
    assert not [f for f in findings if about_project(f, "p", "another village")]


def test_next_milestone_is_the_open_one_due_first(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        PROJECT
        + """
        [[projects]]
        code = "q"
        name = "二期"
        category = "road"
        status = "planned"
        [[milestones]]
        project = "p"
        name = "验收"
        status = "todo"
        [[milestones]]
        project = "p"
        name = "路面"
        status = "doing"
        due = 2025-03-01
        [[milestones]]
        project = "p"
        name = "路基"
        status = "doing"
        due = 2024-06-30
        [[milestones]]
        project = "p"
        name = "开工"
        status = "done"
        due = 2024-01-01
        [[milestones]]
        project = "q"
        name = "立项"
        status = "todo"
        """,
    )
    ids = {p.code: p.id for p in m.Project.select()}
    nxt = next_milestones(ledger().milestones)
    assert {code: nxt[pid].name for code, pid in ids.items()} == {"p": "路基", "q": "立项"}


def test_funder_lines_include_joint_groups_of_its_village(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        PROJECT
        + """
        [[funders]]
        name = "乙矿"
        kind = "enterprise"
        [[pledges]]
        project = "p"
        funder = "甲矿"
        amount = "10万"
        [[pledges]]
        project = "p"
        funders = ["甲矿", "乙矿"]
        amount = "20万"
        [[pledges]]
        project = "p"
        funder = "县财政"
        amount = "30万"
        """,
    )
    bd = ledger().breakdown
    village = bd.projects[0].project.village
    lines = funder_lines(bd, "甲矿", village)
    assert sorted(ln.funders for _, _, ln in lines) == [("甲矿",), ("甲矿", "乙矿")]
    assert all(bd.projects[0].by_funder[n] is ln for _, n, ln in lines)
    assert funder_lines(bd, "甲矿", "another village") == []


def test_a_line_is_only_unvalued_when_no_pledge_on_it_has_a_value(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        PROJECT
        + """
        [[pledges]]
        project = "p"
        funder = "村民"
        form = "labour"
        quantity = "300工日"
        [[pledges]]
        project = "p"
        funder = "甲矿"
        form = "machinery"
        quantity = "挖机 2台"
        [[pledges]]
        project = "p"
        funder = "甲矿"
        form = "machinery"
        amount = "3万"
        """,
    )
    lines = {ln.funders[0]: ln for ln in ledger().breakdown.projects[0].by_funder}
    assert (lines["村民"].unvalued, lines["村民"].only_unvalued) == (1, True)
    assert (lines["甲矿"].unvalued, lines["甲矿"].only_unvalued) == (1, False)
