"""The household register's levy roll and its findings (levy_roll_mismatch, future_dated, lower_bound
for a 余 pledge received beyond its figure), each on a small inline document, on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fundtrack import service
from fundtrack.io.config import Config
from fundtrack.ledger.money import Amount
from fundtrack.ledger.reconcile import ReconcileOptions
from tests.conftest import load_doc

AS_OF = dt.date(2024, 12, 31)
YUAN = 100

VILLAGE = """
[[settlements]]
name = "上寨"
[[settlements]]
name = "下寨"
[[funders]]
name = "村民"
kind = "villagers"
[[projects]]
code = "road"
name = "通组路"
category = "road"
status = "building"
settlements = ["上寨"]
[[projects]]
code = "water"
name = "饮水"
category = "water"
status = "building"
"""

REGISTER = """
[[households]]
code = "上寨-001"
head = "张三"
settlement = "上寨"
[[households]]
code = "上寨-002"
head = "李四"
settlement = "上寨"
[[households]]
code = "上寨-003"
head = "王五"
settlement = "上寨"
exempt = true
exempt_reason = "五保户"
[[households]]
code = "下寨-001"
head = "赵六"
settlement = "下寨"
"""


def _levy(project: str, households: int, per: str = "300元") -> str:
    return f"""
[[levies]]
project = "{project}"
funder = "村民"
per_household = "{per}"
households = {households}
"""


def _paid(project: str, household: str | None, amount: str, date: str = "2024-05-01") -> str:
    who = f'household = "{household}"\n' if household else ""
    return f"""
[[receipts]]
project = "{project}"
funder = "村民"
amount = "{amount}"
date = {date}
{who}"""


def rolls(as_of: dt.date = AS_OF, project: int | None = None):
    return {lv.project: lv for lv in service.load_levies(service.Scope(as_of, project_id=project)).levies}


def findings(code: str, as_of: dt.date = AS_OF):
    rec = service.load_reconciliation(service.Scope(as_of), ReconcileOptions("en", "元"))
    return [f for f in rec.findings if f.code == code]


def test_the_roll_is_the_registers_households_in_the_projects_settlements(
    backend: str, config: Config, tmp_path: Path
) -> None:
    load_doc(
        tmp_path,
        config,
        VILLAGE
        + REGISTER
        + _levy("road", 2)
        + _paid("road", "上寨-001", "300元")
        + _paid("road", "上寨-002", "100元")
        + _paid("road", "下寨-001", "50元")
        + _paid("road", None, "20元"),
    )
    road = rolls()["road"]
    lines = {ln.household: ln for ln in road.roll}
    assert list(lines) == ["上寨-001", "上寨-002", "上寨-003", "下寨-001"]
    assert (lines["上寨-001"].status, lines["上寨-001"].outstanding) == ("paid", Amount(0))
    assert (lines["上寨-002"].status, lines["上寨-002"].outstanding) == ("partial", Amount(200 * YUAN))
    assert (lines["上寨-003"].status, lines["上寨-003"].expected) == ("exempt", Amount(0))
    assert lines["上寨-003"].head == "王五"
    # a household outside the project's settlements that paid: credited, nothing expected of it
    assert (lines["下寨-001"].expected, lines["下寨-001"].paid, lines["下寨-001"].status) == (
        Amount(0),
        Amount(50 * YUAN),
        "paid",
    )
    assert road.counts == {"paid": 2, "partial": 1, "unpaid": 0, "exempt": 1}
    assert road.liable == 2
    assert road.expected == Amount(600 * YUAN)
    assert road.unassigned == Amount(20 * YUAN)
    assert findings("levy_roll_mismatch") == []


def test_a_project_without_settlements_levies_the_whole_village(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(tmp_path, config, VILLAGE + REGISTER + _levy("water", 3, "100元") + _paid("water", "下寨-001", "250元"))
    water = rolls()["water"]
    assert [ln.household for ln in water.roll] == ["上寨-001", "上寨-002", "上寨-003", "下寨-001"]
    assert water.counts == {"paid": 1, "partial": 0, "unpaid": 2, "exempt": 1}
    # paying more than per_household pays nobody else's share
    last = water.roll[-1]
    assert (last.paid, last.outstanding) == (Amount(250 * YUAN), Amount(0))
    assert water.outstanding == Amount(200 * YUAN)
    assert [(lv.household, lv.status) for lv in water.unpaid_first()][:2] == [
        ("上寨-001", "unpaid"),
        ("上寨-002", "unpaid"),
    ]


def test_without_a_register_the_roll_is_who_paid(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        VILLAGE + _levy("road", 5) + _paid("road", "甲家", "300元") + _paid("road", "乙家", "100元"),
    )
    road = rolls()["road"]
    assert not road.from_register
    assert sorted((ln.household, ln.status, ln.expected) for ln in road.roll) == [
        ("乙家", "partial", Amount(300 * YUAN)),
        ("甲家", "paid", Amount(300 * YUAN)),
    ]
    assert findings("levy_roll_mismatch") == []  # only a register makes a roll to compare with


def test_levy_roll_mismatch_counts_households_minus_the_liable(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(tmp_path, config, VILLAGE + REGISTER + _levy("road", 5) + _levy("water", 3, "100元"))
    (f,) = findings("levy_roll_mismatch")
    assert (f.subject, f.severity, f.count, f.funders) == ("road", "warning", 3, ("村民",))
    assert "5 households" in f.message and "2 that owe it" in f.message


def test_future_dated_counts_and_sums_what_comes_after_as_of(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(
        tmp_path,
        config,
        VILLAGE
        + _levy("road", 2)
        + _paid("road", None, "300元", "2025-01-02")
        + _paid("road", None, "100元", "2024-12-31")
        + """
[[expenses]]
project = "road"
amount = "50元"
date = 2025-03-01
item = "水泥"
""",
    )
    (f,) = findings("future_dated")
    assert (f.subject, f.severity, f.count, f.amount) == ("road", "warning", 2, Amount(350 * YUAN))
    assert "after 2024-12-31" in f.message
    assert findings("future_dated", dt.date(2025, 3, 1)) == []


def test_a_lower_bound_pledge_received_beyond_its_figure_is_information(
    backend: str, config: Config, tmp_path: Path
) -> None:
    load_doc(
        tmp_path,
        config,
        VILLAGE
        + """
[[funders]]
name = "甲矿"
kind = "enterprise"
[[funders]]
name = "乙矿"
kind = "enterprise"
[[pledges]]
project = "road"
funder = "甲矿"
amount = "60余万"
[[pledges]]
project = "road"
funder = "乙矿"
amount = "10万"
[[receipts]]
project = "road"
funder = "甲矿"
amount = "62万"
date = 2024-01-01
[[receipts]]
project = "road"
funder = "乙矿"
amount = "11万"
date = 2024-01-01
""",
    )
    (over,) = findings("over_received")
    assert over.funders == ("乙矿",)
    lower = [f for f in findings("lower_bound") if f.funders == ("甲矿",)]
    assert len(lower) == 1
    assert (lower[0].severity, lower[0].amount) == ("info", Amount(20_000 * YUAN))
    assert "lower bound" in lower[0].message
