"""Report CSV for people: headers and coded values (`village`, `receipts`, `private_mine`, `short`) in the language's words.

The machine form (`--codes`) is reports.py's rows as they are; this module words a header or a row of it,
column by column, so that both forms have the same columns in the same order and the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from fundtrack.io.reports import BREAKDOWN_CSV_HEADER, FINDING_COLUMNS, QUOTA_COLUMNS, Cell
from fundtrack.ledger.messages import label

# Headers and values the ledger's catalog has no word for.
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "col.line": "行",
        "col.lower_bound": "含下限",
        "col.name": "企业",
        "col.kind.enterprise": "类型",
        "col.declared_management": "管理岗申报",
        "col.amount_yuan": "金额（元）",
        "line.project": "项目",
        "line.funder": "出资方",
        "line.levy": "群众自筹",
        "line.totals": "合计",
        "yes": "是",
    },
    "en": {
        "col.line": "Line",
        "col.lower_bound": "At least",
        "col.name": "Enterprise",
        "col.kind.enterprise": "Type",
        "col.declared_management": "Mgmt declared",
        "col.amount_yuan": "Amount (元)",
        "line.project": "project",
        "line.funder": "funder",
        "line.levy": "levy",
        "line.totals": "totals",
        "yes": "yes",
    },
}

_MONEY = {"budget", "pledged", "received", "spent", "gap", "outstanding"}


def _word(language: str, key: str) -> str:
    words = WORDS.get(language, WORDS["en"])
    return words[key] if key in words else label(language, key)


def header(columns: Sequence[str], language: str, unit: str = "", enterprise: bool = False) -> list[str]:
    """The machine header `columns` in words; amounts' columns name their unit."""
    worded = []
    for column in columns:
        key = "col.kind.enterprise" if enterprise and column == "kind" else f"col.{column}"
        word = _word(language, key)
        worded.append(f"{word} ({unit})" if column in _MONEY and unit else word)
    return worded


def _value(column: str, value: Cell, language: str, kind_name: Callable[[str], str]) -> Cell:
    """One coded cell in words; anything else (names, numbers, messages) as it is."""
    if value is None or value == "":
        return value
    text = str(value)
    if column == "line":
        return _word(language, f"line.{text}")
    if column == "form":
        return label(language, f"form.{text}")
    if column == "severity":
        return label(language, f"severity.{text}")
    if column == "status":
        return label(language, f"quota.{text}")
    if column == "lower_bound":
        return _word(language, "yes")
    if column == "project" and text == "TOTAL":
        return label(language, "title.totals")
    return value


def rows(
    columns: Sequence[str],
    machine: Iterable[Sequence[Cell]],
    language: str,
    kind_name: Callable[[str], str],
    enterprise: bool = False,
) -> Iterator[list[Cell]]:
    """Machine rows of `columns` in words: a funder's kind by its configured name, an enterprise's by the catalog."""
    for row in machine:
        worded = []
        for column, value in zip(columns, row, strict=True):
            if column == "kind" and value:
                worded.append(label(language, f"enterprise.{value}") if enterprise else kind_name(str(value)))
            else:
                worded.append(_value(column, value, language, kind_name))
        yield worded


# The findings for people leave out the code column (its message says it in words).
FINDING_WORDED = tuple(c for c in FINDING_COLUMNS if c != "code")


def findings_rows(machine: Iterable[Sequence[Cell]], language: str) -> Iterator[list[Cell]]:
    keep = [i for i, c in enumerate(FINDING_COLUMNS) if c != "code"]
    for row in rows(FINDING_COLUMNS, machine, language, str):
        yield [row[i] for i in keep]


__all__ = ["BREAKDOWN_CSV_HEADER", "FINDING_WORDED", "QUOTA_COLUMNS", "findings_rows", "header", "rows"]
