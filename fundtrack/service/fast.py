"""What makes loading fast, in one place: no cycle collection, worker processes, concurrent queries.

The parent closes its connection before the workers fork (a connection must never cross a
fork); each worker opens its own. Figures behind these choices are in benchmarks/README.md.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import gc
import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import peewee

from fundtrack.service.ledger import Scope
from fundtrack.storage import aggregates
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
    """No cyclic garbage collection while a ledger is read or shown: its millions of small objects
    hold no cycles and are freed by reference counting; the collector's passes over them only cost time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def hold() -> None:
    """Freeze what is alive now (a ledger just loaded and kept): the collector's full passes no longer
    walk its millions of objects, which are still freed, by reference counting, when replaced."""
    gc.freeze()


def release() -> None:
    """Let the collector see again what hold() froze (the last ledger, maybe garbage now)."""
    gc.unfreeze()


def _init_worker() -> None:
    # Objects made at start-up are never garbage; a report's millions of small acyclic
    # objects are freed by reference counting. Cycle collection only cost time.
    gc.freeze()
    gc.disable()


def map_parts(parts: list[Scope], work: Callable[[Scope], T]) -> Iterator[T]:
    """work(part) for each part, in order: in worker processes when there are several.

    Villages are independent, so a county's report is computed on every core. The parent's
    connection is closed before the workers fork (a connection must never cross a fork);
    each worker opens its own, and the parent reopens on its next query.
    `work` runs in the worker: it must be picklable (a module-level function or a partial
    of one) with a picklable result.
    """
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


def _spooled(work: Callable[[Scope], T], folder: str, part: Scope) -> str:
    """work(part), in a worker, handed to the parent through a file of the private folder.

    A county's report is hundreds of megabytes: through the pool's pipe, each megabyte would be
    pickled into the pipe by the worker and read back by the parent while it writes the report;
    a file in the page cache costs far less of the parent's time.
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


def fetch_concurrently(queries: list[peewee.Query]) -> list[list[tuple[Any, ...]]]:
    """Every row of each query, the queries run at once, each on a connection of its own thread.

    The drivers let go of the GIL while the database works, so independent GROUP BYs use
    every core (when other connections can see what this one sees: storage.db.shareable).
    """
    if not shareable() or len(queries) < 2:
        return aggregates.fetch_all(queries)

    def fetch(query: peewee.Query) -> list[tuple[Any, ...]]:
        try:
            return aggregates.fetch_all([query])[0]
        finally:
            m.database.close()  # this thread's connection

    with concurrent.futures.ThreadPoolExecutor(len(queries)) as pool:
        return list(pool.map(fetch, queries))
