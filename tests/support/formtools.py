"""Test helpers: write XLSForm workbooks from markdown tables (as pyxform's tests write them)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from fieldapp.questionnaire.reader import read_markdown


def md_to_xlsx(md: str, path: Path) -> Path:
    """Write the sheets of a pyxform-style markdown form to a real .xlsx workbook."""
    sheets = read_markdown(md)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, header in sheets.headers.items():
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for row in sheets.rows[name]:
            sheet.append([row.cells.get(h, None) for h in header])
    workbook.save(path)
    return path
