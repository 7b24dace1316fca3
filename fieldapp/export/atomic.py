"""Atomic output files that never leave readable answers behind.

An export is written where no one can see it and given its name only when complete: on
Linux as an unnamed file in the target's folder (``O_TMPFILE``, linked in at the end); on
other systems (or a FAT USB stick) staged in an encrypted anonymous scratch file and copied
to a hidden temporary name only at the very end. A failure (disk full, target open in Excel
→ PermissionError, cancel) leaves the previous file byte-identical; a kill -9 leaves nothing
readable, and whatever a crash during the final copy left is removed by the next export.
When only the final rename fails because the target is locked, the new export is kept under
an alternative name and the error says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from fieldapp.atomic import fsync_dir
from fieldapp.errors import Message
from fieldapp.export.errors import ExportError
from fieldapp.export.scratch import (
    TEMP_PREFIX,
    ScratchFile,
    anonymous_output,
    fd_path,
    link_anonymous,
    remove_leftovers,
)
from fieldapp.i18n import N_


def os_error_text(exc: OSError) -> Message | str:
    """A short cause for an OS error (no paths, no values): translatable for the common
    causes (shown in the message's language), else the system's own text."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return Message(N_("the disk is full"))
    if isinstance(exc, PermissionError):
        return Message(N_("permission denied (is the file open in Excel or another program?)"))
    return exc.strerror or type(exc).__name__


class _ScratchWriter(io.RawIOBase):
    """A write-only binary stream into a :class:`ScratchFile`."""

    def __init__(self, scratch: ScratchFile) -> None:
        self.scratch = scratch

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.scratch.write(bytes(data))
        return len(data)


class AtomicFile:
    """A hidden file that becomes ``target`` on :meth:`commit`.

    Write through :attr:`file`, or hand :meth:`writer_path` to a library that wants a path.
    """

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        folder = self.target.parent
        if not folder.is_dir():
            raise ExportError(N_("{target}: the folder does not exist"),
                              code="atomic.folder-does-not-exist", target=self.target)
        remove_leftovers(folder)
        self.done = False
        self._named: Path | None = None  # a named temporary file (fallback, writer_path)
        self._lock_fd: int | None = None
        self._scratch: ScratchFile | None = None
        try:
            self._fd = anonymous_output(folder)
            if self._fd is not None:
                self.file: BinaryIO = os.fdopen(self._fd, "w+b")
            else:
                self._scratch = ScratchFile(folder)
                writer = _ScratchWriter(self._scratch)
                self.file = io.BufferedWriter(writer, 1 << 20)  # type: ignore[type-var,assignment]
        except OSError as exc:
            raise ExportError(N_("{target}: cannot write here: {value}"),
                              code="atomic.cannot-write-here", target=self.target,
                              value=os_error_text(exc)
                              ) from None

    def writer_path(self) -> str:
        """A path for a library that writes the whole file itself (pyreadstat)."""
        if self._fd is not None:
            return fd_path(self._fd)
        if self._named is None:
            self._named, handle = self._new_named()
            os.close(handle)
        return str(self._named)

    def _new_named(self) -> tuple[Path, int]:
        """A hidden temporary name beside the target, held under an OS lock while in use."""
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=self.target.parent)
        if os.name == "posix":
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._lock_fd = os.dup(fd)
        return Path(name), fd

    def commit(self) -> Path | None:
        """Flush, fsync and give it the target's name; returns the alternative name if used."""
        try:
            staged = self._finish_writing()
        except OSError as exc:
            self.abort()
            raise ExportError(N_("{target}: {value} while writing; the previous file is unchanged"),
                              code="atomic.while-writing-previous-file", target=self.target,
                              value=os_error_text(exc)) from None
        if staged is None:  # an unnamed file: link it in
            try:
                link_anonymous(self._fd, self.target)  # type: ignore[arg-type]
            except FileExistsError:
                staged = self._link_to_temp_name()
            except OSError as exc:
                self.abort()
                raise ExportError(N_("{target}: cannot write it ({value}); the previous file is "
                                     "unchanged"),
                                  code="atomic.cannot-write-previous-file",
                                  target=self.target, value=os_error_text(exc)) from None
            else:
                self._close_fd()
                self.done = True
                fsync_dir(self.target.parent)
                return None
        try:
            os.replace(staged, self.target)
        except PermissionError:
            return self._keep_elsewhere(staged)
        except OSError as exc:
            self.abort()
            raise ExportError(N_("{target}: cannot replace it ({value}); the previous file is "
                                 "unchanged"),
                              code="atomic.cannot-replace-previous-file", target=self.target,
                              value=os_error_text(exc)) from None
        self._close_fd()
        self.done = True
        fsync_dir(self.target.parent)
        return None

    def _finish_writing(self) -> Path | None:
        """Make the content durable; the named file to rename, or None for an unnamed one."""
        if self._named is not None:  # written by a library through writer_path()
            with open(self._named, "rb+") as done:
                os.fsync(done.fileno())
            return self._named
        self.file.flush()
        if self._scratch is None:
            os.fsync(self.file.fileno())
            return None
        # fallback: the plaintext exists on disk only from here to the rename
        self._named, fd = self._new_named()
        with os.fdopen(fd, "wb") as out:
            for chunk in self._scratch.chunks():
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        self._scratch.close()
        return self._named

    def _link_to_temp_name(self) -> Path:
        name = self.target.parent / f"{TEMP_PREFIX}{os.urandom(6).hex()}.tmp"
        link_anonymous(self._fd, name)  # type: ignore[arg-type]
        self._named = name
        return name

    def _keep_elsewhere(self, staged: Path) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        alternative = self.target.with_name(f"{self.target.stem} (new {stamp})"
                                            f"{self.target.suffix}")
        try:
            os.replace(staged, alternative)
        except OSError:
            self.abort()
            raise ExportError(N_("{target}: cannot replace it: it is open in another program "
                                 "(close it in Excel) or read-only; the previous file is "
                                 "unchanged and the new export was not kept"),
                              code="atomic.cannot-replace-open-another-2",
                              target=self.target) from None
        self._close_fd()
        self.done = True
        raise ExportError(N_("{target}: cannot replace it: it is open in another program (close "
                             "it in Excel) or read-only; the previous file is unchanged; the "
                             "new export was saved as {alternative}"),
                          code="atomic.cannot-replace-open-another", target=self.target,
                          alternative=alternative)

    def _close_fd(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.file.close()
        lock = getattr(self, "_lock_fd", None)
        if lock is not None:
            with contextlib.suppress(OSError):
                os.close(lock)
            self._lock_fd = None

    def abort(self) -> None:
        """Drop what was written (idempotent): an unnamed file simply vanishes."""
        if self.done:
            return
        self.done = True
        self._close_fd()
        if self._scratch is not None:
            self._scratch.close()
        if self._named is not None:
            self._named.unlink(missing_ok=True)
