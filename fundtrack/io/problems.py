"""One-line problems with bad input, `FILE:LINE: where: what`, and the "did you mean" hint."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something wrong in an input file, located for the person who has to fix it."""

    file: str
    """The file as the user named it."""
    line: int
    """1-based line where the offending table (or key) starts; 0 when unknown."""
    where: str
    """The table, its index and the key, e.g. `pledges[3].funder`."""
    what: str
    """What is wrong, in words."""

    def __str__(self) -> str:
        line = f"{self.line}:" if self.line else ""
        return f"{self.file}:{line} {self.where}: {self.what}"


class InputError(Exception):
    """Raised by whole-input operations (import) with every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """` (did you mean "X"?)` for the closest candidate, or an empty string."""
    pool = list(candidates)
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.5)
    if not close:
        # Short names typed as a prefix of a longer one ("打厂沟" for "打厂沟煤矿").
        close = [c for c in pool if name and (c.startswith(name) or name.startswith(c))][:1]
    return f' (did you mean "{close[0]}"?)' if close else ""
