"""The audit trail: who changed what and when, with the values before and after."""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.binding import Binding
from textual.widgets import Static

from fundtrack.ledger import privacy
from fundtrack.storage import audit
from fundtrack.tui.screens.lists import ListScreen
from fundtrack.tui.widgets.record_table import WRAP, Column, RecordTable, Row


def describe(before: dict | None, after: dict | None) -> str:
    """The fields that differ, as `key: old → new`."""
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    return "; ".join(f"{k}: {before.get(k, '—')} → {after.get(k, '—')}" for k in keys if before.get(k) != after.get(k))


class HistoryScreen(ListScreen):
    BINDINGS = [Binding("ctrl+z", "app.undo", "key.undo")]

    def refresh_data(self) -> None:
        self.query_one("#title", Static).update(f"[b]{self.t('screen.history')}[/b]")
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        entries = audit.history(limit=2000)
        self.app.call_from_thread(self._show, entries)

    def _show(self, entries: list[audit.Entry]) -> None:
        entries = [
            replace(e, before=privacy.masked(e.table, e.before), after=privacy.masked(e.table, e.after))
            for e in entries
        ]
        rows = [
            Row(
                str(e.id),
                (
                    str(e.batch),
                    str(e.at)[:19],
                    e.operator,
                    self.t(f"action.{e.action}"),
                    f"{e.table}:{e.record}" if e.table else "",
                    describe(e.before, e.after),
                ),
                (e.operator, e.action, e.table or "", describe(e.before, e.after)),
                e.undone,
            )
            for e in entries
        ]
        self.query_one("#list", RecordTable).set_data(
            [
                Column("#"),
                Column(self.t("col.when")),
                Column(self.t("col.operator")),
                Column(self.t("col.action")),
                Column(self.t("col.record")),
                Column(self.t("col.change"), fit=WRAP, min_width=24),
            ],
            rows,
        )
