"""The levy roll and the household register in the app: pilot tests, and screenshots at 80x24 in zh and en."""

from __future__ import annotations

import dataclasses

from textual.widgets import Input, Static

from fundtrack.io.config import Config
from fundtrack.storage import models as m
from fundtrack.tui.app import FundtrackApp, make_app
from fundtrack.tui.screens.levies import HouseholdsScreen, LeviesScreen
from fundtrack.tui.screens.record_form import RecordForm
from fundtrack.tui.widgets.record_table import RecordTable
from tests.conftest import TUI_AS_OF as AS_OF
from tests.test_tui import cells, settle


def english(config: Config) -> Config:
    return dataclasses.replace(config, language="en")


def head(app: FundtrackApp) -> str:
    return str(app.screen.query_one("#title", Static).content)


async def test_the_roll_lists_every_household_and_filters_the_unpaid_first(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("v")
        await settle(pilot, app)
        assert isinstance(app.screen, LeviesScreen)
        assert "已交清 159/310" in head(app) and "免缴 3" in head(app)
        table = app.screen.query_one("#list", RecordTable)
        assert len(table.filtered) == 313
        first = cells(table)[0]
        assert first[:3] == ["新云-001", "王文才", "新云"] and first[-1] == "已交清"
        assert sum(1 for row in cells(table) if row[-1] == "免缴") == 3
        await pilot.press("u")
        await settle(pilot, app)
        statuses = [row[-1] for row in cells(table)]
        assert len(statuses) == 151 and set(statuses) == {"未交", "部分"}
        assert statuses.index("部分") == 130  # every unpaid household before the partly paid
        await pilot.press("u")
        await settle(pilot, app)
        assert len(table.filtered) == 313


async def test_a_on_a_household_of_the_roll_prefills_its_levy_receipt(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("v")
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, RecordForm) and form.table == "receipts"
        values = {key: form.query_one(f"#f-{key}", Input).value for key in ("project", "funder", "household", "amount")}
        assert values == {"project": "housing-1", "funder": "安居房住户", "household": "新云-061", "amount": "2万"}
        form.query_one("#f-date", Input).value = "2025-06-01"  # on or before the app's as_of, so it counts
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, LeviesScreen)
        assert m.Receipt.select().where(m.Receipt.household == "新云-061").count() == 1
        assert "已交清 160/310" in head(app)


async def test_a_receipt_naming_a_household_the_register_lacks_is_a_form_error(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        before = m.Receipt.select().count()
        app.open_form(
            "receipts", {"project": "housing-1", "funder": "安居房住户", "amount": "2", "household": "新云-999"}
        )
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, RecordForm)
        error = str(app.screen.query_one("#err-household").content)
        assert "新云-999" in error and "花名册" in error
        assert m.Receipt.select().count() == before


async def test_the_register_lists_adds_and_opens_households(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("b")
        await settle(pilot, app)
        assert isinstance(app.screen, HouseholdsScreen)
        assert "313 户 · 1321 人 · 免缴 3 户" in head(app)
        table = app.screen.query_one("#list", RecordTable)
        assert cells(table)[0] == ["新云-001", "王文才", "新云", "3", ""]
        assert any(row[-1] == "是 五保户" for row in cells(table))
        await pilot.press("a")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, RecordForm) and form.table == "households"
        form.query_one("#f-code", Input).value = "秤杆边-105"
        form.query_one("#f-head", Input).value = "新户主"
        form.query_one("#f-settlement", Input).value = "秤杆边"
        form.query_one("#f-people", Input).value = "3"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, HouseholdsScreen)
        assert m.Household.get(m.Household.code == "秤杆边-105").head == "新户主"
        assert len(table.filtered) == 314
        await pilot.press("enter")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, RecordForm) and form.table == "households" and form.editing is not None
        assert form.query_one("#f-code", Input).value == "新云-001"
        form.query_one("#f-head", Input).value = "王文才改"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, HouseholdsScreen)
        corrected = m.Household.get(m.Household.code == "新云-001")
        assert (corrected.head, corrected.settlement.name) == ("王文才改", "新云")


async def test_the_palette_offers_the_register(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "户籍花名册" in titles and "群众自筹台账" in titles


def _levies(pilot_keys: tuple[str, ...]):
    async def run_before(pilot) -> None:
        await settle(pilot, pilot.app)
        for key in pilot_keys:
            await pilot.press(key)
            await settle(pilot, pilot.app)

    return run_before


def test_levy_roll_80x24_zh(tui_app: FundtrackApp, snap_compare) -> None:
    assert snap_compare(tui_app, terminal_size=(80, 24), run_before=_levies(("v", "u")))


def test_levy_roll_80x24_en(tui_app: FundtrackApp, config: Config, snap_compare) -> None:
    en_app = make_app(english(config), as_of=AS_OF)
    assert snap_compare(en_app, terminal_size=(80, 24), run_before=_levies(("v",)))


def test_households_80x24_zh(tui_app: FundtrackApp, snap_compare) -> None:
    assert snap_compare(tui_app, terminal_size=(80, 24), run_before=_levies(("b",)))


def test_households_80x24_en(tui_app: FundtrackApp, config: Config, snap_compare) -> None:
    en_app = make_app(english(config), as_of=AS_OF)
    assert snap_compare(en_app, terminal_size=(80, 24), run_before=_levies(("b",)))
