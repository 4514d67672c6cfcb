"""The `fundtrack` command: parses flags, opens the store, calls io/ledger, prints with rich."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console

from fundtrack import __version__
from fundtrack.io.config import Config, load_config
from fundtrack.io.problems import InputError, Problem, show


class UsageError(Exception):
    """A command given wrongly (exit 2), e.g. --village missing where several villages exist."""


def _global_options(p: argparse.ArgumentParser, default: object) -> None:
    """The options every command takes, before or after its name."""
    p.add_argument("--db", default=default, help="SQLite path or database URL (default: FUNDTRACK_DB, then the config)")
    p.add_argument("--config", default=default, help="a settings file that overrides the shipped and user settings")
    p.add_argument(
        "--village", default=default, help="narrow to one village (needed for export when there are several)"
    )
    p.add_argument("--lang", default=default, choices=("zh", "en"), help="language of messages and reports")


def _global_parent() -> argparse.ArgumentParser:
    # After a command's name the global options leave the value given before it alone unless given.
    parent = argparse.ArgumentParser(add_help=False)
    _global_options(parent, argparse.SUPPRESS)
    return parent


def _parser_class(parent: argparse.ArgumentParser) -> type[argparse.ArgumentParser]:
    """A parser class whose every (sub)command also takes the global options."""

    class CommandParser(argparse.ArgumentParser):
        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs["parents"] = [*kwargs.get("parents", []), parent]  # type: ignore[list-item]
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

        def add_subparsers(self, **kwargs: object):  # type: ignore[no-untyped-def,override]
            kwargs.setdefault("parser_class", CommandParser)
            return super().add_subparsers(**kwargs)  # type: ignore[arg-type]

    return CommandParser


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="fundtrack",
        description="Village project funding: where money comes from, where it went, hiring commitments. "
        "Without a command, opens the terminal app.",
    )
    p.add_argument("--version", action="version", version=f"fundtrack {__version__}")
    _global_options(p, None)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_parser_class(_global_parent()))

    sub.add_parser("init", help="create an empty database (idempotent)")

    demo = sub.add_parser("demo", help="import the sample data unless its village exists, then open the app")
    demo.add_argument("dir", nargs="?", default="sample_data", metavar="DIR")

    imp = sub.add_parser("import", help="import fundtrack/1 files, all or nothing")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    exp = sub.add_parser("export", help="write every record of one village, re-importable")
    exp.add_argument(
        "--format", choices=("toml", "json", "xlsx"), default=None, help="default: by -o's name, else toml"
    )
    exp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    exp.add_argument("--with-personal-data", action="store_true", help="include hires' id_number")

    rep = sub.add_parser("report", help="reports: breakdown, quotas, findings, levies")
    rsub = rep.add_subparsers(dest="report", metavar="REPORT", required=True)
    br = rsub.add_parser("breakdown", help="funding breakdown per project")
    br.add_argument("--project", metavar="CODE")
    br.add_argument("--as-of", metavar="DATE")
    qu = rsub.add_parser("quotas", help="hiring commitments per enterprise")
    qu.add_argument("--as-of", metavar="DATE")
    fi = rsub.add_parser("findings", help="the reconcile findings as a report (exit 0)")
    fi.add_argument("--as-of", metavar="DATE")
    lv = rsub.add_parser("levies", help="the levy roll: every household, expected, paid, outstanding")
    lv.add_argument("--project", metavar="CODE")
    lv.add_argument("--as-of", metavar="DATE")
    lv.add_argument("--unpaid", action="store_true", help="list only the households not paid in full")
    doc = rsub.add_parser("document", help="the committee's report (DOCX, or Markdown with --format md)")
    doc.add_argument("--as-of", metavar="DATE")
    doc.add_argument("--format", choices=("docx", "md"), default=None)
    doc.add_argument("-o", "--output", metavar="FILE")
    for r in (br, qu, fi, lv):
        r.add_argument("--format", choices=("table", "json", "csv", "md", "xlsx"), default=None)
        r.add_argument("--unit", choices=("元", "万元"))
        r.add_argument("-o", "--output", metavar="FILE")

    rec = sub.add_parser("reconcile", help="ledger checks")
    rec.add_argument("--as-of", metavar="DATE")
    rec.add_argument("--format", choices=("table", "json", "csv", "md"), default=None)
    rec.add_argument("--unit", choices=("元", "万元"))
    rec.add_argument("--strict", action="store_true", help="warnings fail too")
    rec.add_argument("-o", "--output", metavar="FILE")

    hist = sub.add_parser("history", help="the audit trail: who changed what, when, before and after")
    hist.add_argument("--record", metavar="TABLE:ID", help="only this record, e.g. receipts:12")
    hist.add_argument("--limit", type=int, default=50)
    hist.add_argument("--format", choices=("table", "json"), default=None)

    sub.add_parser("undo", help="undo the last change not yet undone (recorded in the audit trail too)")

    chk = sub.add_parser("check", help="report integrity problems (changes nothing)")
    chk.add_argument("--format", choices=("table", "json"), default=None)

    jr = sub.add_parser("export-journal", help="the ledger as an hledger or beancount journal")
    jr.add_argument(
        "--format", choices=("hledger", "beancount"), default=None, help="default: by -o's name, else hledger"
    )
    jr.add_argument("--as-of", metavar="DATE", help="leave out records dated after DATE")
    jr.add_argument("-o", "--output", metavar="FILE")
    _add_backup_commands(sub)
    return p


def _add_backup_commands(sub: argparse._SubParsersAction) -> None:
    bk = sub.add_parser("backup", help="a checked copy of the database (default: the backups folder)")
    bk.add_argument("-o", "--output", metavar="FILE", help="write the copy to FILE, e.g. on a USB stick")
    rs = sub.add_parser("restore", help="replace the database with a backup (the replaced one is kept)")
    rs.add_argument("file", metavar="FILE")


def _err(console: Console, problems: Sequence[Problem | str]) -> None:
    from fundtrack.ledger.text import one_line  # text from the command line or a file acts on no terminal
    from fundtrack.storage.db import redact  # every error line: a database URL's password never shows

    for problem in problems:
        console.print(one_line(redact(str(problem))), markup=False, highlight=False, soft_wrap=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    err = Console(stderr=True, highlight=False)
    try:
        config = load_config(args.config)
        if args.lang:
            config = _with_language(config, args.lang)
        if args.command is None:
            return _run_app(args, config)
        from fundtrack.cli import commands

        handler: Callable[[argparse.Namespace, Config], int] = getattr(
            commands, "cmd_" + args.command.replace("-", "_")
        )
        return handler(args, config)
    except InputError as exc:
        language = args.lang or _language_of(args)
        _err(err, [show(p, language) for p in exc.problems])
        return 2
    except UsageError as exc:
        _err(err, [f"fundtrack: {exc}"])
        return 2
    except KeyboardInterrupt:
        _err(err, ["fundtrack: interrupted; nothing was written by the unfinished step"])
        return 130
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
        _err(err, [f"{exc.filename or 'fundtrack'}: {exc.strerror or exc}"])
        return 2
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # noqa: BLE001 -- the user gets one line, never a traceback
        from fundtrack.storage.db import TargetError, store_error

        if isinstance(exc, TargetError):
            _err(err, [f"fundtrack: {exc}"])
            return 2
        # What the store or the machine did (damaged, newer, read-only, locked, full, gone) is one line, exit 2.
        found = store_error(exc, _target(args))
        if found is None:
            found = _damage_behind(exc, _target(args))
        if found is not None:
            _err(err, [found.line(args.lang or _language_of(args))])
            return 2
        where = Path(exc.__traceback__.tb_frame.f_code.co_filename).name if exc.__traceback__ else "?"
        _err(err, [f"fundtrack: internal error ({type(exc).__name__} in {where}): {exc}"])
        if os.environ.get("FUNDTRACK_DEBUG"):
            raise
        return 3


def _target(args: argparse.Namespace) -> str:
    try:
        from fundtrack.cli.commands import target_of

        return target_of(args, load_config(args.config))
    except Exception:  # noqa: BLE001 -- only for wording a message
        return args.db or "fundtrack"


def _damage_behind(exc: Exception, target: str):  # noqa: ANN202 -- StoreError | None, imported lazily
    """When a command failed on a value the store should never hold (text in a money cell...), the
    store's damage, found by a quick look at its cells; None when the store looks sound (a bug)."""
    from fundtrack.storage.db import StoreError, database, redact
    from fundtrack.storage.integrity import cell_damage

    if not isinstance(exc, (TypeError, ValueError, ArithmeticError, KeyError, AttributeError)):
        return None
    try:
        if database.obj is None or database.is_closed():
            return None
        damage = cell_damage(limit=1)
    except Exception:  # noqa: BLE001 -- the look itself may fail on a damaged store
        return None
    if not damage:
        return None
    return StoreError(redact(target), "store_damaged", detail=str(damage[0]))


def _language_of(args: argparse.Namespace) -> str:
    try:
        return load_config(args.config).language
    except InputError:
        return "en"


def _with_language(config: Config, language: str) -> Config:
    from dataclasses import replace

    return replace(config, language=language)


def _run_app(args: argparse.Namespace, config: Config) -> int:
    from fundtrack.cli.commands import open_store

    open_store(args, config)
    from fundtrack.tui.app import make_app

    make_app(config, village=args.village).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
