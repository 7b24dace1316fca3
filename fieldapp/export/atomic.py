"""Atomic output files: write a temporary file beside the target, then ``os.replace`` it.

A failure (disk full, target open in Excel → PermissionError, cancel) leaves the previous
file byte-identical and no temporary file behind. When only the final rename fails because
the target is locked, the new export is kept under an alternative name and the error says so.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from fieldapp.atomic import fsync_dir
from fieldapp.export.errors import ExportError


def os_error_text(exc: OSError) -> str:
    """A short cause for an OS error (no paths, no values)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if isinstance(exc, PermissionError):
        return "permission denied (is the file open in Excel or another program?)"
    return exc.strerror or type(exc).__name__


class AtomicFile:
    """A temporary file that becomes ``target`` on :meth:`commit`."""

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        folder = self.target.parent
        if not folder.is_dir():
            raise ExportError(f"{self.target}: the folder does not exist")
        try:
            fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp",
                                        dir=folder)
        except OSError as exc:
            raise ExportError(f"{self.target}: cannot write here: {os_error_text(exc)}"
                              ) from None
        self.path = Path(name)
        self.file: BinaryIO = os.fdopen(fd, "wb")
        self.done = False

    def commit(self) -> Path | None:
        """Flush, fsync and rename into place; returns the alternative name if used."""
        try:
            if self.file.closed:  # written by another library through self.path
                with open(self.path, "rb+") as done:
                    os.fsync(done.fileno())
            else:
                self.file.flush()
                os.fsync(self.file.fileno())
                self.file.close()
        except OSError as exc:
            self.abort()
            raise ExportError(f"{self.target}: {os_error_text(exc)} while writing; the "
                              "previous file is unchanged") from None
        try:
            os.replace(self.path, self.target)
        except PermissionError:
            return self._keep_elsewhere()
        except OSError as exc:
            self.abort()
            raise ExportError(f"{self.target}: cannot replace it ({os_error_text(exc)}); the "
                              "previous file is unchanged") from None
        self.done = True
        fsync_dir(self.target.parent)
        return None

    def _keep_elsewhere(self) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        alternative = self.target.with_name(f"{self.target.stem} (new {stamp})"
                                            f"{self.target.suffix}")
        try:
            os.replace(self.path, alternative)
        except OSError:
            self.abort()
            raise ExportError(f"{self.target}: cannot replace it: it is open in another "
                              "program (close it in Excel) or read-only; the previous file is "
                              "unchanged and the new export was not kept") from None
        self.done = True
        raise ExportError(f"{self.target}: cannot replace it: it is open in another program "
                          "(close it in Excel) or read-only; the previous file is unchanged; "
                          f"the new export was saved as {alternative}")

    def abort(self) -> None:
        """Delete the temporary file (idempotent)."""
        if self.done:
            return
        self.done = True
        try:
            self.file.close()
        except OSError:
            pass
        self.path.unlink(missing_ok=True)
