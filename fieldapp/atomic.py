"""Durable atomic files: write a hidden temp file beside the target, fsync, rename, fsync dir.

A crash, a kill -9 or a yanked USB stick leaves either the old file or the new one, whole,
never a partial file at the target (the temp name ends in ``.tmp`` and readers ignore it).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

TEMP_SUFFIX = ".tmp"


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (no-op where a directory cannot be opened)."""
    if os.name != "posix":  # Windows cannot open a directory; NTFS journals the rename.
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_output(target: Path, mode: int | None = None) -> Iterator[IO[bytes]]:
    """Yield a file to write; on success it replaces ``target`` durably, else it vanishes."""
    folder = target.parent
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "w+b") as handle:
            if mode is not None and os.name == "posix":
                os.fchmod(handle.fileno(), mode)
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)
