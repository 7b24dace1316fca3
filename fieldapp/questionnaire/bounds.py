"""Size bounds for the readers of this branch (.xls, .csv, form packages, media folders).

The workbook bounds are the same numbers, class and method as the ``.xlsx`` reader's
(``fieldapp.questionnaire.limits`` on main: ``WorkbookLimits``, ``CellBudget.row``), so every
layout is held to the same limits; once both are in one tree this module's
:class:`CellBudget` can simply be that one. The media bounds are new here: a "media" file the
size of a film must not fill a laptop or a bundle.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.errors import FormError, FormIssue


@dataclass(frozen=True)
class WorkbookLimits:
    """The largest workbook a questionnaire may be (the ``.xlsx`` reader's numbers)."""

    max_members: int = 1_000
    max_unpacked: int = 48 << 20  # all parts together, as declared in the archive
    max_rows: int = 20_000  # per sheet, counting blank rows before the last
    max_columns: int = 1_024
    max_cells: int = 250_000  # every sheet together


LIMITS = WorkbookLimits()
#: Largest questionnaire file read (before unpacking).
MAX_FILE_BYTES = 32 << 20
#: Longest text in one cell (Excel's own limit is 32,767 characters).
MAX_CELL_CHARS = 32_767
#: Largest single file in a form's media folder (images, audio, video, CSV/XML/GeoJSON).
MAX_MEDIA_FILE_BYTES = 64 << 20
#: Largest total size of a form's media folder.
MAX_MEDIA_TOTAL_BYTES = 256 << 20
#: Most files in a form's media folder.
MAX_MEDIA_FILES = 1_000
#: Most rows read from an attached choices / pulldata / instance() file.
MAX_DATA_ROWS = 200_000
#: ``forms check`` lists at most this many notes per form, then says how many more.
MAX_PROBLEMS_LISTED = 50
#: A run of this many empty rows ends a sheet (as pyxform reads it).
MAX_EMPTY_RUN = 60


def refuse(path: str, message: str, hint: str | None = None, sheet: str | None = None,
           row: int | None = None) -> FormError:
    """A one-issue FormError for a file that cannot be read as a questionnaire."""
    return FormError(path, [FormIssue(message, sheet, row, hint=hint)])


def megabytes(size: int) -> str:
    """``64 MB`` for a byte count (bounds are whole mebibytes)."""
    return f"{size >> 20} MB"


def check_file_size(path: str, size: int) -> None:
    """Refuse a questionnaire file bigger than :data:`MAX_FILE_BYTES` before reading it."""
    if size > MAX_FILE_BYTES:
        raise refuse(path, f"refused: the file is larger than {megabytes(MAX_FILE_BYTES)}",
                     "a questionnaire is a few hundred kilobytes; check the file")


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
                                    f"{self.limits.max_rows:,} rows", row=number)
        if width > self.limits.max_columns:
            raise refuse(self.path, f"refused: sheet '{sheet}' row {number} has cells beyond "
                                    f"column {self.limits.max_columns:,}")
        self.cells += width
        if self.cells > self.limits.max_cells:
            raise refuse(self.path, f"refused: the workbook has more than "
                                    f"{self.limits.max_cells:,} cells")


def clip_cell(text: str) -> str:
    """A cell's text cut to Excel's own limit (longer text cannot come from Excel)."""
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS]
