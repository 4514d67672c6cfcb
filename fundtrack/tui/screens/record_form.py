"""A form for one record of any type: amounts as people type them, names suggested, the importer's checks inline."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select

from fundtrack.io import records
from fundtrack.io.config import Config
from fundtrack.io.problems import error_text
from fundtrack.ledger import privacy
from fundtrack.ledger import tables as decl
from fundtrack.ledger.money import Amount, AmountError, canonical_amount, format_number, parse_amount
from fundtrack.service import records as service_records
from fundtrack.tui.form_words import problem_words
from fundtrack.tui.strings import TEXT, t
from fundtrack.tui.textual_words import LocalizedBindings

# Choice fields: the values and the catalog prefix that names them (funder kinds and categories
# are named by the configuration).
CHOICES: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    (t.name, k.name): (k.choices, k.labels)
    for t in decl.DECLARED
    for k in t.keys
    if k.kind in ("choice", "category", "flag")
}
READ_ONLY_ON_EDIT = {(t.name, t.name_key) for t in decl.DECLARED if t.in_place}
DATE_DEFAULTS = {(t.name, k.name) for t in decl.DECLARED for k in t.keys if k.today}
_WHERE = re.compile(r"^\w+\[0\]\.(\w+)$")


def show(label: Label, text: str) -> None:
    """A message line under a field: takes no room while it has nothing to say."""
    label.update(text)
    label.display = bool(text)


def as_text(value: Any) -> str:
    """A stored value as a form shows it."""
    if value is None:
        return ""
    if isinstance(value, Amount):
        return canonical_amount(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "、".join(value)
    return str(value)


class RecordForm(LocalizedBindings, ModalScreen[str | None]):
    """Add a record, or correct one; dismisses with a short description of what was saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save"),
        Binding("escape", "cancel", "key.cancel"),
        # Tab takes a shown suggestion (安居 → 安居房住户) before moving on, as → does.
        Binding("tab", "accept_and_next", show=False, priority=True),
    ]

    def __init__(
        self,
        config: Config,
        language: str,
        village_id: int,
        table: str,
        initial: dict[str, Any] | None = None,
        editing: int | None = None,
        suggestions: dict[str, list[str]] | None = None,
        expected: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.expected = expected
        self.config = config
        self.language = language
        self.village_id = village_id
        self.table = table
        # Personal values are shown masked; an unchanged mask keeps the stored value on saving.
        personal = decl.TABLES[table].personal
        self.stored_personal = {k: v for k, v in (initial or {}).items() if k in personal and v not in (None, "")}
        self.initial = {
            k: privacy.mask(v) if k in self.stored_personal else as_text(v) for k, v in (initial or {}).items()
        }
        self.editing = editing
        self.suggestions = suggestions or {}
        self.fields = records.fields_of(table)
        # The record the last warnings were shown for: saving it again unchanged saves it anyway.
        self.warned_for: dict[str, Any] | None = None

    def t(self, key: str, **values: Any) -> str:
        return t(self.language, key, **values)

    def field_label(self, key: str) -> str:
        """A field's label: the table's own for the key where it has one (a household's code), else the key's."""
        own = f"field.{self.table}.{key}"
        return self.t(own) if own in TEXT.get(self.language, TEXT["en"]) else self.t(f"field.{key}")

    def _choice_options(self, key: str) -> list[tuple[str, str]]:
        values, prefix = CHOICES[(self.table, key)]
        if decl.TABLES[self.table].by[key].kind == "flag":  # yes or no (a household's exempt)
            return [(self.t("word.flag_yes"), True), (self.t("word.flag_no"), False)]
        if decl.TABLES[self.table].by[key].kind == "category":
            return [(self.config.category_name(c), c) for c in self.config.categories]
        if prefix == "kind.":
            return [(self.config.kind_name(k), k) for k in values]
        return [(self.t(prefix + v), v) for v in values]

    def _shown(self, key: str, value: Any) -> str:
        """A value as the form showed it: a choice by its label (企业, not enterprise), personal data masked."""
        if key in decl.TABLES[self.table].personal:
            return privacy.mask(value)
        if (self.table, key) in CHOICES:
            return dict((v, label) for label, v in self._choice_options(key)).get(value, as_text(value))
        return as_text(value)

    def compose(self) -> ComposeResult:
        title = self.t(f"record.{self.table}") + (f" · {self.t('key.edit')}" if self.editing else "")
        with VerticalGroup(id="form"):
            yield Label(f"[b]{title}[/b]", id="form-title")
            with VerticalScroll(id="form-fields"):
                for key, required in self.fields:
                    with HorizontalGroup(classes="field-row"):
                        yield Label(self.field_label(key) + (" *" if required else ""), classes="field-label")
                        with VerticalGroup(classes="field-body"):
                            yield from self._field(key, required)
                            if records.kind_of(self.table, key) == "amount" and (self.table, key) not in CHOICES:
                                yield Label("", id=f"preview-{key}", classes="preview").set_styles("display: none;")
                            yield Label("", id=f"err-{key}", classes="field-error").set_styles("display: none;")
                            yield Label("", id=f"warn-{key}", classes="field-warning").set_styles("display: none;")
            yield Label("", id="form-error", classes="field-error").set_styles("display: none;")
            yield Label("", id="form-warning", classes="field-warning").set_styles("display: none;")
            with HorizontalGroup(id="form-buttons"):
                yield Button(self.t("key.save") + " (ctrl+s)", variant="primary", id="save")
                yield Button(self.t("key.cancel") + " (esc)", id="cancel")

    def _field(self, key: str, required: bool) -> ComposeResult:
        value = self.initial.get(key, "")
        if not value and (self.table, key) in DATE_DEFAULTS and self.editing is None:
            value = dt.date.today().isoformat()
        if (self.table, key) in CHOICES:
            options = self._choice_options(key)
            if decl.TABLES[self.table].by[key].kind == "flag":
                value = {"True": True, "False": False}.get(value, value)  # type: ignore[assignment]
            default = value if value in {v for _, v in options} else Select.NULL
            if default is Select.NULL and required and key in ("status", "role", "form"):
                default = options[0][1]
            yield Select(
                options,
                value=default,
                allow_blank=default is Select.NULL or not required,
                id=f"f-{key}",
                prompt="—",
                compact=True,
            )
            return
        names = self.suggestions.get(key)
        box = Input(
            value=value,
            id=f"f-{key}",
            compact=True,
            suggester=SuggestFromList(names, case_sensitive=False) if names else None,
        )
        if records.kind_of(self.table, key) == "amount":
            box.placeholder = self.t("word.unit_hint", unit=self.config.display_unit)
        elif records.kind_of(self.table, key) == "date":
            typed = {k: self.initial.get(k, "") for k, _ in self.fields}
            typed.update({k: dt.date.today().isoformat() for t, k in DATE_DEFAULTS if t == self.table and not typed[k]})
            box.placeholder = self.t("word.example", example=records.date_example(self.table, key, typed))
        if self.editing is not None and (self.table, key) in READ_ONLY_ON_EDIT:
            box.disabled = True
        yield box

    def on_mount(self) -> None:
        first = records.first_to_fill(
            self.table,
            [key for key, _ in self.fields if not self.query_one(f"#f-{key}").disabled],
            {key for key, _ in self.fields if self._blank(key)},
            editing=self.editing is not None,
        )
        if first is not None:
            self.query_one(f"#f-{first}").focus()
        for key, _ in self.fields:
            if records.kind_of(self.table, key) == "amount":
                self._preview(key, self.initial.get(key, ""))

    def _blank(self, key: str) -> bool:
        widget = self.query_one(f"#f-{key}")
        if isinstance(widget, Select):
            return widget.value is Select.NULL
        return not widget.value.strip()  # type: ignore[attr-defined]

    def _preview(self, key: str, text: str) -> None:
        label = self.query_one(f"#preview-{key}", Label)
        if not text.strip():
            show(label, "")
            return
        try:
            amount = parse_amount(text, self.config.display_unit)
        except AmountError as exc:
            show(label, f"[red]{escape(exc.text(self.language))}[/red]")
            return
        show(label, self.t("word.amount_preview", yuan=format_number(amount, "元")))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("f-")
        if records.kind_of(self.table, key) == "amount" if key in dict(self.fields) else False:
            self._preview(key, event.value)
        if key in dict(self.fields):
            show(self.query_one(f"#err-{key}", Label), "")
            self._forget_warnings()
        for (table, later), earlier in records.LATER_THAN.items():
            if table == self.table and earlier == key:  # a start typed: the end's example follows it
                example = records.date_example(table, later, {earlier: event.value})
                self.query_one(f"#f-{later}", Input).placeholder = self.t("word.example", example=example)

    @on(Select.Changed)
    def _chose(self) -> None:
        self._forget_warnings()

    def _forget_warnings(self) -> None:
        """A field changed: the record is checked again on the next save, warnings and all."""
        self.warned_for = None
        for label in self.query(".field-warning").results(Label):
            show(label, "")

    def _warn(self, raw: dict[str, Any], warnings: list[tuple[str, records.FieldWarning]]) -> None:
        """Show what looks like a slip, under its field and in a line; the same record saved again is saved."""
        self.warned_for = raw
        for key, warning in warnings:
            label = self.query_one(f"#warn-{key}", Label)
            show(label, "\n".join(filter(None, [str(label.content), escape(warning.text(self.language))])))
        show(self.query_one("#form-warning", Label), self.t("word.save_again", count=len(warnings)))
        self.query_one("#form-fields", VerticalScroll).scroll_to_widget(self.query_one(f"#warn-{warnings[0][0]}"))

    def action_accept_and_next(self) -> None:
        box = self.focused
        if isinstance(box, Input) and box.cursor_at_end and len(box._suggestion) > len(box.value):
            box.value = box._suggestion
            box.cursor_position = len(box.value)
        self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        raw: dict[str, Any] = {}
        bad = False
        for label in self.query(".field-warning").results(Label):
            show(label, "")
        show(self.query_one("#form-error", Label), "")  # checked again: a fixed error's line goes
        for key, _ in self.fields:
            widget = self.query_one(f"#f-{key}")
            error = self.query_one(f"#err-{key}", Label)
            show(error, "")
            if isinstance(widget, Select):
                if widget.value is not Select.NULL and widget.value is not None:
                    raw[key] = widget.value
                continue
            text = widget.value.strip()  # type: ignore[attr-defined]
            if not text:
                continue
            if key in self.stored_personal and text == self.initial.get(key):
                raw[key] = self.stored_personal[key]
                continue
            if key in self.stored_personal and privacy.MASK in text:
                # Part of the mask edited: the hidden characters are not known here, so the whole value is asked for.
                show(error, error_text(records.FieldError("form_partly_masked"), self.language))
                bad = True
                continue
            try:
                raw[key] = records.coerce(self.table, key, text)
            except records.FieldError as exc:
                show(error, error_text(exc, self.language))
                bad = True
        if bad:
            show(self.query_one("#form-error", Label), self.t("word.fix_errors"))
            self._scroll_to_first(".field-error")
            return
        name_key = decl.TABLES[self.table].name_key
        if decl.TABLES[self.table].in_place and self.editing is not None and name_key:
            raw[name_key] = self.initial.get(name_key, raw.get(name_key))
        self._write(raw)

    @work(thread=True, exclusive=True)
    def _write(self, raw: dict[str, Any]) -> None:
        options, unit = self.config.import_options, self.config.display_unit
        raw = service_records.with_project_codes(self.village_id, self.table, raw)
        if raw != self.warned_for:
            warnings = service_records.form_warnings(self.village_id, self.table, raw, dt.date.today())
            if warnings:
                in_place = self.editing is not None and self.table in records.EDITED_IN_PLACE
                problems = service_records.form_problems(self.village_id, self.table, raw, options, unit, in_place)
                if problems:  # errors first: a record that cannot be saved is not saved by pressing twice
                    self.app.call_from_thread(self._written, raw, problems)
                else:
                    self.app.call_from_thread(self._warn, raw, warnings)
                return
        if self.editing is None:
            problems = service_records.add_record(self.village_id, self.table, raw, options, unit, self.config.operator)
        else:
            problems = service_records.replace_record(
                self.village_id, self.table, self.editing, raw, options, unit, self.config.operator, self.expected
            )
        self.app.call_from_thread(self._written, raw, problems)

    def _written(self, raw: dict[str, Any], problems: list) -> None:
        if not problems:
            summary = " · ".join(self._shown(k, v) for k, v in raw.items() if v not in ("", None))[:80]
            self.dismiss(f"{self.t('record.' + self.table)}: {summary}")
            return
        general = []
        for problem in problems:
            m = _WHERE.match(problem.where)
            if m and m[1] in dict(self.fields):
                show(self.query_one(f"#err-{m[1]}", Label), escape(self._problem(problem)))
                for preview in self.query(f"#preview-{m[1]}").results(Label):
                    show(preview, "")
            else:
                general.append(self._problem(problem))  # `where` is the file checker's (record, pledges[0])
        show(self.query_one("#form-error", Label), escape("\n".join([self.t("word.fix_errors"), *general])))
        self._scroll_to_first(".field-error")

    def _scroll_to_first(self, selector: str) -> None:
        """Bring the first field showing `selector` (an error) into view: at 80x24 it may be below."""
        fields = self.query_one("#form-fields", VerticalScroll)
        shown = [label for label in fields.query(selector).results(Label) if label.display]
        if shown:
            self.call_after_refresh(fields.scroll_to_widget, shown[0], animate=False)  # once laid out

    def _problem(self, problem: Any) -> str:
        return problem_words(self.language, problem, self.config.kind_name)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
