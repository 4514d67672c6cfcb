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
from fundtrack.tui.messages import OpenProject
from fundtrack.tui.screens.base import BaseScreen
from fundtrack.tui.widgets.bar import funding_bar
from fundtrack.tui.widgets.record_table import RecordTable, Row


class DashboardScreen(BaseScreen):
    BINDINGS = [
        Binding("enter", "open", "key.open", show=False),
        Binding("a", "app.add", "key.add"),
        Binding("f", "app.funders", "key.funders"),
        Binding("e", "app.enterprises", "key.enterprises"),
        Binding("v", "app.levies", "key.levies"),
        Binding("b", "app.households", "key.households", show=False),  # the footer is full at 80 columns
        Binding("r", "app.findings", "key.findings"),
        Binding("o", "app.export('breakdown')", "key.export"),
        Binding("m", "app.export('document')", "key.document"),
    ]

    NEEDS_LEDGER = False
    HEAD = "summary"

    def compose_body(self) -> ComposeResult:
        yield RecordTable(id="projects")

    def refresh_data(self) -> None:
        snap = self.snapshot
        assert snap is not None
        unit = self.fapp.config.display_unit
        t = snap.breakdown.totals
        c = snap.reconciliation.counts()
        q = snap.quotas.totals

        def fmt(a: object) -> str:
            return format_number(a, unit)  # type: ignore[arg-type]

        lines = [
            f"[b]{snap.village or self.t('word.all_villages')}[/b]  {self.t('word.as_of')} {snap.as_of.isoformat()}",
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
        # Name and figures first: on an 80-column screen they are what fits.
        columns = self.columns(
            "col.project",
            "col.status",
            "col.budget>",
            "col.pledged>",
            "col.received>",
            "col.spent>",
            "col.bar",
            "col.next",
            "col.code",
        )

        def cells(b: ProjectBreakdown) -> tuple[object, ...]:
            p = b.project
            return (
                ("  " if p.parent else "") + p.name,
                self.t(f"status.{p.status}"),
                self.money(b.budget),
                self.money(b.pledged),
                self.money(b.received),
                self.money(b.spent),
                funding_bar(b.budget, b.pledged, b.received),
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
        ]
        table = self.query_one("#projects", RecordTable)
        table.set_data(columns, rows)
        if not rows:
            self.query_one("#status", Static).update(self.t("word.no_project"))

    @on(RecordTable.RowSelected, "#projects")
    def _selected(self, event: RecordTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.query_one("#projects", RecordTable).current_row()
        if row is not None:
            self.post_message(OpenProject(int(row.key)))
