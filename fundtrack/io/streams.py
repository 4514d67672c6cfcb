"""Reports over many villages: each village computed on its own (in worker processes, one per core)
and written as it comes, so that a county's report never sits whole in memory.

The parent closes its connection before the workers fork (a connection must never cross a
fork); each worker opens its own. What must come first but is known only at the end (reconcile's
counts, the breakdown's sections after its summary) waits in a spooled temporary file.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, TypeVar

import orjson

from fundtrack.io import office, reports
from fundtrack.ledger.breakdown import Breakdown, Totals, sum_totals
from fundtrack.ledger.reconcile import ReconcileOptions, Reconciliation
from fundtrack.storage import models as m
from fundtrack.storage.db import shareable

T = TypeVar("T")


def workers_for(parts: int) -> int:
    """How many processes a report over `parts` villages uses: one per core (FUNDTRACK_WORKERS overrides)."""
    wanted = os.environ.get("FUNDTRACK_WORKERS", "")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    count = int(wanted) if wanted.isdigit() and int(wanted) > 0 else cores
    return max(1, min(count, parts))


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """No cyclic garbage collection while a ledger is read: its millions of small objects hold no
    cycles and are freed by reference counting; the collector's passes over them cost a quarter
    of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _init_worker() -> None:
    # Objects made at start-up are never garbage; a report's millions of small acyclic
    # objects are freed by reference counting. Cycle collection only cost time (a third).
    gc.freeze()
    gc.disable()


def map_villages(scope: reports.Scope, work: Callable[[reports.Scope], T]) -> Iterator[T]:
    """work(part) for each village of `scope`, in village order: in worker processes when there are several.

    Villages are independent, so a county's report is computed on every core. The parent's
    connection is closed before the workers fork (a connection must never cross a fork);
    each worker opens its own, and the parent reopens on its next query.
    `work` runs in the worker: it must be a module-level function with a picklable result.
    """
    parts = reports.village_scopes(scope)
    count = workers_for(len(parts))
    if count == 1 or "fork" not in multiprocessing.get_all_start_methods() or not shareable():
        with without_cycle_collection():  # as in the workers, below
            yield from map(work, parts)
        return
    m.database.close()
    with (
        tempfile.TemporaryDirectory(prefix="fundtrack-") as folder,
        multiprocessing.get_context("fork").Pool(count, initializer=_init_worker) as pool,
    ):
        for path in pool.imap(functools.partial(_spooled, work, folder), parts):
            yield _unspooled(path)


def _spooled(work: Callable[[reports.Scope], T], folder: str, part: reports.Scope) -> str:
    """work(part), in a worker, handed to the parent through a file of the private folder.

    A county's report is hundreds of megabytes: through the pool's pipe, each megabyte is
    pickled into the pipe by the worker and read back by the parent while it writes the report
    (measured with 230 MB: 1.6 s of CPU through the pipe, 0.2 s through files in the page cache).
    """
    result = work(part)
    fd, path = tempfile.mkstemp(dir=folder)
    with open(fd, "wb") as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _unspooled(path: str) -> Any:
    with open(path, "rb") as fh:
        result = pickle.load(fh)
    os.unlink(path)
    return result


def _indented(value: Any, depth: int) -> bytes:
    """orjson's indented UTF-8, nested `depth` levels deep (bytes throughout: no decoding and encoding again)."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n" + b"  " * depth)


def json_stream(
    head: dict[str, Any],
    key: str,
    items: Iterable[dict[str, Any] | bytes],
    tail: dict[str, Any] | Callable[[], dict[str, Any]],
) -> Iterator[bytes]:
    """The UTF-8 of dumps({**head, key: list(items), **tail}), written item by item.

    A county's breakdown is hundreds of megabytes of JSON: built whole, it took gigabytes.
    An item may come already rendered, as `_indented(item, 2)` gives it.
    `tail` may be a function, called once the items are written (totals known only then).
    """
    yield b"{\n"
    for k, v in head.items():
        yield b'  "%s": %s,\n' % (k.encode(), _indented(v, 1))
    first = True
    for item in items:
        text = item if isinstance(item, bytes) else _indented(item, 2)
        if first:
            yield b'  "%s": [\n    %s' % (key.encode(), text)
            first = False
        else:
            yield b",\n    " + text
    yield b'  "%s": []' % key.encode() if first else b"\n  ]"
    for k, v in (tail() if callable(tail) else tail).items():
        yield b',\n  "%s": %s' % (k.encode(), _indented(v, 1))
    yield b"\n}\n"


SPOOL_BYTES = 16 * 2**20


def _replay(spool: IO[str]) -> Iterator[str]:
    spool.seek(0)
    while chunk := spool.read(2**20):
        yield chunk


def _breakdown_part(
    fmt: str, unit: str, language: str, kind_name: Callable[[str], str], part: reports.Scope
) -> tuple[Any, Totals]:
    """One village's share of the breakdown, rendered in `fmt`, and its totals."""
    report = reports.load_breakdown(part)
    projects = report.projects
    if fmt == "json":
        return [_indented(reports.project_json(b), 2) for b in projects], report.totals
    if fmt == "csv":
        return reports.csv_lines(reports.breakdown_rows(projects, unit)), report.totals
    if fmt == "xlsx":  # each sheet's rows
        return [list(sheet.rows) for sheet in office.breakdown_sheets(report, unit, language, kind_name)], report.totals
    summary = reports.breakdown_md_summary(projects, unit, language)
    return (summary, reports.breakdown_md_sections(projects, unit, language, kind_name)), report.totals


def breakdown_stream(
    scope: reports.Scope, fmt: str, unit: str, language: str, kind_name: Callable[[str], str]
) -> Iterator[bytes] | Iterator[str]:
    """The breakdown of a scope in JSON (UTF-8 bytes), CSV or Markdown: the text that breakdown_json,
    breakdown_csv and breakdown_markdown give for it, computed and written village by village."""
    parts = map_villages(scope, functools.partial(_breakdown_part, fmt, unit, language, kind_name))
    totals: list[Totals] = []
    if fmt == "json":

        def items() -> Iterator[bytes]:
            for texts, part_totals in parts:
                totals.append(part_totals)
                yield from texts

        def tail() -> dict[str, Any]:
            return {"totals": reports.totals_json(sum_totals(totals))}

        return json_stream({"as_of": scope.as_of.isoformat()}, "projects", items(), tail)
    return _breakdown_text(scope, fmt, unit, language, parts, totals)


def breakdown_workbook(scope: reports.Scope, unit: str, language: str, kind_name: Callable[[str], str]) -> bytes:
    """The breakdown workbook of a scope, written village by village: the same sheets as
    office.breakdown_sheets gives for the whole report, never whole in memory."""
    empty = Breakdown(scope.as_of, [], sum_totals([]))
    sheets = office.breakdown_sheets(empty, unit, language, kind_name)
    parts = map_villages(scope, functools.partial(_breakdown_part, "xlsx", unit, language, kind_name))
    return office.workbook(sheets, (rows for rows, _ in parts))


def _breakdown_text(
    scope: reports.Scope, fmt: str, unit: str, language: str, parts: Iterator[Any], totals: list[Totals]
) -> Iterator[str]:
    if fmt == "csv":
        yield "\ufeff" + reports.csv_lines([reports.breakdown_csv_header(unit)])
        for text, part_totals in parts:
            totals.append(part_totals)
            yield text
        yield reports.csv_lines([reports.breakdown_total_row(sum_totals(totals), unit)])
        return
    yield reports.breakdown_md_head(scope.as_of, unit, language)
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as sections:
        for (summary, section), part_totals in parts:
            totals.append(part_totals)
            sections.write(section)
            yield summary
        yield reports.breakdown_md_totals(sum_totals(totals), unit, language)
        yield from _replay(sections)


class FindingsStream:
    """Reconcile's findings in JSON (UTF-8 bytes), CSV or Markdown, or as each village's
    Reconciliation (for tables), village by village. `ok` and `counts` are known once every
    village has been read: reconcile's JSON therefore has them after `findings`, and the
    Markdown's heading, which gives them, waits for its rows in a spooled file.
    """

    def __init__(
        self,
        scope: reports.Scope,
        options: ReconcileOptions,
        fmt: str,
        strict: bool = False,
        draw: Callable[[Reconciliation], Any] | None = None,
    ) -> None:
        """`draw` (for tables) turns a village's reconciliation into what parts() gives, in the worker."""
        self.scope = scope
        self.options = options
        self.fmt = fmt
        self.strict = strict
        self.draw = draw
        self.ok = True
        self.counts = {"error": 0, "warning": 0, "info": 0}

    def part(self, part: reports.Scope) -> tuple[Any, bool, dict[str, int]]:
        """One village's findings rendered in the stream's format (in a worker)."""
        rec = reports.load_reconciliation(part, self.options, self.strict)
        if self.fmt == "json":
            rendered: Any = [_indented(reports.finding_json(f), 2) for f in rec.findings]
        elif self.fmt == "csv":
            rendered = reports.csv_lines(reports.finding_rows(rec.findings))
        elif self.fmt == "md":
            rendered = reports.findings_md_rows(rec.findings, self.options.language)
        elif self.fmt == "xlsx":
            rendered = [list(office.findings_sheet(rec, self.options.language, self.options.unit).rows)]
        else:
            rendered = self.draw(rec) if self.draw else rec
        return rendered, rec.ok, rec.counts()

    def parts(self) -> Iterator[Any]:
        for rendered, ok, counts in map_villages(self.scope, self.part):
            self.ok = self.ok and ok
            for key, n in counts.items():
                self.counts[key] += n
            yield rendered

    def workbook(self) -> bytes:
        """The findings as a workbook (a stream made with fmt "xlsx"), written village by village."""
        empty = Reconciliation(self.scope.as_of, (), self.strict)
        return office.workbook([office.findings_sheet(empty, self.options.language, self.options.unit)], self.parts())

    def __iter__(self) -> Iterator[Any]:
        if self.fmt == "json":
            items = (text for texts in self.parts() for text in texts)
            tail = lambda: {"ok": self.ok, "counts": self.counts}  # noqa: E731
            yield from json_stream({"as_of": self.scope.as_of.isoformat()}, "findings", items, tail)
        elif self.fmt == "csv":
            yield "\ufeff" + reports.csv_lines([reports.FINDING_COLUMNS])
            yield from self.parts()
        else:
            with tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as rows:
                rows.writelines(self.parts())
                yield reports.findings_md_head(self.scope.as_of, self.ok, self.counts, self.options.language)
                yield from _replay(rows)
