"""Small dialogs: choose what to add, confirm a void, export a report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from fundtrack.io.files import unused_path
from fundtrack.io.records import FORM_TABLES
from fundtrack.service.records import void_reason
from fundtrack.tui.strings import t
from fundtrack.tui.textual_words import LocalizedBindings


class ChooseRecord(LocalizedBindings, ModalScreen[str | None]):
    """Which kind of record to add."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def compose(self) -> ComposeResult:
        with VerticalGroup(classes="dialog"):
            yield Label(f"[b]{t(self.language, 'word.choose_record')}[/b]")
            yield OptionList(
                *[Option(t(self.language, f"record.{table}"), id=table) for table in FORM_TABLES], id="choices"
            )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmVoid(LocalizedBindings, ModalScreen[str | None]):
    """Void a record: asks why (a reason is required, and kept in the audit trail); answers the reason."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, language: str, what: str) -> None:
        super().__init__()
        self.language = language
        self.what = what

    def compose(self) -> ComposeResult:
        with VerticalGroup(classes="dialog"):
            yield Label(t(self.language, "word.confirm_void", what=self.what), markup=False)
            yield Label(t(self.language, "word.void_reason"))
            yield Input(placeholder=t(self.language, "word.void_reason_example"), max_length=200, id="reason")
            yield Label("", id="reason-error", classes="field-error").set_styles("display: none;")
            with HorizontalGroup(classes="buttons"):
                yield Button(t(self.language, "key.void") + " (enter)", variant="error", id="yes")
                yield Button(t(self.language, "word.no") + " (esc)", id="no")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Changed, "#reason")
    def _typed(self) -> None:
        self.query_one("#reason-error", Label).display = False

    @on(Button.Pressed, "#yes")
    @on(Input.Submitted, "#reason")
    def action_confirm(self) -> None:
        reason = void_reason(self.query_one("#reason", Input).value)
        if reason is None:
            error = self.query_one("#reason-error", Label)
            error.update(t(self.language, "word.void_reason_needed"))
            error.display = True
            self.query_one("#reason", Input).focus()
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        self.dismiss(None)


FORMATS = ("md", "csv", "json", "xlsx")


class ExportDialog(LocalizedBindings, ModalScreen[tuple[str, str] | None]):
    """Where to save a report and in which format; answers (format, path)."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, language: str, what: str, stem: str, folder: Path, formats: tuple[str, ...] = FORMATS) -> None:
        super().__init__()
        self.language = language
        self.what = what
        self.stem = stem
        self.folder = folder
        self.formats = formats

    def _path(self, fmt: str) -> str:
        """Today's file name, numbered when the day has one already (never the name of an earlier export)."""
        return str(unused_path(self.folder / f"{self.stem}-{dt.date.today().isoformat()}.{fmt}"))

    def compose(self) -> ComposeResult:
        with VerticalGroup(classes="dialog"):
            yield Label(f"[b]{t(self.language, 'word.export_title', what=self.what)}[/b]")
            yield Label(t(self.language, "word.format"))
            yield Select(
                [(t(self.language, f"format.{f}"), f) for f in self.formats],
                value=self.formats[0],
                allow_blank=False,
                id="format",
            )
            yield Label(t(self.language, "word.export_path"))
            yield Input(self._path(self.formats[0]), id="path")
            with HorizontalGroup(classes="buttons"):
                yield Button(t(self.language, "key.export"), variant="primary", id="ok")
                yield Button(t(self.language, "key.cancel") + " (esc)", id="cancel")

    @on(Select.Changed, "#format")
    def _format(self, event: Select.Changed) -> None:
        box = self.query_one("#path", Input)
        box.value = str(unused_path(Path(box.value).with_suffix(f".{event.value}")))

    @on(Button.Pressed, "#ok")
    @on(Input.Submitted, "#path")
    def _ok(self) -> None:
        self.dismiss((str(self.query_one("#format", Select).value), self.query_one("#path", Input).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ChooseVillage(LocalizedBindings, ModalScreen[str | None]):
    """Which village to show, or all of them."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, language: str, villages: list[str]) -> None:
        super().__init__()
        self.language = language
        self.villages = villages

    def compose(self) -> ComposeResult:
        with VerticalGroup(classes="dialog"):
            yield Label(f"[b]{t(self.language, 'word.choose_village')}[/b]")
            options = [Option(t(self.language, "word.all_villages"), id="*")]
            options += [Option(name, id=f"v:{name}") for name in self.villages]
            yield OptionList(*options, id="choices")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        ident = event.option.id or "*"
        self.dismiss("*" if ident == "*" else ident[2:])

    def action_cancel(self) -> None:
        self.dismiss(None)
