"""Several processes writing at once: nothing lost, no lock error shown, edits of a changed record refused."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from fundtrack.io.config import Config
from fundtrack.service.importing import import_files
from fundtrack.storage import models as m
from fundtrack.storage.db import open_database
from tests.conftest import ROOT, SAMPLE

WORKER = textwrap.dedent(
    """
    import datetime as dt, os, sys
    os.environ["FUNDTRACK_NO_USER_CONFIG"] = "1"
    from fundtrack.io.config import load_config
    from fundtrack.service.records import add_record, replace_record
    from fundtrack.ledger.money import parse_amount
    from fundtrack.storage import audit, models as m
    from fundtrack.storage.db import open_database
    target, worker, ops = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    open_database(target)
    options = load_config(use_user_file=False).import_options
    village = m.Village.get().id
    refused = 0
    for i in range(ops):
        if i % 2 == 0:  # an append: a receipt of one fen
            problems = add_record(village, "receipts", {"project": "faao-water", "funder": "上级拨款",
                                  "amount": "0.01元", "date": dt.date(2025, 1, 1), "voucher": f"w{worker}-{i}"},
                                  options, "元", f"worker{worker}")
            assert problems == [], problems
        else:  # a read-then-write: raise the reservoir's budget by one fen, retrying when refused
            while True:
                project = m.Project.get(m.Project.code == "guihua-reservoir")
                seen = audit.snapshot("projects", project.id)  # what the form shows: the figures come from it
                fen = parse_amount(seen["budget"]).fen + 1
                raw = {"code": "guihua-reservoir", "name": seen["name"], "category": "reservoir",
                       "status": seen["status"], "budget": f"{fen // 100}.{fen % 100:02d}元"}
                problems = replace_record(village, "projects", project.id, raw, options, "元", f"w{worker}", seen)
                if not problems:
                    break
                assert problems[0].where == "record", problems
                refused += 1
    print(refused)
    """
)


def run_writers(target: str, writers: int, ops: int) -> list[str]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, target, str(w), str(ops)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(writers)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-2000:]
        assert "locked" not in err
    return [out for out, _ in outputs]


def check(target: str, writers: int, ops: int) -> None:
    open_database(target)
    appends = writers * ((ops + 1) // 2)
    edits = writers * (ops // 2)
    receipts = m.Receipt.select().join(m.Project).where(m.Project.code == "faao-water")
    assert receipts.count() == appends
    assert m.Project.get(m.Project.code == "guihua-reservoir").budget_fen == 1_200_000_000 + edits


@pytest.mark.parametrize(("writers", "ops"), [(2, 40), (8, 10)])
def test_concurrent_writers_lose_nothing(backend: str, config: Config, writers: int, ops: int) -> None:
    import_files([str(SAMPLE[0])], config.import_options)
    run_writers(backend, writers, ops)
    check(backend, writers, ops)


@pytest.mark.slow
@pytest.mark.parametrize("writers", [2, 8])
def test_concurrent_writers_lose_nothing_at_1000_operations(backend: str, config: Config, writers: int) -> None:
    import_files([str(SAMPLE[0])], config.import_options)
    refused = run_writers(backend, writers, 1000)
    check(backend, writers, 1000)
    print(f"{writers} writers x 1000 on {backend.split(':')[0]}: refused-and-retried edits {sum(map(int, refused))}")


def test_only_a_database_other_connections_can_see_is_read_on_several(backend: str) -> None:
    """Worker processes and threads read on their own connections: never inside a transaction
    (they would not see its writes), never an in-memory SQLite database (they would see another)."""
    from fundtrack.storage.db import shareable, write_transaction

    assert shareable()
    with write_transaction():
        assert not shareable()
    assert shareable()
    open_database("sqlite:///:memory:")
    assert not shareable()
    open_database(backend)
