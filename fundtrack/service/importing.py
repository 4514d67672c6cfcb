"""Import fundtrack/1 files all-or-nothing: check every file, write in one transaction, or write nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace

from fundtrack.io import newonly, sheets
from fundtrack.io.export import document
from fundtrack.io.fundfile import Checked, Known, LineIndex, Options, Record, check_document, check_parsed, read_text
from fundtrack.io.problems import InputError, Problem
from fundtrack.io.sheets.named import named_choices
from fundtrack.service import limits
from fundtrack.service.records import operator_name
from fundtrack.storage import audit, queries, writes
from fundtrack.storage.db import write_transaction

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, dry, would do)."""

    files: int
    records: int
    villages: tuple[str, ...]
    dry_run: bool
    warnings: tuple[Problem, ...] = ()
    """Spreadsheet receipts the village already had (imported all the same): said, not refused."""
    skipped: int = 0
    """With `Options.new_only`: the records left out as the village already had them."""


class _Rollback(Exception):
    pass


def _known_for(name: str) -> Known:
    row = writes.village_row(name)
    names = queries.known_names(row.id if row else None)
    return Known(**names)


def _village_conflicts(checked: Checked) -> list[Problem]:
    """A file may add to a village already in the database, but may not contradict its figures."""
    if checked.village is None:
        return []
    row = writes.village_row(checked.village.name)
    if row is None:
        return []
    stored = queries.village_values(row)
    problems = []
    for key, value in asdict(checked.village).items():
        if value is not None and key != "name" and stored.get(key) != value:
            problems.append(
                Problem(
                    checked.path, 0, f"village.{key}", "village_conflict", {"stored": stored.get(key), "given": value}
                )
            )
    return problems


def _status(known: Known, name: str) -> tuple:
    """What the store says of one name: the funder kind, whether it is an enterprise, a project, a
    settlement, and under which labels its record is voided."""
    return (
        known.funders.get(name),
        name in known.enterprises,
        name in known.projects,
        name in known.settlements,
        known.households.get(name),
        tuple(sorted(label for label, names in known.voided.items() if name in names)),
    )


def _defines(checked: Checked, known: Known) -> Known:
    """`known` with the names a checked file defines added: what a later file of the same import sees."""
    out = Known(
        dict(known.funders),
        set(known.enterprises),
        set(known.projects),
        set(known.settlements),
        {label: set(names) for label, names in known.voided.items()},
        dict(known.households),
        set(known.receipt_households),
    )
    t = checked.tables
    out.settlements.update(r["name"] for r in t.get("settlements", []) if r)
    out.funders.update((r["name"], r["kind"]) for r in t.get("funders", []) if r)
    for rec in t.get("enterprises", []):
        if rec:
            out.enterprises.add(rec["name"])
            out.funders[rec["name"]] = "enterprise"
    out.projects.update(r["code"] for r in t.get("projects", []) if r)
    out.households.update((r["code"], bool(r.get("exempt", False))) for r in t.get("households", []) if r)
    out.receipt_households.update(r["household"] for r in t.get("receipts", []) if r and r.get("household"))
    return out


@dataclass
class _Prepared:
    """One file read and checked before the write lock: the result and the names it was checked against."""

    path: str
    checked: Checked
    known: Known
    settings: sheets.Settings | None = None
    """A spreadsheet's settings, for its re-check."""


def stored_records(village: str, options: Options) -> dict[str, list[Record]]:
    """The village's live records in the form the check gives a file's (its export read back), for
    `--new-only` to compare with; none for a village not in the store."""
    row = writes.village_row(village)
    if row is None:
        return {}
    doc = document(queries.village_values(row), queries.records(row.id, with_personal_data=True))
    return check_parsed("", doc, LineIndex(""), lambda _name: Known(), replace(options, new_only=False)).tables


def stored_ones(
    checked: Checked, index: LineIndex, options: Options, settings: sheets.Settings | None = None
) -> Checked:
    """With `--new-only`: `checked.stored` the records of the file the village already has; a name it
    has with other values is a problem of the file."""
    if not options.new_only or checked.village is None:
        return checked
    categories = settings.category_words if settings else {}
    stored = stored_records(checked.village.name, options)
    checked.stored, problems = newonly.stored_ones(checked, stored, index, categories)
    checked.problems.extend(problems)
    return checked


def sheet_settings(settings: sheets.Settings | None, options: Options) -> sheets.Settings:
    """The settings of an import's spreadsheets, completed from the store: its only village (the
    default), its projects' names, the configured categories."""
    settings = settings or sheets.Settings()
    settings.categories = options.categories
    if settings.default_village is None:
        rows = queries.villages()
        if len(rows) == 1:
            settings.default_village = rows[0].name

    def project_names(village: str) -> dict[str, str]:
        row = writes.village_row(village)
        return queries.project_codes_by_name(row.id if row else None)

    settings.project_names = project_names
    return settings


def check_sheet(
    path: str, options: Options, settings: sheets.Settings | None = None
) -> tuple[sheets.Reading, Checked | None]:
    """A spreadsheet read and checked against the store, writing nothing (the preview)."""
    reading_settings = sheet_settings(settings, options)
    reading = sheets.read_document(path, reading_settings)
    reading.raw = {t: [dict(r) for r in rows] for t, rows in reading.doc.items() if isinstance(rows, list)}
    if reading.problems:
        if not _cell_problems_only(reading):
            return reading, None
        checked = check_parsed(path, reading.doc, reading.index, _known_for, options)
        reading.problems = _with_cell_problems(reading, checked.problems + _village_conflicts(checked))
        reading.problems = named_choices(reading.problems, reading_settings.category_words)
        return reading, None
    checked = check_parsed(path, reading.doc, reading.index, _known_for, options)
    stored_ones(checked, reading.index, options, reading_settings)  # the preview marks them, leaves them in
    checked.problems[:] = named_choices(checked.problems + _village_conflicts(checked), reading_settings.category_words)
    return reading, checked


def duplicate_receipts(path: str, checked: Checked, index: sheets.CellIndex) -> list[Problem]:
    """A spreadsheet's receipts that the village already has, with the same project, funder, amount,
    date and voucher (the same sheet imported twice?): warnings, not errors."""
    rows = checked.tables.get("receipts") or []
    village = writes.village_row(checked.village.name) if checked.village and rows else None
    if village is None:
        return []

    def same(rec: dict) -> tuple:
        return (rec.get("project"), rec.get("funder"), rec.get("amount"), rec.get("date"), rec.get("voucher") or None)

    have = {same(rec) for rec in queries.records(village.id)["receipts"]}
    out = []
    for i, rec in enumerate(rows):
        place = index.records.get(("receipts", i))
        if ("receipts", i) in checked.stored:  # --new-only leaves it out: not imported again
            continue
        if place is not None and same(rec) in have:
            out.append(
                Problem(path, 0, f"receipts[{i}]", "receipt_duplicate", {"row": place[1]}, index.at("receipts", i))
            )
    return out


CELL_PROBLEMS = frozenset(("formula_cell", "error_cell"))
"""Problems of one cell of a data row: the rest of the file is still checked, so that every problem of
the file is listed in one pass (the cell itself is read as empty, and its `required` is not repeated)."""


def _cell_problems_only(reading: sheets.Reading) -> bool:
    return all(p.code in CELL_PROBLEMS for p in reading.problems)


def _with_cell_problems(reading: sheets.Reading, checked: list[Problem]) -> list[Problem]:
    """The reading's cell problems and the check's, without the check's own word on those same cells."""
    cells = {p.where for p in reading.problems}
    return reading.problems + [p for p in checked if p.where not in cells]


def _check_path(
    path: str,
    known_for: Callable[[str], Known],
    options: Options,
    settings: sheets.Settings | None,
    warnings: list[Problem] | None = None,
) -> Checked:
    """One file checked: a fundtrack/1 text, or a spreadsheet read into the same document."""
    if sheets.is_sheet(path):
        completed = sheet_settings(settings, options)
        reading = sheets.read_document(path, completed)
        if reading.problems:
            if not _cell_problems_only(reading):
                return Checked(path, None, {}, reading.problems)
            checked = check_parsed(path, reading.doc, reading.index, known_for, options)
            found = _with_cell_problems(reading, checked.problems + _village_conflicts(checked))
            return Checked(path, None, {}, named_choices(found, completed.category_words))
        checked = check_parsed(path, reading.doc, reading.index, known_for, options)
        stored_ones(checked, reading.index, options, completed)
        checked.problems[:] = named_choices(checked.problems, completed.category_words)
        if warnings is not None and not checked.problems:  # before leave_out: the rows keep their numbers
            warnings.extend(duplicate_receipts(path, checked, reading.index))
        newonly.leave_out(checked)
        return checked
    text, read_problems = read_text(path)
    if text is None:
        return Checked(path, None, {}, read_problems)
    checked = check_document(path, text, known_for, options)
    newonly.leave_out(stored_ones(checked, LineIndex(text), options))
    return checked


def _check_all(
    paths: list[str], options: Options, settings: sheets.Settings | None = None, warnings: list[Problem] | None = None
) -> tuple[list[_Prepared], list[Problem]]:
    """Read and check every file without holding the write lock. A later file may link to the names an
    earlier (good) file of the same import defines, as if that one were already written."""
    prepared: list[_Prepared] = []
    problems: list[Problem] = []
    pending: dict[str, Known] = {}  # per village: the store's names plus those of good earlier files
    for path in paths:
        used: dict[str, Known] = {}

        def known_for(name: str, used: dict[str, Known] = used) -> Known:
            if name not in pending:
                pending[name] = _known_for(name)
            used[name] = pending[name]
            return pending[name]

        checked = _check_path(path, known_for, options, settings, warnings)
        file_problems = checked.problems + _village_conflicts(checked)
        if file_problems or checked.village is None:
            problems.extend(file_problems)
            continue
        name = checked.village.name
        prepared.append(_Prepared(path, checked, used.get(name, Known()), settings))
        pending[name] = _defines(checked, pending.get(name, Known()))
    return prepared, problems


class _Lines:
    """Where a file's tables start, read from the file only when a problem needs a line (the text is
    not kept while the import writes)."""

    def __init__(self, path: str):
        self.path = path
        self.index: LineIndex | None = None

    def of(self, table: str, index: int | None = None) -> int:
        if sheets.is_sheet(self.path):
            return 0
        if self.index is None:
            text, _ = read_text(self.path)
            self.index = LineIndex(text or "")
        return self.index.of(table, index)


def _recheck(item: _Prepared, options: Options) -> Checked:
    """Inside the write transaction: the file's check, still valid against the store as it is now?
    Only the names the file defines and links to are compared; when one changed meanwhile (an undo
    voided it, another import defined it), the file is checked again against the store."""
    checked = item.checked
    assert checked.village is not None
    now = _known_for(checked.village.name)
    if not options.new_only and all(_status(now, n) == _status(item.known, n) for n in checked.names):
        return checked
    return _check_path(item.path, _known_for, options, item.settings)


def import_files(
    paths: list[str],
    options: Options,
    dry_run: bool = False,
    on_total: Callable[[int], None] | None = None,
    progress: Progress | None = None,
    operator: str = "",
    settings: sheets.Settings | None = None,
) -> ImportResult:
    """Check and import `paths` in one transaction. Raises InputError (nothing written) on any problem.

    Files are read and checked before the write lock is taken (other writers wait only for the
    writing); inside it each file's names are checked again against the store as it is then."""
    warnings: list[Problem] = []
    if any(sheets.is_sheet(p) for p in paths):
        prepared, problems = _check_all(paths, options, settings, warnings)
    else:
        prepared, problems = _check_all(paths, options)  # fundtrack/1 files alone: no spreadsheet settings
    if not options.new_only:
        if problems:
            problems.extend(_all_stored_hints(paths, problems, options, settings))
        else:
            _imported_before(prepared, options, warnings)
    if not problems:
        warnings.extend(_dated_later(prepared, dt.date.today()))
    if problems:
        raise InputError(problems)
    for attempt in (1, 2):
        try:
            records, skipped, villages = _write(prepared, options, dry_run, on_total, progress, operator)
        except writes.INTEGRITY_ERRORS:
            # A unique index refused a name another writer took meanwhile: the re-check of the
            # next attempt, under the lock, says which and where.
            if attempt == 2:
                raise InputError([Problem(p.path, 0, "file", "import_raced", {}) for p in prepared]) from None
            continue
        return ImportResult(len(paths), records, tuple(villages), dry_run, tuple(warnings), skipped)
    raise AssertionError("unreachable")


def _write(
    prepared: list[_Prepared],
    options: Options,
    dry_run: bool,
    on_total: Callable[[int], None] | None,
    progress: Progress | None,
    operator: str,
) -> tuple[int, int, list[str]]:
    problems: list[Problem] = []
    records = skipped = 0
    villages: list[str] = []
    try:
        with write_transaction():
            writes.lock_writers()
            for item in prepared:
                checked = _recheck(item, options)
                file_problems = checked.problems + _village_conflicts(checked)
                if not file_problems:
                    file_problems = limits.check_file(checked, _Lines(item.path))
                if file_problems or checked.village is None:
                    problems.extend(file_problems)
                    continue
                if on_total:
                    on_total(checked.record_count)
                # Later files link to this one's names, so it is written even when an
                # earlier file failed; the whole transaction is rolled back then.
                created = writes.village_row(checked.village.name) is None  # its undo removes it again
                village_id = writes.ensure_village({k: v for k, v in asdict(checked.village).items() if v is not None})
                batch = audit.log(
                    operator_name(operator),
                    "import",
                    [
                        (
                            None,
                            None,
                            None,
                            {
                                "file": item.path,
                                "records": checked.record_count,
                                "village": checked.village.name,
                                **({"created": True} if created else {}),
                            },
                        )
                    ],
                    village=village_id,
                )
                writes.import_tables(village_id, checked.tables, progress or (lambda n: None), batch=batch)
                records += checked.record_count
                skipped += checked.skipped
                if checked.village.name not in villages:
                    villages.append(checked.village.name)
            if problems or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if problems:
        raise InputError(problems)
    return records, skipped, villages


def _all_stored_hints(
    paths: list[str], problems: list[Problem], options: Options, settings: sheets.Settings | None
) -> list[Problem]:
    """For each file refused for names the village already has, a last line saying `--new-only`: that
    the village has every record of it (refused only for such names, and nothing new when checked again
    so), or that it holds stored names (a file grown since it was imported, most likely)."""
    codes: dict[str, set[str]] = {}
    taken: dict[str, int] = {}
    for p in problems:
        codes.setdefault(p.file, set()).add(p.code)
        taken[p.file] = taken.get(p.file, 0) + (p.code == "already_defined")
    out = []
    for path in paths:
        if "already_defined" not in codes.get(path, ()):
            continue
        if codes[path] == {"already_defined"}:
            again = _check_path(path, _known_for, replace(options, new_only=True), settings)
            if again.record_count == 0:
                out.append(Problem(path, 0, "file", "all_stored", {}))
                continue
        if taken[path] > 1:  # names the village has (one is a clash, several a file grown since, most likely)
            out.append(Problem(path, 0, "file", "names_stored", {}))
    return out


def _dated_later(prepared: list[_Prepared], today: dt.date) -> list[Problem]:
    """Per file, its receipts and spending dated after today: imported, but in no total before that day
    (the `future_dated` finding says so later; this says it when it happens)."""
    out = []
    for item in prepared:
        later = [
            r
            for table in ("receipts", "expenses")
            for r in item.checked.tables.get(table) or []
            if r and isinstance(r.get("date"), dt.date) and r["date"] > today
        ]
        if later:
            out.append(Problem(item.path, 0, "file", "dated_later", {"n": len(later), "today": today.isoformat()}))
    return out


def _imported_before(prepared: list[_Prepared], options: Options, warnings: list[Problem]) -> None:
    """A file that defines no name (receipts, spending, hires... added to a village) with records the
    village already has in every key: imported as the data format says (a file adds to its village),
    with a warning that says how many, and how to undo and import only the new ones (`--new-only`):
    all of them (`twice_stored`: imported before, most likely), or some (`some_stored`)."""
    for item in prepared:
        checked = item.checked
        if checked.village is None or checked.record_count == 0 or _defines_names(checked):
            continue
        if writes.village_row(checked.village.name) is None:
            continue
        again = _check_path(item.path, _known_for, replace(options, new_only=True), item.settings)
        n = checked.record_count - again.record_count
        if n > 0:
            code = "twice_stored" if again.record_count == 0 else "some_stored"
            warnings.append(Problem(item.path, 0, "file", code, {"n": n}))


def _defines_names(checked: Checked) -> bool:
    return any(checked.tables.get(table) for table in newonly.DEFINING)
