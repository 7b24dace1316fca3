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
import zlib
from dataclasses import dataclass
from pathlib import Path

from fieldapp.errors import FormError, FormIssue

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


def refuse(path: str, message: str, hint: str | None = None) -> FormError:
    """A one-issue FormError for a file that cannot be read as a questionnaire."""
    return FormError(path, [FormIssue(message, hint=hint)])


def wrong_format(path: str | Path, head: bytes) -> FormError:
    """The error for a file that is not an ``.xlsx`` workbook, with what to do about it."""
    suffix = Path(path).suffix.lower()
    if head.startswith(OLE2_MAGIC) or suffix == ".xls":
        return refuse(str(path), "this is an old-format Excel workbook (.xls)",
                      "open it in Excel or LibreOffice and save it as .xlsx")
    if suffix in (".csv", ".tsv", ".txt"):
        return refuse(str(path), f"a {suffix} file cannot hold a questionnaire's sheets",
                      "save the survey, choices and settings sheets in one .xlsx workbook")
    return refuse(str(path), "not an Excel .xlsx workbook", "save it as an Excel .xlsx workbook")


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
        raise refuse(str(path), "file not found") from None
    except OSError as exc:
        raise refuse(str(path), f"cannot read the file ({exc.strerror or type(exc).__name__})"
                     ) from None
    if not head.startswith(ZIP_MAGIC):
        raise wrong_format(path, head)
    try:
        source = io.BytesIO(content) if content is not None else path
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise refuse(str(path), "the workbook is damaged (not a readable zip archive)",
                     "open and save it again in Excel or LibreOffice") from None
    if len(infos) > limits.max_members:
        raise refuse(str(path), f"refused: the workbook has {len(infos):,} parts "
                                f"(at most {limits.max_members:,})")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unpacked:
        raise refuse(str(path), f"refused: the workbook would unpack to {unpacked >> 20:,} MB "
                                f"(at most {limits.max_unpacked >> 20} MB for a questionnaire)")
    if any(info.flag_bits & 0x1 for info in infos):
        raise refuse(str(path), "the workbook is password-protected",
                     "save a copy without a password")
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
                    raise refuse(str(path), f"refused: a sheet has more than "
                                            f"{limits.max_rows:,} rows")
                if cells > limits.max_cells:
                    raise refuse(str(path), f"refused: the workbook has more than "
                                            f"{limits.max_cells:,} cells")
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError):
        raise refuse(str(path), "the workbook is damaged (a part cannot be unpacked)",
                     "open and save it again in Excel or LibreOffice") from None


class CellBudget:
    """Counts rows, columns and cells while sheets are read; refuses beyond the limits."""

    def __init__(self, path: str, limits: WorkbookLimits = LIMITS) -> None:
        self.path = path
        self.limits = limits
        self.cells = 0

    def sheet(self, sheet: str, rows: int, columns: int) -> None:
        """Refuse a sheet whose declared size is already beyond the limits (.xls)."""
        if rows > self.limits.max_rows:
            raise refuse(self.path, f"refused: sheet '{sheet}' has more than "
                                    f"{self.limits.max_rows:,} rows")
        if columns > self.limits.max_columns:
            raise refuse(self.path, f"refused: sheet '{sheet}' has cells beyond column "
                                    f"{self.limits.max_columns:,}")

    def row(self, sheet: str, number: int, width: int) -> None:
        """Account for row ``number`` of ``sheet`` holding ``width`` cells."""
        if number > self.limits.max_rows:
            raise refuse(self.path, f"refused: sheet '{sheet}' has more than "
                                    f"{self.limits.max_rows:,} rows")
        if width > self.limits.max_columns:
            raise refuse(self.path, f"refused: sheet '{sheet}' row {number} has cells beyond "
                                    f"column {self.limits.max_columns:,}")
        self.cells += width
        if self.cells > self.limits.max_cells:
            raise refuse(self.path, f"refused: the workbook has more than "
                                    f"{self.limits.max_cells:,} cells")
