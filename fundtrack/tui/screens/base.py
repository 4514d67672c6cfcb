"""What every screen shares: words in the app's language, the snapshot, a filter box, a status line."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static, TabbedContent, TabPane

from fundtrack.ledger.money import Amount
from fundtrack.styles import money_text
from fundtrack.tui.strings import t
from fundtrack.tui.textual_words import LocalizedBindings
from fundtrack.tui.widgets.record_table import SHORTEN, WRAP, Column, RecordTable

if TYPE_CHECKING:
    from fundtrack.tui.app import FundtrackApp
    from fundtrack.tui.snapshot import Snapshot


def localize_bindings(node: DOMNode, language: str) -> None:
    """Footer descriptions are catalog keys in BINDINGS; show them in `language`."""
    originals: dict[str, str] = node.__dict__.setdefault("_binding_keys", {})
    for key, bindings in node._bindings.key_to_bindings.items():
        new = []
        for binding in bindings:
            ident = f"{key}:{binding.action}"
            source = originals.setdefault(ident, binding.description)
            new.append(replace(binding, description=t(language, source) if source.startswith("key.") else source))
        node._bindings.key_to_bindings[key] = new


# The actions that write (on the app and on every screen): none of them in the read-only mode of an
# auditor of a county's database.
WRITING_ACTIONS = frozenset({"add", "edit", "void", "undo", "import_file"})


class BaseScreen(LocalizedBindings, Screen):
    """A screen of the app: Esc goes back, / filters its main table, the footer speaks the app's language."""

    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("slash", "filter", "key.filter"),
    ]
    AUTO_FOCUS = "RecordTable"
    NEEDS_LEDGER = True
    """Whether the screen waits for the full ledger (not just the first project totals)."""
    HEAD = "title"
    """The id of the line at the top that says what the screen shows."""

    @property
    def fapp(self) -> FundtrackApp:
        return self.app  # type: ignore[return-value]

    @property
    def snapshot(self) -> Snapshot | None:
        return self.fapp.snapshot

    def t(self, key: str, **values: Any) -> str:
        return t(self.fapp.language, key, **values)

    def money(self, amount: Amount | None) -> Text:
        return money_text(amount, self.fapp.config.display_unit)

    def columns(self, *keys: str) -> list[Column]:
        """A table's columns headed by these catalog keys ("" for none); a key ending in ">" heads
        figures, aligned right."""
        return [Column(self.t(k.removesuffix(">")) if k else "", right=k.endswith(">")) for k in keys]

    def fitted(self, *keys: str) -> list[Column]:
        """Columns as `columns` gives them, where a key starting with "~" heads a text shortened in the
        middle and one starting with "+" a text wrapped, to fit the screen."""
        fits = {"~": SHORTEN, "+": WRAP}
        return [
            replace(col, fit=fits.get(k[:1], ""))
            for k, col in zip(keys, self.columns(*(k.lstrip("~+") for k in keys)), strict=True)
        ]

    def filter_state(self, value: str, key: str = "s") -> str:
        """What a screen's filter shows now, for its head line: the value and the key that changes it."""
        return f"[b]{self.t('word.showing', value=value, press=key)}[/b]"

    def note(self, voided: bool, *parts: str | None) -> str:
        """The note column: 已作废 first for a voided record, then the parts given."""
        return (self.t("word.voided") + " ") * voided + " ".join(p or "" for p in parts)

    # -- the layout

    def compose(self) -> ComposeResult:
        """A header, the head line, the filter box, the screen's body, a status line and the footer."""
        yield Header()
        yield Static(id=self.HEAD)
        yield self.filter_box()
        yield from self.compose_body()
        yield Static(id="status")
        # Compact, and without the palette's key (^p, listed in ?): q, ?, f2 and the screen's keys fit
        # an 80-column footer.
        yield Footer(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        """The screen's tables, between the filter box and the status line."""
        yield from ()

    def tabbed_tables(self, *tabs: tuple[str, str], tabs_id: str | None = None) -> ComposeResult:
        """One tab a table, for each (label key, name): the pane is #tab-<name>, the table #<name>."""
        with TabbedContent(id=tabs_id):
            for label, name in tabs:
                with TabPane(self.t(label), id=f"tab-{name}"):
                    yield RecordTable(id=name)

    @property
    def ready(self) -> bool:
        snap = self.snapshot
        return snap is not None and (snap.complete or not self.NEEDS_LEDGER)

    def on_mount(self) -> None:
        localize_bindings(self, self.fapp.language)
        if self.ready:
            self.show_snapshot()

    def relocalize(self) -> None:
        localize_bindings(self, self.fapp.language)
        self.refresh_bindings()
        filt = self.query(Input).filter("#filter")
        for box in filt:
            box.placeholder = self.t("word.filter")
        if self.ready:
            self.show_snapshot()

    def show_snapshot(self) -> None:
        """refresh_data, without cyclic garbage collection: a county's lists have hundreds of
        thousands of rows, and each collection pass over the ledger the app holds cost seconds
        (the county's findings list took 5.8 s to open)."""
        with self.fapp.without_cycle_collection():
            self.refresh_data()

    def refresh_data(self) -> None:
        """Show the app's current snapshot (called on mount and after every change)."""

    # -- the filter box

    def filter_box(self) -> Input:
        box = Input(placeholder=t(self.fapp.language, "word.filter"), id="filter", classes="hidden")
        box.can_focus = False  # until / shows it: letters typed on the screen are keys, not a query
        return box

    def main_table(self) -> RecordTable | None:
        tables = [w for w in self.query(RecordTable) if w.display]
        focused = self.focused if isinstance(self.focused, RecordTable) else None
        return focused or (tables[0] if tables else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In read-only mode the writing actions are neither shown nor run. Esc is in the footer where it
        does something: on a screen opened from another, or to close the filter box."""
        if getattr(self.app, "read_only", False) and action in WRITING_ACTIONS:
            return False
        if action == "back" and len(self.app.screen_stack) <= 2:
            box = self.query("#filter")
            return bool(box) and not box.first().has_class("hidden")
        return True

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("hidden")
        box.can_focus = True
        box.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        table = self._filter_target()
        if table is not None:
            table.filter(event.value)

    def _filter_target(self) -> RecordTable | None:
        target = getattr(self, "_filter_table", None)
        return target if target is not None else self.main_table()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        table = self._filter_target()
        if table is not None:
            table.focus()

    def action_back(self) -> None:
        box = self.query("#filter")
        if box and not box.first().has_class("hidden"):
            box.first().value = ""
            box.first().add_class("hidden")
            box.first().can_focus = False
            table = self._filter_target()
            if table is not None:
                table.focus()
            self.refresh_bindings()
            return
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    @on(RecordTable.PageChanged)
    def _page_changed(self, event: RecordTable.PageChanged) -> None:
        if event.table is self._filter_target():
            self._show_status(event.table)

    def _show_status(self, table: RecordTable) -> None:
        for status in self.query("#status").results(Static):
            status.update(self.t("word.page", page=table.page + 1, pages=table.pages, rows=len(table.filtered)))

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        tables = event.pane.query(RecordTable) if event.pane is not None else []
        if tables:
            self._filter_table = tables.first()
            self._filter_table.focus()
            self._show_status(self._filter_table)

    def on_descendant_focus(self, event: Any) -> None:
        if isinstance(event.widget, RecordTable):
            self._filter_table = event.widget
