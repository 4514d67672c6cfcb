"""Problems in the app's own words: a form's by its labels and kinds by their names (the file checker's
words name the keys and codes of a data file: funder, funders, villagers); a database's without its English."""

from __future__ import annotations

from collections.abc import Callable

from fundtrack.io.problems import Problem
from fundtrack.ledger.problem_messages import CodedError
from fundtrack.tui.strings import TEXT


def problem_words(language: str, problem: Problem, kind_name: Callable[[str], str]) -> str:
    """What is wrong, as a form says it (`form.<code>` in the app's catalog), else the catalog's words."""
    template = TEXT.get(language, TEXT["en"]).get(f"form.{problem.code}")
    if template is None:
        return problem.text(language)
    params = dict(problem.params)
    if "kind" in params:
        params["kind"] = kind_name(str(params["kind"]))
    if "kinds" in params:
        params["kinds"] = "、".join(kind_name(k.strip()) for k in str(params["kinds"]).split(","))
    return template.format(**params)


def store_words(language: str, problem: CodedError) -> str:
    """A database problem as the app says it: in zh without the database's own English detail
    ("attempt to write a readonly database"), which the command line still prints."""
    template = TEXT.get(language, TEXT["en"]).get(f"store.{problem.code}")
    if template is None:
        return problem.text(language)
    return template.format(**problem.params)
