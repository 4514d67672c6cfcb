"""One-line problems with bad input, `FILE:LINE: where: what`, worded from the problem catalog."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fundtrack.ledger.problem_messages import PROBLEMS, CodedError, problem_text
from fundtrack.ledger.text import one_line


def _worded(language: str, code: str, params: Mapping[str, object]) -> str:
    if code in PROBLEMS["en"]:
        return problem_text(language, code, params)
    return code


@dataclass(frozen=True)
class Problem:
    """Something wrong in an input file, located for the person who has to fix it."""

    file: str
    """The file as the user named it."""
    line: int
    """1-based line where the offending table (or key) starts; 0 when unknown."""
    where: str
    """The table, its index and the key, e.g. `pledges[3].funder`."""
    code: str
    """What is wrong: a code of the problem catalog (fundtrack.ledger.problem_messages)."""
    params: Mapping[str, object] = field(default_factory=dict, hash=False)
    """The code's parameters, e.g. {"label": "funder", "name": "新河煤矿", "hint": ""}."""
    at: str = ""
    """Where in a file that has no lines: a spreadsheet's cell (`到位!C14`) or a CSV file's `ROW:COLUMN`;
    shown instead of the line when given."""

    @property
    def what(self) -> str:
        """What is wrong, in English."""
        return self.text("en")

    def text(self, language: str) -> str:
        """What is wrong, in `language`."""
        return _worded(language, self.code, self.params)

    @property
    def located(self) -> str:
        """`FILE:LINE:`, `FILE:SHEET!CELL:` or `FILE:`."""
        if self.at:
            return f"{self.file}:{self.at}:"
        return f"{self.file}:{self.line}:" if self.line else f"{self.file}:"

    def __str__(self) -> str:
        return f"{self.located} {self.where}: {self.what}"


class InputError(Exception):
    """Raised by whole-input operations (import) with every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def closest(name: str, candidates: Iterable[str]) -> str:
    """The candidate `name` was probably meant to be, or an empty string (the `hint` of a problem)."""
    pool = list(candidates)
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.5)
    if not close:
        # Short names typed as a prefix of a longer one ("打厂沟" for "打厂沟煤矿").
        close = [c for c in pool if name and (c.startswith(name) or name.startswith(c))][:1]
    return close[0] if close else ""


class Hints:
    """closest() for one file's many unknown names, bounded: each name is looked up once, and only the
    first `limit` distinct names get a hint. A hint costs a comparison with every candidate, so 5,000
    misspelt links against 1,000 project codes took 100 s; past the limit the problem is reported without
    a "did you mean" (the first ones show the pattern)."""

    LIMIT = 100

    def __init__(self, limit: int = LIMIT):
        self.limit = limit
        self.found: dict[tuple[str, int], str] = {}

    def closest(self, name: str, candidates: Iterable[str], pool_id: int = 0) -> str:
        key = (name, pool_id)
        if key not in self.found:
            self.found[key] = closest(name, candidates) if len(self.found) < self.limit else ""
        return self.found[key]


def error_text(exc: Exception, language: str) -> str:
    """The message of an error raised on a value (a coded one, or one still in words) in `language`."""
    if isinstance(exc, CodedError):
        return exc.text(language)
    return _worded(language, str(exc), {})


def show(problem: Problem, language: str) -> str:
    """`FILE:LINE: where: what` with the message in `language`."""
    return one_line(f"{problem.located} {problem.where}: {problem.text(language)}")
