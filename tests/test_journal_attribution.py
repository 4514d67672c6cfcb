"""The journal credits each receipt to the lines the ledger's facts attribute it to, whatever the records hold."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from fundtrack.cli.main import main
from fundtrack.ledger.breakdown import Attribution
from fundtrack.ledger.facts import counts_on
from fundtrack.ledger.money import format_yuan
from fundtrack.storage import aggregates, queries, writes
from fundtrack.storage import models as m
from tests.conftest import SAMPLE, load_doc

AS_OF = "2025-06-30"

# 甲矿's two cash pledges are one line; its pledge dated after AS_OF does not count yet;
# 乙矿's only pledge is a joint one in kind (what it sends stays on that line), while
# 丙矿's own one in kind comes before that joint one; 村民 pays more than its levy;
# 丁矿 pledged nothing; project w is voided with its joint pledge.
EDGES = """
format = "fundtrack/1"
[village]
name = "第四村"
[[funders]]
name = "甲矿"
kind = "enterprise"
[[funders]]
name = "乙矿"
kind = "enterprise"
[[funders]]
name = "丙矿"
kind = "enterprise"
[[funders]]
name = "丁矿"
kind = "enterprise"
[[funders]]
name = "村民"
kind = "villagers"
[[projects]]
code = "z"
name = "Z"
category = "other"
status = "building"
[[projects]]
code = "w"
name = "W"
category = "other"
status = "building"
[[pledges]]
project = "z"
funder = "甲矿"
amount = "100元"
[[pledges]]
project = "z"
funder = "甲矿"
amount = "50元"
[[pledges]]
project = "z"
funder = "甲矿"
amount = "1000元"
date = 2030-01-01
[[pledges]]
project = "z"
funder = "甲矿"
form = "land"
amount = "20元"
[[pledges]]
project = "z"
funders = ["乙矿", "丙矿"]
form = "land"
[[pledges]]
project = "z"
funder = "丙矿"
form = "labour"
[[pledges]]
project = "w"
funders = ["甲矿", "乙矿"]
amount = "100元"
[[levies]]
project = "z"
funder = "村民"
per_household = "10元"
households = 3
[[receipts]]
project = "z"
funder = "甲矿"
amount = "120元"
date = 2024-01-01
[[receipts]]
project = "z"
funder = "丁矿"
amount = "10元"
date = 2024-01-02
[[receipts]]
project = "z"
funder = "甲矿"
amount = "100元"
date = 2024-02-01
[[receipts]]
project = "z"
funder = "乙矿"
amount = "30元"
date = 2024-02-02
[[receipts]]
project = "z"
funder = "村民"
amount = "40元"
date = 2024-02-03
household = "张三"
[[receipts]]
project = "z"
funder = "丙矿"
amount = "5元"
date = 2024-02-04
[[receipts]]
project = "w"
funder = "乙矿"
amount = "50元"
date = 2024-03-01
"""


def journal_credits(journal: Path) -> list[list[tuple[str, str]]]:
    """Each receipt's receivable postings in an hledger journal: (funder part, amount), in journal order."""
    out: list[list[tuple[str, str]]] = []
    receipt = False
    for line in journal.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", ";")):
            receipt = " receipt " in line
            if receipt:
                out.append([])
        elif receipt and line.startswith("    assets:receivable:"):
            account, amount = line.strip().split("  ")
            out[-1].append((account.split(":")[4], amount.removesuffix(" CNY")))
    return out


def credits_from_facts(as_of: dt.date) -> list[list[tuple[str, str]]]:
    """Each receipt's credits as the breakdown's facts attribute them, village by village."""
    out: list[list[tuple[str, str]]] = []
    for village in m.Village.select().order_by(m.Village.name):
        facts = aggregates.ledger_facts(as_of, village.id)
        code_of = {p.id: p.code for p in facts.projects}
        pledges, levies = defaultdict(list), defaultdict(list)
        for pf in facts.pledges:
            pledges[code_of[pf.project_id]].append(pf)
        for lf in facts.levies:
            levies[code_of[lf.project_id]].append(lf)
        receipts = [r for r in queries.records(village.id)["receipts"] if counts_on(r["date"], as_of)]
        credits: list[list[tuple[str, str]]] = [[] for _ in receipts]
        by_project: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(receipts):
            by_project[r["project"]].append(i)
        for code, indices in by_project.items():
            attribution = Attribution(pledges[code], levies[code], {})
            for i in sorted(indices, key=lambda i: receipts[i]["funder"]):
                fen: dict[str, int] = {}
                for line, part in attribution.receive(receipts[i]["funder"], "", receipts[i]["amount"]):
                    fen["+".join(line.funders)] = fen.get("+".join(line.funders), 0) + part
                credits[i] = [(name, format_yuan(-f)) for name, f in fen.items()]
        out += credits
    return out


def test_journal_credits_receipts_as_the_ledger_facts_attribute_them(backend: str, config, tmp_path: Path) -> None:
    """Regression guard: the journal sums the pledges and levies it attributes to from its own records."""
    assert main(["--db", backend, "import", *map(str, SAMPLE)]) == 0
    load_doc(tmp_path, config, EDGES, header=False)
    (w,) = m.Project.select().where(m.Project.code == "w")
    writes.void("projects", w.id)
    journal = tmp_path / "j.journal"
    assert main(["--db", backend, "export-journal", "--as-of", AS_OF, "-o", str(journal)]) == 0
    ours = journal_credits(journal)
    assert ours == credits_from_facts(dt.date.fromisoformat(AS_OF))
    edges = ours[-7:]
    assert edges == [
        [("甲矿", "-120.00")],
        [("丁矿", "-10.00")],
        [("甲矿", "-100.00")],  # 30元 fill the 150元 line, 70元 stay on it as an excess
        [("乙矿+丙矿", "-30.00")],
        [("村民", "-40.00")],
        [("丙矿", "-5.00")],
        [("乙矿", "-50.00")],  # the voided project's joint pledge is not a line
    ]
