"""A village's totals within the format's limits: the record of an import or a form that would pass them is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fundtrack.io.fundfile import Checked, LineIndex
from fundtrack.io.problems import Problem
from fundtrack.ledger.money import MAX_AMOUNT_FEN, MAX_VILLAGE_FEN, Amount, format_amount
from fundtrack.storage import aggregates, writes

Record = dict[str, Any]

# Where each bounded figure comes from: (table, key) in the order a file lists its tables.
_SOURCES = (
    ("projects", "budget", "budgets"),
    ("pledges", "amount", "pledged"),
    ("levies", "per_household", "pledged"),
    ("receipts", "amount", "received"),
    ("expenses", "amount", "spent"),
)


def _added(tables: dict[str, list[Record]], totals: dict[str, int]) -> Iterator[tuple[str, int, str, str, int]]:
    """(table, index, key, figure, fen) of the amounts the records add to a bounded figure, one by one,
    for the tables whose sum would pass a limit, and for levies (each also bounded as one amount).

    A county's import adds a million records: a table that stays within its figure's limit is
    summed in one pass (about a third of the time of walking it record by record).
    """
    for table, key, figure in _SOURCES:
        rows = tables.get(table) or ()
        if table != "levies":
            added = sum(rec[key].fen for rec in rows if key in rec)  # a record with a problem is {}
            if totals[figure] + added <= MAX_VILLAGE_FEN:
                totals[figure] += added
                continue
        for i, rec in enumerate(rows):
            amount = rec.get(key) if rec else None
            if not isinstance(amount, Amount):
                continue
            if table == "levies":
                households = rec.get("households")
                if not isinstance(households, int):
                    continue
                yield table, i, "households", figure, amount.fen * households
            else:
                yield table, i, key, figure, amount.fen


def over_limits(
    village_id: int | None,
    path: str,
    tables: dict[str, list[Record]],
    line_of: Callable[[str, int], int],
    without: tuple[str, int] | None = None,
) -> list[Problem]:
    """The records that would take the village's totals past their limit, or a levy past one amount's.

    Called inside the write transaction, before the records are written: what is already stored
    (earlier files of the same import included) is summed in SQL, the records are added in order,
    and the first one that crosses a figure's limit is named (only the first: the rest follow it).
    """
    problems: list[Problem] = []
    totals = aggregates.village_totals(village_id, without)
    crossed: set[str] = set()
    for table, i, key, figure, fen in _added(tables, totals):
        where = f"{table}[{i}].{key}"
        if table == "levies" and fen > MAX_AMOUNT_FEN:
            rec = tables[table][i]
            problems.append(
                Problem(
                    path,
                    line_of(table, i),
                    where,
                    "levy_too_large",
                    {"per_household": format_amount(rec["per_household"], "元"), "households": rec["households"]},
                )
            )
            continue
        totals[figure] += fen
        if totals[figure] > MAX_VILLAGE_FEN and figure not in crossed:
            crossed.add(figure)
            total = format_amount(Amount(totals[figure]), "元")
            problems.append(
                Problem(path, line_of(table, i), where, "village_total_too_large", {"label": figure, "total": total})
            )
    return problems


def check_file(checked: Checked, lines: LineIndex) -> list[Problem]:
    """An imported file's records that would pass a limit of its village (as stored so far in this write)."""
    if checked.village is None:
        return []
    row = writes.village_row(checked.village.name)
    return over_limits(row.id if row else None, checked.path, checked.tables, lines.of)


def check_record(village_id: int, table: str, rec: Record, replacing: int | None = None) -> list[Problem]:
    """A form's record that would pass a limit of its village; `replacing` is the id of the record it corrects."""
    without = None if replacing is None else (table, replacing)
    return over_limits(village_id, "form", {table: [rec]}, lambda _table, _i: 0, without)
