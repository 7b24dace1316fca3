"""A table's values held column by column in compact form, for the SPSS/Stata writers.

pyreadstat writes from one whole pandas table, so these formats must hold every value; this
keeps them small instead of holding every row as Python objects and then a copy as a table:

* numeric-kind columns (int, num, any) as 8-byte floats (``array('d')``) while every value
  is a number or empty; the pandas column is a view of that buffer, not a copy;
* text as one list of strings, repeated values sharing one object (ids of the form, city,
  device, … repeat on every row);
* dates and date-times as they come (few columns).

Each column ends as exactly the pandas column the row-wise code built: float64 with NaN for
empty when every value is a number, else the values as text ('' for empty); dates as
objects; date-times through ``pandas.to_datetime``. A numeric column that turns out to hold
text is converted back to text value for value (numbers a float cannot render the same way —
huge integers, booleans, NaN — are kept aside as they came).
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Sequence
from typing import Any

from fieldapp.export.schema import ANY, DATE, DATETIME, INT, NUM, Variable

BLOCK = 1024  # rows buffered before they are split into columns
_INTERN = 4096  # distinct values of a column shared; later new ones are kept as they are
_EXACT = 2 ** 53  # integers up to this size survive the round trip through a float
_NAN = float("nan")


def text_of(value: Any) -> str:
    """A value as the text the SPSS/Stata writers store for it."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class _Column:
    """One column's values: floats, strings or raw values (see the module docstring)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.count = 0
        self.numbers: array[float] | None = array("d") if kind in (INT, NUM, ANY) else None
        self.exact: dict[int, Any] = {}  # row → a number a float does not render the same
        self.strings: list[str] | None = None if self.numbers is not None else []
        self.raw: list[Any] | None = [] if kind in (DATE, DATETIME) else None
        self.seen: dict[str, str] = {}

    def extend(self, values: list[Any]) -> None:
        if self.raw is not None:
            self.raw.extend(values)
        elif self.numbers is not None and self._add_numbers(values):
            pass
        else:
            self._add_strings(values)
        self.count += len(values)

    def _add_numbers(self, values: list[Any]) -> bool:
        assert self.numbers is not None
        out: list[float] = []
        for j, v in enumerate(values):
            t = type(v)
            if v is None:
                out.append(_NAN)
            elif (t is int and -_EXACT <= v <= _EXACT) or (t is float and v == v):
                out.append(v)
            elif isinstance(v, (int, float)):
                out.append(float(v))
                self.exact[self.count + j] = v
            else:  # text after all: every value so far becomes its text
                self.strings = [("" if x != x else text_of(x)) if i not in self.exact
                                else text_of(self.exact[i])
                                for i, x in enumerate(self.numbers)]
                self.numbers, self.exact = None, {}
                return False
        self.numbers.extend(out)
        return True

    def _add_strings(self, values: list[Any]) -> None:
        assert self.strings is not None
        seen, append = self.seen, self.strings.append
        for v in values:
            s = "" if v is None else text_of(v)
            shared = seen.get(s)
            if shared is None:
                if len(seen) < _INTERN:
                    seen[s] = s
                shared = s
            append(shared)

    def series(self, pd: Any) -> Any:
        """The pandas column (the held values are handed over, not copied where possible)."""
        if self.numbers is not None:
            import numpy

            # the Series keeps the buffer alive; this store lets go of it, so a column
            # replaced later (Stata's missing letters) frees its floats
            numbers, self.numbers = self.numbers, array("d")
            return pd.Series(numpy.frombuffer(numbers, dtype="float64"), dtype="float64",
                             copy=False)
        if self.raw is not None:
            values, self.raw = self.raw, []
            if self.kind == DATE and all(v is None or isinstance(v, dt.date) for v in values):
                return pd.Series(values, dtype="object")
            if self.kind == DATETIME:
                return pd.to_datetime(pd.Series(values, dtype="object"))
            return pd.Series(["" if v is None else text_of(v) for v in values], dtype="object")
        assert self.strings is not None
        strings, self.strings, self.seen = self.strings, [], {}
        return pd.Series(strings, dtype="object")


class ColumnStore:
    """The rows of one table, split into compact columns as they arrive."""

    def __init__(self, variables: Sequence[Variable]) -> None:
        self.columns = [_Column(v.kind) for v in variables]
        self.pending: list[Sequence[Any]] = []

    def add(self, row: Sequence[Any]) -> None:
        """One row (the table's columns in order)."""
        self.pending.append(row)
        if len(self.pending) >= BLOCK:
            self.flush()

    def flush(self) -> None:
        """Split the buffered rows into the columns."""
        rows, self.pending = self.pending, []
        if rows:
            for i, column in enumerate(self.columns):
                column.extend([r[i] for r in rows])

    def series(self, index: int, pd: Any) -> Any:
        """Column ``index`` as a pandas Series (call once per column, after the last row)."""
        self.flush()
        return self.columns[index].series(pd)
