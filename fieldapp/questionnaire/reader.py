"""Stage 1: read a questionnaire file into plain sheet rows (no XLSForm rules yet).

Readers exist for ``.xlsx`` workbooks (openpyxl, read-only) and for the markdown
tables pyxform's tests use (``.md``), so tests can write forms inline.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldapp.errors import FormError, FormIssue
from fieldapp.i18n import N_
from fieldapp.questionnaire.limits import MAX_EMPTY_RUN, CellBudget, check_archive

SHEETS = ("survey", "choices", "settings", "external_choices", "entities")
#: Sheets some tools add that we ignore rather than refuse.
IGNORED_SHEETS = frozenset({"external_choices_", "notes", "readme", "source", "sources"})


@dataclass(frozen=True)
class Row:
    """One non-empty sheet row: its 1-based row number and cells keyed by header."""

    number: int
    cells: dict[str, str]


@dataclass
class SheetRows:
    """The raw content of a questionnaire file: sheet name → header and rows."""

    path: str
    headers: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    other_sheets: list[str] = field(default_factory=list)


def _cell_text(value: object) -> str:
    """Cell value as text: integral floats lose their '.0', None becomes ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _add_sheet(result: SheetRows, name: str, table: list[tuple[int, list[str]]]) -> None:
    if not table:
        result.headers[name] = []
        result.rows[name] = []
        return
    header_number, header = table[0]
    del header_number
    header = [h.strip() for h in header]
    rows = []
    for number, values in table[1:]:
        cells = {
            h: v for h, v in zip(header, values, strict=False) if h and v != ""
        }
        if cells:
            rows.append(Row(number, cells))
    result.headers[name] = [h for h in header if h]
    result.rows[name] = rows


#: Public name of the table → :class:`SheetRows` step, for the other readers.
add_table = _add_sheet


def wanted_sheet(title: str) -> str | None:
    """The XLSForm sheet a tab holds (lower case), or None for a sheet of other content."""
    name = title.strip().lower()
    return name if name in SHEETS else None


def read_xlsx(path: str | Path, content: bytes | None = None) -> SheetRows:
    """Read the XLSForm sheets of an ``.xlsx`` workbook (from ``content`` when given).

    The archive and the sheets are bounded (:mod:`.limits`): an oversized or hostile file is
    refused with one issue, quickly, whatever sizes it claims.
    """
    path = Path(path)
    check_archive(path, content)
    try:
        import io

        import openpyxl  # deferred: ~140 ms import, not needed at GUI start

        source = io.BytesIO(content) if content is not None else path
        with warnings.catch_warnings():  # "Unknown extension is not supported" and the like
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except FileNotFoundError:
        raise FormError(str(path), [FormIssue(N_("file not found"),
                                              code="form.file-not-found")]) from None
    except Exception as exc:  # openpyxl raises many kinds for damaged workbooks
        if isinstance(exc, FormError):
            raise
        issue = FormIssue(N_("not a readable .xlsx workbook ({name__})"),
                          hint=N_("open and save it again as an Excel .xlsx workbook"),
                          code="form.not-readable-xlsx-workbook",
                          fields={"name__": type(exc).__name__})
        raise FormError(str(path), [issue]) from None
    result = SheetRows(path=str(path))
    budget = CellBudget(str(path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for sheet in workbook.worksheets:
                name = sheet.title.strip().lower()
                if name not in SHEETS:
                    result.other_sheets.append(sheet.title)
                    continue
                _add_sheet(result, name, _read_sheet(sheet, name, budget))
    except FormError:
        raise
    except Exception as exc:
        issue = FormIssue(N_("a sheet of the workbook is damaged ({name__})"),
                          hint=N_("open and save it again in Excel or LibreOffice"),
                          code="form.sheet-workbook-damaged",
                          fields={"name__": type(exc).__name__})
        raise FormError(str(path), [issue]) from None
    finally:
        workbook.close()
    return result


def _read_sheet(sheet: Any, name: str, budget: CellBudget) -> list[tuple[int, list[str]]]:
    """The sheet's rows as text, leading blank rows dropped, within the budget."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # never trust the declared size (it pads every row to it)
    table: list[tuple[int, list[str]]] = []
    empty_run = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        texts = [_cell_text(v) for v in values]
        if not any(texts):
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN and table:
                break  # the sheet has ended (formatting may reach far below), as pyxform reads it
            if table:
                continue
        else:
            empty_run = 0
            budget.row(name, number, len(values))
        if any(texts) or not table:
            table.append((number, texts))
    # a leading blank row is not a header
    while table and not any(table[0][1]):
        table.pop(0)
    return table


def read_markdown(text: str, path: str = "<markdown>") -> SheetRows:
    """Read pyxform-style markdown tables (``| survey |`` then ``| | type | name | …|``)."""
    result = SheetRows(path=path)
    current: str | None = None
    table: list[tuple[int, list[str]]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("|"):
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if cells and cells[0]:
            if current is not None:
                _add_sheet(result, current, table)
            current = cells[0].lower()
            table = []
            continue
        if current is None:
            continue
        table.append((len(table) + 1, cells[1:]))  # sheet row numbers, header = row 1
    if current is not None:
        _add_sheet(result, current, table)
    return result
