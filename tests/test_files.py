"""Files are written whole or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fundtrack.io.files import write_file


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old\n", encoding="utf-8")

    def chunks() -> Iterator[str]:
        yield "new, "
        raise RuntimeError("the report failed half way")

    with pytest.raises(RuntimeError):
        write_file(target, chunks())
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_text_and_bytes_in_pieces_into_a_new_folder(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    write_file(target, iter(["{", b'"a": "\xe6\x9d\x91"', "}\n"]))
    assert target.read_text(encoding="utf-8") == '{"a": "村"}\n'
    write_file(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"


def test_a_device_is_written_in_place() -> None:
    write_file("/dev/null", "nothing")
    assert Path("/dev/null").is_char_device()


def test_a_typed_path_into_a_missing_folder_is_refused_not_made(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_file(tmp_path / "no" / "x.pdf", b"%PDF", make_folder=False)
    assert not (tmp_path / "no").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        write_file(tmp_path / "file" / "x.pdf", b"%PDF", make_folder=False)
