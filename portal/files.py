"""The one atomic file write and the one file lock of the portal.

Writes: a reader or a crash never sees half a file. Data goes to a temporary file with
a unique name in the same folder (so concurrent writers never share one), is fsynced,
and is then renamed over the target (or linked to it, for an exclusive create) before
the folder is fsynced. If anything fails (disk full, permission denied) the old file is
left exactly as it was and the temporary file is removed.

Locks: one `filelock` lock file serialises writers across every thread and process of
this machine (article saves, index rebuilds); it is re-entrant in the thread holding it.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock
from filelock import Timeout as LockTimeout

__all__ = ["LockTimeout", "create_exclusive", "file_lock", "private_folder", "write_atomic"]


def inside(root: Path | str, relpath: str) -> Path:
    """root/relpath, refusing (ValueError) a stored or uploaded path that would leave root."""
    root = Path(root).resolve()
    target = (root / relpath).resolve()
    if not target.is_relative_to(root):
        raise ValueError(f"{relpath} is outside {root}")
    return target


def write_atomic(path: Path | str, data: bytes, mode: int | None = None) -> None:
    """Replace path's content with data, all or nothing.

    The file keeps its permissions; a new one gets `mode` (default 0644).
    """
    path = Path(path)
    if mode is None:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    with _temporary_copy(path, data, mode) as temporary:
        os.replace(temporary, path)
    _sync_folder(path.parent)


def create_exclusive(path: Path | str, data: bytes, mode: int = 0o600) -> bool:
    """Create path holding data unless it exists; True when this call created it.

    Like open(O_CREAT | O_EXCL), exactly one of several processes racing to create the
    file wins, but the file appears with all its content (link(2) of a complete
    temporary file), so a loser that reads it right away never sees it half written.
    """
    path = Path(path)
    with _temporary_copy(path, data, mode) as temporary:
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
    _sync_folder(path.parent)
    return True


def file_lock(path: Path | str, timeout: float) -> FileLock:
    """The lock on `path`: use it as a context manager; raises LockTimeout after `timeout`
    seconds of waiting. Exclusive across processes and threads, re-entrant in one thread."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(path), timeout=timeout)


def private_folder(path: Path | str) -> None:
    """Make sure the folder exists; one created here is readable by its owner only."""
    path = Path(path)
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is narrowed by the umask, never widened


@contextlib.contextmanager
def _temporary_copy(path: Path, data: bytes, mode: int) -> Iterator[str]:
    """A fsynced file holding data beside path, under a unique name; removed afterwards
    unless it was renamed away."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        yield temporary
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _sync_folder(folder: Path) -> None:
    """Make the rename or link itself durable."""
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
