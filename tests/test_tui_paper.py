"""Paper and trends in the app: `p` prints a receipt's 收据, the notice is exported, trends are drawn in Chinese."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TabbedContent

from fundtrack.storage import models as m
from fundtrack.tui.app import FundtrackApp
from fundtrack.tui.screens.lists import EnterpriseScreen
from fundtrack.tui.widgets.record_table import RecordTable
from fundtrack.tui.widgets.trend import bar, by_month, hires_by_month, months_between
from tests.test_tui import open_project, settle


def test_bars_are_drawn_to_an_eighth_of_a_cell() -> None:
    assert bar(0, 10, 8) == ""
    assert bar(10, 10, 8) == "█" * 8
    assert bar(5, 10, 3) == "█▌"
    assert bar(1, 1000, 8) == "▏"  # something received never shows as nothing


def test_months_without_receipts_show_zero() -> None:
    rows = by_month([(dt.date(2024, 1, 5), 100), (dt.date(2024, 3, 1), 50), (dt.date(2024, 1, 9), 1)])
    assert rows == [("2024-01", 101), ("2024-02", 0), ("2024-03", 50)]
    assert months_between(dt.date(2024, 11, 30), dt.date(2025, 2, 1)) == ["2024-11", "2024-12", "2025-01", "2025-02"]


def test_hires_on_the_roster_at_each_months_end() -> None:
    hires = [(dt.date(2024, 1, 10), None), (dt.date(2024, 1, 20), dt.date(2024, 3, 1)), (dt.date(2024, 2, 1), None)]
    rows = hires_by_month(hires, [(dt.date(2024, 2, 15), 5)], dt.date(2024, 3, 10))
    assert rows == [("2024-01", 2, None), ("2024-02", 3, 5), ("2024-03", 2, 5)]


async def test_p_prints_the_receipt_under_the_cursor(
    tui_app: FundtrackApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "housing-1")
        screen.query_one("#tabs", TabbedContent).active = "tab-receipts"
        await settle(pilot, app)
        table = screen.query_one("#t-receipts", RecordTable)
        table.focus()
        receipt_id = int(table.current_row().key.partition(":")[2])
        await pilot.press("p")
        await settle(pilot, app)
        printed = tmp_path / "fundtrack-exports" / "收据-000001.pdf"
        assert printed.read_bytes().startswith(b"%PDF")
        assert m.ReceiptSerial.get(m.ReceiptSerial.receipt == receipt_id).serial == 1
        await pilot.press("p")  # again: the same serial, a second print
        await settle(pilot, app)
        assert m.ReceiptSerial.get(m.ReceiptSerial.receipt == receipt_id).prints == 2
        assert isinstance(app.screen, type(screen))  # p did not open the (absent) parent project


async def test_trends_tab_shows_money_by_month_in_chinese(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "housing-1")
        screen.query_one("#tabs", TabbedContent).active = "tab-trends"
        await settle(pilot, app)
        chart = str(screen.query_one("#trend", Static).content)
        assert chart.startswith("每月到位资金（万元）")
        assert "2024-03 " in chart and "600万" in chart and "█" in chart
        assert max(len(line) for line in chart.splitlines()) <= 78
        await pilot.press("x")  # nothing to void on a chart
        await settle(pilot, app)


async def test_enterprise_trend_of_local_hires(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        table = app.screen.query_one("#list", RecordTable)
        table.move_cursor(row=2)  # 打厂沟煤矿, 62 on its roster
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, EnterpriseScreen)
        app.screen.query_one("#tabs", TabbedContent).active = "tab-trends"
        await settle(pilot, app)
        chart = str(app.screen.query_one("#trend", Static).content)
        assert chart.startswith("本地职工在岗人数（每月月底）")
        assert "2025-06 " in chart.splitlines()[-1]


async def test_notice_exported_from_the_dashboard(tui_app: FundtrackApp, tmp_path: Path) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        target = tmp_path / "notice.pdf"
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.click("#ok")
        await settle(pilot, app)
        assert target.read_bytes().startswith(b"%PDF")


async def test_p_again_says_reprint_and_keeps_the_earlier_file(
    tui_app: FundtrackApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "housing-1")
        screen.query_one("#tabs", TabbedContent).active = "tab-receipts"
        await settle(pilot, app)
        screen.query_one("#t-receipts", RecordTable).focus()
        await pilot.press("p")
        await settle(pilot, app)
        first = tmp_path / "fundtrack-exports" / "收据-000001.pdf"
        before = first.read_bytes()
        await pilot.press("p")
        await settle(pilot, app)
        assert first.read_bytes() == before  # the first print is not overwritten
        assert (tmp_path / "fundtrack-exports" / "收据-000001-2.pdf").read_bytes().startswith(b"%PDF")
        said = [n.message for n in app._notifications]
        assert any("补打" in s for s in said) and not any("补打" in s for s in said[:1])


async def test_p_is_shown_in_the_footer_on_the_receipts_tab_only(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "housing-1")
        shown = lambda: {b.action for _, b, enabled, _ in app.active_bindings.values() if enabled and b.show}  # noqa: E731
        assert "print_receipt" not in shown()
        screen.query_one("#tabs", TabbedContent).active = "tab-receipts"
        await settle(pilot, app)
        assert "print_receipt" in shown()


async def test_p_off_the_receipts_tab_still_opens_the_parent_project(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await open_project(pilot, app, "xinhua-primary")
        await pilot.press("p")
        await settle(pilot, app)
        parent = m.Project.get(m.Project.code == "minority-primary-schools")
        assert getattr(app.screen, "project_id", None) == parent.id
