"""The app shows each finding's severity in the style the command's Theme gives it (fundtrack.styles)."""

from __future__ import annotations

from rich.style import Style

from fundtrack.styles import STYLES
from fundtrack.tui.app import FundtrackApp
from fundtrack.tui.screens.lists import FindingsScreen
from fundtrack.tui.widgets.record_table import RecordTable
from tests.test_tui import settle


async def test_the_findings_list_shows_each_severity_styled(tui_app: FundtrackApp) -> None:
    app = tui_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        assert isinstance(app.screen, FindingsScreen)
        table = app.screen.query_one("#list", RecordTable)
        severities = [row.data.severity for row in table.filtered]
        assert {"error", "warning", "info"} <= set(severities)
        for i, severity in enumerate(severities):
            cell = table.get_row_at(i)[0]
            assert Style.parse(str(cell.style)) == Style.parse(STYLES[f"severity.{severity}"]), (i, cell.style)
        # What the terminal gets: below the header and the cursor row, each label in its colour (a row
        # whose message is wrapped takes more than one line).
        tops = [1]
        for row in table.ordered_rows:
            tops.append(tops[-1] + row.height)
        for i in range(1, len(severities)):
            y = tops[i]
            if y >= table.size.height:
                break
            severity = severities[i]
            label = str(table.get_row_at(i)[0])
            segment = next(s for s in table.render_line(y) if s.text == label)
            assert segment.style is not None
            assert segment.style.color == Style.parse(STYLES[f"severity.{severity}"]).color, (y, segment)
