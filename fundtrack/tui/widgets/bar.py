"""A one-line funding bar: received, pledged but not received, and the unfunded rest of the budget."""

from __future__ import annotations

from rich.text import Text

from fundtrack.ledger.money import Amount


def funding_bar(budget: Amount | None, pledged: Amount, received: Amount, width: int = 14) -> Text:
    """█ received, ▒ pledged still to come, ░ not yet pledged; the base is the budget (or the pledges)."""
    base = max(budget.fen if budget is not None else 0, pledged.fen, received.fen, 1)
    if budget is None and pledged.fen == 0 and received.fen == 0:
        return Text("·" * width, style="dim")
    got = round(width * received.fen / base)
    promised = max(round(width * pledged.fen / base) - got, 0)
    rest = max(width - got - promised, 0)
    bar = Text()
    bar.append("█" * got, style="green")
    bar.append("▒" * promised, style="yellow")
    bar.append("░" * rest, style="dim")
    if budget is not None and budget.fen:
        bar.append(f" {100 * received.fen // budget.fen:>3d}%")
    else:
        bar.append("     ")
    return bar
