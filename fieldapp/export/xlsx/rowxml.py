"""Fast ``<row>`` XML for typed values (the export's inner loop).

Most cells are small integers or repeated short texts (codes, city, status, labels), so a
row is one ``map`` over dictionaries that return each value's cell XML, building (and, for
short text, remembering) what is missing. Text longer than Excel's 32,767 characters is
split visibly: the cell keeps the beginning plus a marker and the whole text goes to the
``overflow`` sheet (never silent truncation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from fieldapp.export.xlsx.cells import MAX_CELL_CHARS, cell, has_illegal, text_cell, utf16_length

MARKER = " […continued in sheet 'overflow']"
PART = 16_000  # code points per overflow cell (≤ 32,000 UTF-16 units even for emoji)
_CACHE_LIMIT = 50_000
_CACHEABLE_LEN = 40
_EPOCH = dt.datetime(1899, 12, 30)

#: (column index, text) → text to write; used for over-long text.
LongHandler = Callable[[int, str], str]


class LongText(Exception):
    """A value needs the (slow) over-long text path."""


class CellCache(dict):
    """value → cell XML; builds and remembers missing entries (short text, dates)."""

    def __init__(self) -> None:
        super().__init__({i: f"<c><v>{i}</v></c>" for i in range(-100, 10000)})
        self[None] = "<c/>"
        self[""] = "<c/>"
        self.illegal = False

    def __missing__(self, v: Any) -> str:
        kind = type(v)
        if kind is dt.datetime:
            delta = v - _EPOCH
            serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
            return f'<c s="3"><v>{serial!r}</v></c>'
        if kind is str:
            if len(v) > MAX_CELL_CHARS // 2 and utf16_length(v) > MAX_CELL_CHARS:
                raise LongText
            xml = text_cell(v)
            if "_x" in xml and has_illegal(v):
                self.illegal = True
                return xml
            if len(v) <= _CACHEABLE_LEN and len(self) < _CACHE_LIMIT:
                self[v] = xml
            return xml
        xml = cell(v)
        if kind is dt.date and len(self) < _CACHE_LIMIT:
            self[v] = xml
        return xml


class LabelTable(dict):
    """code → label cell XML for one column; other values fall back to the cell cache."""

    def __init__(self, labels: dict[Any, str], fallback: CellCache,
                 transform: Callable[[Any], Any] | None = None) -> None:
        super().__init__(labels)
        self.fallback = fallback
        self.transform = transform

    def __missing__(self, v: Any) -> str:
        if self.transform is not None and v is not None:
            v = self.transform(v)
        return self.fallback[v]


class RowEncoder:
    """Encodes rows; ``illegal`` tells whether the last rows needed ``_xHHHH_`` escapes."""

    def __init__(self) -> None:
        self.cache = CellCache()

    @property
    def illegal(self) -> bool:
        return self.cache.illegal

    @illegal.setter
    def illegal(self, value: bool) -> None:
        self.cache.illegal = value

    def row(self, values: Sequence[Any], on_long: LongHandler) -> str:
        """XML of one row of values."""
        try:
            return "<row>" + "".join(map(self.cache.__getitem__, values)) + "</row>"
        except LongText:
            return self._long_row(values, [self.cache] * len(values), on_long)

    def labelled(self, values: Sequence[Any], tables: Sequence[dict],
                 on_long: LongHandler) -> str:
        """XML of a row where coded columns show labels (``tables`` from :meth:`tables`)."""
        try:
            return "<row>" + "".join(map(dict.__getitem__, tables, values)) + "</row>"
        except LongText:
            return self._long_row(values, tables, on_long)

    def _long_row(self, values: Sequence[Any], tables: Sequence[dict],
                  on_long: LongHandler) -> str:
        parts = []
        for i, (v, table) in enumerate(zip(values, tables, strict=True)):
            try:
                parts.append(table[v])
            except LongText:
                parts.append(text_cell(on_long(i, v)))
        return "<row>" + "".join(parts) + "</row>"

    def tables(self, labels: Sequence[dict[Any, str] | None],
               transforms: dict[int, Callable[[Any], Any]]) -> list[dict]:
        """Per-column lookup tables for :meth:`labelled`."""
        out: list[dict] = []
        for i, mapping in enumerate(labels):
            if mapping is None and i not in transforms:
                out.append(self.cache)
            else:
                out.append(LabelTable(mapping or {}, self.cache, transforms.get(i)))
        return out


def split_long(text: str) -> tuple[str, list[str]]:
    """(cell text with marker, parts of the whole text) for an over-long value."""
    head = text[: MAX_CELL_CHARS - len(MARKER) - 2]
    while utf16_length(head) + len(MARKER) > MAX_CELL_CHARS:
        head = head[:-1000]
    return head + MARKER, [text[i:i + PART] for i in range(0, len(text), PART)]
