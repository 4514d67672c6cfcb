"""The tables of fundtrack/1, each declared once: its keys, their kinds, links by name, store columns,
personal fields and how a form shows and corrects it.

Everything else is derived from these declarations: the file checker's keys (io/fundfile), the rows
the importer inserts and the records read back (storage/tables), corrections and audit snapshots, the
export's columns and the forms. A new optional key is one `Key(...)` line here, a column in
storage/models.py and a migration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fundtrack.ledger import vocab

# How a value is read and checked. Every kind is a plain TOML value but `amount` (money, see
# ledger/money.parse_amount) and `category` (text checked against the configured categories).
KINDS = ("name", "text", "count", "positive", "flag", "date", "names", "choice", "category", "amount")


@dataclass(frozen=True)
class Key:
    """One key of a table."""

    name: str
    kind: str
    """One of KINDS."""
    required: bool = False
    choices: tuple[str, ...] = ()
    """For kind `choice`: the closed vocabulary (ledger/vocab.py)."""
    link: str | None = None
    """For kinds `name` and `names`: the table whose record this names (by that table's `name_key`)."""
    column: str | None = None
    """The store's column when it is not the key's own name (amounts: the fen column)."""
    at_least: str | None = None
    """For amounts: the store's column that marks a lower bound (余)."""
    personal: bool = False
    """Personal data: left out of exports and masked unless asked for."""
    default: object = None
    """The value a record has when the key is left out (exports leave it out again)."""
    today: bool = False
    """A form fills in today's date for a new record."""
    labels: str = ""
    """For choices: the message catalog prefix that names each value (`status.` → status.building)."""
    lines: bool = False
    """For kind `text`: free text over several lines (a note), which may hold line breaks and tabs. Other
    text is one line (a voucher, a township: one cell, one journal field), where a line break would
    forge a line of its own (ledger/names.py)."""

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind
        if self.kind == "amount":
            object.__setattr__(self, "column", self.column or f"{self.name}_fen")
            object.__setattr__(self, "at_least", self.at_least or "at_least")

    @property
    def stored_as(self) -> str:
        """The store's column (a link's foreign key has the key's own name)."""
        return self.column or self.name


@dataclass(frozen=True)
class Table:
    """One table of the data format."""

    name: str
    keys: tuple[Key, ...]
    owner: str
    """What a record belongs to, and through which key the store finds its village: `village` (a
    column of its own), or the key that links it to a project or an enterprise."""
    name_key: str | None = None
    """The key other records link to this one by (a name or a code); None when nothing links here."""
    in_place: bool = False
    """Corrected in place (others link to it by name, so it keeps its id and name); otherwise a
    correction voids the record and adds the corrected one, and the old one stays visible as voided."""
    by: dict[str, Key] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by", {k.name: k for k in self.keys})

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(self.by)

    @property
    def required(self) -> frozenset[str]:
        return frozenset(k.name for k in self.keys if k.required)

    @property
    def personal(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys if k.personal)


def _k(name: str, kind: str, required: bool = False, **more: object) -> Key:
    return Key(name, kind, required, **more)  # type: ignore[arg-type]


_PROJECT = _k("project", "name", True, link="projects")
_ENTERPRISE = _k("enterprise", "name", True, link="enterprises")
_NOTE = _k("note", "text", lines=True)

VILLAGE = Table(
    "village",
    (
        _k("name", "name", True),
        _k("township", "text"),
        _k("county", "text"),
        _k("ethnic_groups", "names"),
        _k("households", "count"),
        _k("people", "count"),
    ),
    owner="village",
    name_key="name",
)

DECLARED: tuple[Table, ...] = (
    Table(
        "settlements",
        (_k("name", "name", True), _k("households", "count"), _k("people", "count"), _NOTE),
        owner="village",
        name_key="name",
        in_place=True,
    ),
    # The household register (户籍花名册): receipts name its households by code, a levy's roll is drawn
    # from it (ledger/levies.py). Optional: a village without one works as before.
    Table(
        "households",
        (
            _k("code", "name", True),
            _k("head", "name"),
            _k("settlement", "name", link="settlements"),
            _k("people", "count"),
            _k("exempt", "flag", default=False),
            _k("exempt_reason", "text"),
            _NOTE,
        ),
        owner="village",
        name_key="code",
        in_place=True,
    ),
    Table(
        "funders",
        (_k("name", "name", True), _k("kind", "choice", True, choices=vocab.FUNDER_KINDS, labels="kind.")),
        owner="village",
        name_key="name",
    ),
    Table(
        "enterprises",
        (
            _k("name", "name", True),
            _k("kind", "choice", True, choices=vocab.ENTERPRISE_KINDS, labels="enterprise."),
            _k("hiring_quota", "count"),  # default from the configuration; see storage/tables.py
            _k("management_quota", "count", default=0),
        ),
        owner="village",
        name_key="name",
        in_place=True,
    ),
    Table(
        "projects",
        (
            _k("code", "name", True),
            _k("name", "name", True),
            _k("category", "category", True),
            _k("status", "choice", True, choices=vocab.PROJECT_STATUSES, labels="status."),
            _k("budget", "amount", at_least="budget_at_least"),
            _k("parent", "name", link="projects"),
            _k("settlements", "names", link="settlements"),
            _k("beneficiary_households", "count"),
            _k("beneficiary_people", "count"),
            _k("start", "date"),
            _k("expected_end", "date"),
            _NOTE,
        ),
        owner="village",
        name_key="code",
        in_place=True,
    ),
    Table(
        "milestones",
        (
            _PROJECT,
            _k("name", "name", True),
            _k("status", "choice", True, choices=vocab.MILESTONE_STATUSES, labels="milestone."),
            _k("due", "date"),
            _NOTE,
        ),
        owner="project",
    ),
    Table(
        "pledges",
        (
            _PROJECT,
            _k("funder", "name", link="funders"),
            _k("funders", "names", link="funders"),
            _k("amount", "amount"),
            _k("form", "choice", choices=vocab.PLEDGE_FORMS, labels="form.", default="cash"),
            _k("quantity", "text"),
            _k("date", "date"),
            _k("ref", "text"),
            _NOTE,
        ),
        owner="project",
    ),
    Table(
        "levies",
        (
            _PROJECT,
            _k("funder", "name", True, link="funders"),
            _k("per_household", "amount", True),
            _k("households", "positive", True),
        ),
        owner="project",
    ),
    Table(
        "receipts",
        (
            _PROJECT,
            _k("funder", "name", True, link="funders"),
            _k("amount", "amount", True),
            _k("date", "date", True, today=True),
            _k("voucher", "text"),
            _k("household", "text"),
            _NOTE,
        ),
        owner="project",
    ),
    Table(
        "expenses",
        (
            _PROJECT,
            _k("amount", "amount", True),
            _k("date", "date", True, today=True),
            _k("item", "name", True),
            _k("voucher", "text"),
            _NOTE,
        ),
        owner="project",
    ),
    Table(
        "hires",
        (
            _ENTERPRISE,
            _k("person", "name", True),
            _k("role", "choice", True, choices=vocab.HIRE_ROLES, labels="role."),
            _k("start", "date", True, today=True),
            _k("end", "date"),
            _k("settlement", "name", link="settlements"),
            _k("id_number", "text", personal=True),
            _NOTE,
        ),
        owner="enterprise",
    ),
    Table(
        "headcounts",
        (
            _ENTERPRISE,
            _k("date", "date", True, today=True),
            _k("local_workers", "count", True),
            _k("management", "count"),
        ),
        owner="enterprise",
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in DECLARED}
"""The tables in the data format's order, which is also the order they are checked and written in:
a table comes after every table it links to (a project's parent excepted: it is set afterwards)."""

NAMES: tuple[str, ...] = tuple(TABLES)

# What the app's "add" menu offers, in its order.
FORM_ORDER = (
    "receipts",
    "expenses",
    "pledges",
    "levies",
    "milestones",
    "projects",
    "funders",
    "enterprises",
    "hires",
    "headcounts",
    "settlements",
    "households",
)
