"""Measure fundtrack against its baselines, side by side in one run, and write benchmarks/README.md.

    python benchmarks/run.py                      # village and township, 5 runs each
    python benchmarks/run.py --sizes county --runs 3

Each command runs in its own process; we take its wall time and peak RSS (wait4),
and report medians. Baselines in the same run: a raw sqlite3 GROUP BY over the same
database (the floor), `ledger` and `hledger` balance on the exported journal (the
peers), and a bare Textual app with one DataTable (for start-up).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
PY = sys.executable
FT = [PY, "-m", "fundtrack.cli.main"]
# fundtrack is measured as a village installs it, without the `postgres` extra that the
# development environment running this script has: psycopg cannot be imported (peewee
# imports it at start-up whenever it can).
WITHOUT_POSTGRES = DATA / "without-postgres"

RAW_QUERY = r"""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = 0
for sql in (
    "SELECT p.project_id, p.funder_id, p.form, SUM(p.amount_fen), COUNT(*) FROM pledge p WHERE NOT p.voided GROUP BY 1, 2, 3",
    "SELECT r.project_id, r.funder_id, SUM(r.amount_fen), COUNT(*) FROM receipt r WHERE NOT r.voided GROUP BY 1, 2",
    "SELECT e.project_id, SUM(e.amount_fen), COUNT(*) FROM expense e WHERE NOT e.voided GROUP BY 1",
    "SELECT h.enterprise_id, h.role, COUNT(*) FROM hire h WHERE NOT h.voided AND h.start <= '2026-01-01' AND (h.end IS NULL OR h.end > '2026-01-01') GROUP BY 1, 2",
):
    for row in db.execute(sql):
        rows += 1
print(rows)
"""


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (worker processes included), in MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)  # fields[1]: the parent's pid
        rss[pid] = int(fields[21])  # resident pages
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(cmd: list[str], stdout: Path | None = None) -> tuple[float, float, float, int]:
    """Wall seconds, peak RSS in MB (summed over the process and its workers), CPU seconds, exit code."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    env = {**os.environ, "FUNDTRACK_NO_USER_CONFIG": "1", "LANG": "C.UTF-8", "PYTHONPATH": str(WITHOUT_POSTGRES)}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if stdout:
        out.close()  # type: ignore[union-attr]
    rss = max(usage.ru_maxrss / 1024, peak[0])
    return seconds, rss, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


Row = tuple[str, float, float, float]  # name, median wall s, peak MB, median CPU s


def median_of(
    runs: int, cmd: list[str], stdout: Path | None = None, ok: tuple[int, ...] = (0,)
) -> tuple[float, float, float]:
    results = [measure(cmd, stdout) for _ in range(runs)]
    bad = [r[3] for r in results if r[3] not in ok]
    if bad:
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {bad[0]}")
    return (
        statistics.median(r[0] for r in results),
        max(r[1] for r in results),
        statistics.median(r[2] for r in results),
    )


def bench_size(size: str, runs: int) -> list[Row]:
    sys.path.insert(0, str(HERE))
    from generate import SIZES, generate

    folder = DATA / size
    files = [str(p) for p in generate(size, folder)]
    db = DATA / f"{size}.db"
    rows: list[Row] = []

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)

    import_runs = 1 if size == "county" else runs
    results = []
    for _ in range(import_runs):
        fresh()
        result = measure([*FT, "--db", str(db), "import", *files])
        assert result[3] == 0, "import failed"
        results.append(result)
    records = sum(1 for f in files for line in open(f, encoding="utf-8") if line.startswith("[["))
    seconds = statistics.median(r[0] for r in results)
    rows.append(
        (
            f"import ({records:,} records: {records / seconds:,.0f} records/s)",
            seconds,
            max(r[1] for r in results),
            statistics.median(r[2] for r in results),
        )
    )

    rows.append(("raw sqlite3 GROUP BY (floor)", *median_of(runs, [PY, "-c", RAW_QUERY, str(db)])))
    as_of = "2026-01-01"
    reports = (
        ("report breakdown --format json", ["report", "breakdown", "--format", "json", "--as-of", as_of]),
        ("reconcile --format json", ["reconcile", "--format", "json", "--as-of", as_of]),
        ("report quotas --format json", ["report", "quotas", "--format", "json", "--as-of", as_of]),
    )
    for workers in ("", "1"):
        # Worker processes only matter with several villages: the village set has one.
        if workers and size == "village":
            continue
        os.environ["FUNDTRACK_WORKERS"] = workers
        suffix = ", one process" if workers else ""
        for name, args in reports[: 2 if workers else 3]:
            # reconcile exits 1 when it finds errors, as generated data has
            cmd = [*FT, "--db", str(db), *args]
            rows.append((name + suffix, *median_of(runs, cmd, DATA / "out.json", ok=(0, 1))))
    del os.environ["FUNDTRACK_WORKERS"]

    # The other commands that read a whole county: their memory (peak MB) is what matters.
    journal = DATA / f"{size}.journal"
    slow_runs = 1 if size == "county" else runs
    for name, args in (
        ("export-journal (hledger)", ["export-journal", "--as-of", as_of, "-o", str(journal)]),
        ("report breakdown --format xlsx", ["report", "breakdown", "--format", "xlsx", "--as-of", as_of]),
        ("report findings --format xlsx", ["report", "findings", "--format", "xlsx", "--as-of", as_of]),
    ):
        out = ["-o", str(DATA / "out.xlsx")] if "xlsx" in args else []
        rows.append((name, *median_of(slow_runs, [*FT, "--db", str(db), *args, *out])))
    for tool in ("ledger", "hledger"):
        if shutil.which(tool):
            rows.append(
                (f"{tool} -f journal balance (peer)", *median_of(slow_runs, [tool, "-f", str(journal), "balance"]))
            )

    rows.append(
        ("bare Textual app, one DataTable", *median_of(runs, [PY, str(HERE / "app_start.py"), "bare", str(db)]))
    )
    app = [PY, str(HERE / "app_start.py"), "fundtrack", str(db)]
    rows.append(("fundtrack app to first dashboard", *median_of(runs, app)))
    os.environ["FUNDTRACK_BENCH_FULL"] = "1"
    rows.append(("fundtrack app until every finding is in", *median_of(runs, app)))
    del os.environ["FUNDTRACK_BENCH_FULL"]
    del SIZES
    return rows


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", nargs="+", default=["village", "township"], choices=["village", "township", "county"]
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path, default=HERE / "README.md", help="results file (README section)")
    args = parser.parse_args()
    WITHOUT_POSTGRES.mkdir(parents=True, exist_ok=True)
    (WITHOUT_POSTGRES / "psycopg.py").write_text('raise ImportError("not installed")\n', encoding="utf-8")
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    lines = [
        "# fundtrack benchmarks",
        "",
        "Regenerate with `python benchmarks/run.py --sizes village township county --runs 3`",
        "(data made by `benchmarks/generate.py`, seeded; the county set takes a few minutes).",
        "",
        f"Machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}; "
        f"run {dt.date.today().isoformat()}; medians of {args.runs} runs",
        "(on the county set, import, the peers, `export-journal` and the workbooks: 1 run).",
        "Peak MB sums the process and its worker processes; CPU s is user + system time of them all.",
        "fundtrack runs as installed without the `postgres` extra (psycopg), as a village's SQLite store is.",
        "Reports over several villages use one worker process per core; the `one process` rows",
        "set `FUNDTRACK_WORKERS=1`.",
        "",
    ]
    for size in args.sizes:
        rows = bench_size(size, args.runs)
        floor = next(r[1] for r in rows if r[0].startswith("raw sqlite3"))
        ledger = next((r[1] for r in rows if r[0].startswith("ledger ")), 0.0)
        hledger = next((r[1] for r in rows if r[0].startswith("hledger ")), 0.0)
        bare = next(r[1] for r in rows if r[0].startswith("bare"))
        lines += [
            f"## {size}",
            "",
            "| command | median s | CPU s | peak MB | vs raw query | ledger ÷ this | hledger ÷ this |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, seconds, rss, cpu_s in rows:
            extra = ["", "", ""]
            if name.startswith(("report", "reconcile")) and "xlsx" not in name:
                extra = [
                    ratio(seconds, floor),
                    ratio(ledger, seconds) if ledger else "—",
                    ratio(hledger, seconds) if hledger else "—",
                ]
            if name.startswith("fundtrack app"):
                extra = [f"{seconds / bare:.2f}× the bare app", "", ""]
            lines.append(f"| {name} | {seconds:.2f} | {cpu_s:.2f} | {rss:.0f} | " + " | ".join(extra) + " |")
        lines.append("")
        print("\n".join(lines[-len(rows) - 3 :]), flush=True)
    write_results(args.write, "\n".join(lines) + "\n")


BEGIN, END = "<!-- results: written by benchmarks/run.py -->", "<!-- end of results -->"


def write_results(path: Path, results: str) -> None:
    """Put the results between the markers of `path`, keeping what is written around them by hand."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
    else:
        head, tail = "", ""
    path.write_text(f"{head}{BEGIN}\n{results}{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
