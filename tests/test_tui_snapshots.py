"""A few screenshots of the app compared with stored SVGs (pytest-textual-snapshot; --snapshot-update to renew)."""

from __future__ import annotations

import dataclasses

from textual.widgets import Input

from fundtrack.io.config import Config
from fundtrack.tui.app import FundtrackApp, make_app
from fundtrack.tui.widgets.record_table import RecordTable
from tests.conftest import TUI_AS_OF as AS_OF
from tests.test_tui import settle


def english(config: Config) -> Config:
    return dataclasses.replace(config, language="en")


async def _ready(pilot) -> None:
    await settle(pilot, pilot.app)


def test_dashboard_zh(tui_app: FundtrackApp, snap_compare) -> None:
    assert snap_compare(tui_app, terminal_size=(120, 40), run_before=_ready)


def test_dashboard_80x24(tui_app: FundtrackApp, snap_compare) -> None:
    assert snap_compare(tui_app, terminal_size=(80, 24), run_before=_ready)


def test_project_housing_zh(tui_app: FundtrackApp, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot, pilot.app)
        await pilot.press("enter")
        await settle(pilot, pilot.app)

    assert snap_compare(tui_app, terminal_size=(120, 40), run_before=run_before)


def test_enterprises_en(tui_app: FundtrackApp, config: Config, snap_compare) -> None:
    en_app = make_app(english(config), as_of=AS_OF)

    async def run_before(pilot) -> None:
        await settle(pilot, pilot.app)
        await pilot.press("e")
        await settle(pilot, pilot.app)

    assert snap_compare(en_app, terminal_size=(120, 40), run_before=run_before)


def test_project_en(tui_app: FundtrackApp, config: Config, snap_compare) -> None:
    en_app = make_app(english(config), as_of=AS_OF)

    async def run_before(pilot) -> None:
        await settle(pilot, pilot.app)
        pilot.app.screen.query_one("#projects", RecordTable).move_cursor(row=5)
        await pilot.press("enter")
        await settle(pilot, pilot.app)

    assert snap_compare(en_app, terminal_size=(120, 40), run_before=run_before)


def test_form_with_an_error_zh(tui_app: FundtrackApp, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot, pilot.app)
        pilot.app.open_form("projects", {"code": "Road 1", "name": "新路", "budget": "12万元元"})
        await settle(pilot, pilot.app)
        await pilot.press("ctrl+s")
        await settle(pilot, pilot.app)
        # A blinking cursor is drawn or not by the clock: a loaded machine took the picture between blinks.
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        await settle(pilot, pilot.app)

    assert snap_compare(tui_app, terminal_size=(120, 40), run_before=run_before)
