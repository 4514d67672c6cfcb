"""The command line's surprises, each pinned: options after the command, formats by the file's name,
commands that crashed on a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from fundtrack.cli.main import main
from tests.conftest import ROOT, SAMPLE


def _in_a_terminal(*args: str) -> tuple[int, str]:
    """`fundtrack ARGS` with a terminal as its standard output (as a person runs it)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "fundtrack.cli.main", *args], stdout=follower, stderr=follower, cwd=ROOT
    )
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    return proc.wait(timeout=60), out.decode("utf-8", "replace")


@pytest.mark.parametrize("command", [("check",), ("history", "--limit", "3")])
def test_check_and_history_in_a_terminal_do_not_crash_on_a_missing_output_option(
    sqlite_db: str, command: tuple[str, ...]
) -> None:
    assert main(["--db", sqlite_db, "import", *map(str, SAMPLE)]) == 0
    code, out = _in_a_terminal("--db", sqlite_db, *command)
    assert code == 0, out
    assert "internal error" not in out and "Traceback" not in out


def test_global_options_are_taken_after_the_command_too(sqlite_db: str, tmp_path: Path) -> None:
    assert main(["--db", sqlite_db, "import", *map(str, SAMPLE)]) == 0
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    assert main(["--db", sqlite_db, "--village", "xx彝族村", "report", "quotas", "-o", str(before)]) == 0
    assert main(["report", "quotas", "--village", "xx彝族村", "--db", sqlite_db, "--lang", "en", "-o", str(after)]) == 0
    assert json.loads(before.read_text())["totals"] == json.loads(after.read_text())["totals"]
    assert main(["export", "--db", sqlite_db, "--village", "xx彝族村", "-o", str(tmp_path / "x.toml")]) == 0


def test_the_file_name_chooses_the_format_when_none_is_given(sqlite_db: str, tmp_path: Path) -> None:
    assert main(["--db", sqlite_db, "import", *map(str, SAMPLE)]) == 0
    for args, name, start in (
        (["report", "breakdown"], "b.xlsx", b"PK"),
        (["report", "breakdown"], "b.csv", "\ufeff".encode()),
        (["report", "breakdown"], "b.md", b"#"),
        (["export"], "e.json", b"{"),
        (["export"], "e.xlsx", b"PK"),
        (["export-journal"], "j.beancount", b"; fundtrack journal (beancount)"),
        (["report", "document"], "d.md", b"#"),
    ):
        target = tmp_path / name
        assert main(["--db", sqlite_db, *args, "-o", str(target)]) == 0, name
        assert target.read_bytes().startswith(start), name


def test_a_document_to_a_name_it_cannot_be_is_refused(sqlite_db: str, tmp_path: Path) -> None:
    assert main(["--db", sqlite_db, "import", *map(str, SAMPLE)]) == 0
    assert main(["--db", sqlite_db, "report", "document", "-o", str(tmp_path / "d.pdf")]) == 2
    assert not (tmp_path / "d.pdf").exists()
