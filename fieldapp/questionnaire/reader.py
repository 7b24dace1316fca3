"""Stage 1: read a questionnaire file into plain sheet rows (no XLSForm rules yet).

Readers exist for ``.xlsx`` workbooks (openpyxl, read-only) and for the markdown
tables pyxform's tests use (``.md``), so tests can write forms inline.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from fieldapp.errors import FormError, FormIssue

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
    """Read the XLSForm sheets of an ``.xlsx`` workbook (from ``content`` when given)."""
    path = Path(path)
    try:
        import io

        import openpyxl  # deferred: ~140 ms import, not needed at GUI start

        source = io.BytesIO(content) if content is not None else path
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except FileNotFoundError:
        raise FormError(str(path), [FormIssue("file not found")]) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        hint = "save it as an Excel .xlsx workbook"
        if path.suffix.lower() == ".xls":
            hint = "the old .xls format is not supported: save it as .xlsx"
        issue = FormIssue(f"not a readable .xlsx workbook ({type(exc).__name__})", hint=hint)
        raise FormError(str(path), [issue]) from None
    result = SheetRows(path=str(path))
    try:
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower()
            if name not in SHEETS:
                result.other_sheets.append(sheet.title)
                continue
            table: list[tuple[int, list[str]]] = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                texts = [_cell_text(v) for v in values]
                if any(texts) or not table:
                    table.append((number, texts))
            # a leading blank row is not a header
            while table and not any(table[0][1]):
                table.pop(0)
            _add_sheet(result, name, table)
    finally:
        workbook.close()
    return result


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


def read_file(path: str | Path) -> SheetRows:
    """Read a questionnaire from ``.xlsx`` or ``.md`` by its suffix."""
    path = Path(path)
    if path.suffix.lower() == ".md":
        try:
            return read_markdown(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise FormError(str(path), [FormIssue(f"cannot read file: {exc}")]) from None
    return read_xlsx(path)
