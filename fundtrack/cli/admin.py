"""`fundtrack admin`: the users of a county's PostgreSQL database, their roles and villages."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fundtrack.io import reports
from fundtrack.io.config import Config
from fundtrack.storage import security
from fundtrack.storage.db import StoreError, database, is_sqlite, redact

WORDS = {
    "zh": {
        "title": "用户",
        "name": "用户名",
        "role": "角色",
        "villages": "村",
        "all": "所有村",
        "committee": "村委会",
        "auditor": "审计",
        "admin": "管理员",
        "added": "fundtrack: 用户 {name} 现在是{role}, 村: {villages}",
        "set": "fundtrack: 用户 {name} 的村现在是: {villages}",
        "removed": "fundtrack: 用户 {name} 已没有任何 fundtrack 权限 (修改记录里仍有它的名字)",
        "no_password": "fundtrack: 没有给密码: 用户 {name} 保留原来的密码 (新用户要设了密码才能用密码登录)",
        "prompt": "用户 {name} 的密码: ",
        "again": "再输一遍: ",
        "mismatch": "两次输入的密码不一样, 什么也没改",
    },
    "en": {
        "title": "users",
        "name": "user",
        "role": "role",
        "villages": "villages",
        "all": "every village",
        "committee": "committee",
        "auditor": "auditor",
        "admin": "admin",
        "added": "fundtrack: user {name} is now {role}, villages: {villages}",
        "set": "fundtrack: user {name}'s villages are now: {villages}",
        "removed": "fundtrack: user {name} has no fundtrack rights any more (the audit trail keeps its name)",
        "no_password": "fundtrack: no password given: user {name} keeps its password "
        "(a new user logs in with a password only once one is set)",
        "prompt": "password of {name}: ",
        "again": "once more: ",
        "mismatch": "the two passwords differ; nothing was changed",
    },
}


def _password(args: argparse.Namespace, words: dict[str, str]) -> str | None:
    """The password from --password-file (its first line), else asked for twice on a terminal; None when
    neither (the role keeps the password it has)."""
    from fundtrack.cli.main import UsageError

    if args.password_file:
        text = Path(args.password_file).expanduser().read_text(encoding="utf-8")
        password = text.splitlines()[0] if text.strip() else ""
        if not password:
            raise StoreError(args.password_file, "admin_no_password", file=args.password_file)
        return password
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(words["prompt"].format(name=args.name))
    if getpass.getpass(words["again"]) != first:
        raise UsageError(words["mismatch"])
    return first or None


def _villages_text(villages: tuple[str, ...] | list[str] | None, words: dict[str, str]) -> str:
    return ", ".join(villages) if villages else words["all"]


def cmd_admin(args: argparse.Namespace, config: Config) -> int:
    from fundtrack.cli.commands import open_store, target_of
    from fundtrack.storage.db import sqlite_path

    target = target_of(args, config)
    if sqlite_path(target) is not None:  # said before the file is looked at
        raise StoreError(redact(target), "admin_sqlite")
    open_store(args, config)
    words = WORDS.get(config.language, WORDS["en"])
    if is_sqlite():
        raise StoreError(redact(str(database.database)), "admin_sqlite")
    if args.admin == "add-user":
        password = _password(args, words)
        security.add_user(args.name, args.role, args.villages, password, new_needs_password=True)
        shown = [] if args.role == "admin" else args.villages
        print(words["added"].format(name=args.name, role=words[args.role], villages=_villages_text(shown, words)))
        if password is None:
            print(words["no_password"].format(name=args.name), file=sys.stderr)
    elif args.admin == "set-villages":
        security.set_villages(args.name, args.villages)
        print(words["set"].format(name=args.name, villages=_villages_text(args.villages, words)))
    elif args.admin == "remove-user":
        security.remove_user(args.name)
        print(words["removed"].format(name=args.name))
    else:
        listed = security.users()
        if (args.format or ("table" if sys.stdout.isatty() else "json")) == "json":
            rows = [{"name": u.name, "role": u.role, "villages": list(u.villages or []) or None} for u in listed]
            sys.stdout.write(reports.dumps(rows))
        else:
            table = Table(title=words["title"], title_justify="left")
            for key in ("name", "role", "villages"):
                table.add_column(words[key], overflow="fold")
            for u in listed:
                table.add_row(Text(u.name), Text(words[u.role]), Text(_villages_text(u.villages, words)))
            Console().print(table)
    return 0
