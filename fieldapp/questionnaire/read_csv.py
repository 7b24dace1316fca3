"""Stage 1 for pyxform's one-file CSV layout: every sheet in one ``.csv`` file.

A row whose first cell is not empty names the sheet that follows (``survey``, ``choices``,
``settings``); the next row with content is that sheet's header, then its rows, each with
an empty first cell::

    survey,,,
    ,type,name,label
    ,text,q1,Your name
    choices,,,
    ,list_name,name,label

Problems cite the line of the ``.csv`` file as the row.
"""

from __future__ import annotations

import csv
import io

from fieldapp.errors import FormError, FormIssue
from fieldapp.i18n import N_
from fieldapp.questionnaire.bounds import CellBudget, check_file_size, clip_cell
from fieldapp.questionnaire.reader import SheetRows, add_table, wanted_sheet


def decode_text(path: str, content: bytes) -> str:
    """UTF-8 text of a form file (a byte-order mark is dropped); one-line error if not."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormError(path, [FormIssue(N_("the file is not UTF-8 text"),
                                         hint=N_("save it as CSV UTF-8"),
                                         code="form.file-not-utf-text")]) from None


def read_csv(path: str, content: bytes) -> SheetRows:
    """Read a questionnaire in pyxform's CSV layout."""
    budget = CellBudget(path)
    check_file_size(path, len(content))
    text = decode_text(path, content)
    result = SheetRows(path=path)
    tables: dict[str, list[tuple[int, list[str]]]] = {}
    current: str | None = None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            line = reader.line_num
            if not row:
                continue
            head = row[0].strip()
            cells = [clip_cell(c.strip()) for c in row[1:]]
            if head:
                current = head
                name = wanted_sheet(head)
                if name is None:
                    if head not in result.other_sheets:
                        result.other_sheets.append(head)
                else:
                    tables.setdefault(name, [])
            if current is None or not any(cells):
                continue
            name = wanted_sheet(current)
            if name is None:
                continue
            budget.row(name, line, len(cells))
            tables[name].append((line, cells))
    except csv.Error as exc:
        raise FormError(path, [FormIssue(N_("not a readable CSV file ({exc})"), row=reader.line_num,
                                         hint=N_("save it again as CSV UTF-8"),
                                         code="form.not-readable-csv-file",
                                         fields={"exc": exc})]) from None
    if not tables:
        raise FormError(path, [FormIssue(
            N_("no sheet found in the CSV file"),
            hint=N_("pyxform's CSV layout starts with a row 'survey' in the first column, then "
                    "the header row with an empty first cell"), code="form.no-sheet-found-csv")])
    for name, table in tables.items():
        add_table(result, name, table)
    return result
