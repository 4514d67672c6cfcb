"""Import a file from the app: choose it (paths complete as typed), see the preview with each problem under its row, import or cancel."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Static

from fundtrack.io import sheets
from fundtrack.io.config import Config
from fundtrack.io.fundfile import Options
from fundtrack.io.problems import InputError, Problem, show
from fundtrack.io.sheets import named
from fundtrack.ledger.text import one_line
from fundtrack.service.importing import check_sheet, import_files
from fundtrack.tui.strings import t

FIRST_ROWS = 5
SUFFIXES = (*sheets.reader.SHEET_SUFFIXES, ".toml", ".json")


class PathSuggester(Suggester):
    """Completes a path from the files and folders there are: folders end in `/`; only files that
    can be imported are offered."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        folder, _, stem = value.rpartition("/")
        where = Path(os.path.expanduser(folder or ".")) if folder or not value.startswith("/") else Path("/")
        try:
            entries = sorted(os.scandir(where), key=lambda e: e.name)
        except OSError:
            return None
        for entry in entries:
            if not entry.name.startswith(stem) or entry.name.startswith(".") and not stem.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                return f"{folder}/{entry.name}/" if folder or value.startswith("/") else f"{entry.name}/"
            if entry.name.lower().endswith(SUFFIXES):
                return f"{folder}/{entry.name}" if folder or value.startswith("/") else entry.name
        return None


_ROW = re.compile(r"^(?P<sheet>.*)!(?P<col>[A-Z]+)(?P<row>\d+)$|^(?P<csvrow>\d+):\d+$")


def _row_of(problem: Problem) -> tuple[str, int] | None:
    """The (sheet, row) a problem is in; a CSV file's one sheet is ''."""
    m = _ROW.match(problem.at)
    if not m:
        return None
    if m["csvrow"]:
        return "", int(m["csvrow"])
    return m["sheet"], int(m["row"])


def preview_text(
    language: str, path: str, reading: sheets.Reading, checked: Any, categories: named.Categories
) -> tuple[str, int]:
    """The preview: each sheet, its first rows and every row with a problem, the problem under it; and
    the number of problems."""
    problems = reading.problems + (checked.problems if checked else [])
    stored = checked.stored if checked else set()  # with new-only: the records the village has, marked
    by_row: dict[tuple[str, int], list[Problem]] = defaultdict(list)
    loose: list[Problem] = []
    for p in problems:
        place = _row_of(p)
        (by_row[place] if place else loose).append(p)
    lines: list[str] = []
    shown_places: set[tuple[str, int]] = set()
    for report in reading.sheets:
        if not report.table or not report.header_row:
            lines.append(t(language, "import.not_recognised", sheet=report.sheet))
            continue
        lines.append(
            t(
                language,
                "import.sheet",
                sheet=report.sheet,
                table=named.table_word(report.table, language),
                row=report.header_row,
                n=len(report.records),
            )
        )
        if report.left_out:
            lines.append(t(language, "import.left_out", columns=", ".join(report.left_out)))
        if stored and report.table != "village":  # the village: compared, not skipped
            n = sum((report.table, i) in stored for i in report.records)
            lines.append("  " + t(language, "import.stored_count", n=n, k=len(report.records) - n))
        if report.skipped:
            rows = ", ".join(f"{r} ({t(language, 'import.skip.' + why)})" for r, why in report.skipped[:20])
            lines.append(t(language, "import.skipped", rows=rows))
        sheet_key = "" if _is_csv(reading) else report.sheet
        header_place = (sheet_key, report.header_row)
        for p in by_row.get(header_place, []):
            lines.append(f"    ! {p.at}: {p.where}: {p.text(language)}")
        shown_places.add(header_place)
        hidden = 0
        # with new-only, the records to be imported come first: those are what the preview is for
        ordered = sorted(report.records, key=lambda i: (report.table, i) in stored) if stored else report.records
        for n, i in enumerate(ordered):
            place_info = reading.index.records.get((report.table, i))
            row = place_info[1] if place_info else report.header_row + 1  # the village: the row under the header
            place = (sheet_key, row)
            if n >= FIRST_ROWS and place not in by_row:
                hidden += 1
                continue
            rec = named.preview_record(reading, checked, report.table, i)
            said = t(language, "import.stored") if (report.table, i) in stored else ""
            lines.append(
                t(language, "import.row", row=row, record=named.record_text(report.table, rec, language, categories))
                + said
            )
            for p in by_row.get(place, []):
                lines.append(f"    ! {p.at}: {p.where}: {p.text(language)}")
            shown_places.add(place)
        if hidden:
            lines.append(t(language, "import.more", n=hidden))
    rest = loose + [p for place, ps in by_row.items() if place not in shown_places for p in ps]
    lines.append("")
    if problems:
        lines.append(t(language, "import.problems", n=len(problems)))
        lines.extend("  " + show(p, language) for p in rest)
    else:
        lines.append(t(language, "import.ok"))
    return "\n".join(one_line(line) for line in lines), len(problems)


def _is_csv(reading: sheets.Reading) -> bool:
    return sheets.reader.is_csv(reading.path)


class TickBox(Checkbox):
    """A check box that shows ✓ when ticked and nothing when not: Textual's shows an X in both states,
    told apart by colour alone, and was read as ticked either way."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 -- Textual's name
        return "✓" if self.value else " "


class ImportScreen(ModalScreen[tuple[int, int] | None]):
    """Choose a file, preview it, import it; answers the number of records imported (None: cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, config: Config, language: str, village: str | None = None, start: str = "") -> None:
        super().__init__()
        self.config = config
        self.language = language
        self.village = village
        self.start = start

    def compose(self) -> ComposeResult:
        with VerticalGroup(classes="dialog", id="import-dialog"):
            yield Label(f"[b]{t(self.language, 'import.title')}[/b]")
            yield Label(t(self.language, "import.path"))
            yield Input(self.start, id="path", suggester=PathSuggester())
            with VerticalScroll(id="import-preview"):
                yield Static("", id="preview", markup=False)
            yield ProgressBar(id="progress", show_eta=False)
            yield TickBox(t(self.language, "import.new_only"), id="new-only", compact=True)
            with HorizontalGroup(classes="buttons"):
                yield Button(t(self.language, "import.preview"), id="preview-button")
                yield Button(t(self.language, "import.do"), variant="primary", id="import", disabled=True)
                yield Button(t(self.language, "key.cancel") + " (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#import-preview").styles.max_height = 12
        self.query_one("#path", Input).focus()

    def _settings(self) -> sheets.Settings:
        settings = sheets.Settings(village=self.village)
        settings.name_categories(self.config.categories)
        return settings

    def _path(self) -> str:
        return os.path.expanduser(self.query_one("#path", Input).value.strip())

    def _options(self) -> Options:
        """The import's options: with the box ticked, only the records the village does not have."""
        return replace(self.config.import_options, new_only=self.query_one("#new-only", Checkbox).value)

    @on(Input.Changed, "#path")
    @on(Checkbox.Changed, "#new-only")
    def _changed(self) -> None:
        self.query_one("#import", Button).disabled = True

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#preview-button")
    def action_preview(self) -> None:
        path = self._path()
        if not path:
            self.notify(t(self.language, "import.no_file"), severity="warning")
            return
        self.query_one("#preview", Static).update(t(self.language, "import.reading"))
        self._preview(path, self._options())

    @work(thread=True, exclusive=True, group="import-preview")
    def _preview(self, path: str, options: Options) -> None:
        if sheets.is_sheet(path):
            reading, checked = check_sheet(path, options, self._settings())
            text, problems = preview_text(self.language, path, reading, checked, self.config.categories)
        else:
            try:
                result = import_files([path], options, dry_run=True)
                if options.new_only:
                    text = t(self.language, "import.ok_new", n=result.records, skipped=result.skipped)
                else:
                    text = t(self.language, "import.ok") + f" ({result.records})"
                problems = 0
            except InputError as exc:
                lines = [t(self.language, "import.problems", n=len(exc.problems))]
                lines += ["  " + show(p, self.language) for p in exc.problems]
                text, problems = "\n".join(one_line(x) for x in lines), len(exc.problems)
        self.app.call_from_thread(self._previewed, text, problems)

    def _previewed(self, text: str, problems: int) -> None:
        self.query_one("#preview", Static).update(text)
        self.query_one("#import", Button).disabled = problems > 0

    @on(Button.Pressed, "#import")
    def _import(self) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#import", Button).disabled = True
        self.query_one("#preview", Static).update(t(self.language, "import.importing"))
        self._run_import(self._path(), self._options())

    @work(thread=True, exclusive=True, group="write")
    def _run_import(self, path: str, options: Options) -> None:
        bar = self.query_one("#progress", ProgressBar)

        def on_total(n: int) -> None:
            self.app.call_from_thread(bar.update, total=(bar.total or 0) + n)

        def progress(n: int) -> None:
            self.app.call_from_thread(bar.advance, n)

        try:
            result = import_files(
                [path],
                options,
                on_total=on_total,
                progress=progress,
                operator=self.config.operator,
                settings=self._settings(),
            )
        except InputError as exc:
            lines = [t(self.language, "import.problems", n=len(exc.problems))]
            lines += ["  " + show(p, self.language) for p in exc.problems]
            self.app.call_from_thread(self._previewed, "\n".join(one_line(x) for x in lines), len(exc.problems))
            self.app.call_from_thread(setattr, bar, "display", False)
            return
        self.app.call_from_thread(self.dismiss, (result.records, result.skipped))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
