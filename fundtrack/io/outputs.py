"""Every report in every file format, as a head, one part per village and a tail.

One path for a whole report (the app's exports) and for a county's, computed and written village by village.
A format's `part` renders one village's report (in a worker process, so it must be picklable: a
module-level function or a partial of one); its `file` writes the head, the parts as they come and
the tail. What must come first but is known only once every part is read (reconcile's counts, the
breakdown's sections after its summary) waits in a spooled temporary file.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import orjson

from fundtrack.io import levies, office, reports, worded
from fundtrack.ledger.breakdown import Breakdown, Totals, sum_totals
from fundtrack.ledger.levies import LevyReport
from fundtrack.ledger.quotas import QuotaReport
from fundtrack.ledger.reconcile import Reconciliation

Chunk = str | bytes


@dataclass(frozen=True)
class Style:
    """How a report is written: amounts in `unit`, words in `language`, kinds of funder named by `kind_name`."""

    unit: str
    language: str
    kind_name: Callable[[str], str]
    codes: bool = False
    """CSV and XLSX keep machine headers and codes (`--codes`); else they are in `language`'s words."""
    only_unpaid: bool = False
    """The levy roll: list only the households not paid in full."""


@dataclass
class Tally:
    """What a report's head or tail says that is known only once every part is read."""

    totals: list[Totals] = field(default_factory=list)
    """Each part's breakdown totals."""
    ok: bool = True
    """No part's reconciliation found an error."""
    counts: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    """Findings by severity over every part."""

    @classmethod
    def of(cls, report: Any) -> Tally:
        """The tally of one report (a part, or a whole report)."""
        if isinstance(report, Breakdown):
            return cls(totals=[report.totals])
        if isinstance(report, Reconciliation):
            return cls(ok=report.ok, counts=report.counts())
        return cls()

    def add(self, other: Tally) -> None:
        self.totals.extend(other.totals)
        self.ok = self.ok and other.ok
        for key, n in other.counts.items():
            self.counts[key] += n


@dataclass(frozen=True)
class Format:
    """One report in one format: `part(report, style)` renders a village's share; `file(as_of, parts,
    tally, style)` gives the file's chunks: its head, the rendered parts, its tail. `tally` is filled
    as the parts are read."""

    part: Callable[[Any, Style], Any]
    file: Callable[[dt.date, Iterator[Any], Tally, Style], Iterator[Chunk]]
    binary: bool = False


# ---------------------------------------------------------------- JSON, written item by item


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

    A county's breakdown is hundreds of megabytes of JSON, never built whole.
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


def _flat(parts: Iterator[list[bytes]]) -> Iterator[bytes]:
    return (text for texts in parts for text in texts)


# ---------------------------------------------------------------- the breakdown


def _breakdown_json_part(report: Breakdown, style: Style) -> list[bytes]:
    return [_indented(reports.project_json(b), 2) for b in report.projects]


def _breakdown_json(as_of: dt.date, parts: Iterator[list[bytes]], tally: Tally, style: Style) -> Iterator[Chunk]:
    def tail() -> dict[str, Any]:
        return {"totals": reports.totals_json(sum_totals(tally.totals))}

    return json_stream({"as_of": as_of.isoformat()}, "projects", _flat(parts), tail)


def _breakdown_csv_part(report: Breakdown, style: Style) -> str:
    return reports.csv_lines(_breakdown_worded(reports.breakdown_rows(report.projects, style.unit), style))


def _breakdown_csv(as_of: dt.date, parts: Iterator[str], tally: Tally, style: Style) -> Iterator[Chunk]:
    head = reports.breakdown_csv_header(style.unit)
    if not style.codes:
        head = worded.header(reports.BREAKDOWN_CSV_HEADER, style.language, style.unit)
    yield "\ufeff" + reports.csv_lines([head])
    yield from parts
    total = reports.breakdown_total_row(sum_totals(tally.totals), style.unit)
    yield reports.csv_lines(_breakdown_worded([total], style))


def _breakdown_worded(rows: Iterable[Sequence[Any]], style: Style) -> Iterable[Sequence[Any]]:
    """The breakdown's CSV rows in words, unless `--codes` keeps them as scripts read them."""
    if style.codes:
        return rows
    return worded.rows(reports.BREAKDOWN_CSV_HEADER, rows, style.language, style.kind_name)


def _breakdown_md_part(report: Breakdown, style: Style) -> tuple[str, str]:
    projects = report.projects
    summary = reports.breakdown_md_summary(projects, style.unit, style.language)
    return summary, reports.breakdown_md_sections(projects, style.unit, style.language, style.kind_name)


def _breakdown_md(as_of: dt.date, parts: Iterator[tuple[str, str]], tally: Tally, style: Style) -> Iterator[Chunk]:
    yield reports.breakdown_md_head(as_of, style.unit, style.language)
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as sections:
        for summary, section in parts:
            sections.write(section)
            yield summary
        yield reports.breakdown_md_totals(sum_totals(tally.totals), style.unit, style.language)
        yield from _replay(sections)


def _breakdown_xlsx_part(report: Breakdown, style: Style) -> list[list[Any]]:
    """Each sheet's rows."""
    if style.codes:
        return [list(reports.breakdown_rows(report.projects, style.unit))]
    return [list(sheet.rows) for sheet in office.breakdown_sheets(report, style.unit, style.language, style.kind_name)]


def _breakdown_xlsx(as_of: dt.date, parts: Iterator[Any], tally: Tally, style: Style) -> Iterator[Chunk]:
    if style.codes:

        def with_total() -> Iterator[Any]:
            yield from parts
            yield [[reports.breakdown_total_row(sum_totals(tally.totals), style.unit)]]  # tallied by now

        sheet = office.Sheet("breakdown", reports.breakdown_csv_header(style.unit), [], style.unit)
        yield office.workbook([sheet], with_total())
        return
    empty = Breakdown(as_of, [], sum_totals([]))
    yield office.workbook(office.breakdown_sheets(empty, style.unit, style.language, style.kind_name), parts)


# ---------------------------------------------------------------- reconcile's findings


def _findings_json_part(rec: Reconciliation, style: Style) -> list[bytes]:
    return [_indented(reports.finding_json(f), 2) for f in rec.findings]


def _findings_json(as_of: dt.date, parts: Iterator[list[bytes]], tally: Tally, style: Style) -> Iterator[Chunk]:
    tail = lambda: {"ok": tally.ok, "counts": tally.counts}  # noqa: E731
    return json_stream({"as_of": as_of.isoformat()}, "findings", _flat(parts), tail)


def _findings_csv_part(rec: Reconciliation, style: Style) -> str:
    rows = reports.finding_rows(rec.findings)
    return reports.csv_lines(rows if style.codes else worded.findings_rows(rows, style.language))


def _findings_csv(as_of: dt.date, parts: Iterator[str], tally: Tally, style: Style) -> Iterator[Chunk]:
    head = reports.FINDING_COLUMNS if style.codes else worded.header(worded.FINDING_WORDED, style.language)
    yield "\ufeff" + reports.csv_lines([head])
    yield from parts


def _findings_md_part(rec: Reconciliation, style: Style) -> str:
    return reports.findings_md_rows(rec.findings, style.language)


def _findings_md(as_of: dt.date, parts: Iterator[str], tally: Tally, style: Style) -> Iterator[Chunk]:
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as rows:
        rows.writelines(parts)
        yield reports.findings_md_head(as_of, tally.ok, tally.counts, style.language)
        yield from _replay(rows)


def _findings_xlsx_part(rec: Reconciliation, style: Style) -> list[list[Any]]:
    if style.codes:
        return [list(reports.finding_rows(rec.findings))]
    return [list(office.findings_sheet(rec, style.language, style.unit).rows)]


def _findings_xlsx(as_of: dt.date, parts: Iterator[Any], tally: Tally, style: Style) -> Iterator[Chunk]:
    if style.codes:
        yield office.workbook([office.Sheet("findings", reports.FINDING_COLUMNS, [], "元")], parts)
        return
    empty = Reconciliation(as_of, (), False)
    yield office.workbook([office.findings_sheet(empty, style.language, style.unit)], parts)


# ---------------------------------------------------------------- quotas (one part: the whole report)


def _quotas_part(fmt: str, report: QuotaReport, style: Style) -> Chunk:
    if fmt == "md":
        return reports.quotas_markdown(report, style.language)
    if fmt == "csv":
        return reports.quotas_csv(report) if style.codes else _quotas_worded_csv(report, style)
    if fmt == "json":
        return reports.dumps(reports.quotas_json(report))
    if style.codes:
        return office.workbook([office.Sheet("quotas", reports.QUOTA_COLUMNS, reports.quota_rows(report))])
    return office.workbook([office.quotas_sheet(report, style.language)])


def _quotas_worded_csv(report: QuotaReport, style: Style) -> str:
    """The quotas' CSV with headers and kinds and statuses in words (the same columns as --codes)."""
    head = worded.header(reports.QUOTA_COLUMNS, style.language, enterprise=True)
    rows = worded.rows(reports.QUOTA_COLUMNS, reports.quota_rows(report), style.language, str, enterprise=True)
    return reports.to_csv(head, rows)


# ---------------------------------------------------------------- the levy roll (io/levies.py)


def _levies_json_part(report: Any, style: Style) -> list[bytes]:
    return [_indented(levies.levy_json(lv, style.only_unpaid), 2) for lv in report.levies]


def _levies_json(as_of: dt.date, parts: Iterator[list[bytes]], tally: Tally, style: Style) -> Iterator[Chunk]:
    return json_stream({"as_of": as_of.isoformat()}, "levies", _flat(parts), {})


def _levies_csv_part(report: Any, style: Style) -> str:
    return levies.csv_part(report, style.language, style.only_unpaid, style.codes)


def _levies_csv(as_of: dt.date, parts: Iterator[str], tally: Tally, style: Style) -> Iterator[Chunk]:
    yield levies.csv_head(style.language, style.codes)
    yield from parts


def _levies_md_part(report: Any, style: Style) -> str:
    return levies.md_part(report, style.language, style.only_unpaid)


def _levies_md(as_of: dt.date, parts: Iterator[str], tally: Tally, style: Style) -> Iterator[Chunk]:
    yield levies.md_head(as_of, style.language, style.only_unpaid)
    yield from parts


def _levies_xlsx_part(report: Any, style: Style) -> list[list[Any]]:
    return [list(levies.sheet(report, style.language, style.only_unpaid, style.codes).rows)]


def _levies_xlsx(as_of: dt.date, parts: Iterator[Any], tally: Tally, style: Style) -> Iterator[Chunk]:
    empty = LevyReport(as_of, ())
    yield office.workbook([levies.sheet(empty, style.language, style.only_unpaid, style.codes)], parts)


def _as_they_come(as_of: dt.date, parts: Iterator[Chunk], tally: Tally, style: Style) -> Iterator[Chunk]:
    return parts


FORMATS: dict[tuple[str, str], Format] = {
    ("breakdown", "json"): Format(_breakdown_json_part, _breakdown_json),
    ("breakdown", "csv"): Format(_breakdown_csv_part, _breakdown_csv),
    ("breakdown", "md"): Format(_breakdown_md_part, _breakdown_md),
    ("breakdown", "xlsx"): Format(_breakdown_xlsx_part, _breakdown_xlsx, binary=True),
    ("findings", "json"): Format(_findings_json_part, _findings_json),
    ("findings", "csv"): Format(_findings_csv_part, _findings_csv),
    ("findings", "md"): Format(_findings_md_part, _findings_md),
    ("findings", "xlsx"): Format(_findings_xlsx_part, _findings_xlsx, binary=True),
    ("levies", "json"): Format(_levies_json_part, _levies_json),
    ("levies", "csv"): Format(_levies_csv_part, _levies_csv),
    ("levies", "md"): Format(_levies_md_part, _levies_md),
    ("levies", "xlsx"): Format(_levies_xlsx_part, _levies_xlsx, binary=True),
    **{
        ("quotas", fmt): Format(functools.partial(_quotas_part, fmt), _as_they_come, binary=fmt == "xlsx")
        for fmt in ("json", "csv", "md", "xlsx")
    },
}
"""(report, format) -> Format: the breakdown, quotas, reconcile's findings and the levy roll in JSON, CSV,
Markdown and XLSX."""


def chunks(fmt: Format, report: Any, style: Style) -> Iterator[Chunk]:
    """A whole report's file, in chunks: the same path as a county's, with one part."""
    return fmt.file(report.as_of, iter([fmt.part(report, style)]), Tally.of(report), style)


def render(what: str, fmt: str, report: Any, style: Style) -> str | bytes:
    """`report` (a Breakdown, QuotaReport or Reconciliation, per `what`) as md, csv, json or xlsx."""
    pieces = list(chunks(FORMATS[(what, fmt)], report, style))
    if all(isinstance(p, bytes) for p in pieces):
        data = b"".join(pieces)  # type: ignore[arg-type]
        return data if FORMATS[(what, fmt)].binary else data.decode("utf-8")
    return "".join(pieces)  # type: ignore[arg-type]
