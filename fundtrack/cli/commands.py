"""One function per `fundtrack` command; each opens the store, calls io/ledger and prints."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from fundtrack.io import export as exporter
from fundtrack.io.config import Config
from fundtrack.io.importer import import_files
from fundtrack.storage import queries
from fundtrack.storage.db import open_database
from fundtrack.storage.migrations import migrate


def target_of(args: argparse.Namespace, config: Config) -> str:
    return args.db or os.environ.get("FUNDTRACK_DB") or config.database_target()


def open_store(args: argparse.Namespace, config: Config) -> None:
    open_database(target_of(args, config))
    migrate()


def _write(text: str, output: str | None) -> None:
    """Write a command's result to -o FILE (atomically: a temp file renamed) or to stdout."""
    if not output or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(output)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def cmd_init(args: argparse.Namespace, config: Config) -> int:
    open_store(args, config)
    print(f"fundtrack: database ready at {target_of(args, config)}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace, config: Config) -> int:
    open_store(args, config)
    console = Console(stderr=True)
    if console.is_terminal:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=console, transient=True,
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
        rows = [r for r in rows if r.name == args.village]
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
    doc = exporter.document(village_id, village, args.with_personal_data)
    text = exporter.to_toml(doc) if args.format == "toml" else exporter.to_json(doc)
    _write(text, args.output)
    return 0
