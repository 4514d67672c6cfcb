"""Backup without pg_dump: a ZIP of fundtrack/1 exports that restores the same live records, refused when bad."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from fundtrack.service import archive
from fundtrack.storage import backup as mech
from fundtrack.storage import db
from tests.hostile.harness import SAMPLE, assert_check_clean, fingerprint, run

VILLAGES = ("xx彝族村", "第二村")


@pytest.fixture(autouse=True)
def no_pg_tools(monkeypatch: pytest.MonkeyPatch) -> object:
    # As on a machine without postgresql-client; files must come out 0600 whatever the umask.
    monkeypatch.setattr(mech, "pg_tool", lambda name: None)
    old = os.umask(0)
    yield None
    os.umask(old)
    db.before_write = None


def _two_villages(backend: str, tmp_path: Path) -> None:
    text = SAMPLE[0].read_text(encoding="utf-8")
    second = tmp_path / "second.toml"
    second.write_text(text.replace(f'name = "{VILLAGES[0]}"', f'name = "{VILLAGES[1]}"', 1), encoding="utf-8")
    assert run("--db", backend, "import", str(SAMPLE[0]), str(second)).code == 0


def _exports(backend: str) -> list[str]:
    out = []
    for village in VILLAGES:
        result = run("--db", backend, "export", "--village", village, "--with-personal-data")
        assert result.code == 0, result.err
        out.append(result.out)
    return out


def _backup(backend: str, dest: Path) -> None:
    """`fundtrack backup` on PostgreSQL; on SQLite (whose backup is a copy of the file) the same ZIP, made directly."""
    if "://" not in backend:
        archive.write_archive(dest)
        return
    result = run("--db", backend, "backup", "-o", str(dest))
    assert result.code == 0, result.err


def test_a_backup_without_pg_dump_restores_the_same_live_records(backend: str, tmp_path: Path) -> None:
    _two_villages(backend, tmp_path)
    before = _exports(backend)
    copy = tmp_path / "copy.zip"
    _backup(backend, copy)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert run("--db", backend, "import", str(SAMPLE[1])).code == 0
    assert _exports(backend) != before
    result = run("--db", backend, "restore", str(copy))
    assert result.code == 0, result.err
    assert _exports(backend) == before
    assert_check_clean(backend)
    kept = Path(result.err.split("kept at ")[1].strip())
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_the_backup_zip_holds_a_manifest_and_one_file_per_village(backend: str, tmp_path: Path) -> None:
    _two_villages(backend, tmp_path)
    copy = tmp_path / "copy.zip"
    _backup(backend, copy)
    with zipfile.ZipFile(copy) as zf:
        assert sorted(zf.namelist()) == [archive.MANIFEST, "village-0001.toml", "village-0002.toml"]
    assert sorted(archive.read_archive(copy.read_bytes(), str(copy), archive.DEFAULT_OPTIONS)) == [
        "village-0001.toml",
        "village-0002.toml",
    ]


def _damaged(good: bytes) -> bytes:
    # Change a byte inside the compressed data of the last member: its CRC no longer matches.
    at = good.rfind(b"PK\x01\x02") - 20
    return good[:at] + bytes([good[at] ^ 0xFF]) + good[at + 1 :]


def _foreign() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("photo.txt", "not a backup")
    return buf.getvalue()


def _bad_member(good: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(buf, "w") as zf:
        for name in src.namelist():
            text = src.read(name).decode("utf-8")
            zf.writestr(name, text + '\n[[receipts]]\nproject = "无此项目"\n' if name.endswith("1.toml") else text)
    return buf.getvalue()


@pytest.mark.parametrize("spoil", [_damaged, lambda good: _foreign(), _bad_member, lambda good: good[: len(good) // 2]])
def test_a_damaged_or_foreign_zip_is_refused_and_nothing_replaced(backend: str, tmp_path: Path, spoil) -> None:
    _two_villages(backend, tmp_path)
    good = tmp_path / "good.zip"
    _backup(backend, good)
    assert run("--db", backend, "import", str(SAMPLE[1])).code == 0
    before, prints = _exports(backend), fingerprint()
    bad = tmp_path / "bad.zip"
    bad.write_bytes(spoil(good.read_bytes()))
    result = run("--db", backend, "restore", str(bad))
    assert result.code == 2, result.err
    assert "bad.zip" in result.err and "Traceback" not in result.err
    assert _exports(backend) == before and fingerprint() == prints


def test_a_backup_without_o_and_without_pg_dump_is_a_zip_0600(backend: str, tmp_path: Path) -> None:
    if "://" not in backend:
        pytest.skip("a SQLite backup is a copy of its file")
    _two_villages(backend, tmp_path)
    result = run("--db", backend, "backup")
    assert result.code == 0, result.err
    dest = Path(result.err.split("written to ")[1].strip())
    assert dest.suffix == ".zip" and stat.S_IMODE(dest.stat().st_mode) == 0o600


def test_a_zip_whose_member_names_are_paths_is_refused(backend: str, tmp_path: Path) -> None:
    _two_villages(backend, tmp_path)
    good = tmp_path / "good.zip"
    _backup(backend, good)
    buf = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(buf, "w") as zf:
        manifest = src.read(archive.MANIFEST).decode("utf-8").replace("village-0001.toml", "../escaped.toml")
        zf.writestr(archive.MANIFEST, manifest)
        zf.writestr("../escaped.toml", src.read("village-0001.toml"))
        zf.writestr("village-0002.toml", src.read("village-0002.toml"))
    bad = tmp_path / "bad.zip"
    bad.write_bytes(buf.getvalue())
    result = run("--db", backend, "restore", str(bad))
    assert result.code == 2 and "not a fundtrack database" in result.err, result.err
