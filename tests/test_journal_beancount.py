"""The exported beancount journal, read by the real bean-check and bean-query, follows the ledger's receipt attribution."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from fundtrack import service
from fundtrack.cli.main import main
from tests.conftest import SAMPLE, load_doc
from tests.test_journal_hledger import AS_OF, SPANNING, expected_receivables, housing_outstanding


def _tool(name: str) -> str | None:
    """The tool on PATH, or installed beside this Python (the dev extra's virtualenv)."""
    beside = Path(sys.executable).parent / name
    return shutil.which(name) or (str(beside) if beside.exists() else None)


BEAN_CHECK, BEAN_QUERY = _tool("bean-check"), _tool("bean-query")
needs_tools = pytest.mark.skipif(
    (BEAN_CHECK is None or BEAN_QUERY is None) and not os.environ.get("CI"), reason="beancount tools not installed"
)

# Each receivable with the name its `open` carries: "village / project / funder".
RECEIVABLES = (
    "SELECT account, open_meta(account, 'name') AS name, sum(number) AS balance"
    " WHERE account ~ '^Assets:Receivable:' GROUP BY account, name ORDER BY account"
)


def bean_receivables(journal: Path) -> dict[tuple[str, str, str], Decimal]:
    out = subprocess.run(
        [str(BEAN_QUERY), "-f", "csv", str(journal), RECEIVABLES],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "LANG": "C.UTF-8"},
    ).stdout
    balances = {}
    for row in csv.DictReader(io.StringIO(out)):
        village, project, funder = row["name"].split(" / ")
        balances[(village, project, funder)] = Decimal(row["balance"].strip() or "0")
    return balances


@needs_tools
def test_beancount_receivables_follow_receipt_attribution(backend: str, config, tmp_path: Path) -> None:
    """Regression: receipts were credited to their sender's own receivable, whatever the ledger attributed."""
    assert BEAN_CHECK and BEAN_QUERY, "CI must install beancount and beanquery (the dev extra)"
    assert main(["--db", backend, "import", *map(str, SAMPLE)]) == 0
    load_doc(tmp_path, config, SPANNING, header=False)
    journal = tmp_path / "j.beancount"
    assert main(["--db", backend, "export-journal", "--as-of", AS_OF, "--format", "beancount", "-o", str(journal)]) == 0
    check = subprocess.run([str(BEAN_CHECK), str(journal)], capture_output=True, text=True)
    assert (check.returncode, check.stdout + check.stderr) == (0, "")

    ours = service.load_breakdown(service.Scope(dt.date.fromisoformat(AS_OF)))
    theirs = {key: value for key, value in bean_receivables(journal).items() if value}
    assert theirs == {key: value for key, value in expected_receivables(ours).items() if value}
    housing = {k[2]: v for k, v in theirs.items() if k[:2] == ("xx彝族村", "housing-1")}
    assert housing == {k: v for k, v in housing_outstanding(ours).items() if v}
    assert housing["打厂沟煤矿+大炭沟煤矿+小河沟煤矿+打磨冲煤矿+xx省兴云煤矿"] == Decimal("4000000.00")
    assert theirs[("第三村", "y", "甲矿+乙矿")] == Decimal("-100.00")
    assert ("第三村", "y", "甲矿") not in theirs  # its pledge is filled: balance 0
