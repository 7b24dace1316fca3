"""Temporary files of an export that never hold readable answers, even after kill -9.

- :class:`ScratchFile`: an anonymous temporary file (no name on Linux; deleted on close
  elsewhere) whose content is encrypted with a key that exists only in this process. Parts
  of a workbook being written, or a whole export staged before its final copy, live here.
- :func:`anonymous_output`: where the filesystem allows it (Linux ``O_TMPFILE``), the
  export itself is written into an unnamed file in the target's folder and given its name
  only when complete, so a crash at any moment leaves nothing behind.
- :func:`remove_leftovers`: names that earlier versions, or a crash during the final copy on
  other systems (or while the attached files are written out), may have left in an export
  folder; removed at the start of every export.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import struct
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from fieldapp.crypto.ephemeral import EphemeralCipher

CHUNK = 1 << 20
#: Prefix of the named temporary files this version may create (never on Linux filesystems
#: that support unnamed files).
TEMP_PREFIX = ".fieldapp-export-"
_LEFTOVER = re.compile(
    r"^(\.fieldapp-export-.*\.tmp|\.fieldapp-part-.*|\..+\.(xlsx|csv|sav|dta)\.[A-Za-z0-9_]{8}\.tmp)$")
#: Hidden folders of attached files (``.OUT_attachments.<hex>.tmp`` being filled, ``.old``
#: being replaced) that a crash during an export's last step may leave.
_LEFTOVER_FOLDER = re.compile(r"^\..+_attachments\.[0-9a-f]{32}\.(tmp|old)$")
_FRAME = struct.Struct(">I")


class ScratchFile:
    """Write bytes (encrypted on the way to disk), then read them back once, in order."""

    def __init__(self, folder: Path | None = None) -> None:
        self.file: BinaryIO = tempfile.TemporaryFile(dir=folder)
        self._cipher = EphemeralCipher()
        self._buffer = bytearray()
        self._chunks = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        """Append ``data``."""
        self._buffer += data
        self.size += len(data)
        while len(self._buffer) >= CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]))
            del self._buffer[:CHUNK]

    def _seal(self, chunk: bytes) -> None:
        sealed = self._cipher.seal(self._chunks, chunk)
        self.file.write(_FRAME.pack(len(sealed)) + sealed)
        self._chunks += 1

    def flush(self) -> None:
        """Seal what is buffered (call once, after the last write)."""
        if self._buffer:
            self._seal(bytes(self._buffer))
            self._buffer.clear()
        self.file.flush()

    def chunks(self) -> Iterator[bytes]:
        """The plaintext, chunk by chunk, from the start."""
        self.flush()
        self.file.seek(0)
        for index in range(self._chunks):
            (length,) = _FRAME.unpack(self.file.read(_FRAME.size))
            yield self._cipher.open(index, self.file.read(length))

    def close(self) -> None:
        """Close (and so delete) the file."""
        self.file.close()


# -- unnamed output files (Linux) ---------------------------------------------------------

_AT_FDCWD = -100
_AT_SYMLINK_FOLLOW = 0x400


def anonymous_output(folder: Path) -> int | None:
    """An unnamed, writable file in ``folder`` (its fd), or None where not supported."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not sys.platform.startswith("linux") or \
            os.environ.get("FIELDAPP_NAMED_TEMP") == "1":  # tests of the fallback path
        return None
    try:
        return os.open(folder, flag | os.O_RDWR, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # e.g. a FAT/exFAT USB stick
        raise


def link_anonymous(fd: int, path: Path) -> None:
    """Give the unnamed file ``fd`` the name ``path`` (which must not exist)."""
    libc = ctypes.CDLL(None, use_errno=True)
    source = f"/proc/self/fd/{fd}".encode()
    if libc.linkat(_AT_FDCWD, source, _AT_FDCWD, os.fsencode(path), _AT_SYMLINK_FOLLOW) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(path))


def fd_path(fd: int) -> str:
    """A path that opens the same (unnamed) file, for writers that want a file name."""
    return f"/proc/self/fd/{fd}"


def remove_leftovers(folder: Path) -> int:
    """Delete temporary files of earlier, crashed exports in ``folder``; returns how many.

    A file another running export still holds is left alone (it holds an OS lock on it, and
    on Windows an open file cannot be deleted).
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if _LEFTOVER_FOLDER.match(entry.name) and entry.is_dir(follow_symlinks=False):
            if not _in_use(Path(entry.path)):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
            continue
        if not _LEFTOVER.match(entry.name) or not entry.is_file(follow_symlinks=False):
            continue
        if _in_use(Path(entry.path)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed += 1
    return removed


@contextlib.contextmanager
def hold_folder(folder: Path) -> Iterator[None]:
    """Hold an OS lock on ``folder`` (POSIX) so that :func:`remove_leftovers` of another
    export leaves it alone while this one fills it."""
    if os.name != "posix":
        yield
        return
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)


def _in_use(path: Path) -> bool:
    """True if another process holds an exclusive lock on ``path`` (POSIX)."""
    if os.name != "posix":
        return False
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False
