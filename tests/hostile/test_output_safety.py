"""Text from the store that would act where it is shown (escape sequences, OSC, C1, bidi overrides, line
breaks, vertical tabs, formulas) leaves every output as data: the store here holds it already (written by
an older version or another client), so only the output side stands between it and the terminal."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from fundtrack.ledger.text import ACTING, for_sheet, one_line, visible
from fundtrack.storage import models as m
from tests.hostile.harness import SAMPLE, run

PAYLOADS = {
    "clear_screen": "\x1b[2J\x1b[H",
    "osc_title": "\x1b]0;pwned\x07",
    "osc52_clipboard": "\x1b]52;c;cm0gLXJmIC8=\x07",
    "c1_csi": "\x9b31m",
    "bidi_override": "\u202egnp.exe",
    "newline_forged": "\n/etc/passwd:1: forged: line",
    "vertical_tab": "a\x0bb",
    "formula": '=HYPERLINK("http://x")',
    "zero_width": "煤\u200b矿",
}

OUTPUTS = {
    "breakdown_table": ("report", "breakdown", "--format", "table"),
    "findings_table": ("report", "findings", "--format", "table"),
    "quotas_table": ("report", "quotas", "--format", "table"),
    "breakdown_md": ("report", "breakdown", "--format", "md"),
    "breakdown_csv": ("report", "breakdown", "--format", "csv"),
    "history_table": ("history", "--format", "table"),
}


def _plant(payload: str) -> None:
    """A funder, an enterprise and a note holding the payload, as another client might have written them."""
    funder = m.Funder.select().where(m.Funder.kind == "upper_grant").first()
    funder.name = f"上级{payload}"
    funder.save()
    enterprise = m.Enterprise.select().first()
    enterprise.name = f"企业{payload}"
    enterprise.save()
    m.Receipt.update(note=f"备注{payload}").execute()


def _clean_text(text: str) -> None:
    raw = [c for c in text.removeprefix("\ufeff") if ACTING.match(c) and c not in "\n\t\r"]
    assert not raw, [hex(ord(c)) for c in raw]
    assert "\x1b" not in text and "\x9b" not in text


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("output", sorted(OUTPUTS))
def test_text_that_acts_leaves_as_data(sqlite_db: str, payload: str, output: str) -> None:
    assert run("--db", sqlite_db, "import", *map(str, SAMPLE)).code == 0
    _plant(PAYLOADS[payload])
    result = (
        run("--db", sqlite_db, *OUTPUTS[output], "--as-of", "2025-06-30")
        if "history" not in output
        else run("--db", sqlite_db, *OUTPUTS[output])
    )
    assert result.code == 0, result.err
    _clean_text(result.out)
    _clean_text(result.err)
    if output == "breakdown_csv":
        assert not re.search(r'(^|,)"?=HYPERLINK', result.out, re.M)


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_workbooks_and_documents_are_written_and_hold_no_acting_text(
    sqlite_db: str, tmp_path: Path, payload: str
) -> None:
    assert run("--db", sqlite_db, "import", *map(str, SAMPLE)).code == 0
    _plant(PAYLOADS[payload])
    for args, name in (
        (("report", "breakdown", "--format", "xlsx"), "b.xlsx"),
        (("report", "findings", "--format", "xlsx"), "f.xlsx"),
        (("export", "--format", "xlsx"), "e.xlsx"),
        (("report", "document", "--format", "docx"), "d.docx"),
    ):
        out = tmp_path / name
        result = run("--db", sqlite_db, *args, "-o", str(out))
        assert result.code == 0, result.err
        with zipfile.ZipFile(out) as z:
            for member in z.namelist():
                if member.endswith(".xml"):
                    text = z.read(member).decode("utf-8")
                    _clean_text(text.replace("\r", "").replace("\n", "").replace("\t", ""))
                    assert "<f>" not in text  # no formula cell


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("fmt", ["hledger", "beancount"])
def test_a_journal_keeps_one_transaction_per_entry(sqlite_db: str, tmp_path: Path, payload: str, fmt: str) -> None:
    assert run("--db", sqlite_db, "import", *map(str, SAMPLE)).code == 0
    clean = tmp_path / "clean.journal"
    assert (
        run("--db", sqlite_db, "export-journal", "--format", fmt, "--as-of", "2025-06-30", "-o", str(clean)).code == 0
    )
    _plant(PAYLOADS[payload])
    out = tmp_path / "planted.journal"
    assert run("--db", sqlite_db, "export-journal", "--format", fmt, "--as-of", "2025-06-30", "-o", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    _clean_text(text)
    dated = re.compile(r"^\d{4}-\d{2}-\d{2} ", re.M)
    assert len(dated.findall(text)) == len(dated.findall(clean.read_text(encoding="utf-8")))
    if fmt == "hledger" and shutil.which("hledger"):
        check = subprocess.run(["hledger", "-f", str(out), "check"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_an_error_line_naming_the_text_stays_one_line(sqlite_db: str, tmp_path: Path, payload: str) -> None:
    assert run("--db", sqlite_db, "import", *map(str, SAMPLE)).code == 0
    bad = tmp_path / f"x{one_line(PAYLOADS[payload])[:3].strip(chr(92))}.toml"
    body = 'format = "fundtrack/1"\n[village]\nname = "xx彝族村"\n[[receipts]]\nproject = "housing-1"\n'
    body += f"funder = {json.dumps('无此' + PAYLOADS[payload], ensure_ascii=True)}\namount = 1\ndate = 2024-01-01\n"
    bad.write_text(body, encoding="utf-8")
    result = run("--db", sqlite_db, "import", str(bad))
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert all(line.startswith(str(bad)) or line.startswith("fundtrack:") for line in lines), lines
    _clean_text(result.err)


def test_the_rules_of_each_output() -> None:
    assert visible("a\x1b[2Jb\tc\nd") == "a\\x1b[2Jb\tc\nd"
    assert one_line("a\nb") == "a\\x0ab"
    assert for_sheet("=1+1") == "'=1+1" and for_sheet("\x0bx") == "\\x0bx"
    assert visible("上级拨款") == "上级拨款"


async def test_the_app_draws_no_acting_character(tui_app) -> None:
    from fundtrack.tui.filters import NoActingText

    assert any(isinstance(f, NoActingText) for f in tui_app.get_line_filters())
    from rich.segment import Segment
    from textual.color import Color

    out = NoActingText().apply([Segment("上级\x1b[2J\u202e拨款")], Color(0, 0, 0))
    assert out[0].text == "上级[2J拨款"
