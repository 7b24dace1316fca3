"""Terminal tables aligned by display width: a Hangul, Han or kana character takes two
columns, a combining mark none (Unicode East Asian Width, as terminals render them)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def pad(text: str, columns: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``columns`` display columns."""
    fill = " " * max(0, columns - width(text))
    return fill + text if right else text + fill


def table(rows: Iterable[Sequence[object]], *, gap: str = "  ",
          numeric: Sequence[bool] = ()) -> list[str]:
    """Lines of ``rows`` with every column padded to its widest cell (numbers right-aligned
    where ``numeric`` says so); trailing spaces are stripped."""
    cells = [[str(c) for c in row] for row in rows]
    if not cells:
        return []
    n = max(len(r) for r in cells)
    widths = [max((width(r[i]) for r in cells if i < len(r)), default=0) for i in range(n)]
    lines = []
    for row in cells:
        parts = [pad(c, widths[i], right=i < len(numeric) and numeric[i])
                 for i, c in enumerate(row)]
        lines.append(gap.join(parts).rstrip())
    return lines


def aligned(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """``label  value`` lines with the values in one column (labels may be CJK)."""
    return table(pairs)
