"""Forms that prevent mistakes: a void's reason kept in the trail, warnings asked twice, placeholders,
focus, exports that keep the day's earlier file."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, Label

from fundtrack.cli.main import main
from fundtrack.io.config import Config
from fundtrack.service.importing import import_files
from fundtrack.service.records import void_reason, void_record
from fundtrack.storage import audit, migrations
from fundtrack.storage import models as m
from fundtrack.storage.db import database
from fundtrack.tui.app import FundtrackApp
from fundtrack.tui.screens.dialogs import ConfirmVoid
from fundtrack.tui.widgets.record_table import RecordTable
from tests.conftest import SAMPLE
from tests.test_tui import open_project, settle


@pytest.fixture
def sample(backend: str, config: Config) -> int:
    import_files([str(p) for p in SAMPLE], config.import_options, operator="张会计")
    return m.Village.get().id


def _a_receipt() -> m.Receipt:
    return m.Receipt.select().join(m.Project).where(m.Project.code == "damochong-bridge").get()


def test_a_voids_reason_is_kept_in_the_trail_and_shown_by_history(
    sample: int, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert void_record("receipts", _a_receipt().id, "王", reason=void_reason("  重复录入\n ")) == []
    entry = audit.history(limit=1)[0]
    assert (entry.action, entry.reason) == ("void", "重复录入")
    assert main(["--db", backend, "history", "--format", "json", "--limit", "1"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["reason"] == "重复录入"
    assert main(["--db", backend, "history", "--format", "table", "--limit", "1"]) == 0
    assert "重复录入" in capsys.readouterr().out
    older = audit.history(limit=2)[1]
    assert older.action == "import" and older.reason is None


def test_void_reason_is_one_line_and_nothing_is_no_reason() -> None:
    assert void_reason("错\t账\x1b[31m 了") == "错 账 [31m 了"
    assert void_reason(" \n\t ") is None


def test_a_store_made_before_reasons_gains_the_column(sample: int) -> None:
    table = m.Change._meta.table_name
    database.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN reason')
    m.SchemaVersion.delete().where(m.SchemaVersion.version >= 2).execute()
    assert "reason" not in {c.name for c in database.get_columns(table)}
    applied, _ = migrations.migrate()
    assert 2 in applied
    assert "reason" in {c.name for c in database.get_columns(table)}
    assert void_record("receipts", _a_receipt().id, reason="错账") == []
    assert audit.history(limit=1)[0].reason == "错账"


async def test_voiding_in_the_app_asks_for_a_reason(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "minzu-school")
        screen.query_one("#tabs").active = "tab-receipts"
        await settle(pilot, app)
        screen.query_one("#t-receipts", RecordTable).focus()
        await pilot.press("x")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ConfirmVoid)
        assert dialog.focused is dialog.query_one("#reason", Input)
        await pilot.press("y")  # typed into the reason: no longer a key that voids at once
        await settle(pilot, app)
        assert app.screen is dialog and dialog.query_one("#reason", Input).value == "y"
        dialog.query_one("#reason", Input).value = "  "
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is dialog
        assert str(dialog.query_one("#reason-error", Label).content) == "请写明作废原因"
        assert m.Change.select().where(m.Change.action == "void").count() == 0
        await pilot.press(*"录错项目", "enter")
        await settle(pilot, app)
        assert app.screen is screen
        assert audit.history(limit=1)[0].reason == "录错项目"
