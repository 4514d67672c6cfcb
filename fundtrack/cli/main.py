"""The `fundtrack` command: parses flags, opens the store, calls io/ledger, prints with rich."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from rich.console import Console

from fundtrack import __version__
from fundtrack.cli.grouped import grouped
from fundtrack.cli.words import (
    MESSAGES,
    HelpFormatter,
    argparse_in,
    config_in,
    language_in,
    os_worded,
    os_words,
    say,
    translator,
)
from fundtrack.io.config import Config, load_config
from fundtrack.io.problems import InputError, Problem, show


class UsageError(Exception):
    """A command given wrongly (exit 2), e.g. --village missing where several villages exist: a message
    of cli/words.py by its key (or a text shown as it is)."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key, self.params = key, params

    def line(self, language: str) -> str:
        return say(language, self.key, **self.params) if self.key in MESSAGES["en"] else self.key

    def __str__(self) -> str:
        return self.line("en")


class Parser(argparse.ArgumentParser):
    """argparse in fundtrack's manner: help wrapped by terminal cells, a mistake said in one line (exit 2)."""

    language = "en"

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        from fundtrack.ledger.text import one_line

        hint = say(self.language, "see_help", prog=self.prog)
        self.exit(2, one_line(f"{self.prog}: {message}{hint}") + "\n")


def _global_options(p: argparse.ArgumentParser, default: object, _: Callable[[str], str]) -> None:
    """The options every command takes, before or after its name."""
    p.add_argument(
        "--db", default=default, help=_("SQLite path or database URL (default: FUNDTRACK_DB, then the config)")
    )
    p.add_argument("--config", default=default, help=_("a settings file that overrides the shipped and user settings"))
    p.add_argument(
        "--village", default=default, help=_("narrow to one village (needed for export when there are several)")
    )
    p.add_argument("--lang", default=default, choices=("zh", "en"), help=_("language of messages and reports"))


def _global_parent(_: Callable[[str], str]) -> argparse.ArgumentParser:
    # After a command's name the global options leave the value given before it alone unless given.
    parent = argparse.ArgumentParser(add_help=False)
    _global_options(parent, argparse.SUPPRESS, _)
    return parent


def _parser_class(parent: argparse.ArgumentParser, base: type[Parser]) -> type[argparse.ArgumentParser]:
    """A parser class whose every (sub)command also takes the global options."""

    class CommandParser(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs["parents"] = [*kwargs.get("parents", []), parent]  # type: ignore[list-item]
            super().__init__(*args, **kwargs)

        def add_subparsers(self, **kwargs: object):  # type: ignore[no-untyped-def,override]
            kwargs.setdefault("parser_class", CommandParser)
            return super().add_subparsers(**kwargs)  # type: ignore[arg-type]

    return CommandParser


def _parser(language: str = "en") -> argparse.ArgumentParser:
    """The command line's parser, speaking `language` (build and use it inside `argparse_in(language)`)."""
    _ = translator(language)
    base = type("Parser", (Parser,), {"language": language})
    p = base(
        prog="fundtrack",
        description=_(
            "Village project funding: where money comes from, where it went, hiring commitments. "
            "Without a command, opens the terminal app."
        ),
    )
    p.add_argument(
        "--version",
        action="version",
        version=f"fundtrack {__version__}",
        help=_("show program's version number and exit"),
    )
    _global_options(p, None, _)
    sub = p.add_subparsers(
        dest="command",
        metavar="COMMAND",
        parser_class=_parser_class(_global_parent(_), base),
        help=_("the command; fundtrack COMMAND -h tells more"),
    )

    sub.add_parser("init", help=_("create an empty database (idempotent)"))

    demo = sub.add_parser("demo", help=_("import the sample data unless its village exists, then open the app"))
    demo.add_argument(
        "dir", nargs="?", default=None, metavar="DIR", help=_("default: the sample village shipped with fundtrack")
    )
    demo.add_argument(
        "--no-app", action="store_true", help=_("set up only; the app is not opened (nor without a terminal)")
    )

    imp = sub.add_parser("import", help=_("import fundtrack/1 files and spreadsheets (xlsx, xls, csv), all or nothing"))
    imp.add_argument("files", nargs="+", metavar="FILE", help=_("files to import"))
    imp.add_argument("--dry-run", action="store_true", help=_("check only; write nothing"))
    imp.add_argument(
        "--mapping", metavar="MAP", help=_("spreadsheets: which sheet is which table, which column which key")
    )
    imp.add_argument(
        "--unit", choices=("元", "万元"), default="元", help=_("spreadsheets: unit of bare numbers (default: yuan)")
    )
    imp.add_argument("--table", help=_("CSV: the table the file holds (default: by its name or headers)"))
    imp.add_argument(
        "--preview", action="store_true", help=_("spreadsheets: print what would be imported; write nothing")
    )
    imp.add_argument(
        "--new-only",
        action="store_true",
        help=_("import only new records: those the village has already, the same in every value, are skipped"),
    )

    tpl = sub.add_parser("template", help=_("an empty workbook to fill in and import (XLSX)"))
    tpl.add_argument("-o", "--output", metavar="FILE", required=True, help=_("the workbook to write"))

    exp = sub.add_parser("export", help=_("write every record of one village, re-importable"))
    exp.add_argument(
        "--format", choices=("toml", "json", "xlsx"), default=None, help=_("default: by -o's name, else toml")
    )
    exp.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of standard output"))
    exp.add_argument("--with-personal-data", action="store_true", help=_("include hires' id_number"))
    exp.add_argument(
        "--codes",
        action="store_true",
        help=_("XLSX keeps machine sheet names, headers and codes (as scripts read them)"),
    )

    rep = sub.add_parser("report", help=_("reports: breakdown, quotas, findings, levies, document"))
    rsub = rep.add_subparsers(
        dest="report", metavar="REPORT", required=True, help=_("the report; fundtrack report REPORT -h tells more")
    )
    br = rsub.add_parser("breakdown", help=_("funding breakdown per project"))
    br.add_argument("--project", metavar="CODE", help=_("one project: its code or its name"))
    qu = rsub.add_parser("quotas", help=_("hiring commitments per enterprise"))
    fi = rsub.add_parser("findings", help=_("the reconcile findings as a report (exit 0)"))
    lv = rsub.add_parser("levies", help=_("the levy roll: every household, expected, paid, outstanding"))
    lv.add_argument("--project", metavar="CODE", help=_("one project: its code or its name"))
    lv.add_argument("--unpaid", action="store_true", help=_("list only the households not paid in full"))
    doc = rsub.add_parser("document", help=_("the committee's report (DOCX, or Markdown with --format md)"))
    rec = sub.add_parser("reconcile", help=_("ledger checks"))
    for r in (br, qu, fi, lv, doc, rec):
        r.add_argument("--as-of", metavar="DATE", help=_("the day the report is as of (YYYY-MM-DD, default: today)"))
    doc.add_argument("--format", choices=("docx", "md"), default=None, help=_("default: by -o's name, else docx"))
    doc.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of standard output"))
    for r, formats in (
        (br, _REPORT),
        (qu, _REPORT),
        (fi, _REPORT),
        (lv, _REPORT),
        (rec, ("table", "json", "csv", "md")),
    ):
        r.add_argument(
            "--format",
            choices=formats,
            default=None,
            help=_("output format (default: by -o's name, else a table on a terminal, JSON elsewhere)"),
        )
        r.add_argument("--unit", choices=("元", "万元"), help=_("unit of amounts (default: the config's)"))
        r.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of standard output"))
        r.add_argument(
            "--codes", action="store_true", help=_("CSV and XLSX keep machine headers and codes (as scripts read them)")
        )
    rec.add_argument("--strict", action="store_true", help=_("warnings fail too"))

    hist = sub.add_parser("history", help=_("the audit trail: who changed what, when, before and after"))
    hist.add_argument("--record", metavar="TABLE:ID", help=_("only this record, e.g. receipts:12"))
    hist.add_argument("--limit", type=int, default=50, metavar="N", help=_("show at most N changes (default: 50)"))
    hist.add_argument(
        "--format",
        choices=("table", "json"),
        default=None,
        help=_("output format (default: a table on a terminal, JSON elsewhere)"),
    )

    sub.add_parser("undo", help=_("undo the last change not yet undone (recorded in the audit trail too)"))

    chk = sub.add_parser("check", help=_("report integrity problems (changes nothing)"))
    chk.add_argument(
        "--format",
        choices=("table", "json"),
        default=None,
        help=_("output format (default: a table on a terminal, JSON elsewhere)"),
    )

    jr = sub.add_parser("export-journal", help=_("the ledger as an hledger or beancount journal"))
    jr.add_argument(
        "--format", choices=("hledger", "beancount"), default=None, help=_("default: by -o's name, else hledger")
    )
    jr.add_argument("--as-of", metavar="DATE", help=_("leave out records dated after DATE"))
    jr.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of standard output"))
    _add_backup_commands(sub, _)
    _add_print_commands(sub, _)
    _add_admin_commands(sub, _, base)
    return p


_REPORT = ("table", "json", "csv", "md", "xlsx")


def _add_print_commands(sub: argparse._SubParsersAction, _: Callable[[str], str]) -> None:
    pr = sub.add_parser("print", help=_("paper as PDF: receipts and the public notice"))
    psub = pr.add_subparsers(dest="paper", metavar="WHAT", required=True, help=_("what to print"))
    rc = psub.add_parser("receipts", help=_("a receipt slip per receipt chosen (serials are given at the first print)"))
    rc.add_argument("--project", metavar="CODE", help=_("one project: its code or its name"))
    rc.add_argument("--funder", metavar="NAME", help=_("one funder's receipts"))
    rc.add_argument("--household", metavar="CODE", help=_("one household's receipts"))
    rc.add_argument("--from", dest="since", metavar="DATE", help=_("receipts dated on or after DATE"))
    rc.add_argument("--to", dest="until", metavar="DATE", help=_("receipts dated on or before DATE"))
    rc.add_argument("-o", "--output", metavar="FILE", required=True, help=_("the PDF file to write"))
    nt = psub.add_parser("notice", help=_("the public notice for the notice board"))
    nt.add_argument("--project", metavar="CODE", help=_("one project: its code or its name"))
    nt.add_argument("--as-of", metavar="DATE", help=_("the day the report is as of (YYYY-MM-DD, default: today)"))
    nt.add_argument("--with-unpaid", action="store_true", help=_("list each levy's households that still owe"))
    nt.add_argument("--a3", action="store_true", help=_("A3 paper instead of A4"))
    nt.add_argument("-o", "--output", metavar="FILE", required=True, help=_("the PDF file to write"))


def _add_admin_commands(sub: argparse._SubParsersAction, _: Callable[[str], str], base: type[Parser]) -> None:
    """`fundtrack admin ...`: a county's users and their villages (PostgreSQL only)."""

    class AdminParser(base):  # type: ignore[valid-type,misc]
        """An action of `fundtrack admin`: the global options but --village, which it gives its own meaning."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.add_argument(
                "--db",
                default=argparse.SUPPRESS,
                help=_("SQLite path or database URL (default: FUNDTRACK_DB, then the config)"),
            )
            self.add_argument(
                "--config",
                default=argparse.SUPPRESS,
                help=_("a settings file that overrides the shipped and user settings"),
            )
            self.add_argument(
                "--lang", default=argparse.SUPPRESS, choices=("zh", "en"), help=_("language of messages and reports")
            )

    adm = sub.add_parser("admin", help=_("users of a county's PostgreSQL database and their villages"))
    # Its actions take --village several times (their own option), and the other global options.
    asub = adm.add_subparsers(
        dest="admin", metavar="ACTION", required=True, parser_class=AdminParser, help=_("what to do")
    )
    villages = {"action": "extend", "nargs": "+", "dest": "villages", "default": [], "metavar": "V"}
    add = asub.add_parser("add-user", help=_("create a login role (or take one) with a role"))
    add.add_argument("name", metavar="NAME", help=_("the login role"))
    add.add_argument("--role", choices=("committee", "auditor", "admin"), required=True, help=_("what the user may do"))
    add.add_argument(
        "--village", help=_("a village it may use (committee: needed; auditor: none means all)"), **villages
    )
    add.add_argument("--password-file", metavar="F", help=_("read the password from F (else it is asked for)"))
    sv = asub.add_parser("set-villages", help=_("change a user's villages"))
    sv.add_argument("name", metavar="NAME", help=_("the login role"))
    sv.add_argument("--village", help=_("its villages from now on"), **villages)
    rm = asub.add_parser("remove-user", help=_("take every fundtrack right away from a login role"))
    rm.add_argument("name", metavar="NAME", help=_("the login role"))
    us = asub.add_parser("users", help=_("who has which role over which villages"))
    us.add_argument(
        "--format",
        choices=("table", "json"),
        default=None,
        help=_("output format (default: a table on a terminal, JSON elsewhere)"),
    )


def _add_backup_commands(sub: argparse._SubParsersAction, _: Callable[[str], str]) -> None:
    bk = sub.add_parser("backup", help=_("a checked copy of the database (default: the backups folder)"))
    bk.add_argument("-o", "--output", metavar="FILE", help=_("write the copy to FILE, e.g. on a USB stick"))
    rs = sub.add_parser("restore", help=_("replace the database with a backup (the replaced one is kept)"))
    rs.add_argument("file", metavar="FILE", help=_("the backup file"))


def _err(console: Console, problems: Sequence[Problem | str]) -> None:
    from fundtrack.ledger.text import one_line  # text from the command line or a file acts on no terminal
    from fundtrack.storage.db import redact  # every error line: a database URL's password never shows

    for problem in problems:
        console.print(one_line(redact(str(problem))), markup=False, highlight=False, soft_wrap=True)


def cli_language(argv: Sequence[str]) -> str:
    """The language the command line speaks before its options are read: --lang, else the config's."""
    given = language_in(argv)
    if given:
        return given
    try:
        return load_config(config_in(argv)).language
    except (InputError, OSError):
        return "zh"  # the shipped default; the broken settings file is reported once the command runs


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    language = cli_language(argv)
    with argparse_in(language):
        args = _parser(language).parse_args(argv)
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
        last = ("all_stored", "names_stored")  # `--new-only`: said last
        hints = [p for p in exc.problems if p.code in last]
        problems = [os_worded(p, language) for p in exc.problems if p.code not in last]
        _err(err, grouped(problems, language) + [show(p, language) for p in hints])
        return 2
    except UsageError as exc:
        _err(err, [f"fundtrack: {exc.line(args.lang or _language_of(args))}"])
        return 2
    except KeyboardInterrupt:
        _err(err, [f"fundtrack: {say(args.lang or _language_of(args), 'interrupted')}"])
        return 130
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
        said = os_words(exc.strerror or str(exc), args.lang or _language_of(args), exc.errno)
        _err(err, [f"{exc.filename or 'fundtrack'}: {said}"])
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
        worded = say(
            args.lang or _language_of(args), "internal_error", kind=type(exc).__name__, where=where, message=exc
        )
        _err(err, [f"fundtrack: {worded}"])
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
        return "zh"  # the shipped default: the settings that would say otherwise cannot be read


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
    # Run as `python -m fundtrack.cli.main`: the module the commands import (its UsageError), not a second copy.
    from fundtrack.cli.main import main as imported_main

    sys.exit(imported_main())
