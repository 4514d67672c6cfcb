"""A file written whole or not at all: a temporary file in the target's folder, flushed to disk, renamed over it."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path


def _encoded(chunks: Iterable[str | bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")


def write_file(path: str | Path, chunks: str | bytes | Iterable[str | bytes]) -> None:
    """Write `chunks` (text as UTF-8, or bytes), whole or in pieces, to `path`.

    A reader of `path` sees the old file or the new one, never a part: the pieces go to a
    temporary file beside it (same file system, so the rename is atomic), which is synced
    to disk and renamed over `path`. A device or a pipe (`-o /dev/null`, `-o /dev/stdout`)
    is written in place: renaming over it would replace the device with a plain file.
    """
    pieces: Iterable[str | bytes] = [chunks] if isinstance(chunks, str | bytes) else chunks
    path = Path(path)
    if path.exists() and not path.is_file():
        with path.open("wb") as fh:
            fh.writelines(_encoded(pieces))
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}-{threading.get_ident()}")
    try:
        with tmp.open("wb") as fh:
            fh.writelines(_encoded(pieces))
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
