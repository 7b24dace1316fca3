"""Bounds on reading a questionnaire workbook, whatever the file claims about itself.

A hostile or broken ``.xlsx`` (a "zip bomb" whose sheet unpacks to gigabytes, a sheet with a
million rows, a cell in column XFD) is refused in well under two seconds and 200 MB, with one
line saying which limit it broke. Real questionnaires are far inside these limits (the
network's forms: 150-300 rows, about 40 columns, under 1 MB unpacked).

Python's :mod:`zipfile` never returns more bytes for a member than its declared size (and a
member that lies about it fails its CRC), so checking the declared sizes bounds what the
reader can unpack.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fieldapp.errors import FormError, FormIssue
from fieldapp.i18n import N_
from fieldapp.zip_errors import ZIP_READ_ERRORS

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) container


@dataclass(frozen=True)
class WorkbookLimits:
    """The largest workbook a questionnaire may be."""

    max_members: int = 1_000
    max_unpacked: int = 48 << 20  # all parts together, as declared in the archive
    max_rows: int = 20_000  # per sheet, counting blank rows before the last
    max_columns: int = 1_024
    max_cells: int = 250_000  # every sheet together


LIMITS = WorkbookLimits()
#: A run of this many empty rows ends a sheet (as pyxform reads it): formatting or a stray
#: space far below the questionnaire is not part of it.
MAX_EMPTY_RUN = 60


def refuse(path: str, message: str, hint: str | None = None, *, code: str = "form.refused",
           fields: Mapping[str, object] | None = None) -> FormError:
    """A one-issue FormError for a file that cannot be read as a questionnaire."""
    return FormError(path, [FormIssue(message, hint=hint, code=code, fields=fields or {})])


def wrong_format(path: str | Path, head: bytes) -> FormError:
    """The error for a file that is not an ``.xlsx`` workbook, with what to do about it."""
    suffix = Path(path).suffix.lower()
    if head.startswith(OLE2_MAGIC) or suffix == ".xls":
        return refuse(str(path), N_("this is an old-format Excel workbook (.xls)"),
                      N_("open it in Excel or LibreOffice and save it as .xlsx"),
                      code="form.old-format-excel-workbook")
    if suffix in (".csv", ".tsv", ".txt"):
        return refuse(str(path), N_("a {suffix} file cannot hold a questionnaire's sheets"),
                      N_("save the survey, choices and settings sheets in one .xlsx workbook"),
                      code="form.file-cannot-hold-questionnaire", fields={"suffix": suffix})
    return refuse(str(path), N_("not an Excel .xlsx workbook"),
                  N_("save it as an Excel .xlsx workbook"),
                  code="form.not-excel-xlsx-workbook")


def check_archive(path: str | Path, content: bytes | None,
                  limits: WorkbookLimits = LIMITS) -> None:
    """Refuse a workbook whose archive is not a zip or would unpack beyond the limits."""
    try:
        if content is None:
            with open(path, "rb") as handle:
                head = handle.read(8)
        else:
            head = content[:8]
    except FileNotFoundError:
        raise refuse(str(path), N_("file not found"), code="form.file-not-found") from None
    except OSError as exc:
        raise refuse(str(path), N_("cannot read the file ({value})"),
                     code="form.cannot-read-file",
                     fields={"value": exc.strerror or type(exc).__name__}
                     ) from None
    if not head.startswith(ZIP_MAGIC):
        raise wrong_format(path, head)
    try:
        source = io.BytesIO(content) if content is not None else path
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
    except ZIP_READ_ERRORS:
        raise refuse(str(path), N_("the workbook is damaged (not a readable zip archive)"),
                     N_("open and save it again in Excel or LibreOffice"),
                     code="form.workbook-damaged-not-readable") from None
    if len(infos) > limits.max_members:
        raise refuse(str(path), N_("refused: the workbook has {count:,} parts (at most "
                                   "{max_members:,})"),
                     code="form.refused-workbook-parts-most",
                     fields={"count": len(infos), "max_members": limits.max_members})
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unpacked:
        raise refuse(str(path), N_("refused: the workbook would unpack to {value:,} MB (at most "
                                   "{value2} MB for a questionnaire)"),
                     code="form.refused-workbook-would-unpack",
                     fields={"value": unpacked >> 20, "value2": limits.max_unpacked >> 20})
    if any(info.flag_bits & 0x1 for info in infos):
        raise refuse(str(path), N_("the workbook is password-protected"),
                     N_("save a copy without a password"), code="form.workbook-password-protected")
    _count_cells(path, content, [i for i in infos if _is_sheet(i.filename)], limits)


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


_TOKEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row)[\s/>]")
_OVERLAP = 64


def _count_cells(path: str | Path, content: bytes | None, sheets: list[zipfile.ZipInfo],
                 limits: WorkbookLimits) -> None:
    """Count rows and cells in the sheets' XML without parsing it (fast, streamed), so a
    workbook beyond the limits is refused before the (much slower) XML parser sees it."""
    cells = 0
    source = io.BytesIO(content) if content is not None else path
    try:
        with zipfile.ZipFile(source) as archive:
            for info in sheets:
                rows = 0
                tail = b""
                with archive.open(info) as member:
                    while True:
                        chunk = member.read(1 << 20)
                        buffer = tail + chunk
                        # count tokens starting before ``end``; the rest is seen next round
                        end = len(buffer) - _OVERLAP if chunk else len(buffer)
                        for match in _TOKEN.finditer(buffer):
                            if match.start() >= end:
                                break
                            if match.group(1) == b"row":
                                rows += 1
                            else:
                                cells += 1
                        if not chunk:
                            break
                        tail = buffer[max(end, 0):]
                if rows > limits.max_rows:
                    raise refuse(str(path), N_("refused: a sheet has more than {max_rows:,} rows"),
                                 code="form.refused-sheet-more-than-3",
                                 fields={"max_rows": limits.max_rows})
                if cells > limits.max_cells:
                    raise refuse(str(path), N_("refused: the workbook has more than {max_cells:,} "
                                               "cells"),
                                 code="form.refused-workbook-more-than-2",
                                 fields={"max_cells": limits.max_cells})
    except ZIP_READ_ERRORS:
        raise refuse(str(path), N_("the workbook is damaged (a part cannot be unpacked)"),
                     N_("open and save it again in Excel or LibreOffice"),
                     code="form.workbook-damaged-part-cannot") from None


class CellBudget:
    """Counts rows, columns and cells while sheets are read; refuses beyond the limits."""

    def __init__(self, path: str, limits: WorkbookLimits = LIMITS) -> None:
        self.path = path
        self.limits = limits
        self.cells = 0

    def sheet(self, sheet: str, rows: int, columns: int) -> None:
        """Refuse a sheet whose declared size is already beyond the limits (.xls)."""
        if rows > self.limits.max_rows:
            raise refuse(self.path, N_("refused: sheet '{sheet_name}' has more than {max_rows:,} "
                                       "rows"),
                         code="form.refused-sheet-more-than",
                         fields={"sheet_name": sheet, "max_rows": self.limits.max_rows})
        if columns > self.limits.max_columns:
            raise refuse(self.path, N_("refused: sheet '{sheet_name}' has cells beyond column "
                                       "{max_columns:,}"),
                         code="form.refused-sheet-cells-beyond",
                         fields={"sheet_name": sheet, "max_columns": self.limits.max_columns})

    def row(self, sheet: str, number: int, width: int) -> None:
        """Account for row ``number`` of ``sheet`` holding ``width`` cells."""
        if number > self.limits.max_rows:
            raise refuse(self.path, N_("refused: sheet '{sheet_name}' has more than {max_rows:,} "
                                       "rows"),
                         code="form.refused-sheet-more-than-2",
                         fields={"sheet_name": sheet, "max_rows": self.limits.max_rows})
        if width > self.limits.max_columns:
            raise refuse(self.path, N_("refused: sheet '{sheet_name}' row {number} has cells "
                                       "beyond column {max_columns:,}"),
                         code="form.refused-sheet-row-cells",
                         fields={"sheet_name": sheet, "number": number,
                                 "max_columns": self.limits.max_columns})
        self.cells += width
        self.expect(0)

    def expect(self, cells: int) -> None:
        """Refuse now if ``cells`` more would take the workbook beyond the cell limit."""
        if self.cells + cells > self.limits.max_cells:
            raise refuse(self.path, N_("refused: the workbook has more than {max_cells:,} cells"),
                         code="form.refused-workbook-more-than",
                         fields={"max_cells": self.limits.max_cells})
