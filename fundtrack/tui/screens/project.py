"""One project: its funding breakdown, receipts, spending, pledges, levy roll, milestones and findings."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Input, Static, TabbedContent, TabPane, TextArea

from fundtrack.io.reports import funder_label
from fundtrack.ledger.breakdown import ProjectBreakdown, paid_in_full
from fundtrack.ledger.money import Amount, format_amount, format_percent
from fundtrack.ledger.reconcile import about_project, by_severity
from fundtrack.storage import audit, queries
from fundtrack.storage.queries import (
    ExpenseRow,
    HouseholdPayment,
    LevyRow,
    MilestoneRow,
    PledgeRow,
    ReceiptRow,
)
from fundtrack.styles import styled
from fundtrack.tui.messages import OpenProject
from fundtrack.tui.screens.base import BaseScreen
from fundtrack.tui.widgets.record_table import RecordTable, Row
from fundtrack.tui.widgets.trend import by_month, money_chart

TABS = ("funding", "receipts", "expenses", "pledges", "levy", "milestones", "findings", "trends")
# Which record type each tab adds, edits and voids.
TAB_TABLE = {
    "receipts": "receipts",
    "expenses": "expenses",
    "pledges": "pledges",
    "milestones": "milestones",
    "funding": "receipts",
    "levy": "receipts",
    "findings": "receipts",
    "trends": "receipts",
}


class ProjectScreen(BaseScreen):
    HEAD = "project-head"
    BINDINGS = [
        Binding("a", "add", "key.add"),
        Binding("c", "edit", "key.edit"),
        Binding("x", "void", "key.void"),
        Binding("o", "export", "key.export"),
        # p prints on the receipts tab (shown there only); elsewhere it opens the parent project (header's [p]).
        Binding("p", "print_receipt", "key.print_receipt"),
        Binding("p", "parent", "key.print_receipt", show=False),
        # Before the focused table (whose ← → would only scroll it sideways); text boxes keep them (check_action).
        Binding("left", "switch_tab(-1)", "key.prev_tab", show=False, priority=True),
        Binding("right", "switch_tab(1)", "key.next_tab", show=False, priority=True),
    ]

    def __init__(self, project_id: int) -> None:
        super().__init__()
        self.project_id = project_id
        self.info: dict[str, Any] | None = None

    def compose_body(self) -> ComposeResult:
        with TabbedContent(id="tabs"):
            for tab in TABS:
                with TabPane(self.t(f"tab.{tab}"), id=f"tab-{tab}"):
                    if tab == "funding":
                        with VerticalScroll():
                            yield Static(id="kinds")
                            yield RecordTable(id="t-funding")
                            yield Static(id="in-kind")
                    elif tab == "trends":
                        with VerticalScroll():
                            yield Static(id="trend")
                    else:
                        yield RecordTable(id=f"t-{tab}")

    def breakdown(self) -> ProjectBreakdown | None:
        snap = self.snapshot
        if snap is None:
            return None
        return next((b for b in snap.breakdown.projects if b.project.id == self.project_id), None)

    def refresh_data(self) -> None:
        for tab in TABS:
            self.query_one("#tabs", TabbedContent).get_tab(f"tab-{tab}").label = self.t(f"tab.{tab}")
        self._load_lists()
        b = self.breakdown()
        if b is None:
            return
        self._show_funding(b)
        self._show_findings()

    @work(thread=True, exclusive=True, group="project-lists")
    def _load_lists(self) -> None:
        self.seen_change = audit.newest_change()  # read first: a void checks nothing came after
        info = queries.project_info(self.project_id)
        receipts = queries.receipts_of(self.project_id)
        expenses = queries.expenses_of(self.project_id)
        pledges = queries.pledges_of(self.project_id)
        milestones = queries.milestones_of(self.project_id)
        levies = queries.levies_of(self.project_id)
        households = {
            lv.funder: queries.household_payments(self.project_id, lv.funder) for lv in levies if not lv.voided
        }
        self.app.call_from_thread(self._show_lists, info, receipts, expenses, pledges, milestones, levies, households)

    def _show_lists(
        self,
        info: dict[str, Any],
        receipts: list[ReceiptRow],
        expenses: list[ExpenseRow],
        pledges: list[PledgeRow],
        milestones: list[MilestoneRow],
        levies: list[LevyRow],
        households: dict[str, list[HouseholdPayment]],
    ) -> None:
        self.info = info
        self._show_head(info)
        self._show_receipts(receipts)
        self._show_trend(receipts)
        self._show_expenses(expenses)
        self._show_pledges(pledges)
        self._show_milestones(milestones)
        self._show_levy(levies, households)

    def _show_receipts(self, receipts: list[ReceiptRow]) -> None:
        self.query_one("#t-receipts", RecordTable).set_data(
            self.fitted("col.when", "~col.funders", "col.amount>", "col.household", "col.voucher", "col.note"),
            [
                Row(
                    f"receipts:{r.id}",
                    (
                        r.date.isoformat(),
                        r.funder,
                        self.money(r.amount),
                        r.household or "",
                        r.voucher or "",
                        self.note(r.voided, r.note),
                    ),
                    (r.funder, r.household or "", r.voucher or "", r.note or ""),
                    bool(r.voided),
                )
                for r in receipts
            ],
            fit=3,
        )

    def _show_trend(self, receipts: list[ReceiptRow]) -> None:
        """Money received month by month (voided receipts left out), as bars."""
        rows = by_month((r.date, r.amount.fen) for r in receipts if not r.voided)
        chart = money_chart(self.t("trend.receipts_title"), rows) if rows else self.t("trend.none")
        self.query_one("#trend", Static).update(chart)

    def _show_expenses(self, expenses: list[ExpenseRow]) -> None:
        self.query_one("#t-expenses", RecordTable).set_data(
            self.fitted("col.when", "~col.item", "col.amount>", "col.voucher", "col.note"),
            [
                Row(
                    f"expenses:{x.id}",
                    (x.date.isoformat(), x.item, self.money(x.amount), x.voucher or "", self.note(x.voided, x.note)),
                    (x.item, x.voucher or "", x.note or ""),
                    bool(x.voided),
                )
                for x in expenses
            ],
            fit=3,
        )

    def _show_pledges(self, pledges: list[PledgeRow]) -> None:
        sep = self.t("sep")
        self.query_one("#t-pledges", RecordTable).set_data(
            self.fitted("~col.funders", "col.form", "col.amount>", "col.quantity", "col.when", "col.note"),
            [
                Row(
                    f"pledges:{p.id}",
                    (
                        sep.join(p.funders) + (self.t("word.joint") if p.joint else ""),
                        self.t(f"form.{p.form}"),
                        self.money(p.amount) if p.amount else Text(self.t("word.unvalued"), style="dim"),
                        p.quantity or "",
                        p.date.isoformat() if p.date else "",
                        self.note(p.voided, p.ref or "", p.note),
                    ),
                    (*p.funders, p.note or ""),
                    bool(p.voided),
                )
                for p in pledges
            ],
            fit=3,
        )

    def _show_milestones(self, milestones: list[MilestoneRow]) -> None:
        self.query_one("#t-milestones", RecordTable).set_data(
            self.fitted("~col.milestone", "col.status", "col.due", "col.note"),
            [
                Row(
                    f"milestones:{mi.id}",
                    (
                        mi.name,
                        self.t(f"milestone.{mi.status}"),
                        mi.due.isoformat() if mi.due else "",
                        self.note(mi.voided, mi.note),
                    ),
                    (mi.name, mi.note or ""),
                    bool(mi.voided),
                )
                for mi in milestones
            ],
            fit=3,
        )

    def _show_levy(self, levies: list[LevyRow], households: dict[str, list[HouseholdPayment]]) -> None:
        voided = self.t("word.voided")
        levy_rows = []
        for lv in levies:
            levy_rows.append(
                Row(
                    f"levies:{lv.id}",
                    (
                        lv.funder,
                        self.t("word.levy", per=format_amount(lv.per_household), households=lv.households),
                        "",
                        (voided if lv.voided else ""),
                    ),
                    (lv.funder,),
                    bool(lv.voided),
                )
            )
            for hp in households.get(lv.funder, []):
                done = paid_in_full(hp.paid, lv.per_household)
                levy_rows.append(
                    Row(
                        f"household:{lv.funder}:{hp.household}",
                        ("  " + hp.household, self.money(hp.paid), "✓" if done else "…", str(hp.receipts)),
                        (hp.household,),
                    )
                )
        self.query_one("#t-levy", RecordTable).set_data(
            self.columns("col.household", "col.received>", "col.paid", "col.count>"),
            levy_rows,
        )

    def _show_head(self, info: dict[str, Any]) -> None:
        b = self.breakdown()
        parts = [
            f"[b]{escape(info['name'])}[/b] ({info['code']}) · {self.fapp.config.category_name(info['category'])}"
            f" · {self.t('status.' + info['status'])}"
        ]
        where = []
        if info["settlements"]:
            where.append(self.t("sep").join(info["settlements"]))
        if info["beneficiary_households"] or info["beneficiary_people"]:
            where.append(
                self.t(
                    "word.households_people",
                    households=info["beneficiary_households"] or "—",
                    people=info["beneficiary_people"] or "—",
                )
            )
        if where:
            parts.append(f"{self.t('word.beneficiaries')}: " + " · ".join(where))
        if info["parent"]:
            parent = info["parent"]
            parts.append(f"{self.t('word.parent')}: {escape(parent.name)} ({parent.code})  [p]")
        if info["children"]:
            parts.append(
                f"{self.t('word.children')}: " + self.t("sep").join(f"{c.name} ({c.code})" for c in info["children"])
            )
        if b is not None:
            unit = self.fapp.config.display_unit
            figures = [
                (self.t("col.budget"), b.budget),
                (self.t("col.pledged"), b.pledged),
                (self.t("col.received"), b.received),
                (self.t("col.spent"), b.spent),
            ]
            if b.gap is not None and b.gap.fen < 0:  # a negative gap reads as a riddle: say what it is
                figures.append((self.t("col.over"), Amount(-b.gap.fen, b.gap.at_least)))
            else:
                figures.append((self.t("col.gap"), b.gap))
            parts.append("  ".join(f"{k} [b]{'—' if v is None else format_amount(v, unit)}[/b]" for k, v in figures))
        if info["note"]:
            parts.append(f"[dim]{escape(info['note'])}[/dim]")
        self.query_one("#project-head", Static).update("\n".join(parts))

    def _show_funding(self, b: ProjectBreakdown) -> None:
        lang = self.fapp.language
        kinds = "  ".join(
            f"{self.fapp.config.kind_name(k.kind)} {format_amount(k.pledged, self.fapp.config.display_unit)}"
            f" ({format_percent(k.share)})"
            for k in b.by_kind
        )
        self.query_one("#kinds", Static).update(kinds or self.t("word.none"))
        rows = []
        for n, ln in enumerate(b.by_funder):
            pledged = self.money(ln.pledged)
            if ln.only_unvalued:
                pledged = Text(self.t("word.unvalued"), style="dim")
            rows.append(
                Row(
                    f"line:{n}",
                    # Figures before the names: long joint groups would push them off an 80-column screen.
                    (
                        self.fapp.config.kind_name(ln.kind),
                        pledged,
                        format_percent(ln.share),
                        self.money(ln.received),
                        self.money(ln.outstanding) if ln.expects_receipts else self.money(None),
                        self.t(f"form.{ln.form}"),
                        funder_label(ln, lang),
                    ),
                    ln.funders,
                )
            )
        self.query_one("#t-funding", RecordTable).set_data(
            # The funders last, cut in the middle so a joint group's (共同) stays in sight.
            self.fitted(
                "col.kind",
                "col.pledged>",
                "col.share>",
                "col.received>",
                "col.outstanding>",
                "col.form",
                "~col.funders",
            ),
            rows,
        )
        in_kind = [
            f"{self.t('sep').join(k.funders)}: {self.t('form.' + k.form)}"
            + (f" ({k.quantity})" if k.quantity else "")
            + (f" {format_amount(k.amount)}" if k.amount else f" · {self.t('word.unvalued')}")
            for k in b.in_kind
        ]
        self.query_one("#in-kind", Static).update(
            (f"[b]{self.t('title.in_kind')}[/b]\n" + "\n".join(escape(x) for x in in_kind)) if in_kind else ""
        )

    def _show_findings(self) -> None:
        snap = self.snapshot
        assert snap is not None
        here = next((b.project for b in snap.breakdown.projects if b.project.id == self.project_id), None)
        if here is None:
            return
        code, village = here.code, here.village
        rows = [
            Row(
                f"finding:{n}",
                (styled(self.t(f"severity.{f.severity}"), f"severity.{f.severity}"), f.message),
                (f.message, f.code),
            )
            for n, f in enumerate(by_severity(snap.reconciliation.findings))
            if about_project(f, code, village)
        ]
        self.query_one("#t-findings", RecordTable).set_data(self.fitted("col.severity", "+col.message"), rows)

    # -- actions

    def _active_tab(self) -> str:
        active = self.query_one("#tabs", TabbedContent).active or "tab-funding"
        return active.removeprefix("tab-")

    def _selected_record(self) -> tuple[str, int] | None:
        if self._active_tab() == "trends":
            return None
        table = self.query_one(f"#t-{self._active_tab()}", RecordTable)
        row = table.current_row()
        if row is None or ":" not in row.key:
            return None
        table_name, _, ident = row.key.partition(":")
        if table_name not in TAB_TABLE.values() and table_name != "levies":
            return None
        return table_name, int(ident)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """← → switch tabs except in a text box, where they move the cursor through the text."""
        if action == "switch_tab" and isinstance(self.focused, Input | TextArea):
            return False
        if action == "print_receipt" and getattr(self.app, "read_only", False):
            return False  # printing gives serials (a reprint counts a print): a write, which an auditor has not
        if action in ("print_receipt", "parent"):
            try:
                on_receipts = self._active_tab() == "receipts"
            except NoMatches:
                on_receipts = False
            return on_receipts == (action == "print_receipt")
        return super().check_action(action, parameters)

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()  # the footer shows 打印收据 on the receipts tab only

    def action_switch_tab(self, step: int) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        ids = [f"tab-{tab}" for tab in TABS]
        current = ids.index(tabs.active) if tabs.active in ids else 0
        tabs.active = ids[(current + step) % len(ids)]

    def action_add(self) -> None:
        if self.info is None:
            return
        table = {"pledges": "pledges", "expenses": "expenses", "milestones": "milestones"}.get(
            self._active_tab(), "receipts"
        )
        if self._active_tab() == "levy" and not self.query_one("#t-levy", RecordTable).row_count:
            table = "levies"
        self.fapp.open_form(table, {"project": self.info["code"]})

    def action_edit(self) -> None:
        picked = self._selected_record()
        if picked is None:
            if self._active_tab() == "funding" and self.info is not None:
                self.fapp.open_form("projects", None, ("projects", self.project_id))
                return
            self.notify(self.t("word.nothing_selected"), severity="warning")
            return
        self.fapp.open_form(picked[0], None, picked)

    def action_void(self) -> None:
        picked = self._selected_record()
        if picked is None:
            self.notify(self.t("word.cannot_void"), severity="warning")
            return
        if self._active_tab() == "trends":
            return
        row = self.query_one(f"#t-{self._active_tab()}", RecordTable).current_row()
        if row is not None and row.voided:
            return
        what = self._void_words(row.values) if row else ""
        self.fapp.confirm_void(picked[0], picked[1], what, getattr(self, "seen_change", None))

    def _void_words(self, values: tuple[Any, ...]) -> str:
        """The row being voided in words: its filled cells, the amount (third column) with its unit."""
        money_at = 2 if self._active_tab() in ("receipts", "expenses", "pledges") else None
        unit = self.fapp.config.display_unit
        parts = []
        for i, cell in enumerate(values):
            text = str(cell).strip()
            if text:
                parts.append(f"{text}{unit}" if i == money_at and text[-1].isdigit() else text)
        return " · ".join(parts)

    def action_export(self) -> None:
        self.fapp.action_export("breakdown", (self.info["id"], self.info["code"]) if self.info else None)

    def action_print_receipt(self) -> None:
        """The 收据 of the receipt under the cursor as a PDF (the receipts tab only: check_action)."""
        if self.fapp._refused():
            return
        picked = self._selected_record()
        if picked is None:
            self.notify(self.t("word.nothing_selected"), severity="warning")
            return
        self.fapp.print_receipt(picked[1])

    def action_parent(self) -> None:
        if self.info and self.info["parent"]:
            self.post_message(OpenProject(self.info["parent"].id))

    @on(RecordTable.RowSelected)
    def _row_selected(self, event: RecordTable.RowSelected) -> None:
        if event.data_table.id in ("t-receipts", "t-expenses", "t-pledges", "t-milestones"):
            self.action_edit()
