"""The levy roll (every household a levy expects, what each paid and owes) and the household register."""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.widgets import Static

from fundtrack.ledger.levies import LevyReport, LevyRoll
from fundtrack.ledger.messages import label
from fundtrack.ledger.money import format_amount
from fundtrack.service.ledger import Scope, load_levies
from fundtrack.storage import levies as levy_store
from fundtrack.storage.levies import HouseholdRow
from fundtrack.styles import styled
from fundtrack.tui.screens.lists import ListScreen
from fundtrack.tui.widgets.record_table import Row

# The statuses shown when only the households not paid in full are asked for, and the order of the roll then.
OPEN = ("unpaid", "partial")


class LeviesScreen(ListScreen):
    """One levy's roll at a time: 户号, 户主, 自然村, 应交, 已交, 欠交, 状态, with the counts in the head line.

    `u` shows every household or only those not paid in full (unpaid first); `l` goes to the next levy;
    `a` on a household adds a receipt for it, with the levy's project and funder and what it still owes;
    Enter opens the household's record (a register's) or the project's levy tab."""

    BINDINGS = [
        Binding("enter", "open", "key.open", show=False),
        Binding("u", "unpaid", "key.unpaid"),
        Binding("l", "next_levy", "key.next_levy"),
        Binding("a", "add", "key.add_receipt"),
    ]

    only_unpaid = False
    which = 0
    report: LevyReport | None = None

    def refresh_data(self) -> None:
        snap = self.snapshot
        assert snap is not None
        self.load_roll(snap.as_of, snap.village_id)

    @work(thread=True, exclusive=True, group="levy-roll")
    def load_roll(self, as_of: object, village_id: int | None) -> None:
        report = load_levies(Scope(as_of, village_id))  # type: ignore[arg-type]
        project_ids = {b.project.code: b.project.id for b in self.snapshot.breakdown.projects} if self.snapshot else {}
        self.app.call_from_thread(self._show, report, project_ids)

    def _show(self, report: LevyReport, project_ids: dict[str, int]) -> None:
        self.report = report
        self.project_ids = project_ids
        if self.which >= len(report.levies):
            self.which = 0
        self._fill()

    def levy(self) -> LevyRoll | None:
        if self.report is None or not self.report.levies:
            return None
        return self.report.levies[self.which]

    def _fill(self) -> None:
        snap = self.snapshot
        village = (snap.village if snap else "") or self.t("word.all_villages")
        filt = self.t("word.roll_unpaid" if self.only_unpaid else "word.roll_all")
        title = f"[b]{self.t('screen.levies')}[/b] · {village} · {filt}"
        lv = self.levy()
        rows: list[Row] = []
        if lv is None:
            self.query_one("#title", Static).update(f"{title}\n{self.t('word.no_levy')}")
        else:
            counts = lv.counts
            title += f" · {lv.funder}"
            head = self.t(
                "word.roll_head",
                project=lv.project_name,
                per=format_amount(lv.per_household),
                paid=counts["paid"],
                liable=lv.liable,
                partial=counts["partial"],
                unpaid=counts["unpaid"],
                exempt=counts["exempt"],
            )
            assert self.report is not None
            if len(self.report.levies) > 1:
                title += " · " + self.t("word.roll_which", n=self.which + 1, of=len(self.report.levies))
            if not lv.from_register:
                head += " " + self.t("word.no_register")
            head += f" ({label(self.fapp.language, 'word.unit')} {self.fapp.config.display_unit})"
            self.query_one("#title", Static).update(f"{title}\n{head}")
            lines = [ln for ln in lv.unpaid_first() if ln.status in OPEN] if self.only_unpaid else list(lv.roll)
            rows = [
                Row(
                    f"{self.which}:{ln.household}",
                    (
                        ln.household,
                        ln.head or "",
                        ln.settlement or "",
                        self.money(ln.expected),
                        self.money(ln.paid),
                        self.money(ln.outstanding),
                        styled(self.t(f"levy.{ln.status}"), f"levy.{ln.status}"),
                    ),
                    (ln.household, ln.head or "", ln.settlement or "", self.t(f"levy.{ln.status}")),
                    data=ln,
                )
                for ln in lines
            ]
        self.table().set_data(
            self.columns(
                "col.hh_code",
                "col.hh_head",
                "col.settlement",
                "col.roll_expected>",
                "col.roll_paid>",
                "col.roll_owed>",
                "col.status",
            ),
            rows,
            keep_cursor=False,
        )

    def action_unpaid(self) -> None:
        self.only_unpaid = not self.only_unpaid
        self._fill()

    def action_next_levy(self) -> None:
        if self.report and self.report.levies:
            self.which = (self.which + 1) % len(self.report.levies)
            self._fill()

    def action_add(self) -> None:
        """A receipt for the chosen household, with the levy's project and funder and what it still owes."""
        lv, row = self.levy(), self.table().current_row()
        if lv is None:
            self.fapp.action_add("receipts")
            return
        initial: dict[str, object] = {"project": lv.project, "funder": lv.funder}
        if row is not None:
            initial["household"] = row.data.household
            if row.data.outstanding.fen > 0:
                initial["amount"] = row.data.outstanding
        self.fapp.open_form("receipts", initial)

    def open_row(self, row: Row) -> None:
        lv = self.levy()
        if lv is None:
            return
        if lv.from_register:
            self.open_household(row.data.household)
            return
        from fundtrack.tui.messages import OpenProject

        pid = getattr(self, "project_ids", {}).get(lv.project)
        if pid is not None:
            self.post_message(OpenProject(pid, tab="levy"))  # type: ignore[call-arg]

    @work(thread=True, exclusive=True, group="levy-open")
    def open_household(self, code: str) -> None:
        found = [h for h in levy_store.household_rows(self.fapp.village_id) if h.code == code]
        if found:
            self.app.call_from_thread(self.fapp.open_form, "households", None, ("households", found[0].id))


class HouseholdsScreen(ListScreen):
    """The household register (户籍花名册): 户号, 户主, 自然村, 人口, 免缴; `a` adds a household, Enter opens one."""

    BINDINGS = [
        Binding("enter", "open", "key.open", show=False),
        Binding("a", "app.add('households')", "key.add"),
    ]

    def refresh_data(self) -> None:
        snap = self.snapshot
        assert snap is not None
        self.load_rows(snap.village_id)

    @work(thread=True, exclusive=True, group="register")
    def load_rows(self, village_id: int | None) -> None:
        rows = levy_store.household_rows(village_id)
        self.app.call_from_thread(self._show, rows)

    def _show(self, households: list[HouseholdRow]) -> None:
        snap = self.snapshot
        many = snap is not None and not snap.village
        village = (snap.village if snap else "") or self.t("word.all_villages")
        count = self.t(
            "word.register_count",
            households=len(households),
            people=sum(h.people or 0 for h in households),
            exempt=sum(1 for h in households if h.exempt),
        )
        self.query_one("#title", Static).update(f"[b]{self.t('screen.households')}[/b] · {village}\n{count}")
        rows = [
            Row(
                f"{h.id}",
                (
                    h.code if not many else f"{h.code} · {h.village}",
                    h.head or "",
                    h.settlement or "",
                    "" if h.people is None else str(h.people),
                    (self.t("word.flag_yes") + (f" {h.exempt_reason}" if h.exempt_reason else "")) if h.exempt else "",
                ),
                (h.code, h.head or "", h.settlement or "", h.exempt_reason or ""),
                data=h.id,
            )
            for h in households
        ]
        self.table().set_data(
            self.columns("col.hh_code", "col.hh_head", "col.settlement", "col.hh_people>", "col.hh_exempt"), rows
        )

    def open_row(self, row: Row) -> None:
        self.fapp.open_form("households", None, ("households", row.data))
