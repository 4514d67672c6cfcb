"""Two measurements for the write lock and problem reports: how long an import of a township
village file holds the write lock, and how long checking a file with 5,000 misspelt links takes.

    python benchmarks/races.py [--township DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from fundtrack.io.fundfile import DEFAULT_OPTIONS, Known, check_document
from fundtrack.service import importing
from fundtrack.storage import db

PROJECTS = 1_000


def misspelt_file(links: int = 5_000) -> str:
    """A file of PROJECTS projects and `links` receipts each naming a project that is not there."""
    out = ['format = "fundtrack/1"', "[village]", 'name = "错字村"', "[[funders]]", 'name = "乡政府"', 'kind = "other"']
    for i in range(PROJECTS):
        out += [
            "[[projects]]",
            f'code = "p{i:05d}"',
            f'name = "道路硬化第{i}段工程"',
            'category = "road"',
            'status = "planned"',
        ]
    for i in range(links):
        out += [
            "[[receipts]]",
            f'project = "p{(i * 7919) % PROJECTS:05d}x"',
            'funder = "乡政府"',
            'amount = "1234.50"',
            "date = 2024-03-01",
            f'note = "第{i}笔到账, 凭证号 {i:08d}, 经办人签字"',
        ]
    return "\n".join(out) + "\n"


def time_misspelt() -> tuple[float, float, int, int]:
    text = misspelt_file()
    start, cpu = time.perf_counter(), time.process_time()
    checked = check_document("misspelt.toml", text, lambda _: Known(), DEFAULT_OPTIONS)
    return time.perf_counter() - start, time.process_time() - cpu, len(text.encode()), len(checked.problems)


@contextlib.contextmanager
def timed_lock(held: list[float]) -> Iterator[None]:
    original = db.write_transaction

    @contextlib.contextmanager
    def timing() -> Iterator[None]:
        start = time.perf_counter()
        with original():
            yield
        held.append(time.perf_counter() - start)

    importing.write_transaction = timing  # type: ignore[assignment]
    try:
        yield
    finally:
        importing.write_transaction = original  # type: ignore[assignment]


def time_import(paths: list[Path]) -> tuple[float, float]:
    """Seconds for the whole import and seconds the write lock was held, into a new SQLite store."""
    from fundtrack.storage.migrations import migrate

    with tempfile.TemporaryDirectory() as tmp:
        db.open_database(str(Path(tmp) / "t.db"))
        migrate()
        held: list[float] = []
        with timed_lock(held):
            start = time.perf_counter()
            importing.import_files([str(p) for p in paths], DEFAULT_OPTIONS)
            total = time.perf_counter() - start
        db.database.close()
    return total, sum(held)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--township", type=Path, help="a folder made by `generate.py township DIR`")
    parser.add_argument("--no-misspelt", action="store_true", help="skip the misspelt-links check")
    args = parser.parse_args()
    if not args.no_misspelt:
        seconds, cpu, size, problems = time_misspelt()
        print(f"check, {size / 1e6:.2f} MB, {problems} misspelt links: {seconds:.2f} s ({cpu:.2f} s CPU)")
    if args.township:
        paths = sorted(args.township.glob("*.toml"))
        total, held = time_import(paths)
        print(f"import {len(paths)} files: {total:.2f} s in all, write lock held {held:.2f} s")


if __name__ == "__main__":
    main()
