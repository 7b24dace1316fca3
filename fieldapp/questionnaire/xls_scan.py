"""Count an ``.xls`` sheet's rows and cells from its BIFF records before xlrd parses it.

xlrd builds a whole sheet in memory when it is first asked for, so a 30 MB ``.xls`` whose
survey sheet holds millions of cells took seconds and hundreds of MB before the reader's cell
budget could refuse it. This walk over the record headers counts the cell records (the
cells xlrd would create) and stops as soon as a limit is passed: it never trusts the sheet's
declared dimensions.
"""

from __future__ import annotations

import struct

from fieldapp.questionnaire.limits import WorkbookLimits

_HEADER = struct.Struct("<HH")
_BOF, _EOF = 0x0809, 0x000A
_MULRK = 0x00BD  # several RK cells in one record: row, first column, 6 bytes a cell, last
#: NUMBER, LABELSST, RK, LABEL, FORMULA, BOOLERR, RSTRING: one cell each, row index first.
_CELLS = frozenset({0x0203, 0x00FD, 0x027E, 0x0204, 0x0006, 0x0205, 0x00D6})


def scan_sheet(mem: bytes, start: int, limits: WorkbookLimits) -> tuple[int, int]:
    """(rows, cells) of the sheet substream that begins at ``start`` in the workbook stream.

    Counting stops once either exceeds ``limits`` (the caller refuses the sheet then).
    """
    rows = cells = depth = 0
    pos, end = start, len(mem)
    first = True
    while pos + 4 <= end:
        code, length = _HEADER.unpack_from(mem, pos)
        data, pos = pos + 4, pos + 4 + length
        if code == _BOF:
            depth += 0 if first else 1  # an embedded chart's substream
        elif code == _EOF:
            if depth == 0:
                break
            depth -= 1
        elif (code in _CELLS or code == _MULRK) and length >= 2 and data + 2 <= end:
            rows = max(rows, (mem[data] | mem[data + 1] << 8) + 1)
            cells += max(0, (length - 6) // 6) if code == _MULRK else 1
            if rows > limits.max_rows or cells > limits.max_cells:
                break
        first = False
    return rows, cells
