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
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import orjson

from fundtrack.io import reports
from fundtrack.ledger.breakdown import Totals
from fundtrack.ledger.money import ZERO, Amount, money_json
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
    with multiprocessing.get_context("fork").Pool(count, initializer=_init_worker) as pool:
        yield from pool.imap(work, parts)


def _breakdown_part(part: reports.Scope) -> tuple[list[bytes], dict[str, Amount]]:
    """One village's projects as JSON text, and its totals."""
    report = reports.load_breakdown(part)
    texts = [_indented(reports.project_json(b), 2) for b in report.projects]
    t = report.totals
    return texts, {"budget": t.budget, "pledged": t.pledged, "received": t.received, "spent": t.spent}


def breakdown_json_stream(scope: reports.Scope) -> Iterator[bytes]:
    """The breakdown's JSON for a scope, computed village by village (on every core) and written as it comes."""
    sums = {"budget": ZERO, "pledged": ZERO, "received": ZERO, "spent": ZERO}

    def items() -> Iterator[bytes]:
        for texts, totals in map_villages(scope, _breakdown_part):
            for key in sums:
                sums[key] = sums[key] + totals[key]
            yield from texts

    return json_stream(
        {"as_of": scope.as_of.isoformat()},
        "projects",
        items(),
        lambda: {"totals": {k: money_json(v) for k, v in sums.items()}},
    )


class ReconcileStream:
    """Reconcile's JSON, computed village by village (on every core); `ok` is known once it has been written.

    `ok` and `counts` come after `findings` for that reason (JSON objects have no order to rely on).
    """

    def __init__(self, scope: reports.Scope, options: ReconcileOptions, strict: bool = False) -> None:
        self.scope = scope
        self.options = options
        self.strict = strict
        self.ok = True
        self.counts = {"error": 0, "warning": 0, "info": 0}

    def part(self, part: reports.Scope) -> tuple[list[bytes], bool, dict[str, int]]:
        rec = reports.load_reconciliation(part, self.options, self.strict)
        return [_indented(reports.finding_json(f), 2) for f in rec.findings], rec.ok, rec.counts()

    def __iter__(self) -> Iterator[bytes]:
        def items() -> Iterator[bytes]:
            for texts, ok, counts in map_villages(self.scope, self.part):
                self.ok = self.ok and ok
                for key, n in counts.items():
                    self.counts[key] += n
                yield from texts

        return json_stream(
            {"as_of": self.scope.as_of.isoformat()}, "findings", items(), lambda: {"ok": self.ok, "counts": self.counts}
        )


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


def _breakdown_text_part(
    fmt: str, unit: str, language: str, kind_name: Callable[[str], str], part: reports.Scope
) -> Any:
    report = reports.load_breakdown(part)
    if fmt == "csv":
        return reports.csv_lines(reports.breakdown_rows(report.projects, unit)), report.totals
    summary = reports.breakdown_md_summary(report.projects, unit, language)
    return summary, reports.breakdown_md_sections(report.projects, unit, language, kind_name), report.totals


def breakdown_text_stream(
    scope: reports.Scope, fmt: str, unit: str, language: str, kind_name: Callable[[str], str]
) -> Iterator[str]:
    """breakdown_csv or breakdown_markdown of a scope, the same text, village by village."""
    work = functools.partial(_breakdown_text_part, fmt, unit, language, kind_name)
    totals: list[Totals] = []
    if fmt == "csv":
        yield "\ufeff" + reports.csv_lines([reports.breakdown_csv_header(unit)])
        for text, part_totals in map_villages(scope, work):
            totals.append(part_totals)
            yield text
        yield reports.csv_lines([reports.breakdown_total_row(reports.totals_of(totals), unit)])
        return
    yield reports.breakdown_md_head(scope.as_of, unit, language)
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as sections:
        for summary, section, part_totals in map_villages(scope, work):
            totals.append(part_totals)
            sections.write(section)
            yield summary
        yield reports.breakdown_md_totals(reports.totals_of(totals), unit, language)
        sections.seek(0)
        while chunk := sections.read(2**20):
            yield chunk


class FindingsStream:
    """Reconcile's findings as CSV or Markdown (or, for tables, as objects), village by village.

    `ok` and `counts` are known once every village has been read.
    """

    def __init__(self, scope: reports.Scope, options: ReconcileOptions, fmt: str, strict: bool = False) -> None:
        self.scope = scope
        self.options = options
        self.fmt = fmt
        self.strict = strict
        self.ok = True
        self.counts = {"error": 0, "warning": 0, "info": 0}

    def part(self, part: reports.Scope) -> tuple[str, bool, dict[str, int]]:
        rec = reports.load_reconciliation(part, self.options, self.strict)
        if self.fmt == "csv":
            return reports.csv_lines(reports.finding_rows(rec.findings)), rec.ok, rec.counts()
        return reports.findings_md_rows(rec.findings, self.options.language), rec.ok, rec.counts()

    def parts(self) -> Iterator[str]:
        for text, ok, counts in map_villages(self.scope, self.part):
            self._add(ok, counts)
            yield text

    def village(self, part: reports.Scope) -> Reconciliation:
        return reports.load_reconciliation(part, self.options, self.strict)

    def reconciliations(self) -> Iterator[Reconciliation]:
        """Each village's reconciliation, in order (for tables, which the caller renders)."""
        for rec in map_villages(self.scope, self.village):
            self._add(rec.ok, rec.counts())
            yield rec

    def _add(self, ok: bool, counts: dict[str, int]) -> None:
        self.ok = self.ok and ok
        for key, n in counts.items():
            self.counts[key] += n

    def __iter__(self) -> Iterator[str]:
        if self.fmt == "csv":
            yield "\ufeff" + reports.csv_lines([reports.FINDING_COLUMNS])
            yield from self.parts()
            return
        # The Markdown heading gives the counts: the rows wait in a spooled file until they are known.
        with tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as rows:
            for text in self.parts():
                rows.write(text)
            yield reports.findings_md_head(self.scope.as_of, self.ok, self.counts, self.options.language)
            rows.seek(0)
            while chunk := rows.read(2**20):
                yield chunk
