"""The overview's funding bar."""

from __future__ import annotations

from fundtrack.ledger.money import Amount
from fundtrack.tui.widgets.bar import funding_bar


def test_a_project_without_a_budget_shows_no_full_bar() -> None:
    received = Amount(1_000_000)
    bar = funding_bar(None, received, received, width=10).plain
    assert "█" not in bar and "%" not in bar and "—" in bar
    assert len(bar) == len(funding_bar(Amount(2_000_000), received, received, width=10).plain)


def test_a_budget_fills_the_bar_by_what_was_received() -> None:
    bar = funding_bar(Amount(2_000_000), Amount(2_000_000), Amount(1_000_000), width=10).plain
    assert bar == "█████▒▒▒▒▒  50%"
