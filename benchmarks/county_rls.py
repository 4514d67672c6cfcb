"""What a county's row-level security costs: reports as each role against the same without the policies.

    python benchmarks/county_rls.py --size county --runs 3

Starts a throwaway PostgreSQL server (the binaries of /usr/lib/postgresql; as root they run as
the `postgres` user), imports the generated set (benchmarks/generate.py) as its superuser, adds
an admin, an auditor of every village and a committee member of one village, then runs each
report in turn, pair by pair in one run:

- admin (the tables' owner's group: the policies do not apply) against the superuser, the county;
- auditor of every village (the policies apply to every row) against the superuser, the county;
- committee member of one village (its report, the policies narrowing to that village) against
  the superuser's report of the same village (`--village`), no policies involved.

Each command runs in its own process, its output written to a file; we take its wall time and
report medians of each and the median of the paired ratios. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
FT = [PY, "-m", "fundtrack.cli.main"]


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not found:
        sys.exit("county_rls: PostgreSQL server binaries not found under /usr/lib/postgresql")
    return found[-1].parent


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A throwaway PostgreSQL server (trust authentication on 127.0.0.1)."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.base = Path(tempfile.mkdtemp(prefix="fundtrack-rls-"))
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres")
        self.port = _free_port()
        data = self.base / "data"
        init = [str(self.bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        subprocess.run(_as_postgres([*init, "--locale=C.UTF-8", "--no-sync"]), check=True, capture_output=True)
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = [str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.base / "log"), "-w", "-o", options, "start"]
        subprocess.run(_as_postgres(start), check=True, capture_output=True)

    @classmethod
    def running(cls, port: int) -> Server:
        """A server started by an earlier run, left running."""
        server = cls.__new__(cls)
        server.bin, server.port = _pg_bin(), port
        return server

    def url(self, user: str = "postgres", db: str = "county") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{db}"

    def psql(self, sql: str, db: str = "postgres") -> str:
        conninfo = f"host=127.0.0.1 port={self.port} user=postgres dbname={db}"
        out = subprocess.run(
            [str(self.bin / "psql"), conninfo, "-X", "-At", "-c", sql], check=True, capture_output=True
        )
        return out.stdout.decode().strip()

    def stop(self) -> None:
        stop = [str(self.bin / "pg_ctl"), "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_postgres(stop), capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)


def _fundtrack(*args: str) -> None:
    env = {**os.environ, "FUNDTRACK_NO_USER_CONFIG": "1"}
    proc = subprocess.run([*FT, *args], cwd=ROOT, env=env, capture_output=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"county_rls: fundtrack {' '.join(args)}: {proc.stderr.decode().strip()}")


def _timed(*args: str) -> float:
    start = time.perf_counter()
    _fundtrack(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="county", choices=("village", "township", "county"))
    parser.add_argument("--data", type=Path, help="the generated folder (default: made in a temporary folder)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", metavar="PORT", type=int, help="a server this script left running (data, users in)")
    parser.add_argument("--sql", type=int, default=0, metavar="N", help="also N paired runs of the queries alone")
    args = parser.parse_args()
    if args.reuse:
        server = Server.running(args.reuse)
        if args.sql:
            _measure_sql(server, args.sql)
        else:
            _measure(server, args.runs)
        return
    data = args.data
    if data is None or not any(data.glob("*.toml")):
        data = data or Path(tempfile.mkdtemp(prefix="fundtrack-rls-data-"))
        subprocess.run([PY, str(HERE / "generate.py"), args.size, str(data)], check=True)
    files = sorted(str(p) for p in data.glob("*.toml"))
    server = Server()
    try:
        server.psql("CREATE DATABASE county")
        t0 = time.perf_counter()
        _fundtrack("--db", server.url(), "import", *files)
        print(f"import ({len(files)} files) as the superuser: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        village = server.psql("SELECT name FROM village ORDER BY id LIMIT 1", "county")
        _fundtrack("--db", server.url(), "admin", "add-user", "bench_admin", "--role", "admin")
        _fundtrack("--db", server.url(), "admin", "add-user", "bench_auditor", "--role", "auditor")
        _fundtrack(
            "--db", server.url(), "admin", "add-user", "bench_committee", "--role", "committee", "--village", village
        )
        server.psql("VACUUM ANALYZE", "county")
        _measure(server, args.runs)
        if args.sql:
            _measure_sql(server, args.sql)
    finally:
        server.stop()


def _measure(server: Server, runs: int) -> None:
    village = server.psql("SELECT name FROM village ORDER BY id LIMIT 1", "county")
    out = str(Path(tempfile.mkdtemp(prefix="fundtrack-rls-out-")) / "report.json")
    reports = {"breakdown": ["report", "breakdown"], "reconcile": ["reconcile"]}
    pairs = {
        "admin, county": (["--db", server.url("bench_admin")], ["--db", server.url()]),
        "auditor of every village, county": (["--db", server.url("bench_auditor")], ["--db", server.url()]),
        "committee, its village": (
            ["--db", server.url("bench_committee")],
            ["--db", server.url(), "--village", village],
        ),
    }
    as_of = ["--as-of", "2026-01-01", "--format", "json", "-o", out]
    for cmd in reports.values():  # warm the server's cache and the page cache once
        _fundtrack("--db", server.url(), *cmd, *as_of)
    times: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    for run in range(runs):
        for what, cmd in reports.items():
            for who, (with_rls, without) in pairs.items():
                if run % 2:  # each first in turn: a drift of the machine's load falls on both
                    b = _timed(*without, *cmd, *as_of)
                    a = _timed(*with_rls, *cmd, *as_of)
                else:
                    a = _timed(*with_rls, *cmd, *as_of)
                    b = _timed(*without, *cmd, *as_of)
                mine = times.setdefault((what, who), ([], []))
                mine[0].append(a)
                mine[1].append(b)
                print(f"run {run + 1}: {what} as {who}: {a:.2f} s with, {b:.2f} s without", file=sys.stderr)
    print("| report | as | with the policies, median s | without, median s | paired ratio (median) |")
    print("|---|---|---:|---:|---:|")
    for (what, who), (with_rls, without) in times.items():
        ratio = statistics.median(a / b for a, b in zip(with_rls, without, strict=True))
        print(
            f"| {what} | {who} | {statistics.median(with_rls):.2f} | {statistics.median(without):.2f} | {ratio:.3f} |"
        )


# A village's heaviest GROUP BYs as storage/aggregates.py writes them (receipts and pledges through
# their project, hires through their enterprise): what the policies add to, server side only.
QUERIES = {
    "receipts by project and funder": "SELECT r.project_id, r.funder_id, SUM(r.amount_fen), COUNT(r.id) FROM receipt r "
    "JOIN project p ON r.project_id = p.id WHERE NOT r.voided AND r.date <= '2026-01-01' AND NOT p.voided "
    "AND p.village_id = {v} GROUP BY 1, 2 ORDER BY 1, 2",
    "pledges by project, funder and form": "SELECT l.project_id, l.funder_id, l.form, SUM(l.amount_fen) FROM pledge l "
    "JOIN project p ON l.project_id = p.id WHERE NOT l.voided AND NOT p.voided AND p.village_id = {v} GROUP BY 1, 2, 3",
    "hires by enterprise and role": "SELECT h.enterprise_id, h.role, COUNT(*) FROM hire h JOIN enterprise e "
    "ON h.enterprise_id = e.id WHERE NOT h.voided AND e.village_id = {v} GROUP BY 1, 2",
}


def _execution_ms(server: Server, user: str, sql: str) -> float:
    conninfo = f"host=127.0.0.1 port={server.port} user={user} dbname=county"
    explain = f"EXPLAIN (ANALYZE, TIMING OFF) {sql}"
    out = subprocess.run(
        [str(server.bin / "psql"), conninfo, "-X", "-At", "-c", explain], check=True, capture_output=True
    )
    line = next(ln for ln in out.stdout.decode().splitlines() if ln.startswith("Execution Time:"))
    return float(line.split()[2])


def _measure_sql(server: Server, runs: int) -> None:
    """Each query's execution time (EXPLAIN ANALYZE) as each role and as the superuser, in turn."""
    village = int(server.psql("SELECT id FROM village ORDER BY id LIMIT 1", "county"))
    users = {"committee, its village": "bench_committee", "auditor of every village": "bench_auditor"}
    print("| query (one village) | as | with the policies, median ms | without, median ms | paired ratio (median) |")
    print("|---|---|---:|---:|---:|")
    for name, template in QUERIES.items():
        sql = template.format(v=village)
        for who, user in users.items():
            _execution_ms(server, user, sql)  # warm
            pairs = []
            for run in range(runs):
                order = (user, "postgres") if run % 2 == 0 else ("postgres", user)
                got = {u: _execution_ms(server, u, sql) for u in order}
                pairs.append((got[user], got["postgres"]))
            ratio = statistics.median(a / b for a, b in pairs)
            with_ms = statistics.median(a for a, _ in pairs)
            without_ms = statistics.median(b for _, b in pairs)
            print(f"| {name} | {who} | {with_ms:.1f} | {without_ms:.1f} | {ratio:.3f} |")


if __name__ == "__main__":
    main()
