"""A DataTable that holds its rows as plain data, shows one filtered page at a time and fits the screen's width."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from fundtrack.ledger.text import visible
from fundtrack.tui.search import matcher, narrows

PAGE_SIZE = 200
# A table this large is filtered once typing pauses, not at every key (a county's findings
# take seconds to go through).
QUIET_ROWS = 20_000
QUIET_S = 0.3


SHORTEN = "shorten"
WRAP = "wrap"
ELLIPSIS = "…"


@dataclass(frozen=True)
class Column:
    """A column: its heading, whether figures in it align right, and how it gives way on a narrow screen:
    `fit` SHORTEN cuts the middle of a long text (its start and its end, where marks such as "(共同)"
    are, stay), WRAP folds it onto more lines and takes the room the other columns leave."""

    label: str
    right: bool = False
    width: int | None = None
    fit: str = ""
    min_width: int = 10
    max_width: int | None = None
    """Longer texts are cut in the middle to this many cells."""


def shorten_middle(text: str, width: int) -> str:
    """`text` in at most `width` cells: the start and the end kept, an ellipsis for the middle."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    tail, cells = "", 0
    for ch in reversed(text):
        if cells + cell_len(ch) > (width - 1) // 2:
            break
        tail = ch + tail
        cells += cell_len(ch)
    head_cells = width - 1 - cells  # what the end leaves (a wide character may leave one more)
    head, cells = "", 0
    for ch in text:
        if cells + cell_len(ch) > head_cells:
            break
        head += ch
        cells += cell_len(ch)
    return head + ELLIPSIS + tail


def _cell_width(value: Any) -> int:
    if isinstance(value, Text):
        return max((cell_len(line) for line in value.plain.splitlines()), default=0)
    return cell_len("" if value is None else str(value))


@dataclass(frozen=True)
class Row:
    """One row: a key that says what it points at, its cells, and the texts a filter searches."""

    key: str
    cells: tuple[Any, ...] | Callable[[], tuple[Any, ...]]
    """The cells, or a function that makes them when the row's page is shown (10,000 rows, 200 shown)."""
    search: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()
    """The texts a filter searches, or a function that gives them when a filter is typed."""
    voided: bool = False
    data: Any = field(default=None, compare=False)

    @property
    def values(self) -> tuple[Any, ...]:
        return self.cells() if callable(self.cells) else self.cells

    @property
    def texts(self) -> tuple[str, ...]:
        return self.search() if callable(self.search) else self.search


class RecordTable(DataTable):
    """Rows are kept as data; only the current page of the filtered rows is in the widget."""

    BINDINGS = [
        Binding("right_square_bracket", "page(1)", "key.next_page", show=False),
        Binding("left_square_bracket", "page(-1)", "key.prev_page", show=False),
    ]

    @dataclass
    class PageChanged(Message):
        """The page or the filter changed: what the status line should say."""

        table: RecordTable
        page: int
        pages: int
        rows: int

    def __init__(self, *, page_size: int = PAGE_SIZE, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.page_size = page_size
        self._columns: list[Column] = []
        self._all: list[Row] = []
        self._shown: list[Row] = []
        self._query = ""
        self._pending: Any = None
        self._fit: int | None = None
        self._laid_out_width = 0
        self.page = 0

    @property
    def filtered(self) -> list[Row]:
        return self._shown

    @property
    def pages(self) -> int:
        return max(1, -(-len(self._shown) // self.page_size))

    def set_data(
        self, columns: Sequence[Column], rows: Sequence[Row], keep_cursor: bool = True, fit: int | None = None
    ) -> None:
        """Show `rows` under `columns`. Where a column gives way (Column.fit), the first `fit` columns
        (all of them when None) are kept on the screen and the rest are reached by scrolling right."""
        old_key = self.current_key() if keep_cursor else None
        self._fit = fit
        # A name that gives way is the row's name: it stays on the screen when scrolling right.
        self.fixed_columns = 1 if columns and columns[0].fit == SHORTEN else 0
        if [c.label for c in columns] != [c.label for c in self._columns]:
            self.clear(columns=True)
            self._columns = list(columns)
            for i, col in enumerate(columns):
                self.add_column(
                    Text(col.label, justify="right") if col.right else col.label, key=str(i), width=col.width
                )
        self._all = list(rows)
        self._apply(old_key)

    def filter(self, query: str) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        if query and len(self._all) > QUIET_ROWS:
            self._pending = self.set_timer(QUIET_S, partial(self._filter_now, query))
        else:
            self._filter_now(query)

    def _filter_now(self, query: str) -> None:
        self._pending = None
        # A longer query only narrows what the last one showed: look there, not at every row.
        within = self._shown if narrows(self._query, query) else None
        self._query = query
        self.page = 0
        self._apply(None, within)

    def _apply(self, keep_key: str | None, within: list[Row] | None = None) -> None:
        rows = self._all if within is None else within
        match = matcher(self._query)
        self._shown = [r for r in rows if match(*r.texts)] if self._query else list(rows)
        if keep_key is not None:
            index = next((i for i, r in enumerate(self._shown) if r.key == keep_key), None)
            if index is not None:
                self.page = index // self.page_size
        self.page = min(self.page, self.pages - 1)
        self._render_page(keep_key)

    def _render_page(self, keep_key: str | None = None) -> None:
        self.clear()
        start = self.page * self.page_size
        page = [(row, row.values) for row in self._shown[start : start + self.page_size]]
        flex, width = self._flex_width([values for _, values in page])
        fitted = self._columns[flex].fit if flex is not None else ""
        capped = {i: col.max_width for i, col in enumerate(self._columns) if col.max_width}
        for row, values in page:
            if capped:
                values = tuple(_shortened(v, capped[i]) if i in capped else v for i, v in enumerate(values))
            if fitted == SHORTEN and flex is not None and flex < len(values):
                values = (*values[:flex], _shortened(values[flex], width), *values[flex + 1 :])
            cells = [self._cell(c, col, row.voided) for c, col in zip(values, self._columns, strict=False)]
            # Only a row whose text is longer than its column is measured for its height (it costs).
            wraps = fitted == WRAP and flex is not None and flex < len(values) and _cell_width(values[flex]) > width
            self.add_row(*cells, key=row.key, height=None if wraps else 1)
        if keep_key is not None:
            try:
                self.move_cursor(row=self.get_row_index(keep_key))
            except Exception:  # noqa: BLE001 -- the row is on another page or gone
                pass
        self.post_message(self.PageChanged(self, self.page + 1, self.pages, len(self._shown)))

    def _room(self) -> int:
        """The cells a row has on the screen (the vertical scrollbar's room kept free)."""
        width = self.size.width or self.app.size.width
        return width - self.styles.scrollbar_size_vertical

    def _flex_width(self, pages: list[tuple[Any, ...]]) -> tuple[int | None, int]:
        """The column that gives way and the width it gets so the columns that must show fit the screen."""
        flex = next((i for i, col in enumerate(self._columns) if col.fit), None)
        self._laid_out_width = self._room()
        if flex is None:
            return None, 0
        pad = 2 * self.cell_padding
        natural = [
            min(
                max([cell_len(col.label), *(_cell_width(v[i]) for v in pages if i < len(v))]),
                col.max_width or 10**6,
            )
            for i, col in enumerate(self._columns)
        ]
        shown = len(self._columns) if self._fit is None else self._fit
        others = sum(natural[i] + pad for i in range(min(shown, len(natural))) if i != flex)
        room = self._laid_out_width - others - pad
        col = self._columns[flex]
        width = (
            max(room, col.min_width)
            if col.fit == WRAP
            else max(min(natural[flex], room), min(col.min_width, natural[flex]))
        )
        column = self.columns.get(ColumnKey(str(flex)))
        if column is not None:
            column.width = max(width, 1)
            column.auto_width = False
        return flex, max(width, 1)

    def on_resize(self) -> None:
        """A column that gives way is laid out again for the new width."""
        if self._room() != self._laid_out_width and any(col.fit for col in self._columns):
            self._render_page(self.current_key())

    @staticmethod
    def _cell(value: Any, col: Column, voided: bool) -> Any:
        if isinstance(value, Text):
            text = value.copy()
        else:
            text = Text("" if value is None else visible(str(value)))
        if col.right:
            text.justify = "right"
        if voided:
            text.stylize("dim strike")
        return text

    def action_page(self, step: int) -> None:
        page = min(max(self.page + step, 0), self.pages - 1)
        if page != self.page:
            self.page = page
            self._render_page()

    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:  # noqa: BLE001
            return None
        return key.value

    def current_row(self) -> Row | None:
        key = self.current_key()
        if key is None:
            return None
        return next((r for r in self._shown if r.key == key), None)


def _shortened(value: Any, width: int) -> Any:
    """A cell's value cut in the middle to `width` cells (a Text keeps its style)."""
    if isinstance(value, Text):
        if value.cell_len <= width:
            return value
        return Text(shorten_middle(value.plain, width), style=value.style, justify=value.justify)
    return value if value is None else shorten_middle(str(value), width)
