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
from fundtrack.cli.words import say
from fundtrack.io import export as exporter
from fundtrack.io import journal, office, reports
from fundtrack.io.config import Config
from fundtrack.io.files import write_file
from fundtrack.io.outputs import Format, Style, Tally
from fundtrack.io.problems import show
from fundtrack.io.sheets.named import export_sheets
from fundtrack.ledger import names, privacy
from fundtrack.ledger.breakdown import Breakdown, sum_totals
from fundtrack.ledger.reconcile import ReconcileOptions, Reconciliation
from fundtrack.service import fast, pipeline
from fundtrack.service.backup import enable_daily_backups
from fundtrack.service.export import village_document
from fundtrack.service.importing import import_files
from fundtrack.service.ledger import (
    Scope,
    load_breakdown,
    load_levies,
    load_quotas,
    load_reconciliation,
    projects_named,
    village_scopes,
)
from fundtrack.service.pipeline import Output
from fundtrack.service.records import operator_name
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
        print(f"{exc.line(config.language)} {say(config.language, 'reading_only')}", file=sys.stderr)
        return
    if applied and backup:
        print(f"fundtrack: {say(config.language, 'upgraded', schema=applied[-1], backup=backup)}", file=sys.stderr)
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
            raise UsageError("database_itself", output=output)
        write_file(output, pieces, private, make_folder=False)  # a mistyped folder is refused, not made
        return
    if binary and sys.stdout.isatty():
        raise UsageError("binary_to_terminal", kind=binary)
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
    from fundtrack.storage import security
    from fundtrack.storage.db import is_sqlite, write_transaction

    open_store(args, config)
    if not is_sqlite() and security.role_of() in (None, "admin"):  # the owner, a superuser or an admin
        with write_transaction():
            security.secure()  # roles, grants and row-level policies, set up again
    print(
        f"fundtrack: {say(config.language, 'database_ready', target=redact(target_of(args, config)))}", file=sys.stderr
    )
    return 0


def cmd_import(args: argparse.Namespace, config: Config) -> int:
    if args.preview:
        args.dry_run = True  # the preview writes nothing, as a dry run
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


def _sheet_settings(args: argparse.Namespace, config: Config) -> Any:
    """What the command line says of the spreadsheets of an import (--village, --unit, --table, --mapping)."""
    from fundtrack.io import sheets
    from fundtrack.io.problems import InputError

    settings = sheets.Settings(village=args.village, unit=args.unit, table=args.table)
    settings.name_categories(config.categories)
    if args.mapping:
        mapping, problems = sheets.load_mapping(args.mapping)
        if problems:
            raise InputError(problems)
        settings.mapping = mapping
        settings.mapping_path = args.mapping
    return settings


def _import(args: argparse.Namespace, config: Config) -> int:
    settings = _sheet_settings(args, config)
    options = replace(config.import_options, new_only=args.new_only)
    if args.preview:
        from fundtrack.cli.sheets import preview

        return preview(args.files, config, settings, options)
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
            task = bar.add_task(say(config.language, "importing"), total=0)

            def on_total(n: int) -> None:
                bar.update(task, total=(bar.tasks[0].total or 0) + n)

            result = import_files(
                args.files,
                options,
                args.dry_run,
                on_total,
                lambda n: bar.advance(task, n),
                settings=settings,
            )
    else:
        result = import_files(args.files, options, args.dry_run, settings=settings)
    said = say(
        config.language,
        ("dry_run" if result.dry_run else "imported") + ("_new" if options.new_only else ""),
        records=result.records,
        skipped=result.skipped,
        files=result.files,
        villages=", ".join(result.villages),
    )
    for warning in result.warnings:
        print(show(warning, config.language), file=sys.stderr)
    print(f"fundtrack: {said}", file=sys.stderr)
    return 0


def choose_village(args: argparse.Namespace) -> tuple[int, dict]:
    from fundtrack.cli.main import UsageError

    rows = queries.villages()
    if args.village:
        same = names.key(args.village)
        rows = [r for r in rows if names.key(r.name) == same]
        if not rows:
            raise UsageError("no_village_named", name=args.village)
    if not rows:
        raise UsageError("no_village_yet")
    if len(rows) > 1:
        raise UsageError("several_villages", n=len(rows))
    return rows[0].id, queries.village_values(rows[0])


def cmd_template(args: argparse.Namespace, config: Config) -> int:
    """An empty workbook to fill in and import; with --village, its names in the drop-downs of links."""
    from fundtrack.io.sheets.template import template
    from fundtrack.ledger.names import natural_sorted

    village: dict[str, Any] | None = None
    listed: dict[str, list[str]] = {}
    if args.village:
        open_store(args, config)
        village_id, village = choose_village(args)
        known = queries.known_names(village_id)
        listed = {
            "projects": sorted(queries.project_codes_by_name(village_id)),
            "funders": natural_sorted(known["funders"]),
            "enterprises": natural_sorted(known["enterprises"]),
            "settlements": natural_sorted(known["settlements"]),
        }
    categories = {code: names.get("zh") or code for code, names in config.categories.items()}
    _write(template(village, listed, categories), args.output, "XLSX")
    return 0


def cmd_export(args: argparse.Namespace, config: Config) -> int:
    open_store(args, config)
    village_id, village = choose_village(args)
    fmt = args.format or _by_name(args.output, ("toml", "json", "xlsx")) or "toml"
    if fmt == "xlsx":
        tables = queries.records(village_id, args.with_personal_data)
        layout = "codes" if args.codes else config.language
        sheets = export_sheets(village, tables, layout, config.categories)
        _write(office.workbook(sheets), args.output, "XLSX", args.with_personal_data)
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
        raise UsageError("bad_date", value=value) from None


def _scope(args: argparse.Namespace) -> Scope:
    from fundtrack.cli.main import UsageError

    village_id = None
    if args.village:
        row = writes.village_row(args.village)
        if row is None:
            raise UsageError("no_village_named", name=args.village)
        village_id = row.id
    project_id = None
    if getattr(args, "project", None):
        found = projects_named(args.project, village_id)
        if not found:
            raise UsageError("no_project", project=args.project)
        if len(found) > 1:
            codes = ", ".join(sorted(f"{code} ({village})" for _, code, village in found))
            raise UsageError("several_projects", project=args.project, codes=codes)
        project_id = found[0][0]
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
    style = Style(unit, lang, config.kind_name, args.codes, only_unpaid)
    if _report(scope, args.report, fmt, style, args.output) is not None:
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

            raise UsageError("document_suffix", output=args.output)
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
        Style(unit, config.language, config.kind_name, args.codes),
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
    from fundtrack.io.samples import sample_files

    open_store(args, config)
    with contextlib.ExitStack() as stack:
        if args.dir is None:  # the sample village shipped inside the package, wherever it is installed
            files = stack.enter_context(sample_files())
            where = "sample_data"
        else:
            files = sorted(Path(args.dir).glob("*.toml"))
            where = args.dir
        if not files:
            raise UsageError("no_samples", dir=where)
        try:
            village = tomllib.loads(files[0].read_text(encoding="utf-8")).get("village", {}).get("name")
        except (OSError, tomllib.TOMLDecodeError, AttributeError):
            village = None
        if village not in {r.name for r in queries.villages()}:
            import_files([str(f) for f in files], config.import_options)
            said = say(config.language, "samples_imported", n=len(files), target=redact(target_of(args, config)))
            print(f"fundtrack: {said}", file=sys.stderr)
    if args.village is None:
        args.village = village
    if args.no_app or not (sys.stdin.isatty() and sys.stdout.isatty()):
        said = say(config.language, "samples_ready", village=village or "", target=redact(target_of(args, config)))
        print(f"fundtrack: {said}", file=sys.stderr)
        return 0
    return _run_app(args, config)


def cmd_history(args: argparse.Namespace, config: Config) -> int:
    from fundtrack.cli.main import UsageError
    from fundtrack.storage import audit

    open_store(args, config)
    table = record = None
    if args.record:
        table, _, ident = args.record.partition(":")
        if not ident.isdigit():
            raise UsageError("bad_record", value=args.record)
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
                        "reason": e.reason,
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
        print(f"fundtrack: {say(config.language, 'nothing_to_undo')}", file=sys.stderr)
        return 0
    batch, entries = result
    from fundtrack.tui.strings import t

    what = ", ".join(
        f"{t(config.language, 'action.' + e.action)} {e.table or ''}{':' + str(e.record) if e.record else ''}".strip()
        for e in entries
    )
    print(f"fundtrack: {say(config.language, 'undid', batch=batch, what=what)}", file=sys.stderr)
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
            db = open_database(target, create=False, damaged_ok=True)  # an absent store is refused here
            # One read first: a store that cannot be read at all (a full disk, a -wal it cannot reach) is
            # refused in one line, not listed as damage; a damaged one goes on to SQLite's own check.
            db.execute_sql("SELECT count(*) FROM sqlite_master" if path is not None else "SELECT 1").fetchall()
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
        print(f"fundtrack: {say(config.language, 'integrity_problems', n=len(problems))}", file=sys.stderr)
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
        if any(f in message.lower() for f in ("disk is full", "no space left")):  # the copy's disk, not the source
            raise InputError([Problem(shown, 0, where, "disk_full", {})]) from exc
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
    print(f"fundtrack: {say(config.language, 'backup_written', target=redact(target), dest=dest)}", file=sys.stderr)
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
    said = say(
        config.language, "restored_kept" if kept else "restored", target=redact(target), file=args.file, kept=kept
    )
    print(f"fundtrack: {said}", file=sys.stderr)
    return 0


def _date_option(flag: str, value: str | None) -> dt.date | None:
    from fundtrack.cli.main import UsageError

    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError("bad_date_option", flag=flag, value=value) from None


def cmd_print(args: argparse.Namespace, config: Config) -> int:
    """收据 (serials given in the store) or the 公示, as a PDF written to -o."""
    from fundtrack.cli.main import UsageError
    from fundtrack.service import paper

    open_store(args, config)
    if args.output == "-" or _is_the_database(args.output):
        raise UsageError("pdf_output", output=args.output)
    village_id, village = choose_village(args)
    args.village = args.village or village["name"]
    scope = _scope(args)
    if args.paper == "notice":
        _write(paper.print_notice(scope, village_id, config.kind_name, args.with_unpaid, args.a3), args.output, "PDF")
        print(f"fundtrack: {say(config.language, 'notice_written', output=args.output)}", file=sys.stderr)
        return 0
    choice = paper.ReceiptChoice(
        village_id,
        scope.project_id,
        names.normalise(args.funder) if args.funder else None,
        args.household,
        _date_option("--from", args.since),
        _date_option("--to", args.until),
    )
    count = paper.print_receipts(choice, operator_name(config.operator), lambda pdf, _: _write(pdf, args.output, "PDF"))
    if not count:
        raise UsageError("no_receipt_chosen")
    print(f"fundtrack: {say(config.language, 'receipts_written', n=count, output=args.output)}", file=sys.stderr)
    return 0


def cmd_admin(args: argparse.Namespace, config: Config) -> int:
    from fundtrack.cli.admin import cmd_admin as run

    return run(args, config)
