"""The terminal app driven as a committee member would: open, read, type, save, void, filter, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input, Label, Select, Static, TabbedContent

from fundtrack import service
from fundtrack.io.config import Config
from fundtrack.io.records import FORM_TABLES
from fundtrack.ledger.money import Amount
from fundtrack.storage import models as m
from fundtrack.tui.app import FundtrackApp
from fundtrack.tui.messages import DataChanged
from fundtrack.tui.screens.dashboard import DashboardScreen
from fundtrack.tui.screens.lists import (
    EnterpriseScreen,
    EnterprisesScreen,
    FindingsScreen,
    FunderScreen,
    FundersScreen,
)
from fundtrack.tui.screens.project import ProjectScreen
from fundtrack.tui.screens.record_form import RecordForm
from fundtrack.tui.widgets.record_table import RecordTable
from tests.conftest import TUI_AS_OF as AS_OF


async def settle(pilot, app: FundtrackApp) -> None:
    """Wait until the app's workers have finished and the screen has caught up."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def cells(table: RecordTable) -> list[list[str]]:
    return [[str(c) for c in row.values] for row in table.filtered]


def texts(table: RecordTable) -> str:
    return "\n".join(" | ".join(str(c) for c in row.values) for row in table.filtered)


async def open_project(pilot, app: FundtrackApp, code: str) -> ProjectScreen:
    table = app.screen.query_one("#projects", RecordTable)
    index = next(i for i, row in enumerate(table.filtered) if row.search[0] == code)
    table.move_cursor(row=index)
    await pilot.press("enter")
    await settle(pilot, app)
    assert isinstance(app.screen, ProjectScreen)
    return app.screen


async def test_dashboard_shows_every_project_and_the_totals(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        table = app.screen.query_one("#projects", RecordTable)
        assert len(table.filtered) == 11
        housing = cells(table)[0]
        # The money received and its bar and % first: they fit an 80-column screen.
        assert housing[:4] == ["一期安居房工程", "在建", "2,914.25", "2,439"]
        assert housing[4].endswith("83%") and housing[5:7] == ["3,316", "1,350"]
        assert housing[-1] == "housing-1"
        summary = str(app.screen.query_one("#summary", Static).content)
        assert "总投资 ≥9,314.25" in summary and "错误 1" in summary and "未达标 4" in summary


async def test_project_screen_reads_the_housing_breakdown(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "housing-1")
        funding = texts(screen.query_one("#t-funding", RecordTable))
        assert "上级拨款 | 1,090 | 37.40% | 900 | 190 | 现金 | 上级拨款" in funding
        assert "企业 | 1,600 | 54.90% | 1,200 | 400 | 现金 | 打厂沟煤矿、" in funding and "(共同)" in funding
        assert "安居房住户 每户2万×313户" in funding
        head = str(screen.query_one("#project-head", Static).content)
        assert "313 户 1321 人" in head and "承诺超出 [b]401.75万" in head
        levy = screen.query_one("#t-levy", RecordTable)
        assert len(levy.filtered) == 1 + 180  # the levy, then each household that paid
        findings = texts(screen.query_one("#t-findings", RecordTable))
        assert "超出总投资2914.25万共401.75万" in findings
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_recording_a_receipt_changes_the_totals(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "minzu-school")
        await pilot.press("a")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, RecordForm) and form.table == "receipts"
        assert form.query_one("#f-project", Input).value == "minzu-school"
        assert form.query_one("#f-date", Input).value == dt.date.today().isoformat()
        form.query_one("#f-date", Input).value = "2025-06-01"
        form.query_one("#f-funder", Input).focus()
        await pilot.press(*"大炭沟煤矿")
        form.query_one("#f-amount", Input).focus()
        await pilot.press(*"100万")
        await pilot.pause()
        assert "1,000,000.00" in str(form.query_one("#preview-amount", Label).content)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is screen
        line = next(ln for ln in screen.breakdown().by_funder if ln.funders == ("大炭沟煤矿",))
        assert (line.received, line.outstanding) == (Amount(400_000_000), Amount(13_000_000))
        assert screen.breakdown().received == Amount(432_500_000)
        receipts = texts(screen.query_one("#t-receipts", RecordTable))
        assert "2025-06-01 | 大炭沟煤矿 | 100" in receipts


async def test_a_wrong_entry_is_explained_and_keeps_what_was_typed(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await open_project(pilot, app, "minzu-school")
        before = m.Receipt.select().count()
        await pilot.press("a")
        await settle(pilot, app)
        form = app.screen
        form.query_one("#f-funder", Input).value = "打厂沟"
        form.query_one("#f-amount", Input).value = "12万元元"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form
        assert "(是不是“打厂沟煤矿”?)" in str(form.query_one("#err-funder", Label).content)
        assert "不是金额" in str(form.query_one("#err-amount", Label).content)
        assert form.query_one("#f-funder", Input).value == "打厂沟"
        assert m.Receipt.select().count() == before
        form.query_one("#f-funder", Input).value = "打厂沟煤矿"
        form.query_one("#f-amount", Input).value = "5万"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, RecordForm)
        assert m.Receipt.select().count() == before + 1


async def test_voiding_a_receipt_keeps_it_visible_and_leaves_the_totals(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "minzu-school")
        screen.query_one("#tabs").active = "tab-receipts"
        await settle(pilot, app)
        table = screen.query_one("#t-receipts", RecordTable)
        table.focus()
        first = table.filtered[0]
        assert "12.5" in str(first.values[2])
        await pilot.press("x")
        await settle(pilot, app)
        await pilot.press(*"重复", "enter")
        await settle(pilot, app)
        assert screen.breakdown().received == Amount(320_000_000)
        row = next(r for r in table.filtered if r.key == first.key)
        assert row.voided and "已作废" in str(row.values[-1])


async def test_editing_a_receipt_replaces_it(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "minzu-school")
        screen.query_one("#tabs").active = "tab-receipts"
        await settle(pilot, app)
        table = screen.query_one("#t-receipts", RecordTable)
        table.focus()
        await pilot.press("c")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, RecordForm) and form.editing is not None
        assert form.query_one("#f-amount", Input).value == "12.5万"
        form.query_one("#f-amount", Input).value = "20万"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert screen.breakdown().received == Amount(340_000_000)
        assert sum(r.voided for r in table.filtered) == 1


@pytest.mark.parametrize(
    ("table", "values", "check"),
    [
        (
            "projects",
            {
                "code": "new-road",
                "name": "新修公路",
                "category": "road",
                "budget": "88万",
                "settlements": "厦卡、打磨冲",
            },
            lambda: m.Project.get(m.Project.code == "new-road").budget_fen == 88_000_000,
        ),
        (
            "pledges",
            {"project": "faao-water", "funders": "新华煤矿、沟发煤矿", "amount": "50万"},
            lambda: m.PledgeFunder.select().count() == 11,
        ),
        (
            "pledges",
            {"project": "faao-water", "funder": "上级拨款", "amount": "500万", "date": "2024/5/1"},
            lambda: m.Pledge.select().where(m.Pledge.amount_fen == 500_000_000).count() == 1,
        ),
        (
            "levies",
            {"project": "xiaka-road", "funder": "厦卡群众", "per_household": "0.5万", "households": "8"},
            lambda: m.Levy.select().count() == 2,
        ),
        (
            "expenses",
            {"project": "faao-water", "amount": "3.2万", "item": "管道", "date": "2025-01-02"},
            lambda: m.Expense.select().where(m.Expense.item == "管道").count() == 1,
        ),
        (
            "milestones",
            {"project": "faao-water", "name": "通水", "due": "2025-12-31"},
            lambda: m.Milestone.get(m.Milestone.name == "通水").status == "todo",
        ),
        (
            "funders",
            {"name": "县水务局", "kind": "agency_support"},
            lambda: m.Funder.get(m.Funder.name == "县水务局").kind == "agency_support",
        ),
        (
            "enterprises",
            {"name": "新开煤矿", "kind": "private_mine", "hiring_quota": "80"},
            lambda: m.Enterprise.get(m.Enterprise.name == "新开煤矿").hiring_quota == 80,
        ),
        (
            "hires",
            {"enterprise": "沟发煤矿", "person": "张三", "start": "2025-01-01", "settlement": "厦卡"},
            lambda: m.Hire.select().where(m.Hire.person == "张三").count() == 1,
        ),
        (
            "headcounts",
            {"enterprise": "沟发煤矿", "date": "2025-06-30", "local_workers": "40"},
            lambda: m.Headcount.select().where(m.Headcount.local_workers == 40).count() == 1,
        ),
        (
            "settlements",
            {"name": "梨树坪", "households": "30"},
            lambda: m.Settlement.get(m.Settlement.name == "梨树坪").households == 30,
        ),
        (
            "households",
            {"code": "秧田沟-105", "head": "新户主", "settlement": "秧田沟", "exempt": True, "exempt_reason": "五保户"},
            lambda: m.Household.get(m.Household.code == "秧田沟-105").exempt_reason == "五保户",
        ),
        (
            "receipts",
            {"project": "housing-1", "funder": "安居房住户", "amount": "2", "household": "新云-100"},
            lambda: m.Receipt.select().where(m.Receipt.household == "新云-100").get().amount_fen == 2_000_000,
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
async def test_every_form_saves_its_record(tui_app: FundtrackApp, table: str, values: dict, check) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        app.screen.query_one("#choices").highlighted = FORM_TABLES.index(table)
        await pilot.press("enter")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, RecordForm) and form.table == table
        for key, value in values.items():
            form.query_one(f"#f-{key}").value = value
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        errors = [str(w.content) for w in form.query(".field-error").results(Label) if str(w.content)]
        assert not isinstance(app.screen, RecordForm), errors
        if check is not None:
            assert check()


async def test_the_saved_notice_shows_choices_by_their_labels(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        app.screen.query_one("#choices").highlighted = FORM_TABLES.index("funders")
        await pilot.press("enter")
        await settle(pilot, app)
        form = app.screen
        form.query_one("#f-name").value = "新河煤矿"
        form.query_one("#f-kind").value = "enterprise"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        notices = [str(n.message) for n in app._notifications]
        assert any("新河煤矿 · 企业" in n for n in notices), notices
        assert not any("enterprise" in n for n in notices), notices


async def test_enterprises_worst_first_and_roster(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, EnterprisesScreen)
        rows = cells(app.screen.query_one("#list", RecordTable))
        assert [r[0] for r in rows[:4]] == ["小河沟煤矿", "煤炭加工转换企业1(报告未具名)", "打厂沟煤矿", "新华煤矿"]
        assert app.screen.query_one("#list", RecordTable).filtered[0].data == ("小河沟煤矿", "xx彝族村")
        # 差额 and 状态 come right after the name.
        assert rows[0][1:3] == ["100", "未达标"] and rows[-1][2] == "无数据"
        table = app.screen.query_one("#list", RecordTable)
        table.move_cursor(row=2)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, EnterpriseScreen)
        roster = app.screen.query_one("#roster", RecordTable)
        assert len(roster.filtered) == 22  # the workers in post, as 登记在岗 counts them
        await pilot.press("s")
        await settle(pilot, app)
        assert len(roster.filtered) == 62


async def test_pinyin_initials_filter_the_funders(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("f")
        await settle(pilot, app)
        assert isinstance(app.screen, FundersScreen)
        await pilot.press("slash", "d", "t", "g")
        await pilot.pause()
        rows = cells(app.screen.query_one("#list", RecordTable))
        assert [r[0] for r in rows] == ["大炭沟煤矿"]
        await pilot.press("escape")
        assert len(app.screen.query_one("#list", RecordTable).filtered) > 10


async def test_a_funder_opens_on_its_lines_pledges_and_receipts(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("f")
        await settle(pilot, app)
        table = app.screen.query_one("#list", RecordTable)
        table.move_cursor(row=next(i for i, row in enumerate(table.filtered) if row.data[1] == "镇党委政府"))
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, FunderScreen)
        lines = app.screen.query_one("#lines", RecordTable)
        pledges = app.screen.query_one("#pledges", RecordTable)
        receipts = app.screen.query_one("#receipts", RecordTable)
        assert [c.label for c in lines._columns][-1] == "共同" and lines._columns[3].right
        assert len(lines.filtered) == 1 and len(pledges.filtered) == 1 and receipts.filtered
        assert "镇党委政府" in cells(pledges)[0][1]


async def test_findings_filter_and_jump(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        assert isinstance(app.screen, FindingsScreen)
        table = app.screen.query_one("#list", RecordTable)
        assert len(table.filtered) == 26  # levy_roll_mismatch: the register has three exempt households
        await pilot.press("s")
        assert [r.data.severity for r in table.filtered] == ["error"]
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ProjectScreen) and app.screen.info["code"] == "guihua-reservoir"


def test_names_match_by_pinyin_and_messages_by_their_characters() -> None:
    from fundtrack.tui.search import PINYIN_MAX, Plain, matcher, narrows

    assert matcher("dtg")("大炭沟煤矿") and matcher("datangou")("大炭沟煤矿")
    assert not matcher("dtg")(Plain("大炭沟煤矿")) and matcher("炭沟")(Plain("收到大炭沟煤矿的钱"))
    long = "大炭沟煤矿" * (PINYIN_MAX // 5 + 1)
    assert matcher("炭沟")(long) and not matcher("dtg")(long)
    assert matcher("HOUSING")("housing-1") and matcher(" ")("任何") and not matcher("x")("", None)  # type: ignore[arg-type]
    assert narrows("dt", "dtg") and narrows("D T", "xdtg") and not narrows("dtg", "dt") and not narrows("", "a")


async def test_a_large_table_is_filtered_once_typing_pauses(
    tui_app: FundtrackApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fundtrack.tui.search import matches
    from fundtrack.tui.widgets import record_table

    monkeypatch.setattr(record_table, "QUIET_ROWS", 5)
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        table = app.screen.query_one("#list", RecordTable)
        await pilot.press("slash", "g")
        assert len(table.filtered) == 26  # not at every key
        await pilot.pause(record_table.QUIET_S + 0.3)
        assert len(table.filtered) == len([r for r in table._all if matches("g", *r.texts)])
        await pilot.press("u", "i")
        await pilot.pause(record_table.QUIET_S + 0.3)
        # Narrowed from what "g" showed: the same rows as filtering every row.
        expected = [r.key for r in table._all if matches("gui", *r.texts)]
        assert 0 < len(expected) < 26
        assert [r.key for r in table.filtered] == expected
        await pilot.press("escape")
        assert len(table.filtered) == 26  # clearing is at once


async def test_language_switch_and_export(tui_app: FundtrackApp, tmp_path: Path) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("f2")
        await settle(pilot, app)
        table = app.screen.query_one("#projects", RecordTable)
        assert table.columns[next(iter(table.columns))].label.plain == "Project"
        assert cells(table)[0][1] == "building"
        await pilot.press("o")
        await settle(pilot, app)
        target = tmp_path / "out" / "breakdown.md"
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.click("#ok")
        await settle(pilot, app)
        assert "| housing-1 | 一期安居房工程 | building |" in target.read_text(encoding="utf-8")


async def export_housing_1_as_csv(app: FundtrackApp, tmp_path: Path) -> str:
    """Open housing-1, export its breakdown as CSV from the app (o), and read the file."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await open_project(pilot, app, "housing-1")
        await pilot.press("o")
        await settle(pilot, app)
        target = tmp_path / "housing-1.csv"
        app.screen.query_one("#path", Input).value = str(target)
        app.screen.query_one("#format", Select).value = "csv"
        await pilot.click("#ok")
        await settle(pilot, app)
        return target.read_text(encoding="utf-8")


async def test_one_projects_export_gives_that_projects_totals_not_the_villages(
    tui_app: FundtrackApp, sqlite_db: str, tmp_path: Path
) -> None:
    app = tui_app
    text = await export_housing_1_as_csv(app, tmp_path)
    assert text.splitlines()[-1].startswith(",,合计,合计,,,,2914.25,")  # not the village's 9314.25
    from fundtrack.cli.main import main

    cli = tmp_path / "cli.csv"
    argv = ["report", "breakdown", "--project", "housing-1", "--as-of", AS_OF.isoformat(), "--format", "csv"]
    assert main(["--db", sqlite_db, *argv, "-o", str(cli)]) == 0
    assert text == cli.read_text(encoding="utf-8")


async def test_one_projects_export_in_a_two_village_database_is_that_projects_only(
    sqlite_db: str, config: Config, tmp_path: Path
) -> None:
    """Two villages with a project coded housing-1 each: the export of one is that one's figures."""
    from fundtrack.cli.main import main
    from fundtrack.tui.app import make_app
    from tests.conftest import SAMPLE

    other = tmp_path / "yy.toml"
    other.write_text(SAMPLE[0].read_text(encoding="utf-8").replace("xx彝族村", "yy村"), encoding="utf-8")
    assert main(["--db", sqlite_db, "import", *map(str, SAMPLE), str(other)]) == 0
    app = make_app(config, as_of=AS_OF)
    text = await export_housing_1_as_csv(app, tmp_path)
    rows = text.splitlines()
    assert rows[-1].startswith(",,合计,合计,,,,2914.25,")  # not both villages' 5828.5
    assert sum(1 for r in rows if ",housing-1," in r and ",项目," in r) == 1


async def test_data_changed_refreshes_every_screen(tui_app: FundtrackApp, config: Config) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "faao-water")
        from fundtrack.service.records import add_record

        problems = add_record(
            app.village_id,
            "pledges",
            {"project": "faao-water", "funder": "上级拨款", "amount": "1100万"},
            config.import_options,
            "万元",
        )
        assert problems == []
        app.post_message(DataChanged("test"))
        await settle(pilot, app)
        assert screen.breakdown().gap == Amount(0)
        assert service.load_breakdown(service.Scope(AS_OF)).projects[9].pledged == Amount(1_100_000_000)


async def test_small_terminal_still_shows_the_table(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        table = app.screen.query_one("#projects", RecordTable)
        assert table.region.height >= 8
        assert isinstance(app.screen.query_one("#f-" if False else "#summary"), Static)


async def test_select_fields_offer_chinese_names(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.open_form("funders", {})
        await settle(pilot, app)
        select = app.screen.query_one("#f-kind", Select)
        assert ("上级拨款", "upper_grant") in [(str(p), v) for p, v in select._options if v is not Select.NULL]


async def test_committee_report_and_workbook_from_the_app(tui_app: FundtrackApp, tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("m")
        await settle(pilot, app)
        target = tmp_path / "report.docx"
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.click("#ok")
        await settle(pilot, app)
        assert Document(str(target)).paragraphs[0].text == "xx彝族村项目资金情况汇报"
        app.action_export("workbook")
        await settle(pilot, app)
        book = tmp_path / "book.xlsx"
        app.screen.query_one("#path", Input).value = str(book)
        await pilot.click("#ok")
        await settle(pilot, app)
        assert "项目" in load_workbook(book).sheetnames  # the app speaks zh: the workbook too


async def test_undo_from_the_app_and_the_history_screen(tui_app: FundtrackApp) -> None:
    from fundtrack.tui.screens.history import HistoryScreen

    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "minzu-school")
        screen.query_one("#tabs").active = "tab-receipts"
        await settle(pilot, app)
        screen.query_one("#t-receipts", RecordTable).focus()
        await pilot.press("x")
        await settle(pilot, app)
        await pilot.press(*"重复", "enter")
        await settle(pilot, app)
        assert screen.breakdown().received == Amount(320_000_000)
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert screen.breakdown().received == Amount(332_500_000)
        await pilot.press("escape", "h")
        await settle(pilot, app)
        assert isinstance(app.screen, HistoryScreen)
        rows = cells(app.screen.query_one("#list", RecordTable))
        assert [r[3] for r in rows[:3]] == ["撤销", "作废", "导入"]
        assert rows[1][4].startswith("收款 ") and "（xx村群众 → minzu-school xx民族学校）" in rows[1][4]
        assert all("False" not in cell and "True" not in cell for row in rows for cell in row)


async def test_app_correction_form_skips_the_changed_meanwhile_check(tui_app: FundtrackApp, config: Config) -> None:
    """An edit saved from the app's form is refused when the record changed after the form opened."""
    from fundtrack.service.records import replace_record

    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "minzu-school")
        screen.query_one("#tabs").active = "tab-receipts"
        await settle(pilot, app)
        screen.query_one("#t-receipts", RecordTable).focus()
        await pilot.press("c")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, RecordForm) and form.editing is not None
        receipt = m.Receipt.get_by_id(form.editing)
        # Someone else corrects the same receipt while the form is open.
        raw = {"project": "minzu-school", "funder": "xx村群众", "amount": "13万", "date": receipt.date}
        village = receipt.project.village_id
        assert replace_record(village, "receipts", receipt.id, raw, config.import_options, "元", "李") == []
        before = (m.Receipt.select().count(), m.Receipt.select().where(m.Receipt.voided == True).count())  # noqa: E712
        form.query_one("#f-amount", Input).value = "20万"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form
        assert (m.Receipt.select().count(), m.Receipt.select().where(m.Receipt.voided == True).count()) == before  # noqa: E712
        assert "打开之后别人修改了这条记录" in str(form.query_one("#form-error", Label).content)


async def test_left_and_right_switch_the_enterprise_screens_tabs(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, EnterpriseScreen)
        tabs = app.screen.query_one("#tabs", TabbedContent)
        assert tabs.active == "tab-roster"
        await pilot.press("right")
        assert tabs.active == "tab-headcounts"
        await pilot.press("left", "left")
        assert tabs.active == "tab-trends"


async def test_what_another_program_writes_shows_without_a_key(tui_app: FundtrackApp, tmp_path: Path) -> None:
    """`fundtrack import` beside the open app: the app sees the trail move and reads the figures again."""
    from fundtrack.service.importing import import_files

    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        before = app.snapshot.breakdown.totals.received
        doc = tmp_path / "more.toml"
        doc.write_text(
            'format = "fundtrack/1"\n[village]\nname = "xx彝族村"\n[[receipts]]\nproject = "minzu-school"\n'
            'funder = "大炭沟煤矿"\namount = "1万"\ndate = 2025-06-01\n',
            encoding="utf-8",
        )
        import_files([str(doc)], app.config.import_options)
        app._watch_trail()  # what the timer does every WATCH_S seconds
        await settle(pilot, app)
        await settle(pilot, app)
        assert app.snapshot.breakdown.totals.received == before + Amount(1_000_000)


async def test_a_receipts_project_may_be_typed_by_its_name(tui_app: FundtrackApp) -> None:
    """As the screens show it (xx民族学校), not only by its code (minzu-school)."""
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await open_project(pilot, app, "housing-1")
        await pilot.press("a")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-project", Input).value = "xx民族学校"
        form.query_one("#f-date", Input).value = "2025-06-01"
        form.query_one("#f-funder", Input).value = "大炭沟煤矿"
        form.query_one("#f-amount", Input).value = "3万"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, RecordForm), str(form.query_one("#form-error", Label).content)
        saved = m.Receipt.select().order_by(m.Receipt.id.desc()).first()
        assert saved.project.code == "minzu-school" and saved.amount_fen == 3_000_000
