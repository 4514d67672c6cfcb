"""The sample village shipped inside the package (fundtrack/sample_data, a link to the project's sample_data/)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from importlib import resources
from pathlib import Path


@contextmanager
def sample_files() -> Iterator[list[Path]]:
    """The shipped sample files (*.toml, in name order) as paths while the context lasts: found with
    importlib.resources, so an installed wheel finds them from any folder."""
    folder = resources.files("fundtrack").joinpath("sample_data")
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".toml")), key=lambda e: e.name)
    with ExitStack() as stack:
        yield [stack.enter_context(resources.as_file(entry)) for entry in entries]
