"""The command palette in the app's language: its prompt, its "no matches" line, Textual's own commands."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from rich.align import Align
from rich.text import Text
from textual.app import App, SystemCommand
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.widgets.option_list import Option

from fundtrack.tui.strings import t

THEMES = (("theme.dark", "textual-dark"), ("theme.light", "textual-light"), ("theme.terminal", "textual-ansi"))
"""The themes offered, by their names in the catalog: the built-in ones of Textual that suit a ledger."""


def _language(app: App) -> str:
    return getattr(app, "language", "en")


class Palette(CommandPalette):
    """Textual's command palette, its prompt and its "no matches" line in the app's language."""

    def __init__(self, language: str, providers: object = None, placeholder_key: str = "palette.search") -> None:
        super().__init__(providers, placeholder=t(language, placeholder_key), id="--command-palette")  # type: ignore[arg-type]
        self.language = language

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(t(self.language, "palette.no_matches"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class ThemeChoices(Provider):
    """The themes, by names in the app's language."""

    def _themes(self) -> list[tuple[str, str]]:
        language = _language(self.app)
        return [(t(language, key), name) for key, name in THEMES if name in self.app.available_themes]

    def _set(self, name: str) -> None:
        self.app.theme = name

    async def discover(self) -> Hits:
        for label, name in self._themes():
            yield DiscoveryHit(label, partial(self._set, name))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, name in self._themes():
            if (score := matcher.match(label)) > 0:
                yield Hit(score, matcher.highlight(label), partial(self._set, name))


def system_commands(app: App, screen: Screen) -> Iterable[SystemCommand]:
    """Textual's own palette commands (theme, keys, maximize, screenshot, quit), in the app's language."""
    language = _language(app)

    def command(key: str, callback: object) -> SystemCommand:
        return SystemCommand(t(language, f"palette.{key}"), t(language, f"palette.{key}.help"), callback)  # type: ignore[arg-type]

    yield command("theme", lambda: app.push_screen(Palette(language, [ThemeChoices], "palette.search_theme")))
    if screen.query("KeysPanel"):
        yield command("keys_hide", app.action_hide_help_panel)
    else:
        yield command("keys", app.action_show_help_panel)
    if screen.maximized is not None:
        yield command("minimize", screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield command("maximize", screen.action_maximize)
    yield command("screenshot", lambda: app.set_timer(0.1, partial(save_screenshot, app)))
    yield command("quit", app.action_quit)


def save_screenshot(app: App) -> None:
    """The screen as an SVG picture in the exports folder, and a note that says where."""
    language = _language(app)
    folder = Path.home() / "fundtrack-exports"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = app.save_screenshot(path=str(folder))
    except OSError as exc:
        app.notify(t(language, "palette.screenshot_failed", path=str(folder), why=os_error_text(language, exc)))
        return
    app.notify(t(language, "word.exported", path=path), timeout=8)


def os_error_text(language: str, exc: OSError) -> str:
    """Why a file could not be written, in words (the system's own text is English)."""
    import errno

    key = {
        errno.EACCES: "oserror.denied",
        errno.EPERM: "oserror.denied",
        errno.ENOENT: "oserror.missing",
        errno.ENOTDIR: "oserror.missing",
        errno.ENOSPC: "oserror.full",
        errno.EROFS: "oserror.read_only",
        errno.EISDIR: "oserror.is_folder",
        errno.EEXIST: "oserror.exists",
    }.get(exc.errno or 0)
    if key is not None:
        return t(language, key)
    return t(language, "oserror.other", code=exc.errno or "?") if language == "zh" else str(exc.strerror or exc)
