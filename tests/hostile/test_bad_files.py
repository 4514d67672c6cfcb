"""Hostile input files: every case refused in located lines, nothing written, the store still clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.harness import SAMPLE, assert_check_clean, assert_refused, fingerprint, run

HEADER = 'format = "fundtrack/1"\n[village]\nname = "测试村"\n'

CASES = {
    "unknown_key": HEADER + '[[funders]]\nname = "甲"\nkind = "other"\ncolour = "red"\n',
    "not_toml": "format = \n",
    "not_utf8": None,  # bytes, below
    "link_nowhere": HEADER + '[[receipts]]\nproject = "nope"\nfunder = "无"\namount = 1\ndate = 2024-01-01\n',
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_file_is_refused_and_changes_nothing(backend: str, tmp_path: Path, case: str) -> None:
    assert run("--db", backend, "import", str(SAMPLE[0])).code == 0
    path = tmp_path / f"{case}.toml"
    if CASES[case] is None:
        path.write_bytes(HEADER.encode() + b'[[funders]]\nname = "\xff\xfe"\nkind = "other"\n')
    else:
        path.write_text(CASES[case], encoding="utf-8")
    before = fingerprint()
    assert_refused(run("--db", backend, "import", str(path)))
    assert fingerprint() == before
    assert_check_clean(backend)


@pytest.mark.parametrize("doc", ["x = " + "[" * 20000 + "]" * 20000, "x = " + "[1," * 30000 + "]" * 30000])
def test_brackets_nested_deep_enough_to_kill_the_parser_are_refused(sqlite_db: str, tmp_path: Path, doc: str) -> None:
    """A 40 KB file of nested brackets killed import with a segmentation fault (the Rust parser's stack)."""
    path = tmp_path / "deep.toml"
    path.write_text(HEADER + doc + "\n", encoding="utf-8")
    from tests.hostile.harness import run_process

    result = run_process("--db", sqlite_db, "import", str(path), timeout=60)
    assert_refused(result)


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--village", "a\x1b[31mb"),
        ("report", "breakdown", "--project", "a\x1b[31mb", "--format", "json"),
    ],
)
def test_text_from_the_command_line_does_not_act_in_an_error(sqlite_db: str, args: tuple[str, ...]) -> None:
    assert run("--db", sqlite_db, "import", str(SAMPLE[0])).code == 0
    assert_refused(run("--db", sqlite_db, *args))


def test_a_database_url_that_does_not_parse_is_refused_not_a_bug() -> None:
    result = run("--db", "postgresql://bob:secretpw@127.0.0.1:notaport/x", "init")
    assert_refused(result)
    assert "secretpw" not in result.err


@pytest.mark.parametrize("where", ["new.db", "no/such/folder/new.db"])
def test_a_refused_import_leaves_no_new_database_behind(tmp_path: Path, where: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(HEADER + '[[funders]]\nname = "甲\\u001b"\nkind = "other"\n', encoding="utf-8")
    target = tmp_path / where
    assert_refused(run("--db", str(target), "import", str(bad)))
    assert not target.exists() and not (tmp_path / "no").exists()
    assert not list(tmp_path.glob("new.db*"))
