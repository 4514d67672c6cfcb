"""The audit trail as a committee's log: who did what to which record and when; Enter shows an entry whole."""

from __future__ import annotations

from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from fundtrack.ledger import privacy
from fundtrack.storage import audit
from fundtrack.tui.history_words import Names, change_words, entry_detail, entry_words, record_words
from fundtrack.tui.screens.lists import ListScreen
from fundtrack.tui.strings import t
from fundtrack.tui.textual_words import LocalizedBindings
from fundtrack.tui.widgets.record_table import WRAP, Column, RecordTable, Row


class HistoryScreen(ListScreen):
    BINDINGS = [Binding("enter", "open", "key.open", show=False), Binding("ctrl+z", "app.undo", "key.undo")]

    def refresh_data(self) -> None:
        self.query_one("#title", Static).update(f"[b]{self.t('screen.history')}[/b]")
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        entries = audit.history(limit=2000)
        self.app.call_from_thread(self._show, entries)

    def names(self) -> Names:
        """What the entries' codes are called: the snapshot's projects, the configured kinds and categories."""
        snap = self.snapshot
        projects = {b.project.code: b.project.name for b in snap.breakdown.projects} if snap else {}
        config = self.fapp.config
        return Names(projects, config.kind_name, config.category_name)

    def _show(self, entries: list[audit.Entry]) -> None:
        lang, names = self.fapp.language, self.names()
        entries = [
            replace(e, before=privacy.masked(e.table, e.before), after=privacy.masked(e.table, e.after))
            for e in entries
        ]
        self._undone = undone_words(lang, entries, names)

        def row(e: audit.Entry) -> Row:
            undone = self._undone.get((e.after or {}).get("batch", -1), "") if e.action == "undo" else ""
            record = (
                record_words(lang, e.table, e.after if e.action == "add" else (e.before or e.after), names)
                if e.table
                else undone or (e.after or {}).get("village", "")
            )
            change = change_words(lang, e, names)
            return Row(
                str(e.id),
                (str(e.id), str(e.at)[:19], e.operator, self.t(f"action.{e.action}"), record, change),
                (e.operator, self.t(f"action.{e.action}"), record, change),
                e.undone,
                data=e,
            )

        self.query_one("#list", RecordTable).set_data(
            [
                Column("#"),
                Column(self.t("history.at")),
                Column(self.t("col.operator")),
                Column(self.t("col.action")),
                Column(self.t("col.record")),
                Column(self.t("col.change"), fit=WRAP, min_width=24),
            ],
            [row(e) for e in entries],
        )

    def open_row(self, row: Row) -> None:
        entry = row.data
        if isinstance(entry, audit.Entry):
            undone = self._undone.get((entry.after or {}).get("batch", -1), "") if entry.action == "undo" else ""
            self.app.push_screen(EntryDialog(self.fapp.language, entry, self.names(), undone))


def undone_words(language: str, entries: list[audit.Entry], names: Names) -> dict[int, str]:
    """For each batch among `entries`, what it did in words (an undo's entry says what it undid)."""
    out: dict[int, list[str]] = {}
    for e in reversed(entries):
        if e.action != "undo":
            out.setdefault(e.batch, []).append(entry_words(language, e, names))
    return {batch: t(language, "history.sep").join(words) for batch, words in out.items()}


class EntryDialog(LocalizedBindings, ModalScreen[None]):
    """One entry of the trail, whole: what, when, who, every field before and after, a void's reason."""

    BINDINGS = [Binding("escape", "close", "key.back"), Binding("enter", "close", "key.back", show=False)]

    def __init__(self, language: str, entry: audit.Entry, names: Names, undone: str = "") -> None:
        super().__init__()
        self.language = language
        self.entry = entry
        self.names = names
        self.undone = undone

    def compose(self) -> ComposeResult:
        lines = entry_detail(self.language, self.entry, self.names, self.undone)
        with VerticalGroup(classes="dialog", id="entry"):
            yield Label(f"[b]{t(self.language, 'history.entry_title', id=self.entry.id)}[/b]")
            with VerticalScroll(id="entry-lines"):
                yield Static("\n".join(f"{label}: {words}" for label, words in lines), markup=False, id="entry-text")
            with HorizontalGroup(classes="buttons"):
                yield Button(t(self.language, "history.close") + " (esc)", id="close")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
