"""A DataTable that holds its rows as plain data and shows one filtered page at a time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from fundtrack.ledger.text import visible
from fundtrack.tui.search import matcher, narrows

PAGE_SIZE = 200
# A table this large is filtered once typing pauses, not at every key (a county's findings
# take seconds to go through).
QUIET_ROWS = 20_000
QUIET_S = 0.3


@dataclass(frozen=True)
class Column:
    """A column: its heading, and whether figures in it align right."""

    label: str
    right: bool = False
    width: int | None = None


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
        self.page = 0

    @property
    def filtered(self) -> list[Row]:
        return self._shown

    @property
    def pages(self) -> int:
        return max(1, -(-len(self._shown) // self.page_size))

    def set_data(self, columns: Sequence[Column], rows: Sequence[Row], keep_cursor: bool = True) -> None:
        old_key = self.current_key() if keep_cursor else None
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
        for row in self._shown[start : start + self.page_size]:
            cells = [self._cell(c, col, row.voided) for c, col in zip(row.values, self._columns, strict=False)]
            self.add_row(*cells, key=row.key)
        if keep_key is not None:
            try:
                self.move_cursor(row=self.get_row_index(keep_key))
            except Exception:  # noqa: BLE001 -- the row is on another page or gone
                pass
        self.post_message(self.PageChanged(self, self.page + 1, self.pages, len(self._shown)))

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
