"""Forms that prevent mistakes: a void's reason kept in the trail, warnings asked twice, placeholders,
focus, exports that keep the day's earlier file."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, Label, TabbedContent

from fundtrack.cli.main import main
from fundtrack.io import records
from fundtrack.io.config import Config
from fundtrack.io.files import unused_path
from fundtrack.ledger.breakdown import FunderTotal, with_every_funder
from fundtrack.ledger.money import Amount
from fundtrack.service.importing import import_files
from fundtrack.service.records import form_warnings, void_reason, void_record
from fundtrack.storage import audit, migrations
from fundtrack.storage import models as m
from fundtrack.storage.db import database
from fundtrack.tui.app import FundtrackApp
from fundtrack.tui.screens.dialogs import ConfirmVoid
from fundtrack.tui.screens.lists import FundersScreen
from fundtrack.tui.screens.record_form import RecordForm
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


def test_cli_history_table_words_a_void_as_the_app_does_not_field_names(
    sample: int, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`fundtrack history` in a terminal showed `receipts:196` and `voided: False → True`."""
    assert void_record("receipts", _a_receipt().id, "王", reason=void_reason("重复录入")) == []
    capsys.readouterr()
    assert main(["--db", backend, "--lang", "zh", "history", "--format", "table", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "作废收款" in out and "重复录入" in out, out
    assert "receipts:" not in out and "voided" not in out and "False" not in out


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


# -- warnings that ask for a second ctrl+s

TODAY = dt.date(2026, 11, 30)
KINDS = {"安居房住户": "villagers", "厦卡群众": "villagers", "大炭沟煤矿": "enterprise"}
LEVIES = {"housing-1"}


def _codes(table: str, rec: dict) -> list[tuple[str, str]]:
    return [(key, w.code) for key, w in records.warnings_of(table, rec, TODAY, KINDS, LEVIES)]


@pytest.mark.parametrize(
    ("table", "rec", "expected"),
    [
        (
            "receipts",
            {"project": "p", "funder": "大炭沟煤矿", "date": dt.date(2031, 5, 1)},
            [("date", "form_future_date")],
        ),
        ("receipts", {"project": "p", "funder": "大炭沟煤矿", "date": TODAY}, []),
        ("expenses", {"project": "p", "date": TODAY + dt.timedelta(days=1)}, [("date", "form_future_date")]),
        ("hires", {"enterprise": "e", "start": dt.date(2030, 1, 1)}, [("start", "form_future_date")]),
        ("headcounts", {"enterprise": "e", "date": dt.date(2027, 1, 1)}, [("date", "form_future_date")]),
        # planned dates may lie ahead: a milestone's due day, a project's expected end, a hire's end
        ("milestones", {"project": "p", "due": dt.date(2031, 1, 1)}, []),
        ("projects", {"code": "p", "expected_end": dt.date(2031, 1, 1)}, []),
        ("hires", {"enterprise": "e", "start": TODAY, "end": dt.date(2031, 1, 1)}, []),
        ("receipts", {"project": "housing-1", "funder": "安居房住户"}, [("household", "form_levy_without_household")]),
        ("receipts", {"project": "housing-1", "funder": "安居房住户", "household": "新云-200"}, []),
        # villagers giving to a project without a levy: no household is asked for, and one given is a slip
        ("receipts", {"project": "xiaka-road", "funder": "厦卡群众"}, []),
        (
            "receipts",
            {"project": "xiaka-road", "funder": "厦卡群众", "household": "1"},
            [("household", "form_household_not_levy")],
        ),
        (
            "receipts",
            {"project": "housing-1", "funder": "大炭沟煤矿", "household": "新云-200"},
            [("household", "form_household_not_levy")],
        ),
        ("receipts", {"project": "housing-1", "funder": "大炭沟煤矿"}, []),
        # an unknown funder is the checker's error, not a warning
        ("receipts", {"project": "housing-1", "funder": "不知道", "household": "1"}, []),
        (
            "receipts",
            {"project": "housing-1", "funder": "安居房住户", "date": dt.date(2031, 1, 1)},
            [("date", "form_future_date"), ("household", "form_levy_without_household")],
        ),
    ],
)
def test_warnings_of_a_record_about_to_be_saved(table: str, rec: dict, expected: list) -> None:
    assert _codes(table, rec) == expected


def test_a_future_date_warning_says_both_days_in_chinese() -> None:
    ((_, warning),) = records.warnings_of("receipts", {"date": dt.date(2031, 5, 1)}, TODAY)
    assert warning.text("zh").startswith("2031-05-01 在今天 (2026-11-30) 之后")


def test_form_warnings_know_the_stores_funders_and_levies(sample: int) -> None:
    raw = {"project": "housing-1", "funder": "安居房住户", "amount": "2", "date": TODAY}
    assert [(k, w.code) for k, w in form_warnings(sample, "receipts", raw, TODAY)] == [
        ("household", "form_levy_without_household")
    ]
    raw = {"project": "minzu-school", "funder": "大炭沟煤矿", "amount": "2", "date": TODAY, "household": "x"}
    assert [(k, w.code) for k, w in form_warnings(sample, "receipts", raw, TODAY)] == [
        ("household", "form_household_not_levy")
    ]


async def _receipt_form(pilot, app: FundtrackApp, code: str) -> RecordForm:
    await settle(pilot, app)
    await open_project(pilot, app, code)
    await pilot.press("a")
    await settle(pilot, app)
    assert isinstance(app.screen, RecordForm)
    return app.screen


def _shown(form: RecordForm, selector: str) -> str:
    label = form.query_one(selector, Label)
    return str(label.content) if label.display else ""


async def test_a_receipt_dated_after_today_is_saved_only_on_a_second_ctrl_s(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _receipt_form(pilot, app, "minzu-school")
        before = m.Receipt.select().count()
        for key, value in {"funder": "大炭沟煤矿", "amount": "1万", "date": "2031-05-01"}.items():
            form.query_one(f"#f-{key}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form and m.Receipt.select().count() == before
        assert "在今天" in _shown(form, "#warn-date")
        assert "再按 ctrl+s 仍然保存" in _shown(form, "#form-warning")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is not form and m.Receipt.select().count() == before + 1


async def test_a_changed_field_is_checked_again(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _receipt_form(pilot, app, "housing-1")
        before = m.Receipt.select().count()
        for key, value in {"funder": "安居房住户", "amount": "2万", "date": "2025-05-01"}.items():
            form.query_one(f"#f-{key}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "哪一户" in _shown(form, "#warn-household")
        form.query_one("#f-date", Input).value = "2031-05-01"  # another slip: checked again, not saved
        await settle(pilot, app)
        assert _shown(form, "#form-warning") == ""
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form and m.Receipt.select().count() == before
        assert "在今天" in _shown(form, "#warn-date") and "哪一户" in _shown(form, "#warn-household")
        form.query_one("#f-date", Input).value = "2025-05-01"
        form.query_one("#f-household", Input).value = "新云-100"
        await pilot.press("ctrl+s")  # nothing left to warn about: saved at once
        await settle(pilot, app)
        assert app.screen is not form
        assert m.Receipt.select().where(m.Receipt.household == "新云-100").count() == 1
        assert m.Receipt.select().count() == before + 1


async def test_a_household_on_a_companys_receipt_is_asked_about(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _receipt_form(pilot, app, "housing-1")
        for key, value in {
            "funder": "大炭沟煤矿",
            "amount": "2万",
            "date": "2025-05-01",
            "household": "新云-009",
        }.items():
            form.query_one(f"#f-{key}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form and "不是群众集资款" in _shown(form, "#warn-household")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is not form


# -- placeholders and focus


def test_a_date_example_is_never_earlier_than_the_date_it_follows() -> None:
    assert records.date_example("receipts", "date", {}) == "2025-06-30"
    assert records.date_example("hires", "end", {"start": "2031-02-03"}) == "2031-02-03"
    assert records.date_example("hires", "end", {"start": "2020-01-01"}) == "2025-06-30"
    assert records.date_example("hires", "end", {"start": "明天"}) == "2025-06-30"
    assert records.date_example("projects", "expected_end", {"start": "2027/1/2"}) == "2027-01-02"


async def _new_form(pilot, app: FundtrackApp, table: str) -> RecordForm:
    await settle(pilot, app)
    app.open_form(table, {})
    await settle(pilot, app)
    assert isinstance(app.screen, RecordForm)
    return app.screen


async def test_placeholders_are_examples_and_only_declared_dates_are_filled_in(tui_app: FundtrackApp) -> None:
    app = tui_app
    today = dt.date.today().isoformat()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_form(pilot, app, "hires")
        start, end = form.query_one("#f-start", Input), form.query_one("#f-end", Input)
        assert start.value == today  # declared: a hire starts today unless told otherwise
        assert end.value == "" and end.placeholder == f"例如 {today}"  # never before the start
        start.value = "2031-02-03"
        await settle(pilot, app)
        assert end.placeholder == "例如 2031-02-03"
        await pilot.press("escape")
        form = await _new_form(pilot, app, "projects")
        for key in ("start", "expected_end"):
            box = form.query_one(f"#f-{key}", Input)
            assert box.value == "" and box.placeholder == "例如 2025-06-30"


@pytest.mark.parametrize(
    ("table", "blank", "editing", "expected"),
    [
        ("receipts", {"funder", "amount", "voucher", "household", "note"}, False, "funder"),
        ("receipts", {"amount", "voucher", "household", "note"}, False, "amount"),
        ("receipts", {"project", "amount", "voucher", "household", "note"}, False, "project"),
        ("receipts", {"voucher", "household", "note"}, False, "voucher"),
        ("receipts", {"voucher", "household", "note"}, True, "amount"),
        ("milestones", {"due", "note"}, True, "name"),
        ("hires", {"end", "settlement", "id_number", "note"}, True, "person"),
    ],
)
def test_the_field_a_form_opens_on(table: str, blank: set[str], editing: bool, expected: str) -> None:
    keys = [key for key, _ in records.fields_of(table)]
    assert records.first_to_fill(table, keys, blank, editing) == expected


def test_a_correction_in_place_opens_past_its_fixed_name() -> None:
    keys = [key for key, _ in records.fields_of("settlements") if key != "name"]  # the name is not editable
    assert records.first_to_fill("settlements", keys, set(), editing=True) == "households"
    keys = [key for key, _ in records.fields_of("projects") if key != "code"]
    assert records.first_to_fill("projects", keys, set(), editing=True) == "budget"


async def test_a_new_receipt_opens_on_its_funder_and_a_correction_on_its_amount(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _receipt_form(pilot, app, "minzu-school")
        assert form.focused is form.query_one("#f-funder", Input)
        await pilot.press("escape")
        await settle(pilot, app)
        screen = app.screen
        screen.query_one("#tabs").active = "tab-receipts"
        await settle(pilot, app)
        screen.query_one("#t-receipts", RecordTable).focus()
        await pilot.press("c")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, RecordForm) and form.editing is not None
        assert form.query_one("#f-household", Input).value == ""  # the first empty field: not where one starts
        assert form.focused is form.query_one("#f-amount", Input)


# -- exports keep the day's earlier file


def test_an_unused_path_is_numbered_beside_the_taken_one(tmp_path: Path) -> None:
    first = tmp_path / "breakdown-2026-11-30.xlsx"
    assert unused_path(first) == first
    first.write_text("1")
    assert unused_path(first) == tmp_path / "breakdown-2026-11-30-2.xlsx"
    (tmp_path / "breakdown-2026-11-30-2.xlsx").symlink_to(tmp_path / "nowhere")  # a dangling link is taken too
    assert unused_path(first) == tmp_path / "breakdown-2026-11-30-3.xlsx"


async def test_exporting_twice_a_day_keeps_both_files(tui_app: FundtrackApp, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    app = tui_app
    today = dt.date.today().isoformat()
    folder = tmp_path / "fundtrack-exports"
    stem = "资金构成"  # the app's language names the file
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        for _ in range(2):
            await pilot.press("o")
            await settle(pilot, app)
            await pilot.click("#ok")
            await settle(pilot, app)
        assert sorted(p.name for p in folder.iterdir()) == [f"{stem}-{today}-2.md", f"{stem}-{today}.md"]
        await pilot.press("o")
        await settle(pilot, app)
        box = app.screen.query_one("#path", Input)
        assert box.value == str(folder / f"{stem}-{today}-3.md")
        box.value = str(folder / f"{stem}-{today}.md")  # typed over an earlier file: that file is kept
        (folder / f"{stem}-{today}.md").write_text("earlier", encoding="utf-8")
        await pilot.click("#ok")
        await settle(pilot, app)
        assert (folder / f"{stem}-{today}.md").read_text(encoding="utf-8") == "earlier"
        assert (folder / f"{stem}-{today}-3.md").read_text(encoding="utf-8").startswith("#")
        notices = [str(n.message) for n in app._notifications]
        assert any(f"{stem}-{today}-3.md" in n for n in notices), notices


# -- the committee report counts what it numbers


def test_committee_report_counts_the_projects_it_numbers_not_their_children(sqlite_db: str, tmp_path: Path) -> None:
    """It said 全村11个项目 over 9 numbered projects: two schools are told under their parent project."""
    out = tmp_path / "report.md"
    assert main(["--db", sqlite_db, "import", *map(str, SAMPLE)]) == 0
    assert (
        main(["--db", sqlite_db, "report", "document", "--as-of", "2025-06-30", "--format", "md", "-o", str(out)]) == 0
    )
    text = out.read_text(encoding="utf-8")
    counted = re.search(r"全村(\d+)个项目（另有(\d+)个子项目", text)
    assert counted is not None, text[:400]
    section = text.split("## 二、项目资金")[1].split("## 三、")[0]
    numbered = re.findall(r"^### \d+\. ", section, flags=re.M)
    told_under = re.findall(r"^其中\S+：", section, flags=re.M)
    assert (int(counted[1]), int(counted[2])) == (len(numbered), len(told_under)) == (9, 2)


# -- a new funder is listed before its first pledge


def test_every_funder_is_listed_the_idle_ones_at_zero_after_the_others() -> None:
    busy = FunderTotal("村", "煤矿", "enterprise", 1, Amount(100), Amount(50), Amount(50), 0)
    listed = with_every_funder([busy], [("村", "新河煤矿", "enterprise"), ("村", "煤矿", "enterprise")])
    assert listed == [busy, FunderTotal("村", "新河煤矿", "enterprise", 0, Amount(0), Amount(0), Amount(0), 0)]


async def test_a_funder_just_added_is_on_the_funders_screen_and_offered_in_forms(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_form(pilot, app, "funders")
        form.query_one("#f-name", Input).value = "县水务局"
        form.query_one("#f-kind").value = "agency_support"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("f")
        await settle(pilot, app)
        assert isinstance(app.screen, FundersScreen)
        rows = [r for r in app.screen.query_one(RecordTable).filtered if r.values[0] == "县水务局"]
        assert len(rows) == 1 and "站所帮扶" in rows[0].values
        form = await _new_form(pilot, app, "pledges")
        assert "县水务局" in form.suggestions["funder"]


# -- ← → switch the project screen's tabs


async def test_left_and_right_switch_tabs_but_move_the_cursor_in_a_text_box(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "minzu-school")
        tabs = screen.query_one("#tabs", TabbedContent)
        assert tabs.active == "tab-funding"
        await pilot.press("right")
        await settle(pilot, app)
        assert tabs.active == "tab-receipts"
        assert screen.focused is screen.query_one("#t-receipts", RecordTable)
        await pilot.press("right", "left", "left")
        await settle(pilot, app)
        assert tabs.active == "tab-funding"
        await pilot.press("left")  # round from the first tab to the last
        await settle(pilot, app)
        assert tabs.active == "tab-trends"
        await pilot.press("slash", *"abc", "left", "left", "x")
        await settle(pilot, app)
        box = screen.query_one("#filter", Input)
        assert screen.focused is box and box.value == "axbc" and tabs.active == "tab-trends"
        await pilot.press("escape", "question_mark")
        await settle(pilot, app)
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen.query_one("KeysPanel").query_one("#keys-table").content)
        shown = console.export_text()
        assert "← 上一页签 (输入框内: 光标左移)" in shown and "→ 下一页签 (输入框内: 光标右移)" in shown, shown


async def test_errors_come_before_warnings(tui_app: FundtrackApp) -> None:
    """A record that cannot be saved is never offered a second ctrl+s: its errors show, not its warnings."""
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _receipt_form(pilot, app, "housing-1")
        form.query_one("#f-funder", Input).value = "安居房住户"  # a levy payment without its household...
        form.query_one("#f-date", Input).value = "2031-05-01"  # ...dated after today, and no amount
        for _ in range(2):
            await pilot.press("ctrl+s")
            await settle(pilot, app)
            assert app.screen is form
            assert _shown(form, "#err-amount") and _shown(form, "#form-warning") == ""
        form.query_one("#f-amount", Input).value = "2万"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert _shown(form, "#form-warning") == "有2处请核对 (标黄); 再按 ctrl+s 仍然保存"


async def test_the_void_confirmation_skips_empty_parts_and_names_the_unit(tui_app: FundtrackApp) -> None:
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
        parts = dialog.what.split(" · ")
        assert all(p.strip() for p in parts), dialog.what
        assert any(p.endswith("万元") for p in parts), dialog.what


async def test_the_fix_errors_line_goes_once_the_error_is_fixed(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _receipt_form(pilot, app, "housing-1")
        form.query_one("#f-funder", Input).value = "安居房住户"
        form.query_one("#f-date", Input).value = "2031-05-01"
        form.query_one("#f-amount", Input).value = "abc"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert _shown(form, "#form-error") == "请改正标红的项"
        form.query_one("#f-amount", Input).value = "2万"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert _shown(form, "#form-warning") and _shown(form, "#form-error") == ""


async def test_tab_accepts_the_funder_suggestion(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _receipt_form(pilot, app, "housing-1")
        box = form.query_one("#f-funder", Input)
        box.focus()
        await pilot.press(*"安居")
        await settle(pilot, app)
        assert box._suggestion == "安居房住户"
        await pilot.press("tab")
        await settle(pilot, app)
        assert box.value == "安居房住户" and form.focused is not box


async def test_at_80x24_the_form_scrolls_to_the_first_error(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.open_form("projects", None)
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, RecordForm)
        fields = form.query_one("#form-fields")  # nothing filled in: the code, first, is missing
        fields.scroll_end(animate=False)
        await settle(pilot, app)
        assert fields.scroll_y > 0
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        error = form.query_one("#err-code", Label)
        assert error.display and fields.scrollable_content_region.contains_region(error.region)
