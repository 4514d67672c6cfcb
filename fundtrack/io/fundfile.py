"""Read and check a fundtrack/1 TOML file: every problem with its line, names linked, amounts exact."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import toml_rs

from fundtrack.io.problems import Hints, Problem, closest
from fundtrack.ledger import names, vocab
from fundtrack.ledger import tables as decl
from fundtrack.ledger.money import AmountError, parse_amount, shown_value
from fundtrack.ledger.problem_messages import CodedError

FORMAT = "fundtrack/1"
TABLES = decl.NAMES
TOP_KEYS = ("format", "unit", "village", *TABLES)
VILLAGE_KEYS = tuple(decl.VILLAGE.by)
CODE_RE = re.compile(r"^[a-z0-9-]+$")

Record = dict[str, Any]


@dataclass
class Known:
    """Names a village already has in the database, for links and duplicate checks."""

    funders: dict[str, str] = field(default_factory=dict)  # name -> kind
    enterprises: set[str] = field(default_factory=set)
    projects: set[str] = field(default_factory=set)
    settlements: set[str] = field(default_factory=set)
    voided: dict[str, set[str]] = field(default_factory=dict)
    """Per label (funder, enterprise, project, settlement): names whose record was voided. They stay
    taken (a new record may not reuse them) but nothing may link to them any more."""
    households: dict[str, bool] = field(default_factory=dict)
    """The register's household codes, each with whether it is exempt (voided ones included, see voided)."""
    receipt_households: set[str] = field(default_factory=set)
    """The households the village's live receipts name: a first register must hold every one of them."""


@dataclass
class Village:
    """The [village] table of a file, as checked."""

    name: str
    township: str | None = None
    county: str | None = None
    ethnic_groups: list[str] | None = None
    households: int | None = None
    people: int | None = None


@dataclass
class Checked:
    """A checked file: its village and, per table, its records normalised in place."""

    path: str
    village: Village | None
    tables: dict[str, list[Record]]
    problems: list[Problem]
    names: set[str] = field(default_factory=set)
    """Every name the file defines or links to: what a re-check against the store looks at."""
    existing: dict[tuple[str, int], str] = field(default_factory=dict)
    """With `Options.new_only`: (table, index) of each defining record whose name the village already
    has, with that name (compared with the stored record before it is skipped)."""
    stored: set[tuple[str, int]] = field(default_factory=set)
    """With `Options.new_only`: (table, index) of each record the village already has (io/newonly.py)."""
    skipped: int = 0
    """With `Options.new_only`: the records left out as the village already has them."""

    @property
    def record_count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


@dataclass(frozen=True)
class Options:
    """What the checks take from the configuration."""

    categories: tuple[str, ...] = vocab.CATEGORIES
    default_hiring_quota: int = 100
    new_only: bool = False
    """Import only what is new: a name the village already has is not an error here (the record is
    compared with the stored one afterwards, io/newonly.py)."""


DEFAULT_OPTIONS = Options()


# ---------------------------------------------------------------- line numbers


_HEADER = re.compile(r'^\s*\[\[\s*"?([A-Za-z0-9_\-]+)"?\s*\]\]')
_TABLE = re.compile(r'^\s*\[\s*"?([A-Za-z0-9_\-]+)"?\s*\]')
_KEY = re.compile(r'^\s*"?([A-Za-z0-9_\-]+)"?\s*=')


class LineIndex:
    """Where each table of a file starts, found by scanning the text (the parsers keep no positions).

    The scan is made the first time a line is asked for: a file without problems never needs it.
    """

    def __init__(self, text: str):
        self.text = text
        self.arrays: dict[str, list[int]] = {}
        self.tables: dict[str, int] = {}
        self.top_keys: dict[str, int] = {}
        self.scanned = False

    def scan(self) -> None:
        self.scanned = True
        in_table = False
        for number, line in enumerate(self.text.splitlines(), start=1):
            if m := _HEADER.match(line):
                self.arrays.setdefault(m[1], []).append(number)
                in_table = True
            elif m := _TABLE.match(line):
                self.tables.setdefault(m[1], number)
                in_table = True
            elif not in_table and (m := _KEY.match(line)):
                self.top_keys.setdefault(m[1], number)

    def of(self, table: str, index: int | None = None) -> int:
        if not self.scanned:
            self.scan()
        if index is not None:
            lines = self.arrays.get(table, [])
            if index < len(lines):
                return lines[index]
        return self.tables.get(table) or self.top_keys.get(table, 0)

    def at(self, table: str, index: int | None = None, key: str | None = None) -> str:
        """Where a record's key is in a file without lines (a spreadsheet's cell); "" in a text file."""
        return ""


# ---------------------------------------------------------------- value checks


class Bad(CodedError):
    """A value that does not fit its key: a problem code with the parameters that say why."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise Bad("expected_text", got=_shown(value))
    return value


def _name(value: Any) -> str:
    """A name or a code: no forbidden character, no space at either end, stored in NFC."""
    try:
        return names.check_name(_text(value))
    except names.TextError as exc:
        raise Bad(exc.code, **exc.params) from None


def _line(value: Any) -> str:
    """One line of free text: no forbidden character (a line break included)."""
    try:
        return names.check_line(_text(value))
    except names.TextError as exc:
        raise Bad(exc.code, **exc.params) from None


def _note(value: Any) -> str:
    """A note: line breaks and tabs allowed, no other forbidden character."""
    try:
        return names.check_note(_text(value))
    except names.TextError as exc:
        raise Bad(exc.code, **exc.params) from None


MAX_COUNT = 10**9
"""The most a whole-number key (households, people, quotas, workers) may be: a thousand times
China's population, and small enough that a count times the largest amount, and the sum of
a county's counts, stay far inside 64 bits (and a count inside PostgreSQL's 32-bit integer)."""


MAX_HOUSEHOLD_PEOPLE = 100
"""The most people one household of a register may have: a typo's extra zeros, not a family."""


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Bad("expected_count", got=_shown(value))
    if value < 0:
        raise Bad("negative_count", got=shown_value(value))
    if value > MAX_COUNT:
        raise Bad("count_too_large", got=shown_value(value), limit=MAX_COUNT)
    return value


def _positive(value: Any) -> int:
    number = _count(value)
    if number == 0:
        raise Bad("below_one")
    return number


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise Bad("expected_date_quoted" if isinstance(value, str) else "expected_date", got=_shown(value))
    return value


def _names(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise Bad("expected_names", got=_shown(value))
    listed = [_name(v) for v in value]
    if len({names.key(n) for n in listed}) != len(listed):
        raise Bad("name_twice")
    return listed


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _text(value)
        if text not in choices:
            _line(text)  # a value that is not one of them is shown: it must not act on the screen
            raise Bad("not_one_of", value=text, choices=", ".join(choices), hint=closest(text, choices))
        return text

    return check


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


# (key, required, check), derived from the table declarations (ledger/tables.py). Amounts and
# links are checked by the table's own code.
Check = Callable[[Any], Any]
AMOUNT = "amount"
Spec = tuple[tuple[str, bool, Check | str], ...]


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Bad("expected_flag", got=_shown(value))
    return value


def check_of(key: decl.Key) -> Check | str:
    """The function that checks a value of `key` (AMOUNT for amounts, parsed with the file's unit)."""
    if key.kind == "choice":
        return _choice(key.choices)
    return {
        "name": _name,
        "text": _note if key.lines else _line,
        "category": _line,  # checked against the configured categories by the linker
        "count": _count,
        "positive": _positive,
        "flag": _flag,
        "date": _date,
        "names": _names,
        "amount": AMOUNT,
    }[key.kind]


def _spec(table: decl.Table) -> Spec:
    return tuple((k.name, k.required, check_of(k)) for k in table.keys)


SPECS: dict[str, Spec] = {name: _spec(table) for name, table in decl.TABLES.items()}


_MISSING = object()
_ALLOWED = {table: frozenset(k for k, _, _ in spec) for table, spec in SPECS.items()}
_REQUIRED = {table: frozenset(k for k, required, _ in spec if required) for table, spec in SPECS.items()}
_CHECKS = {table: {k: check for k, _, check in spec} for table, spec in SPECS.items()}
# Per table, the keys that link to another table's records by name: (key, that table).
_LINKS = {name: tuple((k.name, k.link) for k in table.keys if k.link) for name, table in decl.TABLES.items()}


# ---------------------------------------------------------------- the checker


class _FileChecker:
    def __init__(self, path: str, index: LineIndex, unit: str, known_for: Callable[[str], Known], options: Options):
        self.path = path
        self.index = index
        self.unit = unit
        self.known_for = known_for
        self.options = options
        self.problems: list[Problem] = []
        self.partial: Record = {}

    def problem(self, table: str, i: int | None, key: str | None, code: str, /, **params: object) -> None:
        where = table if i is None else f"{table}[{i}]"
        if key:
            where = f"{where}.{key}"
        at = self.index.at(table, i, key)
        self.problems.append(Problem(self.path, 0 if at else self.index.of(table, i), where, code, params, at))

    def fields(self, table: str, i: int, raw: Any) -> Record | None:
        """Check the keys of one record against its spec; None when it cannot be used at all."""
        if not isinstance(raw, dict):
            self.problem(table, i, None, "expected_table", got=_shown(raw))
            return None
        keys = raw.keys()
        if keys <= _ALLOWED[table] and _REQUIRED[table] <= keys:
            # The usual record: only known keys, every required one. Checked key by key as
            # written; any bad value is reported by the full pass below, in the spec's order.
            checks = _CHECKS[table]
            unit = self.unit
            out: Record = {}
            try:
                for key, value in raw.items():
                    check = checks[key]
                    out[key] = parse_amount(value, unit) if check is AMOUNT else check(value)  # type: ignore[operator]
            except (Bad, AmountError):
                pass
            else:
                self.partial = out
                return out
        spec = SPECS[table]
        out = {}  # the record read so far, in the spec's order
        ok = True
        if not raw.keys() <= _ALLOWED[table]:
            allowed = [k for k, _, _ in spec]
            for key in raw:
                if key not in allowed:
                    self.problem(table, i, key, "unknown_key", hint=closest(key, allowed))
                    ok = False
        unit = self.unit
        for key, required, check in spec:
            value = raw.get(key, _MISSING)
            if value is _MISSING:
                if required:
                    self.problem(table, i, key, "required")
                    ok = False
                continue
            try:
                out[key] = parse_amount(value, unit) if check is AMOUNT else check(value)  # type: ignore[operator]
            except (Bad, AmountError) as exc:
                self.problem(table, i, key, exc.code, **exc.params)
                ok = False
        self.partial = out
        return out if ok else None

    def run(self, doc: dict[str, Any]) -> Checked:
        for key in doc:
            if key not in TOP_KEYS:
                self.problem(key, None, None, "unknown_top_key", hint=closest(key, TOP_KEYS))
        fmt = doc.get("format")
        if fmt is None:
            self.problem("format", None, None, "required")
        elif isinstance(fmt, str) and fmt != FORMAT:
            self.problem("format", None, None, "format_named", value=fmt, expected=FORMAT)
        elif fmt != FORMAT:
            self.problem("format", None, None, "format_other", got=_shown(fmt), expected=FORMAT)
        village = self.village(doc.get("village"))
        known = self.known_for(village.name) if village else Known()
        tables: dict[str, list[Record]] = {}
        for table in TABLES:
            raw = doc.get(table, [])
            if not isinstance(raw, list):
                self.problem(table, None, None, "not_array", table=table)
                raw = []
            tables[table] = raw
        linker = _Linker(self, known, tables)
        linker.run()
        return Checked(self.path, village, tables, self.problems, linker.names, linker.existing)

    def village(self, raw: Any) -> Village | None:
        if raw is None:
            self.problem("village", None, None, "village_required")
            return None
        if not isinstance(raw, dict):
            self.problem("village", None, None, "expected_table", got=_shown(raw))
            return None
        checks: dict[str, Check] = {k.name: check_of(k) for k in decl.VILLAGE.keys}  # type: ignore[misc]
        out: dict[str, Any] = {}
        for key in raw:
            if key not in checks:
                self.problem("village", None, key, "unknown_key", hint=closest(key, VILLAGE_KEYS))
        for key, check in checks.items():
            if key in raw:
                try:
                    out[key] = check(raw[key])
                except Bad as exc:
                    self.problem("village", None, key, exc.code, **exc.params)
        if "name" not in raw:
            self.problem("village", None, "name", "required")
        if "name" not in out:
            return None
        return Village(**out)


class _Linker:
    """Checks each table's records and the names that link them, replacing raw rows in place."""

    def __init__(self, checker: _FileChecker, known: Known, tables: dict[str, list[Record]]):
        self.c = checker
        self.known = known
        self.tables = tables
        self.funders: dict[str, str] = dict(known.funders)
        self.enterprises: set[str] = set(known.enterprises)
        self.projects: set[str] = set(known.projects)
        self.settlements: set[str] = set(known.settlements)
        self.names: set[str] = set()
        self.existing: dict[tuple[str, int], str] = {}
        self.hints = Hints()

    def run(self) -> None:
        self.define_names()
        for table in ("milestones", "pledges", "levies", "receipts", "expenses", "hires", "headcounts"):
            rows = self.tables[table]
            fields, link = self.c.fields, getattr(self, f"link_{table}")
            for i, raw in enumerate(rows):
                rec = fields(table, i, raw)
                if rec is not None:
                    self.same_names(table, rec)
                    link(i, rec)
                else:
                    self.same_names(table, self.c.partial)
                    self.link_names_only(table, i, self.c.partial)
                # Replace the raw row so that only one copy of a large file is held.
                rows[i] = rec if rec is not None else {}

    # -- tables that define names (checked first so that links may point forward)

    def define_names(self) -> None:
        settlements = self.define("settlements", "name", self.known.settlements, "settlement")
        households = self.define("households", "code", self.known.households, "household")
        funders = self.define("funders", "name", self.known.funders, "funder")
        enterprises = self.define("enterprises", "name", self.known.enterprises, "enterprise")
        projects = self.define("projects", "code", self.known.projects, "project")
        file_funders = {r["name"]: r["kind"] for r in funders if r}
        self.known_funders = names.NameIndex(self.known.funders)
        self.file_funders = names.NameIndex(file_funders)

        for rec in settlements:
            if rec:
                self.settlements.add(rec["name"])
        self.define_households(households)
        self.funders.update(file_funders)
        for i, rec in enumerate(enterprises):
            if rec and not self.define_enterprise(i, rec, file_funders):
                enterprises[i] = None
        for i, rec in enumerate(projects):
            if rec and not self.define_project(i, rec):
                projects[i] = None
        self.index = {
            "funders": names.NameIndex(self.funders),
            "enterprises": names.NameIndex(self.enterprises),
            "projects": names.NameIndex(self.projects),
            "settlements": names.NameIndex(self.settlements),
        }
        for rec in projects:
            if rec:
                self.same_names("projects", rec)
        self.link_projects(projects)
        for table, rows in (
            ("settlements", settlements),
            ("households", households),
            ("funders", funders),
            ("enterprises", enterprises),
            ("projects", projects),
        ):
            self.tables[table][:] = [r if r is not None else {} for r in rows]

    def define(self, table: str, key: str, pool: set[str] | dict[str, str], label: str) -> list[Record | None]:
        """The table's records, checked, with None for each one that cannot be used or takes a taken name."""
        out: list[Record | None] = []
        seen: set[str] = set()  # compared by names.key: `ＡＢＣ` is `ABC`
        taken = names.NameIndex(pool)
        for i, raw in enumerate(self.tables[table]):
            rec = self.c.fields(table, i, raw)
            out.append(rec)
            if rec is None:
                continue
            name = rec[key]
            self.names.add(name)
            same = names.key(name)
            if same in seen:
                self.c.problem(table, i, key, "defined_twice", label=label, name=name)
                out[-1] = None
            elif (
                self.c.options.new_only
                and (stored := taken.find(name))
                and stored not in self.known.voided.get(label, ())
            ):
                rec[key] = self.existing[(table, i)] = stored  # compared with the stored record later
            elif name in taken:
                self.c.problem(table, i, key, "already_defined", label=label, name=name)
                out[-1] = None
            seen.add(same)
        return out

    def define_households(self, households: list[Record | None]) -> None:
        """The register's households: their settlement, and an exemption reason only on an exempt one.

        The register the receipts are checked against is the store's live households and the file's."""
        voided = self.known.voided.get("household", set())
        self.households: dict[str, bool] = {c: e for c, e in self.known.households.items() if c not in voided}
        settlements = names.NameIndex(self.settlements)
        for i, rec in enumerate(households):
            if not rec:
                continue
            ok = True
            if "settlement" in rec:
                rec["settlement"] = settlements.find(rec["settlement"]) or rec["settlement"]
                ok = self.link("households", i, "settlement", "settlement", rec["settlement"], self.settlements)
            if rec.get("people", 0) > MAX_HOUSEHOLD_PEOPLE:
                self.c.problem(
                    "households",
                    i,
                    "people",
                    "household_too_many_people",
                    got=rec["people"],
                    limit=MAX_HOUSEHOLD_PEOPLE,
                )
                ok = False
            if "exempt_reason" in rec and not rec.get("exempt", False):
                self.c.problem("households", i, "exempt_reason", "exempt_reason_not_exempt")
                ok = False
            if ok:
                self.households[rec["code"]] = bool(rec.get("exempt", False))
            else:
                households[i] = None
        self.household_index = names.NameIndex(self.households)
        if households and not self.known.households:  # a first register: receipts already stored name households
            for code in sorted(self.known.receipt_households):
                if self.household_index.find(code) is None:
                    self.c.problem("households", 0, "code", "register_misses_household", household=code)

    def define_enterprise(self, i: int, rec: Record, file_funders: dict[str, str]) -> bool:
        """Add an enterprise (and the funder it implies); False when its name is a funder's of another kind."""
        name = rec["name"]
        if ("enterprises", i) in self.existing:
            name = rec["name"] = self.existing[("enterprises", i)]
        elif name in self.known_funders:
            self.c.problem("enterprises", i, "name", "already_defined", label="funder", name=name)
            return False
        funder = self.file_funders.find(name)
        kind = file_funders[funder] if funder is not None else None
        if funder is not None:
            rec["name"] = name = funder  # one name for the enterprise and its funder
        if kind not in (None, "enterprise"):
            self.c.problem("enterprises", i, "name", "enterprise_funder_kind", name=name, kind=kind)
            return False
        rec["implied_funder"] = kind is None
        rec["quota_given"] = "hiring_quota" in rec
        rec.setdefault("hiring_quota", self.c.options.default_hiring_quota)
        rec.setdefault("management_quota", 0)
        self.enterprises.add(name)
        self.funders[name] = "enterprise"
        return True

    def define_project(self, i: int, rec: Record) -> bool:
        """Add a project's code; False when the code or the category is not allowed."""
        if not CODE_RE.match(rec["code"]):
            self.c.problem("projects", i, "code", "bad_code", code=rec["code"])
            return False
        cats = self.c.options.categories
        if rec["category"] not in cats:
            category = rec["category"]
            hint = closest(category, cats)
            self.c.problem("projects", i, "category", "not_one_of", value=category, choices=", ".join(cats), hint=hint)
            return False
        self.projects.add(rec["code"])
        return True

    def link_projects(self, projects: list[Record | None]) -> None:
        """The names projects link to (settlements, parent), once every project's code is known."""
        parents: dict[str, str] = {}
        for i, rec in enumerate(projects):
            if not rec:
                continue
            for name in rec.get("settlements", []):
                self.names.add(name)
                if name not in self.settlements:
                    self.unknown("projects", i, "settlements", "settlement", name, self.settlements)
            if "parent" in rec:
                if rec["parent"] == rec["code"]:
                    self.c.problem("projects", i, "parent", "own_parent")
                elif self.link("projects", i, "parent", "project", rec["parent"], self.projects):
                    parents[rec["code"]] = rec["parent"]
            start, end = rec.get("start"), rec.get("expected_end")
            if start and end and end < start:
                self.c.problem("projects", i, "expected_end", "end_before_start", end=end, start=start)
        for i, rec in enumerate(projects):
            if rec and self.in_cycle(rec["code"], parents):
                self.c.problem("projects", i, "parent", "own_ancestor", code=rec["code"])

    @staticmethod
    def in_cycle(code: str, parents: dict[str, str]) -> bool:
        seen = {code}
        node = parents.get(code)
        while node is not None:
            if node in seen:
                return node == code
            seen.add(node)
            node = parents.get(node)
        return False

    def same_names(self, table: str, rec: Record) -> None:
        """Write each name the record links by as the name it stands for (ledger/names.key): a link
        written `ＡＢＣ` finds the funder `ABC`, and is stored as `ABC`."""
        for key, target in _LINKS[table]:
            value = rec.get(key)
            if value is None:
                continue
            index = self.index[target]
            if isinstance(value, str):
                if value not in index.exact:  # the usual case, a name written as it is known, costs no NFKC
                    rec[key] = index.find(value) or value
            elif isinstance(value, list):
                rec[key] = [index.find(n) or n for n in value]

    def unknown(self, table: str, i: int, key: str, label: str, name: str, pool: object) -> None:
        hint = self.hints.closest(name, pool, id(pool))  # type: ignore[arg-type]
        self.c.problem(table, i, key, "unknown_name", label=label, name=name, hint=hint)

    def link(self, table: str, i: int, key: str, label: str, name: str, pool: set[str] | dict[str, str]) -> bool:
        self.names.add(name)
        if name in self.known.voided.get(label, ()):
            self.c.problem(table, i, key, "voided", label=label, name=name)
            return False
        if name in pool:
            return True
        self.unknown(table, i, key, label, name, pool)
        return False

    # -- tables that only link

    def link_names_only(self, table: str, i: int, partial: Record) -> None:
        """For a record with a bad value elsewhere: still report the names that link nowhere."""
        pools = {
            "project": self.projects,
            "funder": self.funders,
            "enterprise": self.enterprises,
            "settlement": self.settlements,
        }
        for key, pool in pools.items():
            if key in partial and not (table == "projects" and key == "project"):
                self.link(table, i, key, key, partial[key], pool)

    def link_milestones(self, i: int, rec: Record) -> None:
        self.link("milestones", i, "project", "project", rec["project"], self.projects)

    def link_pledges(self, i: int, rec: Record) -> None:
        self.link("pledges", i, "project", "project", rec["project"], self.projects)
        has_one, has_many = "funder" in rec, "funders" in rec
        if has_one == has_many:
            self.c.problem("pledges", i, "funder", "one_funder")
            return
        if has_one:
            self.link("pledges", i, "funder", "funder", rec["funder"], self.funders)
        else:
            joint = rec["funders"]
            if len(joint) < 2:
                self.c.problem("pledges", i, "funders", "joint_too_few")
                return
            if all(self.link("pledges", i, "funders", "funder", n, self.funders) for n in joint):
                kinds = {self.funders[n] for n in joint}
                if len(kinds) > 1:
                    self.c.problem("pledges", i, "funders", "joint_kinds", kinds=", ".join(sorted(kinds)))
        rec.setdefault("form", "cash")
        if rec["form"] == "cash" and "amount" not in rec:
            self.c.problem("pledges", i, "amount", "cash_needs_amount")

    def link_levies(self, i: int, rec: Record) -> None:
        self.link("levies", i, "project", "project", rec["project"], self.projects)
        if self.link("levies", i, "funder", "funder", rec["funder"], self.funders):
            kind = self.funders[rec["funder"]]
            if kind != "villagers":
                self.c.problem("levies", i, "funder", "levy_funder_kind", name=rec["funder"], kind=kind)

    def link_receipts(self, i: int, rec: Record) -> None:
        self.link("receipts", i, "project", "project", rec["project"], self.projects)
        self.link("receipts", i, "funder", "funder", rec["funder"], self.funders)
        if "household" in rec and self.households:
            self.link_household(i, rec)

    def link_household(self, i: int, rec: Record) -> None:
        """Once a village has a register, a receipt's household is one of its codes (found as names
        are: `新云－００３` is `新云-003`), and not an exempt one."""
        code = rec["household"]
        found = self.household_index.find(code)
        self.names.add(found or code)
        if found is None:
            if code in self.known.voided.get("household", ()):
                self.c.problem("receipts", i, "household", "voided", label="household", name=code)
                return
            hint = self.hints.closest(code, self.households, id(self.households))
            self.c.problem("receipts", i, "household", "household_not_in_register", name=code, hint=hint)
            return
        rec["household"] = found
        if self.households[found]:
            self.c.problem("receipts", i, "household", "household_exempt_paid", name=found)

    def link_expenses(self, i: int, rec: Record) -> None:
        self.link("expenses", i, "project", "project", rec["project"], self.projects)

    def link_hires(self, i: int, rec: Record) -> None:
        self.link("hires", i, "enterprise", "enterprise", rec["enterprise"], self.enterprises)
        if "settlement" in rec:
            self.link("hires", i, "settlement", "settlement", rec["settlement"], self.settlements)
        if "end" in rec and rec["end"] <= rec["start"]:
            self.c.problem("hires", i, "end", "end_not_after_start", end=rec["end"], start=rec["start"])

    def link_headcounts(self, i: int, rec: Record) -> None:
        self.link("headcounts", i, "enterprise", "enterprise", rec["enterprise"], self.enterprises)
        if rec.get("management", 0) > rec["local_workers"]:
            self.c.problem(
                "headcounts",
                i,
                "management",
                "managers_over_workers",
                management=rec["management"],
                workers=rec["local_workers"],
            )


def read_text(path: str) -> tuple[str | None, list[Problem]]:
    """A file's text; or why not: it is missing, unreadable, not a regular file, not UTF-8.

    A pipe, a device or a folder is refused before it is read (a FIFO would block the import, and
    /dev/zero never ends). It is opened without blocking and checked again once open, in case it
    was swapped for one between the two looks.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None, [Problem(path, 0, "file", "not_regular_file")]
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None, [Problem(path, 0, "file", "not_regular_file")]
            os.set_blocking(fd, True)
            data = fh.read()
    except OSError as exc:
        return None, [Problem(path, 0, "file", "os_error", {"message": exc.strerror or str(exc)})]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, "file", "not_utf8")]


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


_LONG_NUMBER = re.compile(r"[0-9_]{4000,}")


def parse_toml(path: str, text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The reference reading of a file: tomllib, floats as exact Decimals, its messages with a line."""
    try:
        return tomllib.loads(text, parse_float=Decimal), []
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_POS.search(message)
        line = int(m[1]) if m and m[1] else text.count("\n") + 1
        what = _TOML_POS.sub("", message).strip()
        return None, [Problem(path, line, "toml", "toml_syntax", {"message": f"{what[:1].lower()}{what[1:]}"})]
    except RecursionError:
        return None, [Problem(path, 0, "toml", "toml_too_deep", {"limit": MAX_NESTING})]
    except ValueError:
        # int() of an integer longer than Python's limit on digits (sys.get_int_max_str_digits).
        m = _LONG_NUMBER.search(text)
        line = text.count("\n", 0, m.start()) + 1 if m else 0
        return None, [Problem(path, line, "toml", "number_too_long", {})]


# Arrays and inline tables nested deeper than this are read by tomllib (which says no in words); a
# fundtrack/1 file nests three deep at most (a joint pledge's list of funders in an inline record).
MAX_NESTING = 64
# toml-rs was seen to read 5,000 levels and to die at 20,000: a file with fewer openings than this
# outside its table headers cannot reach the danger, and is not scanned.
_SAFE_OPENINGS = 1000
_BRACKETS = re.compile(r"[\[\]{}]")


def _nesting(text: str) -> int:
    """How deep brackets nest in `text` (brackets inside strings counted too: an upper bound is enough)."""
    headers = text.count("\n[[") * 2 + text.count("\n[") - text.count("\n[[")  # `[[receipts]]`, `[village]`
    if text.count("[") + text.count("{") - headers <= _SAFE_OPENINGS:
        return 0  # the usual file: too few brackets outside its table headers to nest deep (counted in C)
    depth = deepest = 0
    for m in _BRACKETS.finditer(text):
        if m[0] in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    return deepest
        elif depth:
            depth -= 1
    return deepest


def _fast_parse(text: str) -> dict[str, Any] | None:
    """toml-rs (Rust, strict TOML 1.0, floats as Decimal: the same values as tomllib, 15× faster).

    None when it does not read the text: parse_toml then says why, in tomllib's words.
    """
    if _nesting(text) > MAX_NESTING:
        return None  # toml-rs recurses on the machine's stack and dies of a deep enough nesting
    try:
        return toml_rs.loads(text, parse_float=Decimal, toml_version="1.0.0")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 -- its errors, and a Rust panic (pyo3's PanicException is a BaseException)
        return None


def is_json(path: str, text: str) -> bool:
    """A fundtrack/1 document written as JSON (`export --format json`): by its name or its first
    character (a TOML file cannot start with a brace)."""
    return path.lower().endswith(".json") or text.lstrip()[:1] == "{"


_DATE_KEYS = {t.name: [k.name for k in t.keys if k.kind == "date"] for t in decl.TABLES.values()}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number fundtrack reads")


def parse_json(path: str, text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A JSON document as the TOML reading gives it: exact Decimals, and dates (JSON has none, so the
    export writes them as 2024-08-31 strings) as dates on the keys that hold dates."""
    try:
        doc = json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        return None, [Problem(path, exc.lineno, "json", "json_syntax", {"message": exc.msg})]
    except (ValueError, RecursionError) as exc:
        return None, [Problem(path, 0, "json", "json_syntax", {"message": str(exc)})]
    if not isinstance(doc, dict):
        return None, [Problem(path, 1, "json", "json_syntax", {"message": "expected an object"})]
    for table, keys in _DATE_KEYS.items():
        rows = doc.get(table)
        if not keys or not isinstance(rows, list):
            continue
        for rec in rows:
            if not isinstance(rec, dict):
                continue
            for key in keys:
                value = rec.get(key)
                if isinstance(value, str) and _ISO_DATE.match(value):
                    try:
                        rec[key] = dt.date.fromisoformat(value)
                    except ValueError:
                        pass  # reported as not a date by the check
    return doc, []


def check_document(
    path: str,
    text: str,
    known_for: Callable[[str], Known],
    options: Options = DEFAULT_OPTIONS,
) -> Checked:
    """Parse and check one file's text. `known_for(village)` gives the names already in the database."""
    if is_json(path, text):
        doc, problems = parse_json(path, text)
        if doc is None:
            return Checked(path, None, {t: [] for t in TABLES}, problems)
    else:
        doc = _fast_parse(text)
    if doc is None:
        doc, problems = parse_toml(path, text)
        if doc is None:
            return Checked(path, None, {t: [] for t in TABLES}, problems)
    return check_parsed(path, doc, LineIndex(text), known_for, options)


def check_parsed(
    path: str,
    doc: dict[str, Any],
    index: LineIndex,
    known_for: Callable[[str], Known],
    options: Options = DEFAULT_OPTIONS,
) -> Checked:
    """Check a document already read into the shape a fundtrack/1 file parses to (from TOML, JSON or a
    spreadsheet); `index` says where each record is in the file."""
    unit = doc.get("unit", "元")
    valid_unit = unit in ("元", "万元")
    checker = _FileChecker(path, index, unit if valid_unit else "元", known_for, options)
    if not valid_unit:
        checker.problem("unit", None, None, "bad_unit", got=_shown(unit))
    return checker.run(doc)
