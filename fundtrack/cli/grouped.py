"""A spreadsheet's problems grouped: after the first lines, the same mistake on many rows is counted."""

from __future__ import annotations

import re
from collections.abc import Sequence

from fundtrack.cli.words import say
from fundtrack.io.problems import Problem, show

SHOWN = 20
"""Lines shown one by one before the same mistakes are counted instead."""

_INDEX = re.compile(r"\[[0-9]+\]")


def _kind(problem: Problem) -> tuple[str, str]:
    return problem.code, _INDEX.sub("[]", problem.where)


def grouped(problems: Sequence[Problem], language: str, shown: int = SHOWN) -> list[str]:
    """Each problem as a line; past the first `shown`, a spreadsheet cell's problem (located in a cell)
    that repeats one already shown (same code, same key of the same table) is counted, one line per
    kind at the end: `… 另有 9980 处同样的问题`."""
    lines: list[str] = []
    seen: dict[tuple[str, str], Problem] = {}
    counted: dict[tuple[str, str], int] = {}
    for problem in problems:
        kind = _kind(problem)
        if len(lines) >= shown and problem.at and kind in seen:
            counted[kind] = counted.get(kind, 0) + 1
            continue
        seen.setdefault(kind, problem)
        lines.append(show(problem, language))
    for kind, n in counted.items():
        lines.append(say(language, "same_again", n=n, what=kind[1]))
    return lines
