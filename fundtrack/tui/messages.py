"""Messages that go up to the app: something was written, or a record should be opened."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class DataChanged(Message):
    """A record was added, changed or voided: every screen reloads."""

    what: str = ""


@dataclass
class OpenProject(Message):
    project_id: int
    tab: str = "funding"


@dataclass
class OpenEnterprise(Message):
    name: str
    village: str
