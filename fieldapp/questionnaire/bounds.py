"""Size bounds of the other readers (.xls, .csv, form packages, media folders).

Workbook rows, columns and cells are held to the ``.xlsx`` reader's limits
(:mod:`.limits`: one :class:`~.limits.WorkbookLimits`, one :class:`~.limits.CellBudget`) in
every layout. The media bounds keep a "media" file the size of a film from filling a laptop
or a bundle.
"""

from __future__ import annotations

from collections.abc import Mapping

from fieldapp.errors import FormError, FormIssue
from fieldapp.i18n import N_
from fieldapp.questionnaire.limits import LIMITS, MAX_EMPTY_RUN, CellBudget, WorkbookLimits

__all__ = ["LIMITS", "MAX_DATA_ROWS", "MAX_EMPTY_RUN", "MAX_MEDIA_FILE_BYTES", "MAX_XLS_BYTES",
           "CellBudget", "WorkbookLimits", "check_file_size", "clip_cell", "refuse"]


#: Largest questionnaire file read (before unpacking).
MAX_FILE_BYTES = 32 << 20
#: Largest ``.xls`` read: xlrd parses the whole string table when it opens one, so the
#: old binary format gets a tighter bound (a real one is a few hundred kilobytes).
MAX_XLS_BYTES = 12 << 20
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


def refuse(path: str, message: str, hint: str | None = None, sheet: str | None = None,
           row: int | None = None, *, code: str = "form.refused",
           fields: Mapping[str, object] | None = None) -> FormError:
    """A one-issue FormError for a file that cannot be read as a questionnaire."""
    return FormError(path, [FormIssue(message, sheet, row, hint=hint, code=code,
                                      fields=fields or {})])


def megabytes(size: int) -> str:
    """``64 MB`` for a byte count (bounds are whole mebibytes)."""
    return f"{size >> 20} MB"


def check_file_size(path: str, size: int, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a questionnaire file bigger than ``limit`` (:data:`MAX_FILE_BYTES`) before
    reading it."""
    if size > limit:
        raise refuse(path, N_("refused: the file is larger than {value}"),
                     N_("a questionnaire is a few hundred kilobytes; check the file"),
                     code="form.refused-file-larger-than",
                     fields={"value": megabytes(limit)})



def clip_cell(text: str) -> str:
    """A cell's text cut to Excel's own limit (longer text cannot come from Excel)."""
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS]
