"""Files attached as answers, written next to the export (never into a cell).

``OUT.xlsx`` → ``OUT_attachments/<interview id>/<file name>`` plus ``index.csv`` (interview,
question, file, path, bytes, sha256); the ``.xlsx`` also lists them in an ``attachments``
sheet. While the export runs, the files wait in an encrypted anonymous scratch file
(:class:`~fieldapp.export.scratch.ScratchFile`), so a kill at that time leaves nothing
readable. They are written out only when the export is committed, into a hidden folder that
is then swapped in: a failed or cancelled export leaves the previous folder as it was, and
what a crash during that last step leaves is removed by the next export
(:func:`~fieldapp.export.scratch.remove_leftovers`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fieldapp.atomic import fsync_dir
from fieldapp.export.atomic import os_error_text
from fieldapp.export.errors import ExportError
from fieldapp.export.scratch import ScratchFile, hold_folder
from fieldapp.i18n import N_

INDEX_HEADER = ["interview_id", "question", "file", "path", "bytes", "sha256"]
_SAFE = re.compile(r"^[\w][\w.\-]{0,150}$")


def folder_for(out: Path) -> Path:
    """``OUT_attachments`` next to the export file ``OUT.xlsx``."""
    return out.with_name(out.stem + "_attachments")


def _safe(name: str, data: bytes) -> str:
    """A file name that cannot leave its folder (a device's data is not trusted)."""
    if _SAFE.match(name) and ".." not in name:
        return name
    return "file-" + hashlib.sha256(data).hexdigest()[:16]


class AttachmentsOut:
    """Collects attached files while interviews are exported; commits them with the export."""

    def __init__(self, out: Path) -> None:
        self.target = folder_for(out)
        self.temp: Path | None = None
        self.rows: list[list[Any]] = []
        self._scratch: ScratchFile | None = None
        self._files: list[tuple[str, str, int]] = []  # (folder, file name, bytes), in order

    def add(self, interview_id: str, files: Iterable[tuple[str, str, bytes]]) -> None:
        """Keep one interview's files (question key, stored name, bytes), encrypted, until
        :meth:`commit`."""
        for key, name, data in files:
            if self._scratch is None:
                self._scratch = ScratchFile(self.target.parent)
            folder, safe = _safe(interview_id, b""), _safe(name, data)
            self._scratch.write(data)
            self._files.append((folder, safe, len(data)))
            relative = f"{self.target.name}/{folder}/{safe}"
            self.rows.append([interview_id, key, safe, relative, len(data),
                              hashlib.sha256(data).hexdigest()])

    def _write_out(self) -> None:
        """Write the kept files into the hidden folder ``self.temp``."""
        assert self._scratch is not None and self.temp is not None
        chunks = self._scratch.chunks()
        pending = b""
        for folder, name, size in self._files:
            (self.temp / folder).mkdir(exist_ok=True)
            with open(self.temp / folder / name, "wb") as handle:
                left = size
                while left:
                    if not pending:
                        pending = next(chunks)
                    part, pending = pending[:left], pending[left:]
                    handle.write(part)
                    left -= len(part)
                handle.flush()
                os.fsync(handle.fileno())

    def sheet(self) -> list[list[Any]]:
        """The ``attachments`` sheet's rows (header first), empty when there are none."""
        return [INDEX_HEADER, *self.rows] if self.rows else []

    def commit(self) -> Path | None:
        """Write ``index.csv`` and swap the folder in; None when no file was attached."""
        if self._scratch is None:
            return None
        self.temp = self.target.with_name(f".{self.target.name}.{uuid.uuid4().hex}.tmp")
        try:
            self.temp.mkdir()
            with hold_folder(self.temp):  # a concurrent export's clean-up leaves it alone
                self._write_out()
                self._finish()
        except OSError as exc:
            self.abort()
            raise ExportError(N_("{target}: {value} while writing the attached files"),
                              code="attachments_out.while-writing-attached-files",
                              target=self.target, value=os_error_text(exc)) from None
        self.abort()  # the scratch file (the folder now has the target's name)
        return self.target

    def _finish(self) -> None:
        """Write ``index.csv`` and swap the folder in (the previous one is removed)."""
        assert self.temp is not None
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(INDEX_HEADER)
        writer.writerows(self.rows)
        (self.temp / "index.csv").write_text(text.getvalue(), encoding="utf-8-sig")
        old = None
        if self.target.exists():
            old = self.target.with_name(f".{self.target.name}.{uuid.uuid4().hex}.old")
            os.replace(self.target, old)
        os.replace(self.temp, self.target)
        self.temp = None
        fsync_dir(self.target.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Remove the scratch file and the temporary folder (idempotent)."""
        if self._scratch is not None:
            self._scratch.close()
            self._scratch = None
        if self.temp is not None:
            shutil.rmtree(self.temp, ignore_errors=True)
            self.temp = None


def answer_files(payload: dict[str, Any]) -> list[tuple[str, str, bytes]]:
    """(question key, file name, bytes) of every attached file an answer names."""
    from fieldapp.attachments import decode

    files = decode(payload.get("attachments"))
    if not files:
        return []
    out = []
    for key, value in sorted((payload.get("answers") or {}).items()):
        if isinstance(value, str) and value in files:
            out.append((key, value, files[value]))
    return out
