"""The app's last guard on what it draws: no character from the data acts on the terminal."""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from fundtrack.ledger.text import ACTING as _ACTING  # each is zero cells wide: taking them out keeps the layout


class NoActingText(LineFilter):
    """Takes control, bidirectional and zero-width characters out of the text of every line drawn
    (cells that show data write them as visible escapes first: see widgets/record_table.py)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(_ACTING.search(s.text) for s in segments if not s.control):
            return segments
        return [s if s.control else Segment(_ACTING.sub("", s.text), s.style, s.control) for s in segments]
