"""Import fundtrack/1 files all-or-nothing: check every file, write in one transaction, or write nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from fundtrack.io.fundfile import Checked, Known, LineIndex, Options, check_document, read_text
from fundtrack.io.problems import InputError, Problem
from fundtrack.service import limits
from fundtrack.service.records import operator_name
from fundtrack.storage import audit, queries, writes
from fundtrack.storage.db import write_transaction

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, dry, would do)."""

    files: int
    records: int
    villages: tuple[str, ...]
    dry_run: bool


class _Rollback(Exception):
    pass


def _known_for(name: str) -> Known:
    row = writes.village_row(name)
    names = queries.known_names(row.id if row else None)
    return Known(**names)


def _village_conflicts(checked: Checked) -> list[Problem]:
    """A file may add to a village already in the database, but may not contradict its figures."""
    if checked.village is None:
        return []
    row = writes.village_row(checked.village.name)
    if row is None:
        return []
    stored = queries.village_values(row)
    problems = []
    for key, value in asdict(checked.village).items():
        if value is not None and key != "name" and stored.get(key) != value:
            problems.append(
                Problem(
                    checked.path, 0, f"village.{key}", "village_conflict", {"stored": stored.get(key), "given": value}
                )
            )
    return problems


def import_files(
    paths: list[str],
    options: Options,
    dry_run: bool = False,
    on_total: Callable[[int], None] | None = None,
    progress: Progress | None = None,
    operator: str = "",
) -> ImportResult:
    """Check and import `paths` in one transaction. Raises InputError (nothing written) on any problem."""
    problems: list[Problem] = []
    records = 0
    villages: list[str] = []
    try:
        with write_transaction():
            for path in paths:
                text, read_problems = read_text(path)
                if text is None:
                    problems.extend(read_problems)
                    continue
                checked = check_document(path, text, _known_for, options)
                over_limits = limits.check_file(checked, LineIndex(text))
                del text
                file_problems = checked.problems + _village_conflicts(checked) + over_limits
                if file_problems or checked.village is None:
                    problems.extend(file_problems)
                    continue
                if on_total:
                    on_total(checked.record_count)
                # Later files link to this one's names, so it is written even when an
                # earlier file failed; the whole transaction is rolled back then.
                village_id = writes.ensure_village({k: v for k, v in asdict(checked.village).items() if v is not None})
                batch = audit.log(
                    operator_name(operator),
                    "import",
                    [
                        (
                            None,
                            None,
                            None,
                            {"file": path, "records": checked.record_count, "village": checked.village.name},
                        )
                    ],
                )
                writes.import_tables(village_id, checked.tables, progress or (lambda n: None), batch=batch)
                records += checked.record_count
                if checked.village.name not in villages:
                    villages.append(checked.village.name)
            if problems or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if problems:
        raise InputError(problems)
    return ImportResult(len(paths), records, tuple(villages), dry_run)
