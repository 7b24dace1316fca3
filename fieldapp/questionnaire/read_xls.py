"""Stage 1 for the old Excel format: an ``.xls`` workbook (BIFF, read with xlrd) → sheet rows.

Cells become text the way pyxform writes them: whole numbers lose their ``.0``, booleans are
``TRUE``/``FALSE``, dates are ISO text, non-breaking spaces are plain spaces. xlrd's own
diagnostics go to a buffer, never to the user's terminal.
"""

from __future__ import annotations

import datetime as dt
import io

from fieldapp.errors import FormError, FormIssue
from fieldapp.i18n import N_
from fieldapp.questionnaire.bounds import (
    MAX_EMPTY_RUN,
    MAX_XLS_BYTES,
    CellBudget,
    check_file_size,
    clip_cell,
)
from fieldapp.questionnaire.reader import SheetRows, add_table, wanted_sheet
from fieldapp.questionnaire.xls_scan import scan_sheet

#: The first bytes of an OLE2 compound document (the container of .xls workbooks).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _cell_text(cell: object, datemode: int) -> str:
    import xlrd

    kind, value = getattr(cell, "ctype", 0), getattr(cell, "value", "")
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if kind == xlrd.XL_CELL_NUMBER:
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return str(value)
    if kind == xlrd.XL_CELL_DATE:
        try:
            parts = xlrd.xldate_as_tuple(value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return str(value)
        if parts[:3] == (0, 0, 0):
            return dt.time(*parts[3:]).isoformat()
        return dt.datetime(*parts).isoformat(sep=" ")
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return clip_cell(str(value).replace("\xa0", " ").strip())


def read_xls(path: str, content: bytes) -> SheetRows:
    """Read the XLSForm sheets of an ``.xls`` workbook's bytes."""
    import xlrd  # deferred: only needed for the old format

    budget = CellBudget(path)
    check_file_size(path, len(content), MAX_XLS_BYTES)
    log = io.StringIO()
    try:
        book = xlrd.open_workbook(file_contents=content, on_demand=True, logfile=log,
                                  formatting_info=False)
    except Exception as exc:  # xlrd raises many kinds on a damaged file; all mean "unreadable"
        issue = FormIssue(N_("not a readable .xls workbook ({name__})"),
                          hint=N_("open it in Excel or LibreOffice and save it again"),
                          code="form.not-readable-xls-workbook",
                          fields={"name__": type(exc).__name__})
        raise FormError(path, [issue]) from None
    result = SheetRows(path=path)
    try:
        names = book.sheet_names()
        for index, title in enumerate(names):
            name = wanted_sheet(title)
            if name is None:
                result.other_sheets.append(title)
                continue
            try:
                # count the cells from the records first: xlrd builds the whole sheet
                rows, cells = scan_sheet(book.mem, book._sh_abs_posn[index], budget.limits)
                budget.sheet(title, rows, 0)
                budget.expect(cells)
                sheet = book.sheet_by_index(index)
                budget.sheet(title, sheet.nrows, sheet.ncols)
                table = _sheet_table(sheet, book.datemode, budget, title)
            except FormError:
                raise
            except Exception as exc:
                issue = FormIssue(N_("the sheet cannot be read ({name__})"), title,
                                  hint=N_("open the workbook in Excel or LibreOffice and save it "
                                          "again"),
                                  code="form.sheet-cannot-read",
                                  fields={"name__": type(exc).__name__})
                raise FormError(path, [issue]) from None
            add_table(result, name, table)
    finally:
        book.release_resources()
    return result


def _sheet_table(sheet: object, datemode: int, budget: CellBudget,
                 title: str) -> list[tuple[int, list[str]]]:
    table: list[tuple[int, list[str]]] = []
    empty_run = 0
    for r in range(sheet.nrows):  # type: ignore[attr-defined]
        texts = [_cell_text(c, datemode) for c in sheet.row(r)]  # type: ignore[attr-defined]
        filled = sum(1 for t in texts if t)
        if not filled:
            empty_run += 1
            if table and empty_run >= MAX_EMPTY_RUN:
                break
            continue
        empty_run = 0
        budget.row(title, r + 1, len(texts))
        table.append((r + 1, texts))
    return table
