"""The named styles of fundtrack's terminals: one vocabulary read by the command's rich Theme and by the app.

It sits at the top of the package, outside the layers ledger <- storage <- io <- tui <- cli:
colours are no rule of the ledger and no part of a file, yet both the command (cli) and the
app (tui) must read the same names. It imports only the ledger's money and rich (which the app's
Textual is built on), so either may import it without breaking a contract.
"""

from __future__ import annotations

from rich.text import Text

from fundtrack.ledger.money import NO_AMOUNT, Amount, format_number

STYLES: dict[str, str] = {
    "money": "",
    "money.negative": "bold red",
    "money.none": "dim",
    "severity.error": "bold red",
    "severity.warning": "yellow",
    "severity.info": "cyan",
    "quota.met": "green",
    "quota.short": "bold red",
    "quota.no_data": "dim",
    "total": "bold",
    # the levy roll's statuses
    "levy.paid": "green",
    "levy.partial": "yellow",
    "levy.unpaid": "bold red",
    "levy.exempt": "dim",
}
"""Style name -> rich style. The command's Console gets them as a Theme (rich resolves the names);
the app's tables get the style itself (its console knows no theme of ours)."""


def styled(text: str, name: str, *, themed: bool = False) -> Text:
    """Text in the named style: by name for a Console with the Theme, else the style itself."""
    return Text(text, style=name if themed else STYLES[name])


def money_text(amount: Amount | None, unit: str, *, themed: bool = False) -> Text:
    """An amount as a table cell shows it: the figure in `unit`, negative ones marked; — where there is none."""
    if amount is None:
        return styled(NO_AMOUNT, "money.none", themed=themed)
    return styled(format_number(amount, unit), "money.negative" if amount.fen < 0 else "money", themed=themed)
