"""A form's problems in the form's own words: fields by their labels and kinds by their names, where the
file checker's words name the keys and codes of a data file (funder, funders, villagers)."""

from __future__ import annotations

from collections.abc import Callable

from fundtrack.io.problems import Problem
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
