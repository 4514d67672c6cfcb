"""A PostgreSQL database's password never reaches pg_dump's or pg_restore's command line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import peewee
import pytest

from fundtrack.storage import backup
from fundtrack.storage.db import database


def test_the_password_reaches_pg_dump_by_its_environment_not_its_argv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bound = peewee.PostgresqlDatabase("fund", user="clerk", password="s3cret-pw", host="db.example", port=5432)
    monkeypatch.setattr(database, "obj", bound)
    monkeypatch.setattr(backup, "pg_tool", lambda name: name)
    calls: list[tuple[list[str], dict[str, str]]] = []

    def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append((cmd, dict(kwargs.get("env") or {})))  # type: ignore[arg-type]
        return subprocess.CompletedProcess(cmd, 1, b"", b"stopped here")

    monkeypatch.setattr(backup.subprocess, "run", run)
    with pytest.raises(backup.BackupError):
        backup.dump_postgres(tmp_path / "x.dump")
    (cmd, env), *_ = calls
    assert not any("s3cret" in arg for arg in cmd), cmd
    assert "--dbname=postgresql://clerk@db.example:5432/fund" in cmd
    assert env.get("PGPASSWORD") == "s3cret-pw"
