"""An import killed with SIGKILL at a random moment leaves the store as it was (or wholly imported), never half."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fundtrack.io.config import Config
from fundtrack.service.importing import import_files
from fundtrack.storage import models as m
from fundtrack.storage.db import database, open_database
from fundtrack.storage.integrity import check_integrity
from tests.conftest import ROOT, SAMPLE

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import SIZES, village_file  # noqa: E402


def counts() -> tuple[int, int, int]:
    return m.Receipt.select().count(), m.Pledge.select().count(), m.Hire.select().count()


def kill_imports(target: str, tmp_path: Path, runs: int, seed: int) -> tuple[int, int]:
    """Start `runs` imports and kill each at a random moment; (killed before commit, finished)."""
    big = tmp_path / "big.toml"
    big.write_text(village_file(7, SIZES["township"], seed=3), encoding="utf-8")
    rnd = random.Random(seed)
    env = {**os.environ, "FUNDTRACK_NO_USER_CONFIG": "1"}
    cmd = [sys.executable, "-m", "fundtrack.cli.main", "--db", target, "import", str(big)]
    start = time.perf_counter()
    subprocess.run(cmd + ["--dry-run"], env=env, cwd=ROOT, capture_output=True, check=True)
    full = time.perf_counter() - start
    untouched = finished = 0
    open_database(target)
    before = counts()
    for _ in range(runs):
        database.close()
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0, full * 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        open_database(target)
        now = counts()
        if now == before:
            untouched += 1
        else:
            # It got to COMMIT: then every record is there, and the next run must fail on the names.
            assert now[0] - before[0] == 4000 and now[2] - before[2] == 1800, (before, now)
            finished += 1
            before = now
        assert check_integrity() == []
    return untouched, finished


@pytest.mark.parametrize("runs", [4])
def test_killed_imports_leave_no_partial_import(backend: str, config: Config, tmp_path: Path, runs: int) -> None:
    import_files([str(SAMPLE[0])], config.import_options)
    untouched, finished = kill_imports(backend, tmp_path, runs, seed=11)
    assert untouched + finished == runs


@pytest.mark.slow
def test_killed_imports_many_times(backend: str, config: Config, tmp_path: Path) -> None:
    import_files([str(SAMPLE[0])], config.import_options)
    runs = 100 if backend.endswith(".db") else 30
    untouched, finished = kill_imports(backend, tmp_path, runs, seed=5)
    print(f"{backend.split(':')[0]}: {runs} kills, {untouched} left untouched, {finished} completed, 0 partial")
    assert untouched + finished == runs
