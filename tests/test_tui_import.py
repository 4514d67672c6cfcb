"""The app's import screen: a path that completes, the preview with each problem under its row, import or cancel."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from textual.widgets import Button, Checkbox, Input, Static

from fundtrack.io.config import Config
from fundtrack.storage import queries
from fundtrack.tui.app import FundtrackApp, make_app
from fundtrack.tui.screens.importing import ImportScreen, PathSuggester
from tests.conftest import TUI_AS_OF
from tests.test_tui import settle


def _workbook(path: Path, amount: object) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "到位"
    ws.append(["项目", "出资方", "金额（万元）", "日期"])
    ws.append(["minzu-school", "上级拨款", 10, "2025-06-01"])
    ws.append(["minzu-school", "上级拨款", amount, "2025-06-02"])
    wb.save(path)
    return str(path)


async def _previewed(pilot, app: FundtrackApp, path: str, new_only: bool = False) -> ImportScreen:
    """The import screen opened, the path given (and the 只导入新的 box ticked), the preview shown."""
    app.action_import_file()
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, ImportScreen)
    screen.query_one("#path", Input).value = path
    screen.query_one("#new-only", Checkbox).value = new_only
    await pilot.press("enter")
    await settle(pilot, app)
    return screen


def _receipts() -> int:
    return sum(1 for _ in queries.records(queries.villages()[0].id)["receipts"])


async def test_the_path_completes_from_the_files_there_are(tmp_path: Path) -> None:
    (tmp_path / "台账2025.xlsx").write_bytes(b"")
    (tmp_path / "notes.txt.bak").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    suggester = PathSuggester()
    assert await suggester.get_suggestion(f"{tmp_path}/台") == f"{tmp_path}/台账2025.xlsx"
    assert await suggester.get_suggestion(f"{tmp_path}/s") == f"{tmp_path}/sub/"
    assert await suggester.get_suggestion(f"{tmp_path}/n") is None


@pytest.mark.parametrize("amount", ["二十万"])
async def test_the_preview_shows_each_problem_under_its_row_and_import_waits(
    tui_app: FundtrackApp, tmp_path: Path, amount: str
) -> None:
    app = tui_app
    path = _workbook(tmp_path / "台账.xlsx", amount)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("i")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#path", Input).value = path
        await pilot.press("enter")
        await settle(pilot, app)
        text = str(screen.query_one("#preview", Static).content)
        lines = text.splitlines()
        row = next(i for i, line in enumerate(lines) if "第 3 行" in line)
        assert lines[row + 1].startswith("    ! 到位!C3: receipts[1].amount: '二十万' 不是金额")
        assert "1 个问题" in text
        assert screen.query_one("#import", Button).disabled
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, ImportScreen)


async def test_a_good_workbook_is_imported_from_the_app(tui_app: FundtrackApp, tmp_path: Path) -> None:
    app = tui_app
    path = _workbook(tmp_path / "台账.xlsx", "20万")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        before = _receipts()
        screen = await _previewed(pilot, app, path)
        assert "没有问题" in str(screen.query_one("#preview", Static).content)
        button = screen.query_one("#import", Button)
        assert not button.disabled
        button.press()
        await settle(pilot, app)
        assert not isinstance(app.screen, ImportScreen)
        assert _receipts() == before + 2


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_preview_reads_well_at_80x24(
    tui_app: FundtrackApp, config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snap_compare, language: str
) -> None:
    # The file by a relative name, so that the snapshot does not hold the test's temporary folder.
    monkeypatch.chdir(tmp_path)
    _workbook(tmp_path / "台账.xlsx", "二十万")
    app = tui_app if language == "zh" else make_app(dataclasses.replace(config, language="en"), as_of=TUI_AS_OF)

    async def run_before(pilot) -> None:
        await settle(pilot, pilot.app)
        await pilot.press("i")
        await settle(pilot, pilot.app)
        pilot.app.screen.query_one("#path", Input).value = "台账.xlsx"
        await pilot.press("enter")
        await settle(pilot, pilot.app)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_new_only_imports_just_the_rows_the_village_does_not_have(tui_app: FundtrackApp, tmp_path: Path) -> None:
    app = tui_app
    path = _workbook(tmp_path / "台账.xlsx", "20万")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        before = _receipts()
        for grown in (False, True):
            if grown:  # a month later: one row more
                wb = openpyxl.load_workbook(path)
                wb["到位"].append(["minzu-school", "上级拨款", 3, "2025-07-01"])
                wb.save(path)
            screen = await _previewed(pilot, app, path, new_only=True)
            assert "✓" in str(screen.query_one("#new-only", Checkbox).render())  # ticked reads as ticked
            text = str(screen.query_one("#preview", Static).content)
            assert ("其中 2 条该村已有, 跳过; 将导入 1 条" in text) == grown and ("已有, 跳过)" in text) == grown
            screen.query_one("#import", Button).press()
            await settle(pilot, app)
            assert not isinstance(app.screen, ImportScreen)
        assert _receipts() == before + 3
        said = [n.message for n in app._notifications]
        assert "已导入 1 条新记录, 跳过 2 条已有记录" in said, said
