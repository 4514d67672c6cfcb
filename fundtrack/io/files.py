"""A file written whole or not at all: a temporary file in the target's folder, flushed to disk, renamed over it."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

PRIVATE_MODE = 0o600
# A temporary file's name: a dot, the target's name cut short (the random part and the suffix must
# fit in a name of 255 bytes), mkstemp's random letters, `.tmp`.
_PREFIX_BYTES = 200


def _encoded(chunks: Iterable[str | bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")


def _umask() -> int:
    """The process's umask, read without changing it (os.umask sets it, a race with other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(existing: os.stat_result | None, private: bool) -> int:
    """A new file's mode: never wider than the file it replaces, 0600 for personal data."""
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
    return mode & PRIVATE_MODE if private else mode


def _prefix(name: str) -> str:
    raw = name.encode("utf-8", "surrogateescape")[:_PREFIX_BYTES]
    return "." + raw.decode("utf-8", "ignore") + "."


def write_file(
    path: str | Path, chunks: str | bytes | Iterable[str | bytes], private: bool = False, make_folder: bool = True
) -> None:
    """Write `chunks` (text as UTF-8, or bytes), whole or in pieces, to `path`.

    A reader of `path` sees the old file or the new one, never a part: the pieces go to a
    temporary file beside it (same file system, so the rename is atomic), which is synced
    to disk and renamed over `path`. The temporary file is made by mkstemp (O_EXCL|O_NOFOLLOW,
    an unpredictable name, 0600 from the start), so a link planted in the folder is never
    followed. The new file has the mode of the one it replaces (never wider) or the umask's,
    and 0600 when it is `private` (it holds personal data) whatever the umask.

    A device or a pipe (`-o /dev/null`, `-o /dev/stdout`) is written in place: renaming over
    it would replace the device with a plain file. A folder is refused. A missing folder is made
    unless `make_folder` is false (a path the user typed: a mistyped folder is refused, not created).
    """
    pieces: Iterable[str | bytes] = [chunks] if isinstance(chunks, str | bytes) else chunks
    path = Path(path)
    try:
        _write(path, pieces, private, make_folder)
    except OSError as exc:
        if exc.strerror and exc.strerror.startswith("output: "):
            raise
        # `FILE: output: what`, the shape of every other problem line (the type is kept: EPIPE is still a
        # BrokenPipeError, ENOSPC an OSError with its errno).
        raise OSError(exc.errno, f"output: {exc.strerror or exc}", str(path)) from exc


def _write(path: Path, pieces: Iterable[str | bytes], private: bool, make_folder: bool = True) -> None:
    try:
        existing: os.stat_result | None = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        existing = None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise IsADirectoryError(errno.EISDIR, "output: is a folder; give a file name", str(path))
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with path.open("wb") as fh:
            fh.writelines(_encoded(pieces))
        return
    if not make_folder and not path.parent.is_dir():
        if path.parent.exists():
            raise NotADirectoryError(errno.ENOTDIR, "output: a part of the folder is a file", str(path))
        raise FileNotFoundError(errno.ENOENT, "output: no such folder", str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise NotADirectoryError(errno.ENOTDIR, "output: a part of the folder is a file", str(path)) from None
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_prefix(path.name), suffix=".tmp")
    try:
        with open(fd, "wb") as fh:
            os.fchmod(fh.fileno(), _mode_for(existing, private))
            fh.writelines(_encoded(pieces))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file, so that a crash after it keeps the new file."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def unused_path(path: str | Path) -> Path:
    """`path` when nothing is there, else the first free numbered name beside it (report-2026-11-30-2.xlsx,
    -3, …): an export never replaces an earlier file of the same name."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return path
    number = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
        number += 1
