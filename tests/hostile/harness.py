"""What every hostile case asserts: the exit code, one located line on stderr, no traceback, nothing
written, and `check` clean afterwards. Cases run the command in-process (fast) or, where a hang or a
signal is the point, in a child process with a time limit."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import peewee

from fundtrack.cli.main import main
from fundtrack.storage import models as m
from fundtrack.storage.db import database

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = sorted((ROOT / "sample_data").glob("*.toml"))

# `FILE:LINE: where: what` (LINE may be absent when no line applies), or a usage line from argparse.
LOCATED = re.compile(r"^(?:\S[^\n]*?:(?:\d+:)? [^\n]*?: [^\n]+|fundtrack: [^\n]+|usage: [^\n]+)$")


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def run(*args: str, lang: str = "en") -> Result:
    """`fundtrack ARGS` in this process (the store the test opened is closed first and reopened after)."""
    # The test's own store, bound again afterwards (the command may bind another); none when the proxy
    # holds a placeholder without a name.
    saved = database.obj if database.obj is not None and database.database else None
    if saved is not None:
        database.close()
    # Text streams over bytes, as a pipe's are: commands that write bytes use .buffer.
    out, err = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True) for _ in range(2))
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--lang", lang, *args])
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    if saved is not None:
        if database.obj is not saved:
            with contextlib.suppress(peewee.DatabaseError):
                database.close()
            database.initialize(saved)
        with contextlib.suppress(peewee.OperationalError):  # a store the command refused and removed
            database.connect(reuse_if_open=True)
    return Result(code, _text(out), _text(err))


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]


def run_process(*args: str, timeout: float = 20, stdin: str | None = None, env: dict | None = None) -> Result:
    """`fundtrack ARGS` in a child process; a hang past `timeout` fails the test."""
    proc = subprocess.run(
        [sys.executable, "-m", "fundtrack.cli.main", "--lang", "en", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def assert_refused(result: Result, code: int = 2) -> None:
    """Refused with `code`, in located lines on stderr, without a traceback or a control character."""
    assert result.code == code, (result.code, result.err[-2000:])
    assert "Traceback" not in result.err and "Traceback" not in result.out, result.err[-2000:]
    lines = result.err.strip().splitlines()
    assert lines, "no message"
    for line in lines:
        assert LOCATED.match(line), line
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in line), repr(line)


def fingerprint() -> tuple:
    """What is in the store: per table the count of rows, voided rows and the largest id, and the trail."""
    out = []
    for model in (*m.MODELS, m.Change):
        q = model.select()
        voided = model.select().where(model.voided == True).count() if hasattr(model, "voided") else 0  # noqa: E712
        out.append((model.__name__, q.count(), voided, max((r.id for r in q.select(model.id)), default=0)))
    return tuple(out)


def assert_check_clean(target: str) -> None:
    result = run("--db", target, "check")
    assert result.code == 0, result.out + result.err
