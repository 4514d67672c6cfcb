"""Trends drawn in the terminal with Unicode blocks: money received month by month, local hires over time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from rich.text import Text

from fundtrack.ledger.facts import hire_active
from fundtrack.ledger.money import Amount, format_amount

EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: int, top: int, width: int) -> str:
    """A horizontal bar of `value` out of `top` in `width` cells, to an eighth of a cell."""
    if top <= 0 or value <= 0:
        return ""
    eighths = max(round(8 * width * value / top), 1)
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def month_of(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def months_between(first: dt.date, last: dt.date) -> list[str]:
    """Every month from `first`'s to `last`'s, as YYYY-MM."""
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def by_month(receipts: Iterable[tuple[dt.date, int]]) -> list[tuple[str, int]]:
    """Fen received in each month from the first receipt's to the last one's (months without any show 0)."""
    sums: dict[str, int] = {}
    days = []
    for day, fen in receipts:
        sums[month_of(day)] = sums.get(month_of(day), 0) + fen
        days.append(day)
    if not days:
        return []
    return [(m, sums.get(m, 0)) for m in months_between(min(days), max(days))]


def month_end(month: str) -> dt.date:
    year, mon = int(month[:4]), int(month[5:])
    first_next = dt.date(year + (mon == 12), 1 if mon == 12 else mon + 1, 1)
    return first_next - dt.timedelta(days=1)


def hires_by_month(
    hires: Iterable[tuple[dt.date, dt.date | None]], declared: Iterable[tuple[dt.date, int]], as_of: dt.date
) -> list[tuple[str, int, int | None]]:
    """For each month from the first hire or declaration to `as_of`: hires on the roster at its end (or on
    `as_of` in its month), and the last headcount the enterprise declared by then (None before any)."""
    spans = list(hires)
    counts = sorted(declared)
    starts = [s for s, _ in spans] + [d for d, _ in counts]
    if not starts or min(starts) > as_of:
        return []
    out: list[tuple[str, int, int | None]] = []
    for month in months_between(min(starts), as_of):
        on = min(month_end(month), as_of)
        on_roster = sum(1 for start, end in spans if hire_active(start, end, on))
        last = [n for d, n in counts if d <= on]
        out.append((month, on_roster, last[-1] if last else None))
    return out


def money_chart(title: str, rows: Sequence[tuple[str, int]], width: int = 76) -> Text:
    """One line a month: the month, a bar, the amount (万); the title above."""
    text = Text(title + "\n", style="bold")
    if not rows:
        return text
    top = max(fen for _, fen in rows)
    figures = [format_amount(Amount(fen)) if fen else "0" for _, fen in rows]
    room = max(width - 8 - max(len(f) for f in figures) - 2, 4)
    for (month, fen), figure in zip(rows, figures, strict=True):
        text.append(f"{month} ")
        text.append(bar(fen, top, room).ljust(room), style="green")
        text.append(f" {figure}\n")
    return text


def hires_chart(title: str, legend: str, rows: Sequence[tuple[str, int, int | None]], width: int = 76) -> Text:
    """One line a month: the month, a bar of hires on the roster, their number and the declared one."""
    text = Text(title + "\n", style="bold")
    text.append(legend + "\n", style="dim")
    if not rows:
        return text
    top = max(max(n, d or 0) for _, n, d in rows)
    room = max(width - 8 - 12, 4)
    for month, on_roster, declared in rows:
        text.append(f"{month} ")
        text.append(bar(on_roster, top, room).ljust(room), style="cyan")
        text.append(f" {on_roster:>4d}")
        text.append(f" {'' if declared is None else declared:>5}\n", style="yellow")
    return text
