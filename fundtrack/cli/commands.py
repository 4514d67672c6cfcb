"""One function per `fundtrack` command; each opens the store, calls the service (or io, storage) and prints."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import io
import os
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from fundtrack.cli import render
from fundtrack.io import export as exporter
from fundtrack.io import journal, office, reports
from fundtrack.io.config import Config
from fundtrack.io.files import write_file
from fundtrack.io.outputs import Format, Style, Tally
from fundtrack.ledger import names, privacy
from fundtrack.ledger.breakdown import Breakdown, sum_totals
from fundtrack.ledger.reconcile import ReconcileOptions, Reconciliation
from fundtrack.service import fast, pipeline
from fundtrack.service.backup import enable_daily_backups
from fundtrack.service.export import village_document
from fundtrack.service.importing import import_files
from fundtrack.service.ledger import (
    Scope,
    find_project,
    load_breakdown,
    load_levies,
    load_quotas,
    load_reconciliation,
    village_scopes,
)
from fundtrack.service.pipeline import Output
from fundtrack.storage import queries, writes
from fundtrack.storage.db import StoreError, open_database, redact
from fundtrack.storage.migrations import migrate


def target_of(args: argparse.Namespace, config: Config) -> str:
    return args.db or os.environ.get("FUNDTRACK_DB") or config.database_target()


# Only these commands make a database where there is none (or an empty file); these write to it.
CREATING = frozenset({"init", "import", "demo"})
WRITING = frozenset({"init", "import", "demo", "undo", None})  # None: the app, which writes


def open_store(args: argparse.Namespace, config: Config) -> None:
    """Open and, when needed, upgrade the store; refused (StoreError) when absent, damaged, or newer and written."""
    command = getattr(args, "command", None)
    create = command in CREATING
    writes = command in WRITING and not getattr(args, "dry_run", False)
    target = target_of(args, config)
    open_database(target, create=create)
    _refuse_damage(target, writes)
    try:
        applied, backup = migrate(create=create)
    except StoreError as exc:
        if exc.code != "store_newer" or writes:
            raise
        # A newer schema is read on (fundtrack names the columns it reads); writing is refused.
        print(f"{exc.line(config.language)} (reading only)", file=sys.stderr)
        return
    if applied and backup:
        print(
            f"fundtrack: database upgraded to schema {applied[-1]}; the previous one is saved at {backup}",
            file=sys.stderr,
        )
    enable_daily_backups(target_of(args, config), config.backups_keep, config.import_options)


def _refuse_damage(target: str, writes: bool) -> None:
    """A SQLite file seen to be damaged is used for nothing (and written to least of all)."""
    from fundtrack.storage.db import redact, sqlite_path
    from fundtrack.storage.integrity import damage_before_use

    path = sqlite_path(target)
    why = damage_before_use(path, writes) if path is not None and path.is_file() else None
    if why is not None:
        raise StoreError(redact(target), "store_damaged", detail=why)


def _write(
    chunks: str | bytes | Iterable[str | bytes], output: str | None, binary: str | None = None, private: bool = False
) -> None:
    """Write a command's result, whole or in pieces (text, or bytes), to -o FILE (written atomically) or stdout.

    `binary` names a binary format (XLSX, DOCX), which is not written to a terminal; a `private`
    result (personal data) is written to a file only its owner can read.
    """
    from fundtrack.cli.main import UsageError

    pieces: Iterable[str | bytes] = [chunks] if isinstance(chunks, str | bytes) else chunks
    if output and output != "-":
        if _is_the_database(output):
            raise UsageError(f"-o {output}: that is the database itself; give another file")
        write_file(output, pieces, private)
        return
    if binary and sys.stdout.isatty():
        raise UsageError(f"{binary} is a binary file: give -o FILE")
    for chunk in pieces:
        if isinstance(chunk, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(chunk)
        else:
            sys.stdout.write(chunk)
    sys.stdout.flush()
    sys.stdout.buffer.flush()


def _is_the_database(output: str) -> bool:
    """Whether `output` names the open SQLite file (or one of its -wal, -shm): writing there destroys it."""
    from fundtrack.storage.db import database, is_sqlite

    if not is_sqlite() or database.database in ("", ":memory:"):
        return False
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            if os.path.samefile(output, f"{database.database}{suffix}"):
                return True
    return False


def cmd_init(args: argparse.Namespace, config: Config) -> int:
    open_store(args, config)
    print(f"fundtrack: database ready at {redact(target_of(args, config))}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace, config: Config) -> int:
    with _new_store_removed_on_failure(target_of(args, config)):
        open_store(args, config)
        return _import(args, config)


@contextlib.contextmanager
def _new_store_removed_on_failure(target: str) -> Iterator[None]:
    """An import refused into a SQLite file it would have created leaves no file (nor folder) behind."""
    from fundtrack.storage.db import database, sqlite_path

    path = sqlite_path(target)
    if path is None or path.exists():
        yield
        return
    missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    try:
        yield
    except BaseException:
        if not database.is_closed():
            database.close()
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            leftover.unlink(missing_ok=True)
        for folder in missing:  # the deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _import(args: argparse.Namespace, config: Config) -> int:
    console = Console(stderr=True)
    if console.is_terminal:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("import", total=0)

            def on_total(n: int) -> None:
                bar.update(task, total=(bar.tasks[0].total or 0) + n)

            result = import_files(
                args.files, config.import_options, args.dry_run, on_total, lambda n: bar.advance(task, n)
            )
    else:
        result = import_files(args.files, config.import_options, args.dry_run)
    verb = "checked (dry run, nothing written)" if result.dry_run else "imported"
    print(
        f"fundtrack: {verb} {result.records} records from {result.files} file(s) into {', '.join(result.villages)}",
        file=sys.stderr,
    )
    return 0


def choose_village(args: argparse.Namespace) -> tuple[int, dict]:
    from fundtrack.cli.main import UsageError

    rows = queries.villages()
    if args.village:
        same = names.key(args.village)
        rows = [r for r in rows if names.key(r.name) == same]
        if not rows:
            raise UsageError(f'no village named "{args.village}" in the database')
    if not rows:
        raise UsageError("the database holds no village yet; import a file first")
    if len(rows) > 1:
        raise UsageError(f"the database holds {len(rows)} villages; choose one with --village NAME")
    return rows[0].id, queries.village_values(rows[0])


def cmd_export(args: argparse.Namespace, config: Config) -> int:
    open_store(args, config)
    village_id, village = choose_village(args)
    fmt = args.format or _by_name(args.output, ("toml", "json", "xlsx")) or "toml"
    if fmt == "xlsx":
        tables = queries.records(village_id, args.with_personal_data)
        _write(office.workbook(office.export_sheets(village, tables)), args.output, "XLSX", args.with_personal_data)
        return 0
    doc = village_document(village_id, village, args.with_personal_data)
    text = exporter.to_toml(doc) if fmt == "toml" else exporter.to_json(doc)
    _write(text, args.output, private=args.with_personal_data)
    return 0


def _as_of(value: str | None) -> dt.date:
    from fundtrack.cli.main import UsageError

    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r}: expected a date like 2024-08-31") from None


def _scope(args: argparse.Namespace) -> Scope:
    from fundtrack.cli.main import UsageError

    village_id = None
    if args.village:
        row = writes.village_row(args.village)
        if row is None:
            raise UsageError(f'no village named "{args.village}" in the database')
        village_id = row.id
    project_id = None
    if getattr(args, "project", None):
        project_id = find_project(args.project, village_id)
        if project_id is None:
            raise UsageError(
                f'no single project with code "{args.project}" (add --village when several villages share it)'
            )
    return Scope(_as_of(getattr(args, "as_of", None)), village_id, project_id)


def _by_name(output: str | None, choices: tuple[str, ...]) -> str | None:
    """The format a file's name asks for (`-o breakdown.xlsx`), when it is one of `choices`."""
    suffix = Path(output).suffix.lower().lstrip(".") if output and output != "-" else ""
    return suffix if suffix in choices else None


def _format(args: argparse.Namespace, choices: tuple[str, ...] = ("json", "csv", "md", "xlsx")) -> str:
    """--format, else what the -o file's name asks for, else a table on a terminal and JSON elsewhere."""
    output = getattr(args, "output", None)
    if args.format:
        return args.format
    return _by_name(output, choices) or ("table" if sys.stdout.isatty() and not output else "json")


def _print_rich(renderable: object, output: str | None) -> None:
    if output and output != "-":
        buf = io.StringIO()
        Console(file=buf, width=120, color_system=None, theme=render.THEME).print(renderable)
        _write(buf.getvalue(), output)
    else:
        Console(theme=render.THEME).print(renderable)


@dataclass(frozen=True)
class _Screen:
    """How a console draws, so that worker processes draw a county's tables as this one would."""

    width: int
    color_system: str | None
    terminal: bool

    @classmethod
    def of(cls, output: str | None) -> _Screen:
        if output and output != "-":
            return cls(120, None, False)
        console = Console(theme=render.THEME)
        return cls(console.width, console.color_system, console.is_terminal)

    def draw(self, renderable: object) -> str:
        buf = io.StringIO()
        console = Console(
            file=buf,
            width=self.width,
            color_system=self.color_system,  # type: ignore[arg-type]
            force_terminal=self.terminal,
            theme=render.THEME,
        )
        console.print(renderable)
        return buf.getvalue()


def _breakdown_table(screen: _Screen, report: Breakdown, style: Style) -> str:
    """One village's breakdown tables, drawn in a worker."""
    if not report.projects:
        return ""
    village = report.projects[0].project.village
    return screen.draw(render.build_breakdown_table(report, style.unit, style.language, style.kind_name, village))


def _breakdown_tables(
    screen: _Screen, as_of: dt.date, parts: Iterator[str], tally: Tally, style: Style
) -> Iterator[str]:
    """A county's breakdown as tables, a village at a time, then the county's totals."""
    villages = 0
    for text in parts:
        if text:
            villages += 1
            yield text
    yield screen.draw(render.build_county_totals(sum_totals(tally.totals), villages, style.unit, style.language))


def _findings_table(screen: _Screen, rec: Reconciliation, style: Style) -> str:
    if not rec.findings:
        return ""
    return screen.draw(render.build_findings_table(rec, style.language, rec.findings[0].village))


def _findings_tables(
    screen: _Screen, as_of: dt.date, parts: Iterator[str], tally: Tally, style: Style
) -> Iterator[str]:
    """A county's findings as a table per village, then a line for the county."""
    villages = 0
    for text in parts:
        villages += 1
        yield text
    yield screen.draw(render.build_county_findings_line(tally.counts, tally.ok, villages, style.language))


def _county_tables(what: str, output: str | None) -> Format:
    """A county's report as a table per village (drawn in the workers), then a line for the county."""
    screen = _Screen.of(output)
    if what == "breakdown":
        return Format(functools.partial(_breakdown_table, screen), functools.partial(_breakdown_tables, screen))
    return Format(functools.partial(_findings_table, screen), functools.partial(_findings_tables, screen))


def _report(scope: Scope, what: str, fmt: str, style: Style, output: str | None, strict: bool = False) -> Output | None:
    """Write a report in `fmt` (every village's own table, for a county) and give it (for its tally);
    None for a table of one village or of the quotas, which the caller draws whole."""
    if fmt == "table":
        if what in ("quotas", "levies") or len(village_scopes(scope)) == 1:
            return None
        out = Output(scope, what, _county_tables(what, output), style, strict)
    else:
        out = pipeline.output(scope, what, fmt, style, strict)
    _write(out, output, fmt.upper() if out.fmt.binary else None)
    return out


def cmd_report(args: argparse.Namespace, config: Config) -> int:
    open_store(args, config)
    scope = _scope(args)
    if args.report == "document":
        return _document(args, config, scope)
    fmt, unit, lang = _format(args), args.unit or config.display_unit, config.language
    # Written village by village: a county's report never sits whole in memory.
    only_unpaid = bool(getattr(args, "unpaid", False))
    if _report(scope, args.report, fmt, Style(unit, lang, config.kind_name, only_unpaid), args.output) is not None:
        return 0
    if args.report == "breakdown":
        table: Any = render.build_breakdown_table(load_breakdown(scope), unit, lang, config.kind_name)
    elif args.report == "quotas":
        table = render.build_quotas_table(load_quotas(scope), lang)
    elif args.report == "levies":
        table = render.build_levies_table(load_levies(scope), lang, only_unpaid)
    else:
        table = render.build_findings_table(load_reconciliation(scope, ReconcileOptions(lang, unit)), lang)
    _print_rich(table, args.output)
    return 0


def _document(args: argparse.Namespace, config: Config, scope: Scope) -> int:
    from fundtrack.io import committee

    village_id = scope.village_id if scope.village_id is not None else choose_village(args)[0]
    doc = pipeline.committee_document(scope, village_id, config.kind_name, config.category_name)
    fmt = args.format or _by_name(args.output, ("docx", "md"))
    if fmt is None:
        if args.output and Path(args.output).suffix:
            from fundtrack.cli.main import UsageError

            raise UsageError(f"{args.output}: the committee's report is written as .docx or .md (or say --format)")
        fmt = "docx"
    if fmt == "md":
        _write(committee.to_markdown(doc), args.output)
    else:
        _write(office.document_docx(doc), args.output, "DOCX")
    return 0


def cmd_reconcile(args: argparse.Namespace, config: Config) -> int:
    open_store(args, config)
    scope = _scope(args)
    unit = args.unit or config.display_unit
    out = _report(
        scope,
        "findings",
        _format(args, ("json", "csv", "md")),
        Style(unit, config.language, config.kind_name),
        args.output,
        args.strict,
    )
    if out is not None:
        return 0 if out.tally.ok else 1
    rec = load_reconciliation(scope, ReconcileOptions(config.language, unit), args.strict)
    _print_rich(render.build_findings_table(rec, config.language), args.output)
    return 0 if rec.ok else 1


def cmd_export_journal(args: argparse.Namespace, config: Config) -> int:
    open_store(args, config)
    scope = _scope(args)
    with fast.without_cycle_collection():  # as reports are read: a village's records hold no cycles
        fmt = args.format or _by_name(args.output, ("beancount",)) or "hledger"
        _write(journal.journal_lines(scope, fmt), args.output)  # streamed village by village
    return 0


def cmd_demo(args: argparse.Namespace, config: Config) -> int:
    from fundtrack.cli.main import UsageError, _run_app

    open_store(args, config)
    files = sorted(Path(args.dir).glob("*.toml"))
    if not files:
        raise UsageError(f"{args.dir}: no .toml files here (run from the fundtrack folder, or name the folder)")
    try:
        village = tomllib.loads(files[0].read_text(encoding="utf-8")).get("village", {}).get("name")
    except (OSError, tomllib.TOMLDecodeError, AttributeError):
        village = None
    if village not in {r.name for r in queries.villages()}:
        import_files([str(f) for f in files], config.import_options)
        print(
            f"fundtrack: imported {len(files)} sample file(s) into {redact(target_of(args, config))}", file=sys.stderr
        )
    if args.village is None:
        args.village = village
    return _run_app(args, config)


def cmd_history(args: argparse.Namespace, config: Config) -> int:
    from fundtrack.cli.main import UsageError
    from fundtrack.storage import audit

    open_store(args, config)
    table = record = None
    if args.record:
        table, _, ident = args.record.partition(":")
        if not ident.isdigit():
            raise UsageError(f"--record {args.record!r}: expected TABLE:ID, e.g. receipts:12")
        record = int(ident)
    # The trail keeps personal values (undo needs them); what is shown of it masks them.
    entries = [
        replace(e, before=privacy.masked(e.table, e.before), after=privacy.masked(e.table, e.after))
        for e in audit.history(table, record, args.limit)
    ]
    if _format(args, ("json",)) == "json":
        _write(
            reports.dumps(
                [
                    {
                        "id": e.id,
                        "batch": e.batch,
                        "at": e.at.isoformat() if hasattr(e.at, "isoformat") else str(e.at),
                        "operator": e.operator,
                        "action": e.action,
                        "table": e.table,
                        "record": e.record,
                        "before": e.before,
                        "after": e.after,
                        "undone": e.undone,
                    }
                    for e in entries
                ]
            ),
            None,
        )
    else:
        _print_rich(render.build_history_table(entries, config.language), None)
    return 0


def cmd_undo(args: argparse.Namespace, config: Config) -> int:
    from fundtrack.service.records import undo_last

    open_store(args, config)
    result = undo_last(config.import_options, config.operator)
    if result is None:
        print("fundtrack: nothing to undo", file=sys.stderr)
        return 0
    batch, entries = result
    what = ", ".join(f"{e.action} {e.table or ''}{':' + str(e.record) if e.record else ''}".strip() for e in entries)
    print(f"fundtrack: undid change {batch} ({what})", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace, config: Config) -> int:
    """Report every damage the store shows, one per line (or JSON object); exit 1 when there is any, never
    refused for damage (an absent store is: there is nothing to check)."""
    from fundtrack.storage.db import sqlite_path, store_error
    from fundtrack.storage.integrity import check_damaged_file, check_file, find_damage

    target = target_of(args, config)
    path = sqlite_path(target)
    problems = check_file(path) if path is not None and path.is_file() else []
    if not problems:
        try:
            open_database(target, create=False, damaged_ok=True)  # an absent store is refused here
            problems = find_damage()
        except Exception as exc:  # noqa: BLE001 -- only damage is reported here; anything else goes on up
            found = exc if isinstance(exc, StoreError) else store_error(exc, target)
            if found is None or found.code != "store_damaged" or path is None:
                raise
            problems = check_damaged_file(path)  # too damaged to open: SQLite's own check says where
    if _format(args, ("json",)) == "json":
        listed = [{"where": p.where, "code": p.code, "what": p.text(config.language)} for p in problems]
        _write(reports.dumps({"ok": not problems, "problems": listed}), None)
    else:
        for p in problems:
            print(f"{p.where}: {p.text(config.language)}")
        print(f"fundtrack: {len(problems)} integrity problem(s)", file=sys.stderr)
    return 0 if not problems else 1


# --- backup and restore ---------------------------------------------------------------------


@contextlib.contextmanager
def _backup_problems(where: str, shown: str) -> Iterator[None]:
    """A backup or restore that fails: one located line (exit 2), never a traceback."""
    import sqlite3

    import peewee

    from fundtrack.io.problems import InputError, Problem
    from fundtrack.storage.backup import BackupError

    try:
        yield
    except BackupError as exc:
        file = str(exc.params.get("file", shown))
        raise InputError([Problem(file, 0, where, exc.code, exc.params)]) from exc
    except (sqlite3.Error, peewee.DatabaseError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError([Problem(shown, 0, where, "backup_unreadable", {"message": message})]) from exc


def cmd_backup(args: argparse.Namespace, config: Config) -> int:
    from fundtrack.io.problems import InputError, Problem
    from fundtrack.service.backup import backup_now
    from fundtrack.storage.db import redact, sqlite_path

    target = target_of(args, config)
    path = sqlite_path(target)
    if path is not None and not path.is_file():
        raise InputError([Problem(str(path), 0, "backup", "backup_no_database", {})])
    with _backup_problems("backup", args.output or redact(target)):
        open_database(target)
        dest = backup_now(target, args.output, config.import_options)
    print(f"fundtrack: backup of {redact(target)} written to {dest}", file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace, config: Config) -> int:
    from fundtrack.service.archive import is_archive
    from fundtrack.service.backup import restore
    from fundtrack.storage.db import redact, sqlite_path

    target = target_of(args, config)
    with _backup_problems("restore", args.file):
        if is_archive(Path(args.file).expanduser()):
            open_database(target, create=False)  # a ZIP backup is imported into the existing database
        elif sqlite_path(target) is None:
            open_database(target)
        kept = restore(target, args.file, config.import_options, config.operator)
    where = f"; the replaced database is kept at {kept}" if kept else ""
    print(f"fundtrack: {redact(target)} restored from {args.file}{where}", file=sys.stderr)
    return 0
