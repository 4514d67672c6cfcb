"""Every screen at 80x24 (and the overview and enterprises at 200x60), in zh and en: what fits, and the filters."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from textual.widgets import Static, TabbedContent

from fundtrack.io.config import Config
from fundtrack.storage import models as m
from fundtrack.tui.app import FundtrackApp, make_app
from fundtrack.tui.screens.dashboard import DashboardScreen
from fundtrack.tui.screens.lists import EnterpriseScreen, EnterprisesScreen, FindingsScreen
from fundtrack.tui.widgets.record_table import RecordTable, shorten_middle
from tests.conftest import ROOT
from tests.conftest import TUI_AS_OF as AS_OF
from tests.test_tui import cells, settle

LANGUAGES = ("zh", "en")


def in_language(tui_app: FundtrackApp, config: Config, language: str) -> FundtrackApp:
    """The app on the sample data (imported by tui_app) speaking `language`."""
    if language == "zh":
        return tui_app
    return make_app(dataclasses.replace(config, language=language), as_of=AS_OF)


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await settle(pilot, pilot.app)
        await pilot.press(key)
    await settle(pilot, pilot.app)


async def open_row(pilot, key: str, row: int, table: str = "#list") -> None:
    """Open the screen behind `key` and then its `row`-th line."""
    await press(pilot, key)
    pilot.app.screen.query_one(table, RecordTable).move_cursor(row=row)
    await press(pilot, "enter")


def steps(screen: str):
    """What a user types to reach `screen` from the overview."""

    async def run_before(pilot) -> None:
        await settle(pilot, pilot.app)
        if screen == "overview":
            return
        if screen.startswith("project-"):
            await press(pilot, "enter")
            pilot.app.screen.query_one("#tabs", TabbedContent).active = "tab-" + screen.removeprefix("project-")
            await settle(pilot, pilot.app)
            return
        if screen == "funder":
            await open_row(pilot, "f", 2)  # 大炭沟煤矿: in a joint group
            return
        if screen == "enterprise":
            await open_row(pilot, "e", 2)  # 打厂沟煤矿: 22 in post, 40 who left
            return
        if screen == "history":
            # The import's time, its operator and where the files were differ at every run: fix them.
            for change in m.Change.select():
                change.after = (change.after or "").replace(str(ROOT) + "/", "") or None
                change.at, change.operator = dt.datetime(2025, 6, 30, 9, 0), "文书"
                change.save()
        keys = {"funders": "f", "enterprises": "e", "findings": "r", "history": "h", "help": "question_mark"}
        await press(pilot, keys[screen])

    return run_before


SCREENS = (
    "overview",
    *(f"project-{tab}" for tab in ("funding", "receipts", "expenses", "pledges", "levy", "milestones", "findings")),
    "funders",
    "funder",
    "enterprises",
    "enterprise",
    "findings",
    "history",
    "help",
)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("screen", SCREENS)
def test_every_screen_at_80x24(tui_app: FundtrackApp, config: Config, snap_compare, screen: str, language: str) -> None:
    app = in_language(tui_app, config, language)
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(screen))


@pytest.mark.parametrize("screen", ("overview", "enterprises"))
def test_the_wide_screen_is_used_at_200x60(tui_app: FundtrackApp, snap_compare, screen: str) -> None:
    assert snap_compare(tui_app, terminal_size=(200, 60), run_before=steps(screen))


# -- what fits, measured on the widgets


def test_a_long_name_keeps_its_start_and_its_end() -> None:
    assert shorten_middle("打厂沟煤矿、大炭沟煤矿、小河沟煤矿(共同)", 16) == "打厂沟煤…(共同)"
    assert shorten_middle("打厂沟煤矿、大炭沟煤矿、小河沟煤矿(共同)", 17) == "打厂沟煤…矿(共同)"
    assert shorten_middle("短名", 16) == "短名"
    assert shorten_middle("abcdefghij", 5) == "ab…ij"


async def test_enterprises_show_shortfall_and_status_on_80_columns(tui_app: FundtrackApp) -> None:
    """A Chinese reader sees every enterprise's 差额 and 状态 without scrolling."""
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "e")
        table = app.screen.query_one("#list", RecordTable)
        heads = [str(c.label) for c in table.ordered_columns]
        assert heads[:3] == ["企业", "差额", "状态"]
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        assert sum(widths[:3]) <= table.scrollable_content_region.width
        assert table.fixed_columns == 1


async def test_a_joint_mark_stays_in_sight_in_the_funding_tab(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        table = app.screen.query_one("#t-funding", RecordTable)
        row = table.get_row_at(1)
        assert str(row[-1]).endswith("(共同)") and "…" in str(row[-1])
        assert sum(c.get_render_width(table) for c in table.ordered_columns) <= 80


async def test_a_finding_is_wrapped_not_cut(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "r")
        table = app.screen.query_one("#list", RecordTable)
        assert sum(c.get_render_width(table) for c in table.ordered_columns) <= 80
        assert max(r.height for r in table.rows.values()) > 1


async def test_a_column_gives_way_again_when_the_screen_grows(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "r")
        table = app.screen.query_one("#list", RecordTable)
        narrow = table.ordered_columns[-1].width
        await pilot.resize_terminal(200, 60)
        await settle(pilot, app)
        assert table.ordered_columns[-1].width > narrow
        assert all(r.height == 1 for r in table.rows.values())


# -- the footers


@pytest.mark.parametrize("language", LANGUAGES)
async def test_footer_keeps_quit_help_and_back_at_80_columns(
    tui_app: FundtrackApp, config: Config, language: str
) -> None:
    app = in_language(tui_app, config, language)
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in ((), ("e",), ("escape", "enter"), ("escape", "r"), ("escape", "f")):
            await press(pilot, *keys)
            footer = app.screen.query_one("Footer")
            shown = [k for k in footer.query("FooterKey")]
            keys_shown = {k.key for k in shown}
            assert {"q", "question_mark", "f2"} <= keys_shown, keys_shown
            if len(app.screen_stack) > 2:
                assert "escape" in keys_shown
            right = max(k.region.right for k in shown)
            assert right <= 80, (keys, right)


# -- the filters


async def test_overview_shows_one_status_at_a_time_and_keeps_it_after_a_refresh(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        table = app.screen.query_one("#projects", RecordTable)
        assert len(table.filtered) == 11
        await press(pilot, "s")
        assert isinstance(app.screen, DashboardScreen)
        first = app.screen.status
        assert first and {r[1] for r in cells(table)} == {app.screen.t(f"status.{first}")}
        assert app.screen.t(f"status.{first}") in str(app.screen.query_one("#summary", Static).content)
        app.reload()
        await settle(pilot, app)
        assert app.screen.status == first and {r[1] for r in cells(table)} == {app.screen.t(f"status.{first}")}
        seen = {first}
        while app.screen.status:
            await press(pilot, "s")
            seen.add(app.screen.status)
        assert len(table.filtered) == 11 and seen >= {"building", "completed", "preparing", ""}


async def test_enterprises_filter_by_status(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "e")
        assert isinstance(app.screen, EnterprisesScreen)
        table = app.screen.query_one("#list", RecordTable)
        counts = []
        for _ in range(4):
            counts.append({r[2] for r in cells(table)})
            await press(pilot, "s")
        assert counts == [{"未达标", "达标", "无数据"}, {"未达标"}, {"达标"}, {"无数据"}]
        assert len(table.filtered) == 19
        assert "全部" in str(app.screen.query_one("#title", Static).content)


async def test_roster_shows_workers_in_post_and_those_who_left_on_request(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await open_row(pilot, "e", 2)
        assert isinstance(app.screen, EnterpriseScreen)
        roster = app.screen.query_one("#roster", RecordTable)
        assert len(roster.filtered) == 22 and not any(r.voided for r in roster.filtered)
        assert "在岗" in str(app.screen.query_one("#title", Static).content)
        await press(pilot, "s")
        assert len(roster.filtered) == 62 and "含离职" in str(app.screen.query_one("#title", Static).content)
        app.reload()
        await settle(pilot, app)
        assert len(roster.filtered) == 62


async def test_findings_severity_is_shown_in_the_head_line(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "r", "s")
        assert isinstance(app.screen, FindingsScreen)
        assert "显示：错误（s）" in str(app.screen.query_one("#title", Static).content)
        assert {r[0] for r in cells(app.screen.query_one("#list", RecordTable))} == {"错误"}


async def test_the_funding_bar_grows_with_the_screen(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        table = app.screen.query_one("#projects", RecordTable)
        narrow = len(cells(table)[0][4])
        await pilot.resize_terminal(200, 60)
        await settle(pilot, app)
        assert len(cells(table)[0][4]) == narrow + 10 and cells(table)[0][4].endswith("83%")
