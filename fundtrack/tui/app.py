"""The fundtrack terminal app: screens over one snapshot of the ledger, reloaded after every change."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import replace
from functools import partial
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.css.query import NoMatches
from textual.screen import Screen

from fundtrack.io import outputs
from fundtrack.io.config import Config
from fundtrack.io.files import unused_path, write_file
from fundtrack.io.outputs import Style
from fundtrack.ledger import privacy
from fundtrack.ledger.breakdown import only_project
from fundtrack.service import fast, pipeline
from fundtrack.service.ledger import Scope
from fundtrack.storage import audit, queries, security
from fundtrack.storage.db import StoreError, database, redact, store_error
from fundtrack.tui.filters import NoActingText
from fundtrack.tui.form_words import store_words
from fundtrack.tui.history_words import Names, entry_words
from fundtrack.tui.messages import DataChanged, OpenEnterprise, OpenProject
from fundtrack.tui.palette import Palette, os_error_text, system_commands
from fundtrack.tui.screens.base import WRITING_ACTIONS, BaseScreen, localize_bindings
from fundtrack.tui.screens.dashboard import DashboardScreen
from fundtrack.tui.screens.dialogs import ChooseRecord, ChooseVillage, ConfirmVoid, ExportDialog
from fundtrack.tui.screens.history import HistoryScreen
from fundtrack.tui.screens.levies import HouseholdsScreen, LeviesScreen
from fundtrack.tui.screens.lists import (
    EnterpriseScreen,
    EnterprisesScreen,
    FindingsScreen,
    FundersScreen,
)
from fundtrack.tui.screens.project import ProjectScreen
from fundtrack.tui.screens.record_form import RecordForm
from fundtrack.tui.search import matches
from fundtrack.tui.snapshot import Snapshot, load_snapshot, load_totals, pick_village
from fundtrack.tui.strings import t
from fundtrack.tui.widgets.keys import KeysPanel


class ProjectFinder(Provider):
    """Command palette: projects, funders and enterprises by name, code or pinyin initials."""

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, FundtrackApp)
        snap = app.snapshot
        if snap is None:
            return
        matcher = self.matcher(query)
        for b in snap.breakdown.projects:
            p = b.project
            if matches(query, p.code, p.name):
                yield Hit(
                    max(matcher.match(p.name), 0.5),
                    f"{p.name} ({p.code})",
                    partial(app.post_message, OpenProject(p.id)),
                    help=t(app.language, "screen.project"),
                )
        for ln in snap.quotas.lines:
            if matches(query, ln.fact.name):
                yield Hit(
                    max(matcher.match(ln.fact.name), 0.4),
                    ln.fact.name,
                    partial(app.post_message, OpenEnterprise(ln.fact.name, ln.fact.village)),
                    help=t(app.language, "screen.enterprise"),
                )

    async def discover(self) -> Hits:
        app = self.app
        assert isinstance(app, FundtrackApp)
        if app.snapshot is None:
            return
        for b in app.snapshot.breakdown.projects[:50]:
            yield DiscoveryHit(
                f"{b.project.name} ({b.project.code})",
                partial(app.post_message, OpenProject(b.project.id)),
                help=t(app.language, "screen.project"),
            )


_NO_ACTING_TEXT = NoActingText()
WATCH_S = 2.0
"""How often the app looks whether another program changed the store."""


class FundtrackApp(App[None]):
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ProjectFinder}
    BINDINGS = [
        Binding("q", "quit", "key.quit"),
        Binding("question_mark", "help", "key.help"),
        Binding("f2", "language", "key.language"),
        Binding("d", "dashboard", "key.dashboard", show=False),
        Binding("ctrl+z", "undo", "key.undo", show=False),  # in ? and the palette: q ? f2 fit 80 columns
        Binding("h", "history", "key.history", show=False),
        Binding("w", "village", "key.village", show=False),
    ]

    def get_key_display(self, binding: Binding) -> str:
        """Keys as the footer and the ? panel show them; in zh the one English modifier name (`super`,
        Textual's copy key super+c) reads 徽标键."""
        shown = super().get_key_display(binding)
        return shown.replace("super", "徽标键") if self.language == "zh" else shown

    def get_line_filters(self):  # type: ignore[no-untyped-def]
        """Textual's filters, and ours: nothing from the data acts on the terminal."""
        return [*super().get_line_filters(), _NO_ACTING_TEXT]

    def __init__(self, config: Config, village: str | None = None, as_of: dt.date | None = None) -> None:
        super().__init__()
        self.config = config
        self.language = config.language
        self.village_name = village
        self.as_of = as_of or dt.date.today()
        self.snapshot: Snapshot | None = None
        self.seen_trail: int | None = None
        """The audit trail's newest entry when the shown figures were read (see _watch_trail)."""
        self.village_id: int | None = None
        # An auditor of a county's database writes nothing: no add, correct, void or undo key.
        self.read_only = security.role_of() == "auditor"

    def _title(self) -> str:
        title = t(self.language, "app.title")
        return f"{title} · {t(self.language, 'word.read_only')}" if self.read_only else title

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In read-only mode the writing actions are neither shown nor run (from any screen)."""
        if self.read_only and action in WRITING_ACTIONS:
            return False
        return super().check_action(action, parameters)

    def _refused(self) -> bool:
        """A writing action reached in read-only mode (the palette calls actions directly): said, not done."""
        if self.read_only:
            self.notify(t(self.language, "word.read_only_refused"), severity="warning")
        return self.read_only

    def on_mount(self) -> None:
        self.title = self._title()
        localize_bindings(self, self.language)
        self.push_screen(DashboardScreen())
        self.reload()
        self.set_interval(WATCH_S, self._watch_trail)

    @work(thread=True, exclusive=True, group="watch")
    def _watch_trail(self) -> None:
        """What another program wrote meanwhile (`fundtrack import` beside the app, another user of a
        county's database) shows within WATCH_S seconds: the audit trail's newest entry, one indexed
        lookup, is compared with the one the shown figures were read after."""
        try:
            newest = audit.newest_change()
        except Exception:  # noqa: BLE001 -- a store gone or busy: said by the next reload, not by a timer
            return
        if self.seen_trail is not None and newest > self.seen_trail:
            self.seen_trail = newest
            self.call_from_thread(self.reload)

    # -- errors

    def _handle_exception(self, error: Exception) -> None:
        """A database or disk problem (damaged, read-only, locked, full, a server gone) is a message and
        the screen stays, with what was typed in a form; anything else is a bug and ends the app."""
        problem = store_problem(error)
        if problem is None:
            super()._handle_exception(error)
            return
        self.notify(store_words(self.language, problem), severity="error", timeout=15)

    # -- data

    @work(thread=True, exclusive=True, group="snapshot")
    def reload(self) -> None:
        self.seen_trail = audit.newest_change()  # read first: a change made during the load is seen next
        village_id, name = pick_village(self.village_name)
        if self.snapshot is None:
            # First paint from project totals; the full ledger (funder lines, findings) follows,
            # once that paint is on the screen: computed at the same time, it held the GIL and
            # slowed the first paint of a county's dashboard down by seconds.
            self.call_from_thread(self._loaded, load_totals(self.config, village_id, name, self.as_of))
            painted = threading.Event()
            self.call_from_thread(self.call_after_refresh, painted.set)
            painted.wait(timeout=5)
        snap = load_snapshot(self.config, village_id, name, self.as_of)
        self.call_from_thread(self._loaded, snap)

    def _loaded(self, snap: Snapshot) -> None:
        if snap.complete:
            fast.release()  # what the last ledger froze may be garbage now
        self.snapshot = snap
        self.village_id = snap.village_id
        self.sub_title = snap.village or t(self.language, "word.all_villages")
        for screen in self.screen_stack:
            if isinstance(screen, BaseScreen) and screen.is_mounted and (snap.complete or not screen.NEEDS_LEDGER):
                try:
                    screen.show_snapshot()
                except NoMatches:  # a screen still being built, or taken down: it shows the next snapshot
                    pass
        if snap.complete:
            # A county's ledger is millions of objects that stay until the next one: frozen, the
            # garbage collector no longer walks them on every full pass (each one paused the screens).
            fast.hold()

    def without_cycle_collection(self) -> AbstractContextManager[None]:
        """For the screens: no cycle collection while they fill their tables from the ledger."""
        return fast.without_cycle_collection()

    @on(DataChanged)
    def _data_changed(self, event: DataChanged) -> None:
        if event.what:
            self.notify(t(self.language, "word.saved", what=event.what))
        self.reload()

    # -- navigation

    @on(OpenProject)
    def _open_project(self, event: OpenProject) -> None:
        screen = ProjectScreen(event.project_id)
        self.push_screen(screen)
        if event.tab != "funding":
            self.call_after_refresh(lambda: setattr(screen.query_one("#tabs"), "active", f"tab-{event.tab}"))

    @on(OpenEnterprise)
    def _open_enterprise(self, event: OpenEnterprise) -> None:
        self.push_screen(EnterpriseScreen(event.name, event.village))

    def action_dashboard(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_funders(self) -> None:
        self.push_screen(FundersScreen())

    def action_enterprises(self) -> None:
        self.push_screen(EnterprisesScreen())

    def action_levies(self) -> None:
        self.push_screen(LeviesScreen())

    def action_households(self) -> None:
        self.push_screen(HouseholdsScreen())

    def action_findings(self) -> None:
        self.push_screen(FindingsScreen())

    def action_help(self) -> None:
        if self.screen.query(KeysPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_show_help_panel(self) -> None:
        """Our keys panel (the screen's own keys first) in place of Textual's."""
        if not self.screen.query(KeysPanel):
            self.screen.mount(KeysPanel())

    def action_hide_help_panel(self) -> None:
        self.screen.query(KeysPanel).remove()

    def action_language(self) -> None:
        self.language = "en" if self.language == "zh" else "zh"
        self.config = _with_language(self.config, self.language)
        self.title = self._title()
        localize_bindings(self, self.language)
        self.refresh_bindings()
        self.notify(t(self.language, "word.language_now"))
        self.reload()
        for screen in self.screen_stack:
            if isinstance(screen, BaseScreen) and screen.is_mounted:
                screen.relocalize()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(self.language))

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit: say which key does, in the app's language."""
        self.notify(t(self.language, "word.how_to_quit"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from system_commands(self, screen)
        lang = self.language
        for key, action in (
            ("screen.dashboard", self.action_dashboard),
            ("screen.funders", self.action_funders),
            ("screen.enterprises", self.action_enterprises),
            ("screen.levies", self.action_levies),
            ("screen.households", self.action_households),
            ("screen.findings", self.action_findings),
            ("screen.history", self.action_history),
            ("key.undo", self.action_undo),
            ("key.add", self.action_add),
            ("key.language", self.action_language),
            ("key.import", self.action_import_file),
        ):
            if self.read_only and key in ("key.undo", "key.add", "key.import"):
                continue
            help_key = "palette.help.screen" if key.startswith("screen.") else f"palette.help.{key}"
            yield SystemCommand(t(lang, key), t(lang, help_key), action)
        for fmt_key, what in (
            ("title.breakdown", "breakdown"),
            ("title.quotas", "quotas"),
            ("title.findings", "findings"),
            ("title.document", "document"),
            ("title.workbook", "workbook"),
            ("title.notice", "notice"),
        ):
            yield SystemCommand(
                f"{t(lang, 'key.export')}: {t(lang, fmt_key)}",
                t(lang, "palette.help.export"),
                partial(self.action_export, what),
            )

    # -- writing

    def action_village(self) -> None:
        def chosen(name: str | None) -> None:
            if name is not None:
                self.village_name = name
                self.snapshot = None
                self.action_dashboard()
                self.reload()

        self.push_screen(ChooseVillage(self.language, [v.name for v in queries.villages()]), chosen)

    def _needs_village(self) -> bool:
        if self.village_id is None:
            self.notify(t(self.language, "word.choose_village_first"), severity="warning")
            return True
        return False

    def action_add(self, table: str | None = None) -> None:
        if self._refused() or self._needs_village():
            return
        if table:
            self.open_form(table, {})
            return

        def chosen(choice: str | None) -> None:
            if choice:
                self.open_form(choice, {})

        self.push_screen(ChooseRecord(self.language), chosen)

    def open_form(self, table: str, initial: dict | None, editing: tuple[str, int] | None = None) -> None:
        if self._refused() or self._needs_village():
            return
        self._open_form(table, initial or {}, editing)

    @work(thread=True, exclusive=True, group="form")
    def _open_form(self, table: str, initial: dict, editing: tuple[str, int] | None) -> None:
        assert self.village_id is not None
        suggestions = queries.names_for_forms(self.village_id)
        expected = None
        if editing is not None:
            recs = queries.records(self.village_id, with_personal_data=True, only=editing)
            initial = next(iter(recs[editing[0]]), {})
            # The record as the form shows it: saving is refused if someone changes it meanwhile.
            expected = audit.snapshot(*editing)
        self.call_from_thread(self._show_form, table, initial, editing, suggestions, expected)

    def _show_form(
        self,
        table: str,
        initial: dict,
        editing: tuple[str, int] | None,
        suggestions: dict,
        expected: dict | None = None,
    ) -> None:
        assert self.village_id is not None
        form = RecordForm(
            self.config,
            self.language,
            self.village_id,
            table,
            initial,
            editing[1] if editing else None,
            suggestions,
            expected,
        )

        def done(what: str | None) -> None:
            if what:
                self.post_message(DataChanged(what))

        self.push_screen(form, done)

    def confirm_void(self, table: str, record_id: int, what: str, seen: int | None = None) -> None:
        """Ask, then void; `seen` is the newest trail entry when the screen read the row (see void_record)."""

        if self._refused():
            return

        def answer(reason: str | None) -> None:
            if reason:
                self._void(table, record_id, what, seen, reason)

        self.push_screen(ConfirmVoid(self.language, what), answer)

    @work(thread=True, exclusive=True, group="write")
    def _void(self, table: str, record_id: int, what: str, seen: int | None = None, reason: str | None = None) -> None:
        from fundtrack.service.records import void_record

        problems = void_record(table, record_id, self.config.operator, seen, reason)
        if problems:
            self.call_from_thread(self.notify, problems[0].text(self.language), severity="warning")
        else:
            self.call_from_thread(self.notify, t(self.language, "word.voided_done", what=what[:60]))
        self.call_from_thread(self.post_message, DataChanged(""))

    def action_undo(self) -> None:
        if not self._refused():
            self._undo()

    @work(thread=True, exclusive=True, group="write")
    def _undo(self) -> None:
        from fundtrack.service.records import undo_last

        result = undo_last(self.config.import_options, self.config.operator)
        if result is None:
            self.call_from_thread(self.notify, t(self.language, "word.nothing_to_undo"), severity="warning")
            return
        _batch, entries = result
        names = self._names()
        what = t(self.language, "history.sep").join(
            entry_words(
                self.language,
                replace(e, before=privacy.masked(e.table, e.before), after=privacy.masked(e.table, e.after)),
                names,
            )
            for e in entries
        )
        self.call_from_thread(self.notify, t(self.language, "word.undone", what=what))
        self.call_from_thread(self.post_message, DataChanged(""))

    def _names(self) -> Names:
        """What the audit trail's codes are called: this snapshot's projects, the configured names."""
        snap = self.snapshot
        projects = {b.project.code: b.project.name for b in snap.breakdown.projects} if snap else {}
        return Names(projects, self.config.kind_name, self.config.category_name)

    def action_history(self) -> None:
        self.push_screen(HistoryScreen())

    # -- importing

    def action_import_file(self) -> None:
        """Choose a spreadsheet or a fundtrack file, preview it, import it (tui/screens/importing.py)."""
        from fundtrack.tui.screens.importing import ImportScreen

        def done(result: tuple[int, int] | None) -> None:
            if result is not None:
                records, skipped = result
                said = t(self.language, "import.done_new", n=records, skipped=skipped) if skipped else None
                self.notify(said or t(self.language, "import.done", n=records))
                self.post_message(DataChanged(""))

        village = self.snapshot.village if self.snapshot is not None else self.village_name
        self.push_screen(ImportScreen(self.config, self.language, village or None, str(Path.cwd()) + "/"), done)

    # -- exporting

    def action_export(self, what: str = "breakdown", project: tuple[int, str] | None = None) -> None:
        """Export a report; `project` (its id and code) narrows a breakdown to that project."""
        folder = Path.home() / "fundtrack-exports"
        title = t(self.language, f"title.{what}")
        # A file name in the app's language (资金构成-housing-1-2026-11-30.md); English keeps the report's code.
        stem = (title if self.language == "zh" else what) + (f"-{project[1]}" if project else "")
        formats = {"document": ("docx", "md"), "workbook": ("xlsx",), "notice": ("pdf",)}.get(
            what, ("md", "csv", "json", "xlsx")
        )
        if what in ("document", "workbook", "notice") and self._needs_village():
            return

        def answer(result: tuple[str, str] | None) -> None:
            if result:
                self._export(what, project, result[0], result[1])

        self.push_screen(ExportDialog(self.language, title, stem, folder, formats), answer)

    def print_receipt(self, receipt_id: int) -> None:
        """The 收据 of one receipt, written to the exports folder (a serial is given at its first print)."""
        self._print_receipt(receipt_id, Path.home() / "fundtrack-exports")

    @work(thread=True, exclusive=True, group="export")
    def _print_receipt(self, receipt_id: int, folder: Path) -> None:
        from fundtrack.service.paper import ReceiptChoice, marks_of, print_receipts
        from fundtrack.service.records import operator_name

        written: list[tuple[Path, int]] = []
        reprint, voided = marks_of(receipt_id)

        def deliver(pdf: bytes, serials: list[int]) -> None:
            folder.mkdir(parents=True, exist_ok=True)
            target = unused_path(folder / f"收据-{serials[0]:06d}.pdf")  # an earlier print of it is kept
            write_file(target, [pdf])
            written.append((target, serials[0]))

        try:
            print_receipts(ReceiptChoice(receipt_id=receipt_id), operator_name(self.config.operator), deliver)
        except OSError as exc:
            self.call_from_thread(self.notify, f"{folder}: {exc.strerror or exc}", severity="error")
            return
        if written:
            path, serial = written[0]
            key = {(False, False): "receipt_printed", (True, False): "receipt_reprinted"}.get(
                (reprint, voided), "receipt_void_reprinted" if reprint else "receipt_void_printed"
            )
            message = t(self.language, f"word.{key}", path=str(path), serial=f"{serial:06d}")
            self.call_from_thread(self.notify, message, timeout=10)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, what: str, project: tuple[int, str] | None, fmt: str, path: str) -> None:
        snap = self.snapshot
        if snap is None:
            return
        try:
            data = self._render_export(snap, what, project, fmt)
            target = unused_path(Path(path).expanduser())  # an earlier file of that name is kept
            write_file(target, data)
        except OSError as exc:
            self.call_from_thread(self.notify, f"{path}: {os_error_text(self.language, exc)}", severity="error")
            return
        self.call_from_thread(self.notify, t(self.language, "word.exported", path=str(target)), timeout=8)

    def _render_export(self, snap: Snapshot, what: str, project: tuple[int, str] | None, fmt: str) -> str | bytes:
        """The file's contents: the same report builders as the command line."""
        from fundtrack.io import committee, office
        from fundtrack.io.sheets.named import export_sheets

        unit, lang, config = self.config.display_unit, self.language, self.config
        if what == "document":
            assert snap.village_id is not None
            scope = Scope(snap.as_of, snap.village_id)
            doc = pipeline.committee_document(scope, snap.village_id, config.kind_name, config.category_name)
            return office.document_docx(doc) if fmt == "docx" else committee.to_markdown(doc)
        if what == "notice":
            from fundtrack.service.paper import print_notice

            assert snap.village_id is not None
            return print_notice(Scope(snap.as_of, snap.village_id), snap.village_id, config.kind_name, True)
        if what == "workbook":
            assert snap.village_id is not None
            village = queries.village_values(queries.villages_by_id(snap.village_id))
            sheets = export_sheets(village, queries.records(snap.village_id), lang, config.categories)
            return office.workbook(sheets)
        report: object = snap.reconciliation
        if what == "breakdown":
            report = snap.breakdown
            if project:
                report = only_project(snap.breakdown, project[0])
        elif what == "quotas":
            report = snap.quotas
        return outputs.render(what, fmt, report, Style(unit, lang, config.kind_name))


def store_problem(error: BaseException) -> StoreError | None:
    """The store problem behind an error raised in the app (a failed worker's own error included)."""
    inner = getattr(error, "error", None)  # textual's WorkerFailed
    for candidate in (error, inner):
        if isinstance(candidate, BaseException):
            found = store_error(candidate, redact(str(database.database)))
            if found is not None:
                return found
    return None


def _with_language(config: Config, language: str) -> Config:
    from dataclasses import replace

    return replace(config, language=language)


def make_app(config: Config, village: str | None = None, as_of: dt.date | None = None) -> FundtrackApp:
    """The app on the already opened store (tests build it the same way)."""
    return FundtrackApp(config, village, as_of)
