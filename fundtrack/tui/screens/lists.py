"""Funders, enterprises, the levy roll and the findings: one list screen each, and a detail screen for the first two."""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from fundtrack.ledger import privacy
from fundtrack.ledger.breakdown import funder_lines, funder_totals
from fundtrack.ledger.facts import hire_active
from fundtrack.ledger.money import format_amount
from fundtrack.ledger.quotas import worst_first
from fundtrack.ledger.reconcile import about_enterprise, about_project
from fundtrack.storage import queries, writes
from fundtrack.storage.queries import HeadcountRow, HireRow, PledgeRow, ReceiptRow
from fundtrack.styles import styled
from fundtrack.tui.messages import OpenEnterprise, OpenProject
from fundtrack.tui.screens.base import BaseScreen
from fundtrack.tui.search import Plain
from fundtrack.tui.widgets.record_table import Column, RecordTable, Row


class ListScreen(BaseScreen):
    """A title line, a filter box, one table and a status line."""

    TITLE_KEY = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="title")
        yield self.filter_box()
        yield RecordTable(id="list")
        yield Static(id="status")
        yield Footer()

    def table(self) -> RecordTable:
        return self.query_one("#list", RecordTable)

    @on(RecordTable.RowSelected, "#list")
    def _selected(self, event: RecordTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        pass


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
                    self.fapp.config.kind_name(f.kind),
                    str(f.projects),
                    self.money(f.pledged),
                    self.money(f.received),
                    self.money(f.outstanding),
                    f"{joint} ×{f.joint}" if f.joint else "",
                ),
                (f.name, f.kind, f.village),
                data=(f.village, f.name),
            )
            for f in funder_totals(snap.breakdown)
        ]
        self.table().set_data(
            [
                Column(self.t("col.funders")),
                Column(self.t("col.kind")),
                Column(self.t("col.projects"), right=True),
                Column(self.t("col.pledged"), right=True),
                Column(self.t("col.received"), right=True),
                Column(self.t("col.outstanding"), right=True),
                Column(""),
            ],
            rows,
        )

    def action_open(self) -> None:
        row = self.table().current_row()
        if row is not None:
            self.app.push_screen(FunderScreen(row.data[1], row.data[0]))


class FunderScreen(BaseScreen):
    """A funder's pledges and receipts across projects, and what it still owes."""

    BINDINGS = [Binding("enter", "open", "key.open", show=False)]

    def __init__(self, name: str, village: str) -> None:
        super().__init__()
        self.funder = name
        self.village = village

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="title")
        yield self.filter_box()
        with TabbedContent():
            with TabPane(self.t("tab.funding"), id="tab-lines"):
                yield RecordTable(id="lines")
            with TabPane(self.t("tab.pledges"), id="tab-pledges"):
                yield RecordTable(id="pledges")
            with TabPane(self.t("tab.receipts"), id="tab-receipts"):
                yield RecordTable(id="receipts")
        yield Static(id="status")
        yield Footer()

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
                        b.project.code,
                        b.project.name,
                        self.t(f"form.{ln.form}"),
                        self.money(ln.pledged),
                        self.money(ln.received),
                        self.money(ln.outstanding),
                        who,
                    ),
                    (b.project.code, b.project.name),
                    data=b.project.id,
                )
            )
        self.query_one("#lines", RecordTable).set_data(
            [
                Column(self.t("col.code")),
                Column(self.t("col.project")),
                Column(self.t("col.form")),
                Column(self.t("col.pledged"), right=True),
                Column(self.t("col.received"), right=True),
                Column(self.t("col.outstanding"), right=True),
                Column(self.t("word.joint").strip("() ")),
            ],
            lines,
        )
        self.query_one("#title", Static).update(f"[b]{self.funder}[/b]")
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        village = writes.village_row(self.village)
        if village is None:
            return
        fid = queries.id_of("funders", village.id, self.funder)
        pledges = queries.pledges_of(funder_id=fid) if fid else []
        receipts = queries.receipts_of(funder_id=fid) if fid else []
        self.app.call_from_thread(self._show, pledges, receipts)

    def _show(self, pledges: list[PledgeRow], receipts: list[ReceiptRow]) -> None:
        voided = self.t("word.voided")
        self.query_one("#pledges", RecordTable).set_data(
            [
                Column(self.t("col.code")),
                Column(self.t("col.funders")),
                Column(self.t("col.form")),
                Column(self.t("col.amount"), right=True),
                Column(self.t("col.when")),
                Column(self.t("col.note")),
            ],
            [
                Row(
                    f"pledges:{p.id}",
                    (
                        p.project,
                        self.t("sep").join(p.funders),
                        self.t(f"form.{p.form}"),
                        self.money(p.amount) if p.amount else Text(self.t("word.unvalued"), style="dim"),
                        p.date.isoformat() if p.date else "",
                        (voided + " ") * p.voided + (p.note or ""),
                    ),
                    (p.project, p.note or ""),
                    bool(p.voided),
                )
                for p in pledges
            ],
        )
        self.query_one("#receipts", RecordTable).set_data(
            [
                Column(self.t("col.when")),
                Column(self.t("col.code")),
                Column(self.t("col.amount"), right=True),
                Column(self.t("col.household")),
                Column(self.t("col.voucher")),
            ],
            [
                Row(
                    f"receipts:{r.id}",
                    (
                        r.date.isoformat(),
                        r.project,
                        self.money(r.amount),
                        r.household or "",
                        (voided + " ") * r.voided + (r.voucher or ""),
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


class EnterprisesScreen(ListScreen):
    BINDINGS = [
        Binding("enter", "open", "key.open", show=False),
        Binding("a", "app.add('hires')", "key.add"),
        Binding("o", "app.export('quotas')", "key.export"),
    ]

    def refresh_data(self) -> None:
        snap = self.snapshot
        assert snap is not None
        q = snap.quotas.totals
        self.query_one("#title", Static).update(
            f"[b]{self.t('screen.enterprises')}[/b] · {snap.village or self.t('word.all_villages')} · "
            f"{self.t('word.as_of')} {snap.as_of}\n"
            + self.t(
                "summary.quotas", quota=q.quota, registered=q.registered, met=q.met, short=q.short, no_data=q.no_data
            )
        )
        rows = []
        for ln in worst_first(snap.quotas):
            e = ln.fact
            status = styled(self.t(f"quota.{ln.status}"), f"quota.{ln.status}")
            rows.append(
                Row(
                    f"{e.village}\t{e.name}",
                    (
                        e.name if snap.village else f"{e.name} · {e.village}",
                        self.t(f"enterprise.{e.kind}"),
                        str(e.quota),
                        str(e.registered),
                        f"{e.registered_management}/{e.management_quota}",
                        "—" if e.declared is None else str(e.declared),
                        e.declared_on.isoformat() if e.declared_on else "—",
                        str(ln.shortfall),
                        status,
                    ),
                    (e.name, e.kind, e.village),
                    data=(e.name, e.village),
                )
            )
        self.table().set_data(
            [
                Column(self.t("col.enterprise")),
                Column(self.t("col.enterprise_kind")),
                Column(self.t("col.quota"), right=True),
                Column(self.t("col.registered"), right=True),
                Column(self.t("col.registered_management"), right=True),
                Column(self.t("col.declared"), right=True),
                Column(self.t("col.declared_on")),
                Column(self.t("col.shortfall"), right=True),
                Column(self.t("col.status")),
            ],
            rows,
        )

    def action_open(self) -> None:
        row = self.table().current_row()
        if row is not None:
            self.post_message(OpenEnterprise(*row.data))


class EnterpriseScreen(BaseScreen):
    """An enterprise's roster of local hires and its declared headcounts."""

    BINDINGS = [
        Binding("a", "add", "key.add"),
        Binding("c", "edit", "key.edit"),
        Binding("x", "void", "key.void"),
    ]

    def __init__(self, name: str, village: str) -> None:
        super().__init__()
        self.enterprise = name
        self.village = village

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="title")
        yield self.filter_box()
        with TabbedContent(id="tabs"):
            with TabPane(self.t("tab.roster"), id="tab-roster"):
                yield RecordTable(id="roster")
            with TabPane(self.t("tab.headcounts"), id="tab-headcounts"):
                yield RecordTable(id="headcounts")
        yield Static(id="status")
        yield Footer()

    def refresh_data(self) -> None:
        snap = self.snapshot
        assert snap is not None
        line = next(
            (ln for ln in snap.quotas.lines if ln.fact.name == self.enterprise and ln.fact.village == self.village),
            None,
        )
        if line is not None:
            e = line.fact
            self.query_one("#title", Static).update(
                f"[b]{e.name}[/b] · {self.t('enterprise.' + e.kind)} · {self.t('col.quota')} {e.quota} · "
                f"{self.t('col.registered')} {e.registered} · {self.t('col.shortfall')} {line.shortfall} · "
                f"{self.t('quota.' + line.status)}"
            )
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        village = writes.village_row(self.village)
        if village is None:
            return
        eid = queries.id_of("enterprises", village.id, self.enterprise)
        hires = queries.hires_of(eid) if eid else []
        counts = queries.headcounts_of(eid) if eid else []
        self.app.call_from_thread(self._show, hires, counts)

    def _show(self, hires: list[HireRow], counts: list[HeadcountRow]) -> None:
        voided = self.t("word.voided")
        as_of = self.snapshot.as_of if self.snapshot else None

        def active(h: HireRow) -> bool:
            return as_of is not None and hire_active(h.start, h.end, as_of)

        self.query_one("#roster", RecordTable).set_data(
            [
                Column(self.t("col.person")),
                Column(self.t("col.role")),
                Column(self.t("col.start")),
                Column(self.t("col.end")),
                Column(self.t("col.settlement")),
                Column(self.t("col.id_number")),
                Column(self.t("col.note")),
            ],
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
                        (voided + " ") * h.voided + (h.note or "") + ("" if active(h) else " ·"),
                    ),
                    (h.person, h.settlement or ""),
                    bool(h.voided) or not active(h),
                )
                for h in hires
            ],
        )
        self.query_one("#headcounts", RecordTable).set_data(
            [
                Column(self.t("col.declared_on")),
                Column(self.t("col.declared"), right=True),
                Column(self.t("col.registered_management"), right=True),
                Column(""),
            ],
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

    def _picked(self) -> tuple[str, int] | None:
        tab = (self.query_one("#tabs", TabbedContent).active or "tab-roster").removeprefix("tab-")
        row = self.query_one("#roster" if tab == "roster" else "#headcounts", RecordTable).current_row()
        if row is None or row.voided and row.key.startswith("headcounts"):
            return None
        table, _, ident = row.key.partition(":")
        return table, int(ident)

    def action_add(self) -> None:
        tab = (self.query_one("#tabs", TabbedContent).active or "tab-roster").removeprefix("tab-")
        self.fapp.open_form("hires" if tab == "roster" else "headcounts", {"enterprise": self.enterprise})

    def action_edit(self) -> None:
        picked = self._picked()
        if picked:
            self.fapp.open_form(picked[0], None, picked)

    def action_void(self) -> None:
        picked = self._picked()
        if picked:
            self.fapp.confirm_void(picked[0], picked[1], f"{self.enterprise} {picked[0]} #{picked[1]}")


def mask_id(id_number: str | None) -> str:
    """An ID number as every screen shows it (fundtrack.ledger.privacy.mask)."""
    return privacy.mask(id_number) if id_number else ""


class LeviesScreen(ListScreen):
    """Every levy: households, expected, collected, households paid in full, outstanding."""

    BINDINGS = [Binding("enter", "open", "key.open", show=False)]

    def refresh_data(self) -> None:
        snap = self.snapshot
        assert snap is not None
        self.query_one("#title", Static).update(
            f"[b]{self.t('screen.levies')}[/b] · {snap.village or self.t('word.all_villages')}"
        )
        rows = []
        for b in snap.breakdown.projects:
            for n, ln in enumerate(b.by_funder):
                if ln.levy is None:
                    continue
                paid = "—" if ln.households_paid is None else f"{ln.households_paid}/{ln.levy.households}"
                rows.append(
                    Row(
                        f"{b.project.id}:{n}",
                        (
                            b.project.name,
                            ln.funders[0],
                            self.t(
                                "word.levy", per=format_amount(ln.levy.per_household), households=ln.levy.households
                            ),
                            self.money(ln.pledged),
                            self.money(ln.received),
                            paid,
                            self.money(ln.outstanding),
                        ),
                        (b.project.code, b.project.name, ln.funders[0]),
                        data=b.project.id,
                    )
                )
        self.table().set_data(
            [
                Column(self.t("col.project")),
                Column(self.t("col.funders")),
                Column(self.t("title.levy")),
                Column(self.t("col.pledged"), right=True),
                Column(self.t("col.received"), right=True),
                Column(self.t("col.paid"), right=True),
                Column(self.t("col.outstanding"), right=True),
            ],
            rows,
        )

    def action_open(self) -> None:
        row = self.table().current_row()
        if row is not None:
            self.post_message(OpenProject(row.data, tab="levy"))  # type: ignore[call-arg]


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
            f"{self.t('word.as_of')} {snap.as_of} · " + self.t("summary.findings", **c) + f"  [dim](s: {shown})[/dim]"
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
            for n, f in enumerate(snap.reconciliation.findings)
            if not self.severity or f.severity == self.severity
        ]
        self.table().set_data(
            [Column(self.t("col.severity")), Column(self.t("col.subject")), Column(self.t("col.message"))], rows
        )

    def action_severity(self) -> None:
        self.severity = SEVERITY_ORDER[(SEVERITY_ORDER.index(self.severity) + 1) % len(SEVERITY_ORDER)]
        self.show_snapshot()

    def action_open(self) -> None:
        row = self.table().current_row()
        snap = self.snapshot
        if row is None or snap is None:
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
