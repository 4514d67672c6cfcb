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
from fundtrack.ledger.breakdown import Breakdown
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


# A receipt that spans two lines: 甲矿's 300元 fill its own 100元 pledge and 200元 of the
# joint one; 乙矿's 400元 fill the joint pledge's last 300元 and leave 100元 over on it.
SPANNING = """
format = "fundtrack/1"
[village]
name = "第三村"
[[funders]]
name = "甲矿"
kind = "enterprise"
[[funders]]
name = "乙矿"
kind = "enterprise"
[[projects]]
code = "y"
name = "Y"
category = "other"
status = "building"
[[pledges]]
project = "y"
funder = "甲矿"
amount = "100元"
[[pledges]]
project = "y"
funders = ["甲矿", "乙矿"]
amount = "500元"
[[receipts]]
project = "y"
funder = "甲矿"
amount = "300元"
date = 2024-01-01
[[receipts]]
project = "y"
funder = "乙矿"
amount = "400元"
date = 2024-02-01
"""


def expected_receivables(breakdown: Breakdown) -> dict[tuple[str, str, str], Decimal]:
    """(village, project, funder or joint members joined by "+") -> what the ledger says its receivable holds.

    A cash line's receivable is debited with its pledge and credited with the receipts the
    ledger attributes to it: what it still expects (outstanding), less any excess.
    """
    out: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for b in breakdown.projects:
        for ln in b.by_funder:
            pledged = ln.pledged.fen if ln.form == "cash" else 0
            if ln.form == "cash" or ln.received.fen:
                key = (b.project.village, b.project.code, "+".join(ln.funders))
                out[key] += Decimal(pledged - ln.received.fen) / 100
    return dict(out)


def housing_outstanding(breakdown: Breakdown) -> dict[str, Decimal]:
    """What each funder (or joint group) still owes housing-1, as the breakdown says."""
    (b,) = [b for b in breakdown.projects if b.project.code == "housing-1"]
    return {"+".join(ln.funders): Decimal(ln.outstanding.fen) / 100 for ln in b.by_funder if ln.form == "cash"}


@pytest.mark.skipif(shutil.which("hledger") is None and not os.environ.get("CI"), reason="hledger not installed")
def test_hledger_receivables_follow_receipt_attribution(backend: str, config, tmp_path: Path) -> None:
    """Regression: receipts were credited to their sender's own receivable, whatever the ledger attributed."""
    assert shutil.which("hledger"), "CI must install hledger"
    assert main(["--db", backend, "import", *map(str, SAMPLE)]) == 0
    load_doc(tmp_path, config, SPANNING, header=False)
    journal = tmp_path / "j.journal"
    assert main(["--db", backend, "export-journal", "--as-of", AS_OF, "-o", str(journal)]) == 0
    ours = service.load_breakdown(service.Scope(dt.date.fromisoformat(AS_OF)))
    theirs: dict[tuple[str, str, str], Decimal] = {}
    for account, value in hledger_balances(journal).items():
        parts = account.split(":")
        if parts[:2] == ["assets", "receivable"]:
            theirs[(parts[2], parts[3], parts[4])] = value
    expected = {key: value for key, value in expected_receivables(ours).items() if value}
    assert theirs == expected
    housing = {k[2]: v for k, v in theirs.items() if k[:2] == ("xx彝族村", "housing-1")}
    assert housing == {k: v for k, v in housing_outstanding(ours).items() if v}
    assert housing["打厂沟煤矿+大炭沟煤矿+小河沟煤矿+打磨冲煤矿+xx省兴云煤矿"] == Decimal("4000000.00")
    assert theirs[("第三村", "y", "甲矿+乙矿")] == Decimal("-100.00")
    assert ("第三村", "y", "甲矿") not in theirs  # its pledge is filled: balance 0
