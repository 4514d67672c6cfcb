"""Shared fixtures: a fresh store on SQLite and on a throwaway PostgreSQL server, and inline documents."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fundtrack.io.config import Config, load_config
from fundtrack.service.importing import import_files
from fundtrack.storage.db import database, open_database
from fundtrack.storage.migrations import migrate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = sorted((ROOT / "sample_data").glob("*.toml"))


def _pg_bin() -> Path:
    if os.environ.get("FUNDTRACK_PG_BIN"):
        return Path(os.environ["FUNDTRACK_PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()

os.environ["FUNDTRACK_NO_USER_CONFIG"] = "1"
# Backups of test databases without a folder of their own (PostgreSQL) stay out of the user's data folder.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="fundtrack-test-data-")


def _pg_available() -> bool:
    return (PG_BIN / "initdb").exists()


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and pg_ctl refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server for this test session; its base URL (without a database name)."""
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL server binaries missing under {PG_BIN}: CI must install them")
        pytest.skip("PostgreSQL server binaries not installed")
    base = Path(tempfile.mkdtemp(prefix="fundtrack-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    data, port = base / "data", _free_port()
    subprocess.run(
        _as_postgres(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(base / "log"),
                "-w",
                "-o",
                f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


def _create_pg_database(server: str) -> str:
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # a generated identifier, not user input
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated store on each backend; yields the --db target."""
    if request.param == "sqlite":
        target = str(tmp_path / "test.db")
    else:
        target = _create_pg_database(request.getfixturevalue("pg_server"))
    open_database(target)
    migrate()
    yield target
    database.close()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[str]:
    """A fresh SQLite store only, for tests about SQLite itself."""
    target = str(tmp_path / "test.db")
    open_database(target)
    migrate()
    yield target
    database.close()


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(use_user_file=False)


HEADER = """
format = "fundtrack/1"
[village]
name = "测试村"
"""


def write_doc(tmp_path: Path, body: str, name: str = "doc.toml", header: bool = True) -> str:
    path = tmp_path / name
    path.write_text((HEADER if header else "") + textwrap.dedent(body), encoding="utf-8")
    return str(path)


def load_doc(tmp_path: Path, config: Config, body: str, header: bool = True) -> None:
    """Import an inline fundtrack/1 document into the current store (beancount's load_doc habit)."""
    import_files([write_doc(tmp_path, body, f"doc-{uuid.uuid4().hex[:6]}.toml", header)], config.import_options)


TUI_AS_OF = dt.date(2025, 6, 30)


@pytest.fixture
def tui_app(sqlite_db: str, config: Config):
    """The app on a SQLite store holding the sample data, as of a fixed date."""
    from fundtrack.cli.main import main
    from fundtrack.tui.app import make_app

    assert main(["--db", sqlite_db, "import", *map(str, SAMPLE)]) == 0
    return make_app(config, as_of=TUI_AS_OF)
