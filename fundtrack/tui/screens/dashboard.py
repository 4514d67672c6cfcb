"""The village at a glance: every project's money as figures and bars, findings and hiring at the top."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from fundtrack.ledger.breakdown import ProjectBreakdown
from fundtrack.ledger.facts import next_milestones
from fundtrack.ledger.money import format_number
from fundtrack.ledger.vocab import PROJECT_STATUSES
from fundtrack.tui.messages import OpenProject
from fundtrack.tui.screens.base import BaseScreen
from fundtrack.tui.widgets.bar import funding_bar
from fundtrack.tui.widgets.record_table import SHORTEN, Column, RecordTable, Row


def bar_width(screen_width: int) -> int:
    """The funding bar's cells: short where 80 columns must hold the name, status and figures too."""
    return 10 if screen_width < 120 else 20


class DashboardScreen(BaseScreen):
    BINDINGS = [
        Binding("enter", "open", "key.open", show=False),
        Binding("a", "app.add", "key.add"),
        Binding("f", "app.funders", "key.funders"),
        Binding("e", "app.enterprises", "key.enterprises"),
        Binding("v", "app.levies", "key.levies", show=False),
        Binding("b", "app.households", "key.households", show=False),
        Binding("r", "app.findings", "key.findings"),
        Binding("s", "status", "key.status"),
        # In the ? panel and the palette; the footer keeps q, ? and the keys above at 80 columns.
        Binding("o", "app.export('breakdown')", "key.export", show=False),
        Binding("m", "app.export('document')", "key.document", show=False),
        Binding("n", "app.export('notice')", "key.notice", show=False),
        Binding("i", "app.import_file", "key.import", show=False),
    ]

    bar = 0
    """The funding bar's width the table was made with."""

    status = ""
    """The project status shown ("" for every project): s goes through the statuses there are."""

    NEEDS_LEDGER = False
    HEAD = "summary"

    def compose_body(self) -> ComposeResult:
        yield RecordTable(id="projects")

    def refresh_data(self) -> None:
        snap = self.snapshot
        assert snap is not None
        unit = self.fapp.config.display_unit
        self.bar = bar = bar_width(self.app.size.width)
        t = snap.breakdown.totals
        c = snap.reconciliation.counts()
        q = snap.quotas.totals

        def fmt(a: object) -> str:
            return format_number(a, unit)  # type: ignore[arg-type]

        shown = self.t(f"status.{self.status}") if self.status else self.t("word.all")
        lines = [
            f"[b]{snap.village or self.t('word.all_villages')}[/b]  {self.t('word.as_of')} {snap.as_of.isoformat()}"
            f"  {self.filter_state(shown)}",
            self.t(
                "summary.money",
                budget=fmt(t.budget),
                pledged=fmt(t.pledged),
                received=fmt(t.received),
                spent=fmt(t.spent),
                unit=unit,
            ),
            self.t("summary.findings", **c) if snap.complete else self.t("word.checking"),
            self.t(
                "summary.quotas", quota=q.quota, registered=q.registered, met=q.met, short=q.short, no_data=q.no_data
            )
            if snap.complete
            else "",
        ]
        self.query_one("#summary", Static).update("\n".join(lines))
        next_due = {
            pid: f"{m.name} {m.due.isoformat() if m.due else ''}".strip()
            for pid, m in next_milestones(snap.milestones).items()
        }
        # Name, status, the budget and the money that came in first: on an 80-column screen they are what fits
        # (the name is shortened in the middle); the rest is to the right, the name staying put.
        columns = [
            Column(self.t("col.project"), fit=SHORTEN),
            *self.columns(
                "col.status",
                "col.budget>",
                "col.received>",
                "col.bar",
                "col.pledged>",
                "col.spent>",
                "col.next",
                "col.code",
            ),
        ]

        def cells(b: ProjectBreakdown) -> tuple[object, ...]:
            p = b.project
            return (
                ("  " if p.parent else "") + p.name,
                self.t(f"status.{p.status}"),
                self.money(b.budget),
                self.money(b.received),
                funding_bar(b.budget, b.pledged, b.received, width=bar),
                self.money(b.pledged),
                self.money(b.spent),
                next_due.get(p.id, ""),
                p.code,
            )

        rows = [
            Row(
                key=str(b.project.id),
                cells=partial(cells, b),
                search=(b.project.code, b.project.name, b.project.village),
                data=b.project.id,
            )
            for b in snap.breakdown.projects
            if not self.status or b.project.status == self.status
        ]
        table = self.query_one("#projects", RecordTable)
        table.set_data(columns, rows, fit=5)
        if not rows:
            self.query_one("#status", Static).update(self.t("word.no_project"))

    def on_resize(self) -> None:
        """A wider screen gets a longer funding bar (and a narrower one a shorter)."""
        if self.ready and self.bar and bar_width(self.app.size.width) != self.bar:
            self.show_snapshot()

    def action_status(self) -> None:
        """Show the projects of the next status there is, then all of them again."""
        snap = self.snapshot
        if snap is None:
            return
        there = {b.project.status for b in snap.breakdown.projects}
        cycle = ["", *(s for s in PROJECT_STATUSES if s in there)]
        self.status = cycle[(cycle.index(self.status) + 1) % len(cycle)] if self.status in cycle else ""
        self.show_snapshot()

    @on(RecordTable.RowSelected, "#projects")
    def _selected(self, event: RecordTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.query_one("#projects", RecordTable).current_row()
        if row is not None:
            self.post_message(OpenProject(int(row.key)))
