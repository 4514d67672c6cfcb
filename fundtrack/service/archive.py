"""A backup without pg_dump: a ZIP of one fundtrack/1 export per village, and its restore."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from fundtrack.io import export
from fundtrack.io.files import write_file
from fundtrack.io.fundfile import DEFAULT_OPTIONS, Known, Options, check_document
from fundtrack.io.problems import InputError, Problem
from fundtrack.service.export import village_document
from fundtrack.service.importing import import_files
from fundtrack.storage import queries, writes
from fundtrack.storage.backup import BackupError, newest_schema
from fundtrack.storage.db import write_transaction

FORMAT = "fundtrack-backup/1"
MANIFEST = "manifest.json"
SUFFIX = ".zip"


def is_archive(path: Path) -> bool:
    """Whether `path` is a ZIP file (the only kind of backup this module reads); a pipe is not opened."""
    if not path.is_file():
        return False
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


_MEMBER = re.compile(r"village-[0-9]{4,}\.toml")


def _member(i: int) -> str:
    return f"village-{i:04d}.toml"


def write_archive(dest: Path, options: Options = DEFAULT_OPTIONS) -> Path:
    """Every village's live records (personal data included) as fundtrack/1 TOML in a ZIP at `dest`,
    0600, checked (with `options`) before it takes the name (a temporary file in its folder, renamed)."""
    if not dest.parent.is_dir():
        raise BackupError("backup_no_folder", folder=str(dest.parent))
    rows = queries.villages()
    members = {
        _member(i): export.to_toml(village_document(row.id, queries.village_values(row), with_personal_data=True))
        for i, row in enumerate(rows, 1)
    }
    manifest = {
        "format": FORMAT,
        "schema": newest_schema(),
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "villages": {name: row.name for name, row in zip(members, rows, strict=True)},
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        for name, text in members.items():
            zf.writestr(name, text)
    data = buf.getvalue()
    read_archive(data, str(dest), options)
    write_file(dest, data, private=True)
    return dest


def read_archive(data: bytes, shown: str, options: Options) -> dict[str, str]:
    """The members of a backup ZIP (name -> TOML text), each checked clean as a fundtrack/1 file on its
    own. Raises BackupError when the ZIP is damaged, not such a backup, or a member has a problem."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise BackupError("backup_damaged", file=shown, message=bad)
            names = set(zf.namelist())
            if MANIFEST not in names:
                raise BackupError("backup_not_fundtrack", file=shown)
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError("backup_not_fundtrack", file=shown)
            villages = manifest.get("villages")
            schema = manifest.get("schema")
            if not isinstance(villages, dict) or not isinstance(schema, int) or names != {MANIFEST, *villages}:
                raise BackupError("backup_not_fundtrack", file=shown)
            if not all(_MEMBER.fullmatch(name) for name in villages):  # names become paths on restore
                raise BackupError("backup_not_fundtrack", file=shown)
            if schema > newest_schema():
                raise BackupError("backup_newer_schema", file=shown, version=schema, newest=newest_schema())
            texts = {name: zf.read(name).decode("utf-8") for name in sorted(villages)}
    except BackupError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, UnicodeDecodeError, ValueError, EOFError) as exc:
        raise BackupError("backup_damaged", file=shown, message=str(exc) or type(exc).__name__) from exc
    for name, text in texts.items():
        checked = check_document(name, text, lambda _village: Known(), options)
        if checked.problems:
            raise BackupError("backup_damaged", file=shown, message=_located(checked.problems[0]))
        if checked.village is None or checked.village.name != villages[name]:
            raise BackupError("backup_not_fundtrack", file=shown)
    return texts


def _located(problem: Problem) -> str:
    """A member's first problem, located by the member's name."""
    line = f":{problem.line}" if problem.line else ""
    return f"{Path(problem.file).name}{line}: {problem.where}: {problem.what}"


def restore_archive(source: Path, shown: str, keep: Callable[[], object], options: Options, operator: str = "") -> None:
    """Replace every record of the bound database with those of a backup ZIP: the ZIP is checked
    first, `keep()` then copies the database being replaced, and in one write transaction every
    fundtrack table is emptied and every member imported (a failure leaves the database as it was)."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise BackupError("backup_unreadable", file=shown, message=exc.strerror or str(exc)) from exc
    texts = read_archive(data, shown, options)
    keep()
    with tempfile.TemporaryDirectory(prefix="fundtrack-restore-") as folder:  # 0700
        paths = []
        for name, text in texts.items():
            path = Path(folder) / name
            write_file(path, text, private=True)
            paths.append(str(path))
        with write_transaction():
            writes.lock_writers()
            writes.delete_everything()
            try:
                import_files(paths, options, operator=operator)
            except InputError as exc:
                raise BackupError("backup_damaged", file=shown, message=_located(exc.problems[0])) from exc
