"""The `?` panel: every key the screen answers to, the screen's own first.

Textual's key panel lists the focused widget's keys first (a table's eleven cursor moves), so at 80×24
what a screen is for (v 自筹, i 导入, p 打印...) was below the window's edge. Here the screen's keys come
first, then the app's, then the focused widget's; the panel scrolls with the wheel.
"""

from __future__ import annotations

from collections import defaultdict

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

_EVERY_SCREENS = {b.action if isinstance(b, Binding) else b[1] for b in Screen.BINDINGS}
"""Textual's own keys on every screen (tab, shift+tab, copy): shown last, with the widgets' moves."""


def _rank(namespace: object, binding: Binding) -> int:
    if isinstance(namespace, Screen):
        return 3 if binding.action in _EVERY_SCREENS else 0
    return 1 if namespace is getattr(namespace, "app", None) else 2


def key_groups(screen: Screen) -> list[list[tuple[Binding, list[Binding]]]]:
    """The screen's active keys in groups (screen, app, each focused widget), one entry per action:
    (the binding that describes it, every binding of that action, whose keys are shown together)."""
    groups: dict[int, dict[object, dict[str, list[Binding]]]] = defaultdict(dict)
    for namespace, binding, _enabled, _tooltip in screen.active_bindings.values():
        if binding.system or not binding.description:
            continue
        by_action = groups[_rank(namespace, binding)].setdefault(namespace, {})
        by_action.setdefault(binding.action, []).append(binding)
    out = []
    for rank in sorted(groups):
        for by_action in groups[rank].values():
            out.append([(bindings[0], bindings) for bindings in by_action.values()])
    return [group for group in out if group]


class KeysPanel(VerticalScroll, can_focus=False):
    """The keys of the screen it is mounted on, refreshed when they change (focus moves, a tab opens)."""

    DEFAULT_CSS = """
    KeysPanel {
        split: right;
        width: 33%;
        min-width: 30;
        max-width: 60;
        border-left: vkey $foreground 30%;
        padding: 0 1;
        height: 1fr;
    }
    KeysPanel > Static { width: auto; height: auto; }
    KeysPanel > .keys-panel--key { color: $text-accent; text-style: bold; }
    KeysPanel > .keys-panel--description { color: $foreground; }
    """
    COMPONENT_CLASSES = {"keys-panel--key", "keys-panel--description"}
    DEFAULT_CLASSES = "-textual-system"

    def compose(self) -> ComposeResult:
        yield Static(id="keys-table")

    def on_mount(self) -> None:
        self._show()
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.call_after_refresh(self._show))

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _show(self) -> None:
        if not self.is_attached:
            return
        key_style = self.get_component_rich_style("keys-panel--key")
        text_style = self.get_component_rich_style("keys-panel--description")
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right")
        table.add_column()
        display = self.app.get_key_display
        for n, group in enumerate(key_groups(self.screen)):
            if n:
                table.add_row("", "")
            for first, bindings in group:
                keys = " ".join(dict.fromkeys(display(b) for b in bindings))
                described = Text(first.description, style=text_style)
                if first.tooltip and not first.tooltip.startswith(first.description):  # not 退出 退出程序
                    described.append(" " + first.tooltip, "dim")
                table.add_row(Text(keys, style=key_style), described)
        self.query_one("#keys-table", Static).update(table)
