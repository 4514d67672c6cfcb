"""Every reconcile finding and breakdown rule, each with a small inline document, on both backends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from fundtrack import service
from fundtrack.io.config import Config
from fundtrack.ledger.facts import counts_on
from fundtrack.ledger.money import Amount
from fundtrack.ledger.reconcile import Finding, ReconcileOptions
from fundtrack.storage import queries
from tests.conftest import SAMPLE, load_doc

AS_OF = dt.date(2024, 12, 31)
WAN = 1_000_000

BASE = """
[[funders]]
name = "县财政"
kind = "local_finance"
[[funders]]
name = "甲矿"
kind = "enterprise"
[[funders]]
name = "乙矿"
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


def run(as_of: dt.date = AS_OF, language: str = "en", strict: bool = False):
    scope = service.Scope(as_of)
    return service.load_breakdown(scope), service.load_reconciliation(scope, ReconcileOptions(language, "万元"), strict)


def found(rec, code: str) -> list[Finding]:
    return [f for f in rec.findings if f.code == code]


def test_budget_gap_and_shares(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        BASE
        + """
        [[pledges]]
        project = "p"
        funder = "县财政"
        amount = "37.4万"
    """,
    )
    bd, rec = run()
    p = bd.projects[0]
    assert p.gap == Amount(62_600_000)
    assert p.by_funder[0].share == Decimal("0.3740")
    (f,) = found(rec, "budget_gap")
    assert (f.subject, f.severity, f.amount) == ("p", "warning", Amount(62 * WAN + 600_000))
    assert "gap 62.6万" in f.message
    assert rec.ok


def test_over_pledged(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        BASE
        + """
        [[pledges]]
        project = "p"
        funder = "县财政"
        amount = "120万"
    """,
    )
    _, rec = run()
    (f,) = found(rec, "over_pledged")
    assert f.amount == Amount(20 * WAN)
    assert not found(rec, "budget_gap")


def test_receipts_fill_own_pledge_then_joint_group(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        BASE
        + """
        [[pledges]]
        project = "p"
        funder = "甲矿"
        amount = "10万"
        [[pledges]]
        project = "p"
        funders = ["甲矿", "乙矿"]
        amount = "50万"
        [[receipts]]
        project = "p"
        funder = "甲矿"
        amount = "25万"
        date = 2024-03-01
        [[receipts]]
        project = "p"
        funder = "乙矿"
        amount = "20万"
        date = 2024-03-02
    """,
    )
    bd, rec = run()
    lines = {(ln.funders, ln.joint): ln for ln in bd.projects[0].by_funder}
    assert lines[(("甲矿",), False)].received == Amount(10 * WAN)
    assert lines[(("甲矿", "乙矿"), True)].received == Amount(35 * WAN)
    (f,) = found(rec, "arrears")
    assert (f.funders, f.amount) == (("甲矿", "乙矿"), Amount(15 * WAN))
    assert not found(rec, "over_received") and not found(rec, "unpledged_receipt")


def test_over_received_on_own_pledge(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        BASE
        + """
        [[pledges]]
        project = "p"
        funder = "县财政"
        amount = "10万"
        [[receipts]]
        project = "p"
        funder = "县财政"
        amount = "12万"
        date = 2024-03-01
    """,
    )
    _, rec = run()
    (f,) = found(rec, "over_received")
    assert (f.funders, f.amount) == (("县财政",), Amount(2 * WAN))


def test_unpledged_receipt_is_an_error(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        BASE
        + """
        [[receipts]]
        project = "p"
        funder = "乙矿"
        amount = "5万"
        date = 2024-03-01
    """,
    )
    bd, rec = run()
    (f,) = found(rec, "unpledged_receipt")
    assert (f.severity, f.amount, f.funders) == ("error", Amount(5 * WAN), ("乙矿",))
    assert bd.projects[0].received == Amount(5 * WAN)
    assert bd.projects[0].pledged == Amount(0)
    assert not rec.ok


def test_levy_arrears_counts_households_unpaid(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        BASE
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
    """,
    )
    bd, rec = run()
    (f,) = found(rec, "levy_arrears")
    assert (f.amount, f.count) == (Amount(3 * WAN), 2)
    line = next(ln for ln in bd.projects[0].by_funder if ln.levy)
    assert (line.pledged, line.received, line.households_paid) == (Amount(6 * WAN), Amount(3 * WAN), 1)
    assert not found(rec, "arrears")


def test_levy_count_unknown_when_receipts_do_not_name_households(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        BASE
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
    """,
    )
    _, rec = run()
    (f,) = found(rec, "levy_arrears")
    assert (f.amount, f.count) == (Amount(4 * WAN), None)


def test_in_kind_valued_counts_and_unvalued_is_info(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        BASE
        + """
        [[pledges]]
        project = "p"
        funder = "村民"
        form = "land"
        amount = "30万"
        quantity = "5亩"
        [[pledges]]
        project = "p"
        funder = "村民"
        form = "labour"
        [[pledges]]
        project = "p"
        funder = "甲矿"
        form = "machinery"
        quantity = "挖掘机"
    """,
    )
    bd, rec = run()
    p = bd.projects[0]
    assert p.pledged == Amount(30 * WAN)
    assert p.gap == Amount(70 * WAN)
    assert not found(rec, "arrears")  # no receipt is expected for in-kind
    unvalued = found(rec, "unvalued_in_kind")
    assert [(f.funders, f.severity) for f in unvalued] == [(("村民",), "info"), (("甲矿",), "info")]
    assert "machinery(挖掘机)" in unvalued[1].message
    assert [(k.form, k.amount is not None) for k in p.in_kind] == [
        ("land", True),
        ("labour", False),
        ("machinery", False),
    ]


def test_lower_bound_travels_into_totals(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        BASE.replace('budget = "100万"', 'budget = "400余万"')
        + """
        [[pledges]]
        project = "p"
        funder = "甲矿"
        amount = "60余万"
    """,
    )
    bd, rec = run()
    p = bd.projects[0]
    assert p.pledged == Amount(60 * WAN, True)
    assert p.gap == Amount(340 * WAN, True)
    assert bd.totals.budget.at_least
    (f,) = found(rec, "lower_bound")
    assert f.severity == "info" and "budget, pledged" in f.message


def test_overspent_and_over_budget(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        BASE
        + """
        [[pledges]]
        project = "p"
        funder = "县财政"
        amount = "100万"
        [[receipts]]
        project = "p"
        funder = "县财政"
        amount = "100万"
        date = 2024-02-01
        [[expenses]]
        project = "p"
        amount = "110万"
        date = 2024-03-01
        item = "工程款"
    """,
    )
    _, rec = run()
    assert [f.amount for f in found(rec, "overspent")] == [Amount(10 * WAN)]
    assert [f.amount for f in found(rec, "over_budget")] == [Amount(10 * WAN)]
    assert not rec.ok


def test_as_of_leaves_out_later_records(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        BASE
        + """
        [[expenses]]
        project = "p"
        amount = "1万"
        date = 2025-03-01
        item = "后来的支出"
    """,
    )
    _, rec = run(as_of=dt.date(2025, 1, 1))
    assert not found(rec, "overspent")
    _, rec = run(as_of=dt.date(2025, 3, 1))
    assert found(rec, "overspent")


HIRES = """
[[enterprises]]
name = "丙矿"
kind = "private_mine"
hiring_quota = 3
management_quota = 1
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
"""


def test_hire_ending_on_the_as_of_date_is_not_counted(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(tmp_path, config, HIRES)
    quotas = service.load_quotas(service.Scope(dt.date(2024, 6, 30)))
    (ln,) = quotas.lines
    assert (ln.fact.registered, ln.fact.registered_management, ln.shortfall, ln.status) == (1, 0, 2, "short")
    quotas = service.load_quotas(service.Scope(dt.date(2024, 6, 29)))
    assert quotas.lines[0].fact.registered == 2
    _, rec = run(as_of=dt.date(2024, 6, 30))
    assert [f.count for f in found(rec, "quota_shortfall")] == [2]
    assert [f.count for f in found(rec, "management_shortfall")] == [1]


def test_headcount_mismatch_uses_the_roster_on_the_declaration_date(
    backend: str, config: Config, tmp_path: Path
) -> None:
    load_doc(
        tmp_path,
        config,
        HIRES
        + """
        [[headcounts]]
        enterprise = "丙矿"
        date = 2024-03-31
        local_workers = 2
        [[headcounts]]
        enterprise = "丙矿"
        date = 2024-09-30
        local_workers = 5
        management = 1
    """,
    )
    _, rec = run(as_of=dt.date(2024, 6, 30))
    assert not found(rec, "headcount_mismatch")  # 2024-03-31: 2 declared, 2 on the roster
    _, rec = run(as_of=dt.date(2024, 12, 31))
    (f,) = found(rec, "headcount_mismatch")
    assert (f.subject, f.count) == ("丙矿", 3)  # 2024-09-30: 5 declared, 2 on the roster (甲, 丙)
    quotas = service.load_quotas(service.Scope(dt.date(2024, 12, 31)))
    assert (quotas.lines[0].fact.declared, quotas.lines[0].fact.declared_on) == (5, dt.date(2024, 9, 30))


def test_no_data_enterprise_has_no_shortfall_finding(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(tmp_path, config, '[[enterprises]]\nname = "丁矿"\nkind = "processing"\n')
    quotas = service.load_quotas(service.Scope(AS_OF))
    assert quotas.lines[0].status == "no_data" and quotas.lines[0].shortfall == 100
    _, rec = run()
    assert not found(rec, "quota_shortfall")


def test_milestone_overdue(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        BASE
        + """
        [[milestones]]
        project = "p"
        name = "路基"
        status = "doing"
        due = 2024-06-30
        [[milestones]]
        project = "p"
        name = "验收"
        status = "done"
        due = 2024-01-01
    """,
    )
    _, rec = run(as_of=dt.date(2024, 6, 30))
    assert not found(rec, "milestone_overdue")
    _, rec = run(as_of=dt.date(2024, 7, 1))
    (f,) = found(rec, "milestone_overdue")
    assert "路基" in f.message and f.subject == "p"


def test_strict_fails_on_warnings(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(tmp_path, config, BASE)
    _, rec = run(strict=False)
    assert rec.ok and found(rec, "budget_gap")
    _, rec = run(strict=True)
    assert not rec.ok


def test_sample_breakdown_shows_the_seed_figures(backend: str, config: Config) -> None:
    from fundtrack.service.importing import import_files

    import_files([str(SAMPLE[0])], config.import_options)
    bd, rec = run(language="zh")
    by_code = {b.project.code: b for b in bd.projects}
    housing = by_code["housing-1"]
    assert housing.budget == Amount(2_914_250_000)
    shares = {ln.funders: ln.share for ln in housing.by_funder}
    assert shares[("上级拨款",)] == Decimal("0.3740")
    assert shares[("打厂沟煤矿", "大炭沟煤矿", "小河沟煤矿", "打磨冲煤矿", "xx省兴云煤矿")] == Decimal("0.5490")
    levy = next(ln for ln in housing.by_funder if ln.levy)
    assert levy.pledged == Amount(626 * WAN)
    over = next(f for f in found(rec, "over_pledged") if f.subject == "housing-1")
    assert over.amount == Amount(401_750_000)
    assert "401.75万" in over.message
    school = next(f for f in found(rec, "budget_gap") if f.subject == "minzu-school")
    assert school.amount == Amount(3247 * WAN)
    assert by_code["guihua-reservoir"].spent == Amount(30 * WAN)
    assert by_code["wanxiao-building"].budget == Amount(400 * WAN, True)
    assert by_code["minority-primary-schools"].children == ["xinhua-primary", "xinzhai-primary"]


def test_the_dashboards_quick_totals_equal_the_breakdown(backend: str, config: Config) -> None:
    from fundtrack.ledger.breakdown import totals_only
    from fundtrack.service.importing import import_files
    from fundtrack.storage.aggregates import project_totals

    import_files([str(p) for p in SAMPLE], config.import_options)
    for as_of in (dt.date(2024, 1, 1), dt.date(2025, 6, 30)):
        full = service.load_breakdown(service.Scope(as_of))
        quick = totals_only(as_of, project_totals(as_of))
        assert [(b.project.code, b.pledged, b.received, b.spent, b.gap) for b in quick.projects] == [
            (b.project.code, b.pledged, b.received, b.spent, b.gap) for b in full.projects
        ]
        assert quick.totals == full.totals


def test_funder_totals_sum_own_lines_over_projects(backend: str, config: Config, tmp_path: Path) -> None:
    from fundtrack.ledger.breakdown import funder_totals

    load_doc(
        tmp_path,
        config,
        BASE
        + """
        [[projects]]
        code = "q"
        name = "二期"
        category = "road"
        status = "building"
        [[pledges]]
        project = "p"
        funder = "甲矿"
        amount = "10万"
        [[pledges]]
        project = "q"
        funder = "甲矿"
        amount = "5余万"
        [[pledges]]
        project = "p"
        funders = ["甲矿", "乙矿"]
        amount = "50万"
        [[pledges]]
        project = "q"
        funder = "县财政"
        amount = "30万"
        [[receipts]]
        project = "p"
        funder = "甲矿"
        amount = "12万"
        date = 2024-03-01
        [[receipts]]
        project = "q"
        funder = "县财政"
        amount = "30万"
        date = 2024-03-01
    """,
    )
    bd, _ = run()
    totals = {t.name: t for t in funder_totals(bd)}
    jia = totals["甲矿"]
    # Its own lines on both projects; the joint group's 50万 stays with the group.
    assert (jia.projects, jia.joint) == (2, 1)
    assert jia.pledged == Amount(15 * WAN, True)
    assert jia.received == Amount(10 * WAN)  # 2万 of the 12万 went on to the joint group
    assert jia.outstanding == Amount(5 * WAN, True)
    yi = totals["乙矿"]
    assert (yi.projects, yi.joint, yi.pledged, yi.outstanding) == (1, 1, Amount(0), Amount(0))
    county = totals["县财政"]
    assert (county.kind, county.received, county.outstanding) == ("local_finance", Amount(30 * WAN), Amount(0))
    # The most still to come first.
    assert [t.name for t in funder_totals(bd)][0] == "甲矿"


def test_what_counts_on_the_as_of_date(backend: str, config: Config, tmp_path: Path) -> None:
    """Receipts, expenses and dated pledges count up to as_of; undated pledges and levies always count."""
    load_doc(
        tmp_path,
        config,
        BASE
        + """
        [[pledges]]
        project = "p"
        funder = "县财政"
        amount = "10万"
        date = 2024-12-31
        [[pledges]]
        project = "p"
        funder = "县财政"
        amount = "20万"
        date = 2025-01-01
        [[pledges]]
        project = "p"
        funder = "甲矿"
        amount = "40万"
        [[levies]]
        project = "p"
        funder = "村民"
        per_household = "1万"
        households = 3
        [[receipts]]
        project = "p"
        funder = "县财政"
        amount = "5万"
        date = 2024-12-31
        [[receipts]]
        project = "p"
        funder = "县财政"
        amount = "7万"
        date = 2025-01-01
        [[expenses]]
        project = "p"
        amount = "1万"
        date = 2024-06-01
        item = "测量"
        [[expenses]]
        project = "p"
        amount = "2万"
        date = 2025-06-01
        item = "工程款"
    """,
    )
    assert counts_on(AS_OF, AS_OF) and counts_on(None, AS_OF)
    assert not counts_on(AS_OF + dt.timedelta(days=1), AS_OF)
    # The breakdown (summed in SQL) counts exactly the records the rule keeps.
    village = queries.villages()[0].id
    recs = queries.records(village)
    pledged = sum(p["amount"].fen for p in recs["pledges"] if counts_on(p.get("date"), AS_OF))
    pledged += sum(lv["per_household"].fen * lv["households"] for lv in recs["levies"])
    received = sum(r["amount"].fen for r in recs["receipts"] if counts_on(r["date"], AS_OF))
    spent = sum(x["amount"].fen for x in recs["expenses"] if counts_on(x["date"], AS_OF))
    assert (pledged, received, spent) == (53 * WAN, 5 * WAN, 1 * WAN)
    bd, _ = run()
    p = bd.projects[0]
    assert (p.pledged, p.received, p.spent) == (Amount(pledged), Amount(received), Amount(spent))
