"""Pure builders of rich tables for the reports; only the command entry owns a Console."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from fundtrack.io.reports import PROJECT_COLUMNS, funder_label
from fundtrack.ledger.breakdown import Breakdown, Totals
from fundtrack.ledger.levies import LevyReport
from fundtrack.ledger.messages import label
from fundtrack.ledger.money import Amount, format_amount, format_percent
from fundtrack.ledger.quotas import QuotaReport, worst_first
from fundtrack.ledger.reconcile import Reconciliation, by_severity
from fundtrack.ledger.text import visible
from fundtrack.styles import STYLES, money_text

THEME = Theme(STYLES)
_money = partial(money_text, themed=True)


def _data(text: str) -> Text:
    """Text from the store as a cell or title: shown as written, never read as markup or control."""
    return Text(visible(text))


class Fitted:
    """A table whose amounts never break: when its columns do not fit the terminal even with every name
    wrapped, the columns after the first `keep` are dealt over several tables, each repeating those."""

    def __init__(self, table: Table, keep: int):
        self.table, self.keep = table, keep

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        values = list(range(self.keep, len(self.table.columns)))
        for parts in range(1, len(values) + 1):
            size = -(-len(values) // parts)
            groups = [values[i : i + size] for i in range(0, len(values), size)]
            if parts == len(values) or all(self._least(g) <= options.max_width for g in groups):
                break
        if len(groups) == 1:
            yield self.table
            return
        for n, group in enumerate(groups):
            yield self._part(group, first=n == 0, last=n == len(groups) - 1)

    def _least(self, group: list[int]) -> int:
        """The narrowest the table of the kept columns and `group` can be: names folded, amounts whole."""
        columns = [self.table.columns[i] for i in [*range(self.keep), *group]]
        width = len(columns) + 1 + 2 * len(columns)  # the lines between columns, and each side's padding
        for column in columns:
            if column.no_wrap:
                cells = [column.header, *column.cells]
                width += max(cell_len(c.plain if isinstance(c, Text) else str(c)) for c in cells)
            else:
                width += max(column.min_width or 0, 2)
        return width

    def _part(self, group: list[int], first: bool, last: bool) -> Table:
        source = self.table
        table = Table(
            title=source.title if first else None,
            title_justify=source.title_justify,
            caption=source.caption if last else None,
            caption_justify=source.caption_justify,
        )
        chosen = [source.columns[i] for i in [*range(self.keep), *group]]
        for c in chosen:
            table.add_column(c.header, justify=c.justify, overflow=c.overflow, no_wrap=c.no_wrap, min_width=c.min_width)
        cells = [list(c.cells) for c in chosen]
        for n, row in enumerate(source.rows):
            table.add_row(*(column[n] for column in cells), end_section=row.end_section)
        return table


def build_breakdown_table(
    report: Breakdown, unit: str, language: str, kind_name: Callable[[str], str], village: str = ""
) -> Group:
    """The breakdown's summary table and each project's funders; `village` heads the title of one village's part."""
    L = lambda key: label(language, key)  # noqa: E731
    summary = Table(
        title=_data(
            f"{village + ' · ' if village else ''}{L('title.breakdown')} · {L('word.as_of')} {report.as_of} · "
            f"{L('word.unit')}: {unit}"
        ),
        title_justify="left",
    )
    code, project, status, *money = PROJECT_COLUMNS
    # At 80 columns the names wrap (a code folds), the status and the amounts never do.
    summary.add_column(L(code), overflow="fold")
    summary.add_column(L(project), overflow="fold", min_width=max(4, cell_len(L(project))))
    summary.add_column(L(status), no_wrap=True)
    for key in money:
        summary.add_column(L(key), justify="right", no_wrap=True)
    for b in report.projects:
        summary.add_row(
            _data(b.project.code),
            _data(b.project.name),
            L(f"status.{b.project.status}"),
            _money(b.budget, unit),
            _money(b.pledged, unit),
            _money(b.received, unit),
            _money(b.spent, unit),
            _money(b.gap, unit),
        )
    t = report.totals
    summary.add_section()
    summary.add_row(
        "",
        Text(L("title.totals"), style="total"),
        "",
        _money(t.budget, unit),
        _money(t.pledged, unit),
        _money(t.received, unit),
        _money(t.spent, unit),
        "",
    )
    parts: list[Fitted] = [Fitted(summary, 2)]
    for b in report.projects:
        if not b.by_funder and not b.in_kind:
            continue
        detail = Table(title=_data(f"{b.project.name} ({b.project.code})"), title_justify="left")
        detail.add_column(L("col.kind"), overflow="fold")
        detail.add_column(L("col.funders"), overflow="fold", min_width=4)
        detail.add_column(L("col.form"), overflow="fold")
        for key in ("col.pledged", "col.share", "col.received", "col.outstanding"):
            detail.add_column(L(key), justify="right", no_wrap=True)
        for ln in b.by_funder:
            pledged = _money(ln.pledged, unit)
            if ln.only_unvalued:
                pledged = Text(L("word.unvalued"), style="dim")
            detail.add_row(
                kind_name(ln.kind),
                _data(funder_label(ln, language)),
                L(f"form.{ln.form}"),
                pledged,
                format_percent(ln.share),
                _money(ln.received, unit),
                _money(ln.outstanding, unit) if ln.expects_receipts else _money(None, unit),
            )
        parts.append(Fitted(detail, 2))
    return Group(*parts)


def build_quotas_table(report: QuotaReport, language: str) -> Table:
    L = lambda key: label(language, key)  # noqa: E731
    table = Table(title=f"{L('title.quotas')} · {L('word.as_of')} {report.as_of}", title_justify="left")
    table.add_column(L("col.enterprise"), overflow="fold", ratio=3)
    table.add_column(L("col.enterprise_kind"), overflow="fold", ratio=2)
    for key in ("quota", "registered", "declared", "shortfall"):
        table.add_column(L(f"col.{key}"), justify="right", no_wrap=True)
    table.add_column(L("col.declared_on"), no_wrap=True)
    table.add_column(L("col.status"), no_wrap=True)
    for ln in worst_first(report):
        e = ln.fact
        table.add_row(
            _data(e.name),
            L(f"enterprise.{e.kind}"),
            str(e.quota),
            str(e.registered),
            "—" if e.declared is None else str(e.declared),
            str(ln.shortfall),
            e.declared_on.isoformat() if e.declared_on else "—",
            Text(L(f"quota.{ln.status}"), style=f"quota.{ln.status}"),
        )
    t = report.totals
    table.add_section()
    table.add_row(
        Text(L("title.totals"), style="total"), "", str(t.quota), str(t.registered), "", str(t.shortfall), "", ""
    )
    table.caption = f"{L('quota.met')} {t.met} · {L('quota.short')} {t.short} · {L('quota.no_data')} {t.no_data}"
    table.caption_justify = "left"
    return table


def _counts_text(counts: dict[str, int], language: str) -> str:
    L = lambda key: label(language, key)  # noqa: E731
    return (
        f"{L('severity.error')} {counts['error']} · {L('severity.warning')} {counts['warning']} · "
        f"{L('severity.info')} {counts['info']}"
    )


def build_findings_table(rec: Reconciliation, language: str, village: str = "") -> Table:
    """The findings; `village` heads the title of one village's part."""
    L = lambda key: label(language, key)  # noqa: E731
    table = Table(
        title=_data(
            f"{village + ' · ' if village else ''}{L('title.findings')} · {L('word.as_of')} {rec.as_of} · "
            + _counts_text(rec.counts(), language)
        ),
        title_justify="left",
    )
    # The finding in words (its message); its code is for scripts (JSON).
    table.add_column(L("col.severity"), no_wrap=True)
    table.add_column(L("col.message"), overflow="fold")
    for f in by_severity(rec.findings):
        table.add_row(Text(L(f"severity.{f.severity}"), style=f"severity.{f.severity}"), _data(f.message))
    return table


def build_history_table(entries: list, language: str) -> Table:
    """The audit trail as a committee reads it (the app's words: tui/history_words.py): the action and the
    record by its name, the fields by their form labels, values in words; JSON keeps the raw entries."""
    from fundtrack.tui.history_words import change_words, entry_words
    from fundtrack.tui.strings import t

    table = Table(title=t(language, "screen.history"), title_justify="left")
    # Words wrap; numbers and times never do (at 80 columns the change takes what is left).
    table.add_column(HISTORY_WORDS[language]["batch"], no_wrap=True, justify="right")
    table.add_column(HISTORY_WORDS[language]["at"], no_wrap=True, min_width=10)
    table.add_column(t(language, "col.operator"), overflow="fold", ratio=1)
    table.add_column(t(language, "col.action"), overflow="fold", ratio=3)
    table.add_column(t(language, "col.change"), overflow="fold", ratio=3)
    for e in entries:
        what = entry_words(language, e) + (HISTORY_WORDS[language]["undone"] if e.undone else "")
        change = change_words(language, e) if e.table is not None else ""
        table.add_row(str(e.batch), str(e.at)[:16], _data(e.operator), _data(what), _data(change))
    return table


HISTORY_WORDS = {
    "zh": {"batch": "批次", "at": "时间", "undone": "（已撤销）"},
    "en": {"batch": "batch", "at": "at", "undone": " (undone)"},
}


def build_county_totals(totals: Totals, villages: int, unit: str, language: str) -> Table:
    """The closing table of a breakdown printed village by village: every village's projects together."""
    L = lambda key: label(language, key)  # noqa: E731
    table = Table(title=_data(f"{L('title.totals')} · {L('word.all_villages')} ({villages})"), title_justify="left")
    for key in ("budget", "pledged", "received", "spent"):
        table.add_column(L(f"col.{key}"), justify="right", no_wrap=True)
    table.add_row(*(_money(getattr(totals, key), unit) for key in ("budget", "pledged", "received", "spent")))
    return table


def build_county_findings_line(counts: dict[str, int], ok: bool, villages: int, language: str) -> Text:
    """The closing line of findings printed village by village."""
    L = lambda key: label(language, key)  # noqa: E731
    verdict = L("word.ok") if ok else L("word.not_ok")
    return _data(
        f"{L('title.findings')} · {L('word.all_villages')} ({villages}) · {_counts_text(counts, language)} · {verdict}"
    )


def _whole(amount: Amount, unit: str) -> Text:
    """A roll's amount without its .00 when whole (20,000 元), so that 80 columns hold the row."""
    text = _money(amount, unit)
    if text.plain.endswith(".00"):
        text.right_crop(3)
    return text


def build_levies_table(report: LevyReport, language: str, only_unpaid: bool = False) -> Group:
    """The levy roll: per levy a table of its households (户号, 户主, 自然村, 应交, 已交, 欠交, 状态)."""
    from fundtrack.io import levies

    L = lambda key: label(language, key)  # noqa: E731
    title = L("title.levies_unpaid" if only_unpaid else "title.levies")
    parts: list[object] = [Text(f"{title} · {L('word.as_of')} {report.as_of} · {L('word.unit')}: {levies.UNIT}")]
    if not report.levies:
        parts.append(Text(L("word.no_levies")))
    for lv in report.levies:
        table = Table(title=_data(f"{lv.village} · {levies.levy_title(lv, language)}"), title_justify="left")
        table.add_column(L("col.household"), no_wrap=True)  # a code cut in two (新云-0/61) misleads
        for key in ("head", "settlement"):
            table.add_column(L(f"col.{key}"), overflow="fold")
        for key in ("expected", "paid", "owed"):
            table.add_column(L(f"col.{key}"), justify="right", no_wrap=True)
        table.add_column(L("col.status"), no_wrap=True)
        for ln in levies.shown(lv, only_unpaid):
            table.add_row(
                _data(ln.household),
                _data(ln.head or ""),
                _data(ln.settlement or ""),
                _whole(ln.expected, levies.UNIT),
                _whole(ln.paid, levies.UNIT),
                _whole(ln.outstanding, levies.UNIT),
                Text(L(f"levy.{ln.status}"), style=f"levy.{ln.status}"),
            )
        table.add_section()
        table.add_row(
            Text(L("title.totals_roll" if only_unpaid else "title.totals"), style="total"),
            "",
            "",
            _whole(lv.expected, levies.UNIT),
            _whole(lv.paid, levies.UNIT),
            _whole(lv.outstanding, levies.UNIT),
            "",
        )
        caption = levies.counts_text(lv, language)
        if lv.unassigned.fen:
            caption += " · " + L("word.unassigned").format(amount=format_amount(lv.unassigned, levies.UNIT))
        table.caption = caption
        table.caption_justify = "left"
        parts.append(table)
    return Group(*parts)
