"""Acceptance: a Chinese-only committee member walks every screen, dialog, form, notice, the help panel and
the command palette in zh at 80x24 and meets no English word beyond the data's own names and codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from textual.widgets import Input, Label

from fundtrack.io.records import FORM_TABLES, kind_of
from fundtrack.storage import models as m
from fundtrack.tui.app import FundtrackApp
from fundtrack.tui.screens.dialogs import ConfirmVoid
from fundtrack.tui.screens.project import ProjectScreen
from fundtrack.tui.screens.record_form import RecordForm
from fundtrack.tui.widgets.record_table import RecordTable
from tests.test_tui import open_project, settle

WORD = re.compile(r"[A-Za-z]{3,}")
# The names printed on the keys of a keyboard (the help panel and the footer show keys by them),
# the program's own name (its command is typed so) and the picture format a screenshot is saved in.
KEYCAPS = {"esc", "del", "tab", "shift", "ctrl", "home", "end", "pgup", "pgdn", "super", "enter", "fundtrack", "svg"}
# Codes people meet outside the app too: the extensions of the files an export writes, the folder
# exports go to (README), and the pinyin initials the filter box gives as an example of what to type.
CODES = {"md", "csv", "json", "xlsx", "docx", "fundtrack-exports", "dtg"}
# Data: what people typed or imported (names, codes, notes, vouchers, file names, operators).
DATA_FIELDS = {
    m.Village: ("name", "township", "county", "ethnic_groups"),
    m.Settlement: ("name", "note"),
    m.Funder: ("name",),
    m.Enterprise: ("name",),
    m.Project: ("code", "name", "note"),
    m.Milestone: ("name", "note"),
    m.Pledge: ("quantity", "ref", "note"),
    m.Receipt: ("voucher", "household", "note"),
    m.Expense: ("item", "voucher", "note"),
    m.Hire: ("person", "note"),
    m.Change: ("operator",),
}


def data_texts() -> list[str]:
    texts: list[str] = []
    for model, fields in DATA_FIELDS.items():
        for row in model.select():
            texts += [str(getattr(row, f)).lower() for f in fields if getattr(row, f)]
    for change in m.Change.select().where(m.Change.action == "import"):
        texts.append(str(json.loads(change.after or "{}").get("file", "")).lower())
    texts.append(str(Path.home()).lower())  # where exports are saved
    return texts


def english(app: FundtrackApp, data: list[str]) -> set[str]:
    """The ASCII words of 3+ letters on the screen that are neither key names nor in the data."""
    text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
    return {w for w in WORD.findall(text) if not known(w, data)}


def known(word: str, data: list[str]) -> bool:
    return word.lower() in KEYCAPS or any(word.lower() in d for d in [*data, *CODES])


class Walk:
    """Looks at every screen on the way and keeps what English it meets, by where."""

    def __init__(self, app: FundtrackApp, pilot: object) -> None:
        self.app, self.pilot = app, pilot
        self.found: dict[str, set[str]] = {}
        self.data = data_texts()
        self.seen = 0
        self.places: set[str] = set()

    def known(self, word: str) -> bool:
        return known(word, self.data)

    async def look(self, where: str) -> None:
        await settle(self.pilot, self.app)
        self.seen += 1
        self.places.add(where)
        words = english(self.app, self.data)
        if words:
            self.found[where] = words

    async def look_at_labels(self, where: str) -> None:
        """Every line of the screen's labels, scrolled out of sight or not (a long form's errors)."""
        await settle(self.pilot, self.app)
        text = "\n".join(getattr(label.render(), "plain", "") for label in self.app.screen.query(Label))
        words = {w for w in WORD.findall(text) if not self.known(w)}
        if words:
            self.found[where + " (labels)"] = words

    async def press(self, where: str, *keys: str) -> None:
        await self.pilot.press(*keys)  # type: ignore[attr-defined]
        await self.look(where)


@pytest.mark.slow  # a walk through every screen (about 40 s): with the slow checks, which CI runs too
async def test_every_screen_is_in_chinese(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        walk = Walk(app, pilot)
        await walk.look("dashboard")
        await walk.press("help panel", "question_mark")
        await walk.press("dashboard", "question_mark")
        await walk.press("palette", "ctrl+p")
        await walk.press("palette search", *"没有这个")
        await pilot.pause(0.8)
        await walk.look("palette no matches")
        await walk.press("palette", "ctrl+u")
        await walk.press("palette theme", *"配色")
        await walk.press("theme chooser", "enter")
        await walk.press("dashboard", "escape")
        await walk.press("ctrl+c hint", "ctrl+c")
        for key, where in (("f", "funders"), ("e", "enterprises"), ("v", "levies"), ("r", "findings")):
            await walk.press(where, key)
            await walk.press(f"{where} help", "question_mark")
            await walk.press(where, "question_mark")
            if where in ("funders", "enterprises"):
                await walk.press(f"{where}: one", "enter")
                await walk.press(f"{where}: one help", "question_mark")
                await walk.press(where, "question_mark")
                if where == "enterprises":  # one with a roster: void a hire from it
                    await walk.press(where, "escape", "slash", *"dtg", "enter", "enter")
                    app.screen.query_one("#roster", RecordTable).focus()
                    await walk.press("roster void dialog", "x")
                    assert isinstance(app.screen, ConfirmVoid)
                    await walk.press(where, "escape")
                await walk.press(where, "escape")
            await walk.press("filter", "slash")
            await walk.press("filter help", "question_mark")
            await walk.press(where, "question_mark", "escape")
            await walk.press("dashboard", "escape")
        screen = await open_project(pilot, app, "housing-1")
        await walk.look("project")
        for tab in ("funding", "receipts", "expenses", "milestones", "in_kind", "findings", "levy"):
            if screen.query(f"#tab-{tab}"):
                screen.query_one("#tabs").active = f"tab-{tab}"
                await walk.look(f"project {tab}")
        screen.query_one("#tabs").active = "tab-receipts"
        await settle(pilot, app)
        screen.query_one("#t-receipts", RecordTable).focus()
        await walk.press("void dialog", "x")
        await walk.press("voided notice", "y")
        await walk.press("undone notice", "ctrl+z")
        await walk.press("export dialog", "o")
        await walk.press("export format", "tab", "enter")
        while not isinstance(app.screen, ProjectScreen):
            await walk.press("export dialog", "escape")
        app.action_dashboard()
        await walk.look("dashboard")
        await walk.press("choose record", "a")
        await walk.press("dashboard", "escape")
        for table in FORM_TABLES:
            app.action_add(table)
            await walk.look(f"form {table}")
            app.action_show_help_panel()  # as the palette's 按键帮助 does: ? is a character in a form
            await walk.look(f"form {table} help")
            app.action_hide_help_panel()
            for box in app.screen.query(Input):
                if not box.disabled:
                    box.value = "长" * 300 if box.id in ("f-name", "f-note", "f-person", "f-item") else "9999-99-99"
            await walk.press(f"form {table} bad values", "ctrl+s")
            await walk.look_at_labels(f"form {table} bad values")
            for box in app.screen.query(Input):
                if not box.disabled:
                    box.value = "没有这个名字" if box.id in ("f-project", "f-funder", "f-enterprise") else ""
            await walk.press(f"form {table} unknown names", "ctrl+s")
            await walk.look_at_labels(f"form {table} unknown names")
            await walk.press("dashboard", "escape")
        await walk.press("history", "h")
        await walk.press("history entry", "enter")
        await walk.press("history", "escape")
        await walk.press("nothing to undo", "escape")
        await walk.press("village chooser", "w")
        await walk.press("dashboard", "escape")
        await walk.press("document export", "m")
        await walk.press("dashboard", "escape")
    assert walk.seen > 60
    visited = {"help panel", "palette no matches", "theme chooser", "roster void dialog", "void dialog"}
    visited |= {"undone notice", "export dialog", "history entry", "village chooser", "form hires bad values"}
    assert visited <= walk.places, visited - walk.places
    assert walk.found == {}, "\n".join(f"{where}: {sorted(words)}" for where, words in walk.found.items())


VALID = {
    "projects": {"code": "new-road", "name": "新修公路", "budget": "88万", "settlements": "厦卡、打磨冲"},
    "pledges": {"project": "faao-water", "funder": "上级拨款", "amount": "500万", "date": "2024-05-01"},
    "levies": {"project": "xiaka-road", "funder": "厦卡群众", "per_household": "0.5万", "households": "8"},
    "expenses": {"project": "faao-water", "amount": "3.2万", "item": "管道", "date": "2025-01-02"},
    "milestones": {"project": "faao-water", "name": "通水", "due": "2025-12-31"},
    "funders": {"name": "县水务局"},
    "enterprises": {"name": "新开煤矿", "hiring_quota": "80"},
    "hires": {"enterprise": "沟发煤矿", "person": "张三", "start": "2025-01-01", "settlement": "厦卡"},
    "headcounts": {"enterprise": "沟发煤矿", "date": "2025-06-30", "local_workers": "40"},
    "settlements": {"name": "梨树坪", "households": "30"},
    "receipts": {"project": "housing-1", "funder": "安居房住户", "amount": "2", "date": "2025-01-02"},
    "households": {"code": "新云-900", "head": "张三", "settlement": "新云", "people": "4"},
}
# Bad values by how a field is read (io/records.kind_of): a word, a negative or huge number, a text
# too long, a day that does not exist, a name nobody has.
BAD = {
    "amount": ("abc", "-5", "9" * 40, "0.001"),
    "count": ("abc", "-5", "9" * 40),
    "date": ("abc", "2024-02-30"),
    "names": ("没有这个名字", "长" * 5000),
    "text": ("没有这个名字", "长" * 5000),
}


# Whole records that the rules refuse (a levy paid by a grant, joint funders of two kinds, ...).
REFUSED = (
    ("levies", {"funder": "上级拨款"}),
    ("enterprises", {"name": "上级拨款"}),
    ("pledges", {"funder": "", "funders": "上级拨款、沟发煤矿"}),
    ("pledges", {"funder": "", "funders": "沟发煤矿"}),
    ("pledges", {"funders": "沟发煤矿、新华煤矿"}),
    ("pledges", {"funder": ""}),
    ("hires", {"start": "2025-01-01", "end": "2024-01-01"}),
    ("headcounts", {"local_workers": "4", "management": "9"}),
    ("projects", {"code": "housing-1", "name": "一期安居房工程"}),
    ("projects", {"parent": "new-road"}),
    ("funders", {"name": "上级拨款"}),
)


@pytest.mark.slow  # every field of every form with bad values (about 50 s): with the slow checks
async def test_every_forms_errors_are_in_chinese(tui_app: FundtrackApp) -> None:
    """Each field of each form, one at a time, given bad values, and records the rules refuse: every
    message is in Chinese."""
    app = tui_app
    found: dict[str, set[str]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        data = data_texts() + [
            bad.lower() for bads in BAD.values() for bad in bads
        ]  # what was typed may be quoted back
        assert set(VALID) == set(FORM_TABLES)

        async def attempt(where: str, table: str, values: dict[str, str]) -> None:
            """Fill the form, save, and keep the English it shows; close it when it stays open."""
            if not isinstance(app.screen, RecordForm) or app.screen.table != table:
                app.action_add(table)
                await settle(pilot, app)
            form = app.screen
            for box in form.query(Input):
                if box.id and box.id.startswith("f-") and not box.disabled:
                    box.value = values.get(box.id[2:], "")
            await pilot.press("ctrl+s")
            await settle(pilot, app)
            shown = [getattr(label.render(), "plain", "") for label in form.query(Label)]
            shown += [str(n.message) for n in app._notifications]
            words = {w for w in WORD.findall("\n".join(shown)) if not known(w, data)}
            if words:
                found[where] = words

        for table, values in VALID.items():
            app.action_add(table)
            await settle(pilot, app)
            keys = [box.id[2:] for box in app.screen.query(Input) if box.id and box.id.startswith("f-")]
            for key in keys:
                for bad in BAD.get(kind_of(table, key), ()):
                    await attempt(f"{table}.{key}={bad[:12]}", table, {**values, key: bad})
        for table, values in REFUSED:
            await attempt(f"{table} {values}", table, {**VALID[table], **values})
            assert isinstance(app.screen, RecordForm), (table, values)
            await pilot.press("escape")
            await settle(pilot, app)
    assert found == {}, "\n".join(f"{where}: {sorted(words)}" for where, words in found.items())


async def test_the_undo_notice_and_the_history_name_the_record(tui_app: FundtrackApp) -> None:
    from textual.widgets import Static

    from fundtrack.tui.screens.history import EntryDialog, HistoryScreen

    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_project(pilot, app, "minzu-school")
        screen.query_one("#tabs").active = "tab-receipts"
        await settle(pilot, app)
        screen.query_one("#t-receipts", RecordTable).focus()
        await pilot.press("x")
        await settle(pilot, app)
        await pilot.press(*"重复录入", "enter")
        await settle(pilot, app)
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        notices = [str(n.message) for n in app._notifications]
        undone = next(n for n in notices if n.startswith("已撤销"))
        assert undone.startswith("已撤销: 作废收款 ") and "（xx村群众 → minzu-school xx民族学校）" in undone, notices
        assert "receipts" not in undone and "#" not in undone
        await pilot.press("escape", "h")
        await settle(pilot, app)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("down", "enter")  # the void, under the undo
        await settle(pilot, app)
        assert isinstance(app.screen, EntryDialog)
        text = str(app.screen.query_one("#entry-text", Static).content)
        assert "操作人: " in text and "已作废: 否 → 是" in text and "出资方: xx村群众" in text
        assert "状态: 已被撤销" in text and "voided" not in text and "True" not in text
        assert "重复录入" in text  # the void's reason
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, HistoryScreen)


def test_a_database_problem_is_said_without_the_databases_english() -> None:
    from fundtrack.storage.db import StoreError
    from fundtrack.tui.form_words import store_words

    for code in ("store_read_only", "store_damaged", "store_refused", "store_gone"):
        problem = StoreError("/tmp/x.db", code, detail="attempt to write a readonly database")
        assert not WORD.findall(store_words("zh", problem).replace("fundtrack check", "")), code
        assert "readonly database" in store_words("en", problem)  # the command line and en keep it
    locked = StoreError("/tmp/x.db", "store_locked", seconds=10)
    assert store_words("zh", locked) == locked.text("zh")


async def test_the_app_says_a_database_problem_in_chinese(tui_app: FundtrackApp) -> None:
    from fundtrack.storage.db import StoreError

    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app._handle_exception(StoreError("/tmp/x.db", "store_read_only", detail="attempt to write a readonly database"))
        await settle(pilot, app)
        assert [str(n.message) for n in app._notifications][-1] == "数据库是只读的; 可以查看, 不能写入"


async def test_every_palette_command_is_in_chinese_and_english_in_en(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        commands = list(app.get_system_commands(app.screen))
        titles = [c.title for c in commands]
        assert {"配色", "按键帮助", "截图", "退出", "概览", "修改记录"} <= set(titles), titles
        for command in commands:
            assert not [w for w in WORD.findall(f"{command.title} {command.help}") if not known(w, [])], command
        await pilot.press("f2")
        await settle(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Theme", "Keys", "Screenshot", "Quit", "Overview", "History"} <= set(titles), titles


async def test_the_copy_keys_modifier_is_not_english_in_zh(tui_app: FundtrackApp) -> None:
    """The ? panel showed `^c super+c` for Textual's copy key: `super` is English to a Chinese reader."""
    from textual.binding import Binding

    async with tui_app.run_test(size=(80, 24)):
        assert "super" not in tui_app.get_key_display(Binding("super+c", "copy", "copy"))
