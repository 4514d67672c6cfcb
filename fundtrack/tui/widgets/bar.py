"""A one-line funding bar: received, pledged but not received, and the unfunded rest of the budget."""

from __future__ import annotations

from rich.text import Text

from fundtrack.ledger.money import Amount


def funding_bar(budget: Amount | None, pledged: Amount, received: Amount, width: int = 14) -> Text:
    """█ received, ▒ pledged still to come, ░ not yet pledged; the base is the budget (or the pledges)."""
    if budget is None or budget.fen <= 0:
        # Without 总投资 there is no whole to fill: a neutral bar and no percentage, never a full one.
        bar = Text("·" * width, style="dim")
        bar.append("    —")
        return bar
    base = max(budget.fen, pledged.fen, received.fen, 1)
    got = round(width * received.fen / base)
    promised = max(round(width * pledged.fen / base) - got, 0)
    rest = max(width - got - promised, 0)
    bar = Text()
    bar.append("█" * got, style="green")
    bar.append("▒" * promised, style="yellow")
    bar.append("░" * rest, style="dim")
    bar.append(f" {100 * received.fen // budget.fen:>3d}%")
    return bar
