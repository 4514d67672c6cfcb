"""The exported journal, read by the real hledger, gives fundtrack's pledged, received and spent per project."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from fundtrack import service
from fundtrack.cli.main import main
from tests.conftest import SAMPLE, load_doc

AS_OF = "2025-06-30"


def hledger_balances(journal: Path) -> dict[str, Decimal]:
    out = subprocess.run(
        ["hledger", "-f", str(journal), "balance", "--flat", "-N", "--no-elide", "-e", "2100-01-01"],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "LANG": "C.UTF-8"},
    ).stdout
    balances = {}
    for line in out.splitlines():
        m = re.match(r"^\s*(-?[\d,]+\.\d\d) CNY\s+(\S.*)$", line)
        if m:
            balances[m[2].strip()] = Decimal(m[1].replace(",", ""))
    return balances


def per_project(balances: dict[str, Decimal]) -> dict[str, dict[str, Decimal]]:
    out: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for account, value in balances.items():
        parts = account.split(":")
        if parts[:2] == ["income", "pledged"]:
            out[parts[3]]["pledged"] -= value
        elif parts[0] == "expenses":
            out[parts[2]]["spent"] += value
            out[parts[2]]["received"] += value
        elif parts[:2] == ["assets", "cash"]:
            out[parts[3]]["received"] += value
    return out


@pytest.mark.skipif(shutil.which("hledger") is None and not os.environ.get("CI"), reason="hledger not installed")
@pytest.mark.parametrize("extra", ["", "joint"])
def test_hledger_totals_match_fundtrack(backend: str, config, tmp_path: Path, extra: str) -> None:
    assert shutil.which("hledger"), "CI must install hledger"
    assert main(["--db", backend, "import", *map(str, SAMPLE)]) == 0
    if extra:
        load_doc(
            tmp_path,
            config,
            """
            format = "fundtrack/1"
            [village]
            name = "第二村"
            [[funders]]
            name = "甲: 矿"
            kind = "enterprise"
            [[funders]]
            name = "乙  矿"
            kind = "enterprise"
            [[projects]]
            code = "x"
            name = "X"
            category = "other"
            status = "building"
            [[pledges]]
            project = "x"
            funders = ["甲: 矿", "乙  矿"]
            amount = "0.01元"
            [[receipts]]
            project = "x"
            funder = "乙  矿"
            amount = "1234.56元"
            date = 2024-01-01
        """,
            header=False,
        )
    journal = tmp_path / "j.journal"
    assert main(["--db", backend, "export-journal", "--as-of", AS_OF, "-o", str(journal)]) == 0
    ours = service.load_breakdown(service.Scope(dt.date.fromisoformat(AS_OF)))
    theirs = per_project(hledger_balances(journal))
    for b in ours.projects:
        got = theirs.get(b.project.code, {})
        for key, amount in (("pledged", b.pledged), ("received", b.received), ("spent", b.spent)):
            assert got.get(key, Decimal(0)) == Decimal(amount.fen) / 100, (b.project.code, key)
