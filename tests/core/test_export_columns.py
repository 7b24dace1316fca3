"""The SPSS/Stata column store gives exactly the pandas columns the row-wise code built.

``reference`` is the row-wise code this store replaced (kept here as the specification):
every column kind, with values that stay numbers, numbers that turn out to be text (after a
block boundary too, with huge integers, booleans and NaN that a float would render
differently), dates, date-times, empties and repeated text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from fieldapp.export import columns
from fieldapp.export.columns import ColumnStore, text_of
from fieldapp.export.schema import ANY, DATE, DATETIME, INT, NUM, TEXT


def reference(kind: str, values: list[Any]) -> Any:
    if kind in (INT, NUM) or (kind == ANY and all(
            v is None or isinstance(v, (int, float)) for v in values)):
        if all(v is None or isinstance(v, (int, float)) for v in values):
            return pd.Series([float("nan") if v is None else float(v) for v in values],
                             dtype="float64")
    if kind == DATE and all(v is None or isinstance(v, dt.date) for v in values):
        return pd.Series(values, dtype="object")
    if kind == DATETIME:
        return pd.to_datetime(pd.Series(values, dtype="object"))
    return pd.Series(["" if v is None else text_of(v) for v in values], dtype="object")


class Var:
    def __init__(self, kind: str) -> None:
        self.kind = kind


D1, D2 = dt.date(2026, 5, 1), dt.date(2026, 5, 2)
T1 = dt.datetime(2026, 5, 1, 1, 2, 3, 456789)
CASES: list[tuple[str, list[Any]]] = [
    (INT, [1, 2, None, 98, 99, 3]),
    (NUM, [1.5, None, 2, -0.25, 1e300]),
    (ANY, [None, None, None]),
    (ANY, [1, 2, "three", None]),
    (INT, [1, 2, None, 3.0, 2 ** 60, True, float("nan"), "x", 4]),
    (NUM, [2 ** 60, 1, "text at the end"]),
    (ANY, [True, False, None]),
    (TEXT, ["가나다", None, "", "가나다", 12, 3.0, 3.5, D1, "北京 bus"]),
    (TEXT, [None, None]),
    (DATE, [D1, None, D2]),
    (DATE, [D1, "not a date", None]),
    (DATETIME, [T1, None, T1]),
]


@pytest.mark.parametrize("block", [1, 2, 1024])
@pytest.mark.parametrize("kind, values", CASES)
def test_store_column_equals_row_wise_column(kind: str, values: list[Any], block: int,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columns, "BLOCK", block)
    store = ColumnStore([Var(kind), Var(TEXT)])  # type: ignore[list-item]
    for i, v in enumerate(values):
        store.add([v, f"row {i}"])
    got, want = store.series(0, pd), reference(kind, values)
    assert got.dtype == want.dtype
    assert (got.isna() == want.isna()).all()
    assert got.dropna().tolist() == want.dropna().tolist()
    assert [type(x) for x in got.dropna()] == [type(x) for x in want.dropna()]
    assert store.series(1, pd).tolist() == [f"row {i}" for i in range(len(values))]


def test_repeated_text_shares_one_object() -> None:
    store = ColumnStore([Var(TEXT)])  # type: ignore[list-item]
    for _ in range(3000):
        store.add(["".join(["seo", "ul"])])  # equal, but a new object each time
    column = store.series(0, pd).tolist()
    assert column == ["seoul"] * 3000 and len({id(x) for x in column}) == 1


@pytest.mark.parametrize("fmt", ["sav", "dta"])
def test_datetimes_as_numbers_write_what_pyreadstat_writes(fmt: str, tmp_path: Any) -> None:
    """Converting date-time columns before pyreadstat (so it need not copy the table)
    stores the same doubles with the same format as pyreadstat's own conversion."""
    import pyreadstat

    from fieldapp.export.spss_stata import datetimes_as_numbers

    stamps = [T1, None, dt.datetime(1999, 12, 31, 23, 59, 59, 999999),
              dt.datetime(1583, 1, 1), dt.datetime(2026, 5, 1)]
    frame = {"when": pd.to_datetime(pd.Series(stamps, dtype="object")),
             "n": pd.Series([1.0, 2.0, None, 4.0, 5.0])}
    write = pyreadstat.write_sav if fmt == "sav" else pyreadstat.write_dta
    read = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    write(pd.DataFrame(frame), tmp_path / f"a.{fmt}")
    formats: dict[str, str] = {}
    write(pd.DataFrame(datetimes_as_numbers(pd, frame, fmt, formats)), tmp_path / f"b.{fmt}",
          variable_format=formats)
    (a, meta_a), (b, meta_b) = (read(tmp_path / f"{x}.{fmt}") for x in "ab")
    assert a.equals(b) and a["when"].notna().sum() == 4
    assert meta_a.original_variable_types == meta_b.original_variable_types
    raw_a, _ = read(tmp_path / f"a.{fmt}", disable_datetime_conversion=True)
    raw_b, _ = read(tmp_path / f"b.{fmt}", disable_datetime_conversion=True)
    assert raw_a.equals(raw_b)  # the stored doubles, bit for bit
