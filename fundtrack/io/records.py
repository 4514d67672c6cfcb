"""A record as a form holds it: the fields of each table, and the text typed into one turned into its value."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fundtrack.io.fundfile import MAX_COUNT
from fundtrack.ledger import names
from fundtrack.ledger import tables as decl
from fundtrack.ledger.problem_messages import CodedError

# What a form can add; the order is the order of the "add" menu.
FORM_TABLES = decl.FORM_ORDER
# Changed in place: other records link to them by name. The others are corrected by voiding the old
# entry and adding the new one (the old stays visible as voided).
EDITED_IN_PLACE = tuple(name for name, t in decl.TABLES.items() if t.in_place)

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_SPLIT = re.compile(r"\s*[、,，;；]\s*")


class FieldError(CodedError):
    """Text in a form field that cannot become a value of its key."""


def fields_of(table: str) -> list[tuple[str, bool]]:
    """(key, required) of every key a record of `table` may have, in the data format's order."""
    return [(k.name, k.required) for k in decl.TABLES[table].keys]


def kind_of(table: str, key: str) -> str:
    """How a form reads the field: amount, date, count, names, choice or text."""
    kind = decl.TABLES[table].by[key].kind
    if kind in ("count", "positive"):
        return "count"
    if kind in ("amount", "date", "names", "choice"):
        return kind
    return "text"


def coerce(table: str, key: str, text: str) -> Any:
    """The value a form field's text stands for; raises FieldError with the reason."""
    kind = kind_of(table, key)
    try:
        if kind == "names":
            return [names.check_name(n) for n in _SPLIT.split(text) if n]
        if kind == "text":
            # Text is taken as typed: a space around a name is an error (data-format.md), not cut off.
            declared = decl.TABLES[table].by[key]
            if declared.kind == "name":
                return names.check_name(text)
            return names.check_note(text) if declared.lines else names.check_line(text)
    except names.TextError as exc:
        raise FieldError(exc.code, **exc.params) from None
    text = text.strip()
    if kind == "date":
        m = _DATE.match(text)
        if not m:
            raise FieldError("form_date")
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise FieldError("form_no_such_date", date=text) from None
    if kind == "count":
        if not re.fullmatch(r"[0-9]+", text):  # not \d: int() would read Arabic-Indic digits too
            raise FieldError("form_count")
        if len(text.lstrip("0")) > len(str(MAX_COUNT)):  # before int(): 5,000 digits pass Python's own limit
            raise FieldError("count_too_large", got=f"{text[:20]}…", limit=MAX_COUNT)
        return int(text)
    return text


class FieldWarning(CodedError):
    """A value a form accepts, but that is more likely a slip than meant: saved only when asked twice."""


# The dates of things that happened (a receipt, a payment, a hire's start, a count): the declarations
# mark them as filled in with today's date. A date after today is a slip (2031 for 2021): such a record
# is left out of every total until that day comes.
HAPPENED_ON = {(t.name, k.name) for t in decl.DECLARED for k in t.keys if k.today}


def warnings_of(
    table: str,
    rec: dict[str, Any],
    today: dt.date,
    funder_kinds: dict[str, str] | None = None,
    levy_projects: set[str] | frozenset[str] = frozenset(),
) -> list[tuple[str, FieldWarning]]:
    """(key, warning) for each likely slip in a record a form is about to save.

    `funder_kinds` maps a funder's name to its kind; `levy_projects` holds the codes of the projects
    with a levy. A receipt from villagers on a project with a levy is a levy payment: it says which
    household paid (else the levy roll cannot count it); a household on any other receipt (a company's)
    is a slip of the field."""
    found: list[tuple[str, FieldWarning]] = []
    for key, value in rec.items():
        if (table, key) in HAPPENED_ON and isinstance(value, dt.date) and value > today:
            found.append((key, FieldWarning("form_future_date", date=value.isoformat(), today=today.isoformat())))
    if table == "receipts" and funder_kinds is not None:
        kind = funder_kinds.get(rec.get("funder") or "")
        levy_payment = kind == "villagers" and rec.get("project") in levy_projects
        household = str(rec.get("household") or "").strip()
        if levy_payment and not household:
            found.append(("household", FieldWarning("form_levy_without_household")))
        elif household and kind is not None and not levy_payment:
            found.append(("household", FieldWarning("form_household_not_levy", funder=rec.get("funder"))))
    return found


# A form's example date (grey, after 例如): a fixed day, so that it is never taken for today's value.
DATE_EXAMPLE = dt.date(2025, 6, 30)
# Dates that come after another date of the same record: their example is never earlier than it.
LATER_THAN = {("hires", "end"): "start", ("projects", "expected_end"): "start"}


def date_example(table: str, key: str, typed: dict[str, str]) -> str:
    """The example a date field shows while empty, given the text typed into the record's other fields."""
    example = DATE_EXAMPLE
    earlier = LATER_THAN.get((table, key))
    if earlier and typed.get(earlier, "").strip():
        try:
            start = coerce(table, earlier, typed[earlier])
        except FieldError:
            start = None
        if isinstance(start, dt.date) and start > example:
            example = start
    return example.isoformat()


def first_to_fill(table: str, keys: list[str], blank: set[str], editing: bool) -> str | None:
    """The field a form opens on, of the `keys` it lets people change (`blank` being those still empty).

    A new record opens on the first required field still empty (a receipt from a project's screen: its
    funder, else its amount), else the first empty one. A correction opens on the amount, the value
    corrected most, else on the first field that neither names the record nor links it to another:
    never on a voucher number left empty."""
    declared = decl.TABLES[table]
    if editing:
        amounts = [k for k in keys if declared.by[k].kind == "amount"]
        plain = [k for k in keys if k != declared.name_key and not declared.by[k].link]
        return next(iter(amounts + plain + keys), None)
    required = [k for k in keys if declared.by[k].required and k in blank]
    return next(iter(required + [k for k in keys if k in blank] + keys), None)
