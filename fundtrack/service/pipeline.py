"""A report of a scope in one format, for the command line and the app alike.

Each village is loaded and rendered on its own (in worker processes, one per core) and written as
it comes, so that a county's report never sits whole in memory."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from fundtrack.io import committee
from fundtrack.io.outputs import FORMATS, Chunk, Format, Style, Tally
from fundtrack.ledger.reconcile import ReconcileOptions
from fundtrack.service import fast
from fundtrack.service.ledger import (
    Scope,
    load_breakdown,
    load_ledger,
    load_levies,
    load_quotas,
    load_reconciliation,
    village_scopes,
)


def _load(what: str, scope: Scope, style: Style, strict: bool) -> Any:
    if what == "breakdown":
        return load_breakdown(scope)
    if what == "quotas":
        return load_quotas(scope)
    if what == "levies":
        return load_levies(scope)
    return load_reconciliation(scope, ReconcileOptions(style.language, style.unit), strict)


def _rendered(what: str, fmt: Format, style: Style, strict: bool, part: Scope) -> tuple[Any, Tally]:
    """One village's report rendered in `fmt`, and its tally (in a worker)."""
    report = _load(what, part, style, strict)
    return fmt.part(report, style), Tally.of(report)


class Output:
    """The chunks of a scope's report (`what`: breakdown, quotas, findings or levies) in `fmt`, written village
    by village; `tally` (reconcile's ok and counts, the breakdown's totals) is complete once every chunk
    has been read. The quotas are one part: their order and totals are the county's."""

    def __init__(self, scope: Scope, what: str, fmt: Format, style: Style, strict: bool = False) -> None:
        self.scope = scope
        self.what = what
        self.fmt = fmt
        self.style = style
        self.strict = strict
        self.tally = Tally()

    def _parts(self) -> Iterator[Any]:
        parts = [self.scope] if self.what == "quotas" else village_scopes(self.scope)
        work = functools.partial(_rendered, self.what, self.fmt, self.style, self.strict)
        for rendered, tally in fast.map_parts(parts, work):
            self.tally.add(tally)
            yield rendered

    def __iter__(self) -> Iterator[Chunk]:
        return iter(self.fmt.file(self.scope.as_of, self._parts(), self.tally, self.style))


def output(scope: Scope, what: str, fmt: str, style: Style, strict: bool = False) -> Output:
    """A report in one of the file formats of io.outputs.FORMATS (json, csv, md, xlsx)."""
    return Output(scope, what, FORMATS[(what, fmt)], style, strict)


def committee_document(scope: Scope, village_id: int, kind_name: Any, category_name: Any) -> committee.Document:
    """The committee's report on one village, from one reading of its ledger."""
    ledger = load_ledger(Scope(scope.as_of, village_id), ReconcileOptions("zh", "万元"))
    return committee.build_document(
        scope.as_of, village_id, ledger.breakdown, ledger.quotas, ledger.reconciliation, kind_name, category_name
    )
