"""Spreadsheet import: openpyxl (read-only) against python-calamine as the reader, and a workbook import
against the same records from a fundtrack/1 TOML file, on one 100,000-row workbook.

    python benchmarks/sheets.py [--rows 100000] [--dir /tmp/fundtrack-sheets-bench]

Each measurement runs in a child process of its own: wall time, and peak memory as the child's
maximum resident set (ru_maxrss). python-calamine is measured when it is installed
(`pip install python-calamine`); fundtrack does not depend on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAD = 'format = "fundtrack/1"\n\n[village]\nname = "基准村"\n'
BASE = """
[[funders]]
name = "上级拨款"
kind = "upper_grant"

[[funders]]
name = "县财政"
kind = "local_finance"
"""


def _rows(n: int):
    start = dt.date(2020, 1, 1)
    for i in range(n):
        yield (f"p-{i % 50}", "上级拨款" if i % 3 else "县财政", 1000 + (i % 997) * 37 + (i % 100) / 100,
               start + dt.timedelta(days=i % 1800), f"记-{i}")  # fmt: skip


def generate(folder: Path, rows: int) -> tuple[Path, Path, Path]:
    """The base file (village, funders, projects), the receipts as a workbook, and the same as TOML."""
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    base = folder / "base.toml"
    projects = "".join(
        f'\n[[projects]]\ncode = "p-{i}"\nname = "项目{i}"\ncategory = "road"\nstatus = "building"\n' for i in range(50)
    )
    base.write_text(HEAD + BASE + projects, encoding="utf-8")
    book = folder / f"receipts-{rows}.xlsx"
    if not book.exists():
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("到位")
        ws.append(["项目", "出资方", "金额（元）", "日期", "凭证号"])
        for row in _rows(rows):
            ws.append(list(row))
        wb.save(book)
    toml = folder / f"receipts-{rows}.toml"
    if not toml.exists():
        with toml.open("w", encoding="utf-8") as fh:
            fh.write(HEAD)
            for project, funder, amount, date, voucher in _rows(rows):
                fh.write(
                    f'\n[[receipts]]\nproject = "{project}"\nfunder = "{funder}"\namount = "{amount:.2f}元"\n'
                    f'date = {date.isoformat()}\nvoucher = "{voucher}"\n'
                )
    return base, book, toml


def read_openpyxl(path: str) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return n


def read_calamine(path: str) -> int:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(path)
    return sum(1 for _ in wb.get_sheet_by_index(0).iter_rows())


def read_fundtrack(path: str) -> int:
    from fundtrack.io.sheets import reader

    return sum(len(s.rows) for s in reader.read(path))


def child(what: str, path: str) -> None:
    n = {"openpyxl": read_openpyxl, "calamine": read_calamine, "fundtrack-reader": read_fundtrack}[what](path)
    print(n)


def measure(argv: list[str]) -> tuple[float, float, str]:
    """Seconds, peak MB and standard output of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of the children is the largest of them so far: each step is run largest-last or alone.
    return seconds, max(peak, before) / 1024, proc.stdout + proc.stderr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--dir", default="/tmp/fundtrack-sheets-bench")
    args = ap.parse_args()
    folder = Path(args.dir)
    base, book, toml = generate(folder, args.rows)
    fundtrack = [sys.executable, "-m", "fundtrack.cli.main"]
    print(
        f"{args.rows:,} receipts; workbook {book.stat().st_size / 1e6:.1f} MB, TOML {toml.stat().st_size / 1e6:.1f} MB"
    )
    print("| what | s | rows/s | peak MB |")
    print("|---|---:|---:|---:|")
    steps: list[tuple[str, list[str]]] = []
    try:
        import python_calamine  # noqa: F401

        steps.append(("read: python-calamine", [sys.executable, __file__, "--child", "calamine", str(book)]))
    except ImportError:
        print("| read: python-calamine | not installed | | |")
    steps += [
        ("read: openpyxl read-only", [sys.executable, __file__, "--child", "openpyxl", str(book)]),
        (
            "read: fundtrack's reader (python-calamine + XML scan)",
            [sys.executable, __file__, "--child", "fundtrack-reader", str(book)],
        ),
    ]
    for db, source, label in (
        (folder / "toml.db", toml, "import: TOML"),
        (folder / "xlsx.db", book, "import: workbook"),
    ):
        for leftover in folder.glob(db.name + "*"):
            leftover.unlink()
        subprocess.run([*fundtrack, "--db", str(db), "import", str(base)], check=True, capture_output=True, cwd=ROOT)
        steps.append((label, [*fundtrack, "--db", str(db), "import", str(source)]))
    for label, argv in steps:
        # A fresh parent per step, so that ru_maxrss is this step's own.
        out = subprocess.run(
            [sys.executable, __file__, "--one", *argv], capture_output=True, text=True, cwd=ROOT, check=True
        ).stdout.split()
        seconds, peak = float(out[0]), float(out[1])
        print(f"| {label} | {seconds:.2f} | {args.rows / seconds:,.0f} | {peak:.0f} |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "--one":
        s, mb, _ = measure(sys.argv[2:])
        print(s, mb)
    else:
        os.environ.setdefault("PYTHONHASHSEED", "0")
        main()
