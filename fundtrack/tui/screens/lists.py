"""Funders, enterprises and the findings: one list screen each, and a detail screen for the first two (the levy
roll and the household register are in levies.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Static, TabbedContent, TabPane, TextArea

from fundtrack.ledger import privacy
from fundtrack.ledger.breakdown import funder_lines, funder_totals, with_every_funder
from fundtrack.ledger.facts import hire_active
from fundtrack.ledger.quotas import worst_first
from fundtrack.ledger.reconcile import about_enterprise, about_project, by_severity
from fundtrack.storage import audit, queries, writes
from fundtrack.storage.queries import HeadcountRow, HireRow, PledgeRow, ReceiptRow
from fundtrack.styles import styled
from fundtrack.tui.messages import OpenEnterprise, OpenProject
from fundtrack.tui.screens.base import BaseScreen
from fundtrack.tui.search import Plain
from fundtrack.tui.widgets.record_table import SHORTEN, WRAP, Column, RecordTable, Row
from fundtrack.tui.widgets.trend import hires_by_month, hires_chart


class ListScreen(BaseScreen):
    """A title line, a filter box, one table and a status line."""

    TITLE_KEY = ""

    def compose_body(self) -> ComposeResult:
        yield RecordTable(id="list")

    def table(self) -> RecordTable:
        return self.query_one("#list", RecordTable)

    @on(RecordTable.RowSelected, "#list")
    def _selected(self, event: RecordTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.table().current_row()
        if row is not None:
            self.open_row(row)

    def open_row(self, row: Row) -> None:
        """Open what the chosen row points at."""


class FundersScreen(ListScreen):
    BINDINGS = [Binding("enter", "open", "key.open", show=False), Binding("a", "app.add", "key.add")]

    def refresh_data(self) -> None:
        snap = self.snapshot
        assert snap is not None
        self.query_one("#title", Static).update(
            f"[b]{self.t('screen.funders')}[/b] · {snap.village or self.t('word.all_villages')}"
        )
        joint = self.t("word.joint").strip("() ")
        rows = [
            Row(
                f"{f.village}\t{f.name}",
                (
                    f.name if snap.village else f"{f.name} · {f.village}",
                    self.money(f.pledged),
                    self.money(f.received),
                    self.money(f.outstanding),
                    self.fapp.config.kind_name(f.kind),
                    str(f.projects),
                    f"{joint} ×{f.joint}" if f.joint else "",
                ),
                (f.name, f.kind, f.village),
                data=(f.village, f.name),
            )
            for f in with_every_funder(funder_totals(snap.breakdown), snap.funders)
        ]
        self.table().set_data(
            [
                Column(self.t("col.funders"), fit=SHORTEN, min_width=12),
                *self.columns("col.pledged>", "col.received>", "col.outstanding>", "col.kind", "col.projects>", ""),
            ],
            rows,
            fit=4,
        )

    def open_row(self, row: Row) -> None:
        self.app.push_screen(FunderScreen(row.data[1], row.data[0]))


class VillageRecordScreen(BaseScreen):
    """A screen about one funder or enterprise of a village, whose lists a worker loads from the store."""

    village = ""

    def _show(self, *lists: list[Any]) -> None:
        """Show the lists the worker loaded."""

    @work(thread=True, exclusive=True)
    def load_lists(self, table: str, name: str, *loaders: Callable[[int], list[Any]]) -> None:
        """Find the record `name` of `table` in the screen's village and show what each loader gives for its
        id: empty lists where there is no such record, and nothing new where the village is missing."""
        self.seen_change = audit.newest_change()  # read first: a void checks nothing came after
        village = writes.village_row(self.village)
        if village is None:
            return
        ident = queries.id_of(table, village.id, name)
        lists = [load(ident) if ident else [] for load in loaders]
        self.app.call_from_thread(self._show, *lists)


class FunderScreen(VillageRecordScreen):
    """A funder's pledges and receipts across projects, and what it still owes."""

    BINDINGS = [Binding("enter", "open", "key.open", show=False)]

    def __init__(self, name: str, village: str) -> None:
        super().__init__()
        self.funder = name
        self.village = village

    def compose_body(self) -> ComposeResult:
        yield from self.tabbed_tables(
            ("tab.funding", "lines"), ("tab.pledges", "pledges"), ("tab.receipts", "receipts")
        )

    def refresh_data(self) -> None:
        snap = self.snapshot
        assert snap is not None
        lines = []
        for b, n, ln in funder_lines(snap.breakdown, self.funder, self.village):
            who = self.t("sep").join(ln.funders) if ln.joint else ""
            lines.append(
                Row(
                    f"{b.project.id}:{n}",
                    (
                        b.project.name,
                        self.money(ln.pledged),
                        self.money(ln.received),
                        self.money(ln.outstanding),
                        self.t(f"form.{ln.form}"),
                        b.project.code,
                        who,
                    ),
                    (b.project.code, b.project.name),
                    data=b.project.id,
                )
            )
        self.query_one("#lines", RecordTable).set_data(
            [
                Column(self.t("col.project"), fit=SHORTEN, min_width=12),
                *self.columns("col.pledged>", "col.received>", "col.outstanding>", "col.form", "col.code"),
                Column(self.t("word.joint").strip("() ")),
            ],
            lines,
            fit=4,
        )
        self.query_one("#title", Static).update(f"[b]{self.funder}[/b]")
        self.load_lists(
            "funders",
            self.funder,
            lambda fid: queries.pledges_of(funder_id=fid),
            lambda fid: queries.receipts_of(funder_id=fid),
        )

    def _show(self, pledges: list[PledgeRow], receipts: list[ReceiptRow]) -> None:  # type: ignore[override]
        self.query_one("#pledges", RecordTable).set_data(
            self.columns("col.code", "col.funders", "col.form", "col.amount>", "col.when", "col.note"),
            [
                Row(
                    f"pledges:{p.id}",
                    (
                        p.project,
                        self.t("sep").join(p.funders),
                        self.t(f"form.{p.form}"),
                        self.money(p.amount) if p.amount else Text(self.t("word.unvalued"), style="dim"),
                        p.date.isoformat() if p.date else "",
                        self.note(p.voided, p.note),
                    ),
                    (p.project, p.note or ""),
                    bool(p.voided),
                )
                for p in pledges
            ],
        )
        self.query_one("#receipts", RecordTable).set_data(
            self.columns("col.when", "col.code", "col.amount>", "col.household", "col.voucher"),
            [
                Row(
                    f"receipts:{r.id}",
                    (
                        r.date.isoformat(),
                        r.project,
                        self.money(r.amount),
                        r.household or "",
                        self.note(r.voided, r.voucher),
                    ),
                    (r.project, r.household or "", r.voucher or ""),
                    bool(r.voided),
                )
                for r in receipts
            ],
        )

    def action_open(self) -> None:
        row = self.query_one("#lines", RecordTable).current_row()
        if row is not None and row.data is not None:
            self.post_message(OpenProject(row.data))

    @on(RecordTable.RowSelected, "#lines")
    def _selected(self, event: RecordTable.RowSelected) -> None:
        self.action_open()


QUOTA_FILTERS = ("", "short", "met", "no_data")


class EnterprisesScreen(ListScreen):
    BINDINGS = [
        Binding("enter", "open", "key.open", show=False),
        Binding("a", "app.add('hires')", "key.add"),
        Binding("s", "status", "key.status"),
        Binding("o", "app.export('quotas')", "key.export"),
    ]

    status = ""
    """The hiring status shown ("" for every enterprise): s goes 未达标, 达标, 无数据, all."""

    def refresh_data(self) -> None:
        snap = self.snapshot
        assert snap is not None
        q = snap.quotas.totals
        shown = self.t(f"quota.{self.status}") if self.status else self.t("word.all")
        self.query_one("#title", Static).update(
            f"[b]{self.t('screen.enterprises')}[/b] · {snap.village or self.t('word.all_villages')} · "
            f"{self.t('word.as_of')} {snap.as_of}  {self.filter_state(shown)}\n"
            + self.t(
                "summary.quotas", quota=q.quota, registered=q.registered, met=q.met, short=q.short, no_data=q.no_data
            )
        )
        rows = []
        for ln in worst_first(snap.quotas):
            if self.status and ln.status != self.status:
                continue
            e = ln.fact
            status = styled(self.t(f"quota.{ln.status}"), f"quota.{ln.status}")
            rows.append(
                Row(
                    f"{e.village}\t{e.name}",
                    (
                        e.name if snap.village else f"{e.name} · {e.village}",
                        str(ln.shortfall),
                        status,
                        str(e.registered),
                        str(e.quota),
                        "—" if e.declared is None else str(e.declared),
                        e.declared_on.isoformat() if e.declared_on else "—",
                        f"{e.registered_management}/{e.management_quota}",
                        self.t(f"enterprise.{e.kind}"),
                    ),
                    (e.name, e.kind, e.village),
                    data=(e.name, e.village),
                )
            )
        # What the screen is for first: who is short, by how many; the name stays put when scrolling right.
        self.table().set_data(
            [
                Column(self.t("col.enterprise"), fit=SHORTEN, min_width=14),
                *self.columns(
                    "col.shortfall>",
                    "col.status",
                    "col.registered>",
                    "col.quota>",
                    "col.declared>",
                    "col.declared_on",
                    "col.registered_management>",
                    "col.enterprise_kind",
                ),
            ],
            rows,
            fit=3,
        )

    def action_status(self) -> None:
        """Show the next hiring status: 未达标, 达标, 无数据, then every enterprise again."""
        self.status = QUOTA_FILTERS[(QUOTA_FILTERS.index(self.status) + 1) % len(QUOTA_FILTERS)]
        self.show_snapshot()

    def open_row(self, row: Row) -> None:
        self.post_message(OpenEnterprise(*row.data))


class EnterpriseScreen(VillageRecordScreen):
    """An enterprise's roster of local hires and its declared headcounts."""

    BINDINGS = [
        Binding("a", "add", "key.add"),
        Binding("c", "edit", "key.edit"),
        Binding("x", "void", "key.void"),
        Binding("s", "departed", "key.departed"),
        # As on the project screen: before the focused table, whose ← → would only scroll it sideways.
        Binding("left", "switch_tab(-1)", "key.prev_tab", show=False, priority=True),
        Binding("right", "switch_tab(1)", "key.next_tab", show=False, priority=True),
    ]

    departed = False
    """Whether the roster shows those who left (and voided records) besides the workers in post."""

    def __init__(self, name: str, village: str) -> None:
        super().__init__()
        self.enterprise = name
        self.village = village

    def compose_body(self) -> ComposeResult:
        with TabbedContent(id="tabs"):
            for label, name in (("tab.roster", "roster"), ("tab.headcounts", "headcounts")):
                with TabPane(self.t(label), id=f"tab-{name}"):
                    yield RecordTable(id=name)
            with TabPane(self.t("tab.trends"), id="tab-trends"), VerticalScroll():
                yield Static(id="trend")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_tab" and isinstance(self.focused, Input | TextArea):
            return False  # a text box keeps ← → for its cursor
        return super().check_action(action, parameters)

    def action_switch_tab(self, step: int) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        ids = [pane.id for pane in tabs.query(TabPane)]
        current = ids.index(tabs.active) if tabs.active in ids else 0
        tabs.active = str(ids[(current + step) % len(ids)])

    def refresh_data(self) -> None:
        snap = self.snapshot
        assert snap is not None
        line = next(
            (ln for ln in snap.quotas.lines if ln.fact.name == self.enterprise and ln.fact.village == self.village),
            None,
        )
        if line is not None:
            e = line.fact
            shown = self.t("word.with_departed") if self.departed else self.t("word.in_post")
            self.query_one("#title", Static).update(
                f"[b]{e.name}[/b] · {self.t('col.shortfall')} {line.shortfall} · {self.t('quota.' + line.status)} · "
                f"{self.t('col.registered')} {e.registered} · {self.t('col.quota')} {e.quota} · "
                f"{self.t('enterprise.' + e.kind)}  {self.filter_state(shown)}"
            )
        self.load_lists("enterprises", self.enterprise, queries.hires_of, queries.headcounts_of)

    def _show(self, hires: list[HireRow], counts: list[HeadcountRow]) -> None:  # type: ignore[override]
        voided = self.t("word.voided")
        as_of = self.snapshot.as_of if self.snapshot else None
        self._show_trend(hires, counts, as_of)

        def active(h: HireRow) -> bool:
            return as_of is not None and hire_active(h.start, h.end, as_of)

        self.query_one("#roster", RecordTable).set_data(
            self.fitted(
                "~col.person", "col.role", "col.start", "col.end", "col.settlement", "col.id_number", "col.note"
            ),
            [
                Row(
                    f"hires:{h.id}",
                    (
                        h.person,
                        self.t(f"role.{h.role}"),
                        h.start.isoformat(),
                        h.end.isoformat() if h.end else "",
                        h.settlement or "",
                        mask_id(h.id_number),
                        self.note(h.voided, h.note) + ("" if active(h) else " ·"),
                    ),
                    (h.person, h.settlement or ""),
                    bool(h.voided) or not active(h),
                )
                for h in hires
                if self.departed or (active(h) and not h.voided)
            ],
            fit=4,
        )
        self.query_one("#headcounts", RecordTable).set_data(
            self.columns("col.declared_on", "col.declared>", "col.registered_management>", ""),
            [
                Row(
                    f"headcounts:{c.id}",
                    (
                        c.date.isoformat(),
                        str(c.local_workers),
                        "" if c.management is None else str(c.management),
                        voided if c.voided else "",
                    ),
                    (c.date.isoformat(),),
                    bool(c.voided),
                )
                for c in counts
            ],
        )

    def action_departed(self) -> None:
        """Show those who left besides the workers in post, or the workers in post alone again."""
        self.departed = not self.departed
        self.show_snapshot()

    def _show_trend(self, hires: list[HireRow], counts: list[HeadcountRow], as_of: dt.date | None) -> None:
        """Local staff on the roster at each month's end, and what the enterprise declared, as bars."""
        if as_of is None:
            return
        rows = hires_by_month(
            [(h.start, h.end) for h in hires if not h.voided],
            [(c.date, c.local_workers) for c in counts if not c.voided],
            as_of,
        )
        chart = (
            hires_chart(self.t("trend.hires_title"), self.t("trend.hires_legend"), rows)
            if rows
            else self.t("trend.hires_none")
        )
        self.query_one("#trend", Static).update(chart)

    def _picked(self) -> tuple[str, int] | None:
        tab = (self.query_one("#tabs", TabbedContent).active or "tab-roster").removeprefix("tab-")
        if tab == "trends":
            return None
        row = self.query_one("#roster" if tab == "roster" else "#headcounts", RecordTable).current_row()
        if row is None or row.voided and row.key.startswith("headcounts"):
            return None
        table, _, ident = row.key.partition(":")
        return table, int(ident)

    def action_add(self) -> None:
        tab = (self.query_one("#tabs", TabbedContent).active or "tab-roster").removeprefix("tab-")
        self.fapp.open_form("headcounts" if tab == "headcounts" else "hires", {"enterprise": self.enterprise})

    def action_edit(self) -> None:
        picked = self._picked()
        if picked:
            self.fapp.open_form(picked[0], None, picked)

    def action_void(self) -> None:
        picked = self._picked()
        if picked:
            tab = "#roster" if picked[0] == "hires" else "#headcounts"
            row = self.query_one(tab, RecordTable).current_row()
            cells = [str(c) for c in row.values if str(c)] if row else []
            what = " · ".join([self.enterprise, self.t(f"history.what.{picked[0]}"), *cells])
            self.fapp.confirm_void(picked[0], picked[1], what, getattr(self, "seen_change", None))


def mask_id(id_number: str | None) -> str:
    """An ID number as every screen shows it (fundtrack.ledger.privacy.mask)."""
    return privacy.mask(id_number) if id_number else ""


SEVERITY_ORDER = ("", "error", "warning", "info")


def _finding_cells(severity: dict[str, Text], f: Any) -> tuple[Any, ...]:
    return severity[f.severity], f.subject, f.message


def _finding_texts(f: Any) -> tuple[str, ...]:
    return f.subject, f.code, *f.funders, Plain(f.message)


class FindingsScreen(ListScreen):
    """All findings, filterable by severity; Enter jumps to the project or enterprise."""

    BINDINGS = [
        Binding("enter", "open", "key.open", show=False),
        Binding("s", "severity", "key.severity"),
        Binding("o", "app.export('findings')", "key.export"),
    ]

    severity = ""

    def refresh_data(self) -> None:
        snap = self.snapshot
        assert snap is not None
        c = snap.reconciliation.counts()
        shown = self.t(f"severity.{self.severity}") if self.severity else self.t("word.all")
        self.query_one("#title", Static).update(
            f"[b]{self.t('screen.findings')}[/b] · {snap.village or self.t('word.all_villages')} · "
            f"{self.t('word.as_of')} {snap.as_of} · "
            + self.t("summary.findings", **c)
            + f"  {self.filter_state(shown)}"
        )
        # A county has hundreds of thousands of findings: each one's cells and message are made
        # when its page is shown (or a filter is typed), not when the list opens.
        severity = {s: styled(self.t(f"severity.{s}"), f"severity.{s}") for s in SEVERITY_ORDER if s}
        rows = [
            Row(
                f"{n}",
                partial(_finding_cells, severity, f),
                partial(_finding_texts, f),
                data=f,
            )
            for n, f in enumerate(by_severity(snap.reconciliation.findings))
            if not self.severity or f.severity == self.severity
        ]
        # A finding is read whole: the message wraps in the room the screen has.
        self.table().set_data(
            [
                *self.columns("col.severity"),
                Column(self.t("col.subject"), max_width=16),
                Column(self.t("col.message"), fit=WRAP, min_width=30),
            ],
            rows,
        )

    def action_severity(self) -> None:
        self.severity = SEVERITY_ORDER[(SEVERITY_ORDER.index(self.severity) + 1) % len(SEVERITY_ORDER)]
        self.show_snapshot()

    def open_row(self, row: Row) -> None:
        snap = self.snapshot
        if snap is None:
            return
        finding = row.data
        if about_enterprise(finding):
            self.post_message(OpenEnterprise(finding.subject, finding.village))
            return
        project = next(
            (
                b.project.id
                for b in snap.breakdown.projects
                if about_project(finding, b.project.code, b.project.village)
            ),
            None,
        )
        if project is not None:
            self.post_message(OpenProject(project))
