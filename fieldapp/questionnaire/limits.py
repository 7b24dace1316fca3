"""Size bounds shared by every questionnaire reader (.xlsx, .xls, .csv, .md, form packages).

A questionnaire is a few hundred rows; a hostile or broken file can claim millions of rows,
gigabytes once decompressed, or a "media" file the size of a film. Every reader counts what
it reads against one :class:`Budget` and stops with a one-line, row-cited :class:`FormError`
as soon as a bound is passed, so a bad file is refused quickly and in little memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.errors import FormError, FormIssue

#: Largest questionnaire file read (the workbook itself, before decompression).
MAX_FILE_BYTES = 32 << 20
#: Largest total size of a workbook's parts once decompressed (.xlsx is a zip).
MAX_UNCOMPRESSED_BYTES = 128 << 20
#: Most rows one sheet may have (an XLSForm has hundreds; choice lists a few thousand).
MAX_ROWS = 100_000
#: Most non-empty cells in the whole questionnaire.
MAX_CELLS = 2_000_000
#: Longest text in one cell (Excel's own limit is 32,767 characters).
MAX_CELL_CHARS = 32_767
#: Largest single file in a form's media folder (images, audio, video, CSV/XML/GeoJSON).
MAX_MEDIA_FILE_BYTES = 64 << 20
#: Largest total size of a form's media folder.
MAX_MEDIA_TOTAL_BYTES = 256 << 20
#: Most files in a form's media folder.
MAX_MEDIA_FILES = 1_000
#: Most rows read from an attached choices / pulldata file.
MAX_DATA_ROWS = 200_000
#: ``forms check`` lists at most this many problems per form, then says how many more.
MAX_PROBLEMS_LISTED = 50
#: A run of this many empty rows ends a sheet (as pyxform reads it): formatted but empty
#: rows down to row 1,048,576 are not data.
MAX_EMPTY_RUN = 60


def too_big(path: str, what: str, limit: str, hint: str = "") -> FormError:
    """The one-line error for a file over a bound."""
    return FormError(path, [FormIssue(f"{what} is larger than {limit}", hint=hint or None)])


def megabytes(size: int) -> str:
    """``64 MB`` for a byte count (bounds are whole mebibytes)."""
    return f"{size >> 20} MB"


@dataclass
class Budget:
    """Counts rows and cells read from one questionnaire against the bounds."""

    path: str
    cells: int = 0

    def check_file_size(self, size: int) -> None:
        """Refuse a file bigger than :data:`MAX_FILE_BYTES` before reading it."""
        if size > MAX_FILE_BYTES:
            raise too_big(self.path, "the questionnaire file", megabytes(MAX_FILE_BYTES),
                          "a questionnaire is a few hundred kilobytes; check the file")

    def check_sheet(self, sheet: str, rows: int, columns: int = 0) -> None:
        """Refuse a sheet that declares more rows than :data:`MAX_ROWS`."""
        if rows > MAX_ROWS:
            raise FormError(self.path, [FormIssue(
                f"the sheet has {rows:,} rows; at most {MAX_ROWS:,} are read", sheet,
                hint="delete the empty or unused rows below the questionnaire")])
        if rows * max(columns, 1) > MAX_CELLS * 4:
            raise FormError(self.path, [FormIssue(
                f"the sheet has {rows:,} rows × {columns:,} columns; too large to be a "
                "questionnaire", sheet, hint="delete the unused rows and columns")])

    def add_row(self, sheet: str, number: int, cells: int) -> None:
        """Count one row's non-empty cells; refuse past :data:`MAX_ROWS` / :data:`MAX_CELLS`."""
        if number > MAX_ROWS:
            raise FormError(self.path, [FormIssue(
                f"more than {MAX_ROWS:,} rows", sheet, number,
                hint="delete the empty or unused rows below the questionnaire")])
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise FormError(self.path, [FormIssue(
                f"more than {MAX_CELLS:,} filled cells in the questionnaire", sheet, number,
                hint="a questionnaire has far fewer; check the file")])


def clip_cell(text: str) -> str:
    """A cell's text cut to Excel's own limit (longer text cannot come from Excel)."""
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS]
