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
