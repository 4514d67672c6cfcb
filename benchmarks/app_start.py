"""Start an app headless and stop once its first screen shows data: fundtrack's dashboard, or a bare DataTable app.

    python benchmarks/app_start.py fundtrack DB
    python benchmarks/app_start.py bare DB

The bare app reads the same projects with sqlite3 and shows them in one DataTable:
the floor for "a Textual app that shows a table of this database".
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys


async def painted(app: object) -> None:
    """Until the screen has been refreshed once more: what is in the widgets now is on the screen.

    (Not pilot.pause(): that waits until the app is idle, which, while fundtrack's worker
    thread reads the full ledger, is long after the dashboard is on the screen.)
    """
    done = asyncio.Event()
    app.call_after_refresh(done.set)  # type: ignore[attr-defined]
    await done.wait()


def bare(db: str) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("code", "name", "status", "budget")
            rows = sqlite3.connect(db).execute("SELECT code, name, status, budget_fen FROM project ORDER BY id")
            table.add_rows(rows.fetchmany(200))

    async def run() -> None:
        app = Bare()
        async with app.run_test(size=(120, 40)) as pilot:
            while not app.query(DataTable) or app.query_one(DataTable).row_count == 0:
                await pilot.pause(0.01)
            await painted(app)
            os._exit(0)

    asyncio.run(run())


def fundtrack(db: str) -> None:
    from fundtrack.io.config import load_config
    from fundtrack.storage.db import open_database
    from fundtrack.tui.app import make_app

    os.environ["FUNDTRACK_NO_USER_CONFIG"] = "1"
    open_database(db)
    app = make_app(load_config())

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            # The first dashboard: the first snapshot's rows in the projects table, on the screen.
            while app.snapshot is None or app.screen.query_one("#projects").row_count == 0:
                await pilot.pause(0.01)
            await painted(app)
            if os.environ.get("FUNDTRACK_BENCH_FULL"):
                while not app.snapshot.complete:
                    await pilot.pause(0.05)
                await painted(app)
            # Stop the clock here: leaving run_test would first wait for the background worker.
            os._exit(0)

    asyncio.run(run())


if __name__ == "__main__":
    {"bare": bare, "fundtrack": fundtrack}[sys.argv[1]](sys.argv[2])
