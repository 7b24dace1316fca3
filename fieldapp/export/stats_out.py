"""SPSS ``.sav`` and Stata ``.dta`` via pyreadstat, with variable and value labels.

pyreadstat writes from a whole pandas table, so these formats hold the rows in memory
(unlike XLSX/CSV). Labels are in the chosen language and cut to each format's byte limits on
character boundaries (readstat would cut a Korean/Chinese/Japanese character in half).
Names are made valid for the format (renames are listed as warnings). In SPSS, don't know /
refused codes are declared user-missing; Stata keeps them as labelled codes.
One file per table: ``OUT.sav`` and ``OUT_<repeat>.sav``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fieldapp.export.about import ExportInfo
from fieldapp.export.atomic import AtomicFile
from fieldapp.export.csv_out import table_path
from fieldapp.export.errors import ExportError
from fieldapp.export.layout import Layout, Table
from fieldapp.export.schema import ANY, DATE, DATETIME, INT, NUM, Variable
from fieldapp.export.summary import Accumulator

#: (variable label bytes, variable label characters, value label bytes, name length)
LIMITS = {"sav": (255, None, 120, 64), "dta": (320, 80, 32000, 32)}
_BAD = re.compile(r"[^\w]", re.UNICODE)


def cut(text: str, max_bytes: int, max_chars: int | None = None) -> str:
    """Shorten text to a byte (and character) limit without splitting a character."""
    if max_chars is not None:
        text = text[:max_chars]
    return text.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")


def valid_names(names: Sequence[str], fmt: str) -> list[str]:
    """Names allowed by the format, unique (case-insensitively)."""
    limit = LIMITS[fmt][3]
    out: list[str] = []
    taken: set[str] = set()
    for name in names:
        new = _BAD.sub("_", name)
        if not new[:1].isalpha():
            new = "v" + new
        new = cut(new, limit)
        base, n = new, 2
        while new.lower() in taken:
            suffix = f"_{n}"
            new, n = cut(base, limit - len(suffix)) + suffix, n + 1
        taken.add(new.lower())
        out.append(new)
    return out


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ExportError("SPSS/Stata export needs pandas (pyreadstat writes from a pandas "
                          "table): install it with 'pip install pandas'") from None
    return pandas


class StatsOut:
    """Collects the tables, then writes each with pyreadstat to a temporary file."""

    def __init__(self, target: Path, layout: Layout, lang: str, fmt: str) -> None:
        self.pd = _pandas()
        self.target = target
        self.layout = layout
        self.lang = lang
        self.fmt = fmt
        self.rows: dict[str, list[Sequence[Any]]] = {t.name: [] for t in layout.tables}
        self.files: list[AtomicFile] = []

    def add_main(self, row: Sequence[Any]) -> None:
        """One interview's main row."""
        self.rows[self.layout.main.name].append(row)

    def add_repeat(self, table: Table, rows: Sequence[Sequence[Any]]) -> None:
        """Rows of a repeat table."""
        self.rows[table.name].extend(rows)

    def finish(self, acc: Accumulator, info: ExportInfo) -> list[Path]:
        """Write every table, then commit them all."""
        del acc
        try:
            for table in self.layout.tables:
                self._write(table, info)
        except BaseException:
            self.abort()
            raise
        for atomic in self.files:
            atomic.commit()
        return [a.target for a in self.files]

    def _write(self, table: Table, info: ExportInfo) -> None:
        import pyreadstat

        path = table_path(self.target, self.layout, table)
        atomic = AtomicFile(path)
        self.files.append(atomic)
        names = valid_names([v.name for v in table.columns], self.fmt)
        for var, name in zip(table.columns, names, strict=True):
            if name != var.name:
                info.warnings.append(f"{path.name}: variable {var.name} is named {name} "
                                     f"(the {self.fmt} format does not allow the original)")
        frame = self.pd.DataFrame({
            name: self._column(var, [r[i] for r in self.rows[table.name]])
            for i, (var, name) in enumerate(zip(table.columns, names, strict=True))})
        label_bytes, label_chars, value_bytes, _ = LIMITS[self.fmt]
        labels = {name: cut(_text(var.labels, self.lang) or var.name, label_bytes, label_chars)
                  for var, name in zip(table.columns, names, strict=True)}
        value_labels = {}
        missing = {}
        for var, name in zip(table.columns, names, strict=True):
            if var.kind == INT and var.codes and frame[name].dtype.kind == "f":
                value_labels[name] = {float(c.code): cut(_text(c.labels, self.lang) or c.code,
                                                         value_bytes)
                                      for c in var.codes if _is_int(c.code)}
                codes = [float(c.code) for c in var.codes if c.missing and _is_int(c.code)]
                if codes and self.fmt == "sav":
                    missing[name] = codes[:3]
        write = pyreadstat.write_sav if self.fmt == "sav" else pyreadstat.write_dta
        kwargs: dict[str, Any] = dict(column_labels=labels, variable_value_labels=value_labels)
        if self.fmt == "sav":
            kwargs["missing_ranges"] = missing
        try:
            write(frame, atomic.writer_path(), **kwargs)
        except OSError:
            raise
        except Exception as exc:
            raise ExportError(f"{path}: the {self.fmt} writer failed ({exc})") from None

    def _column(self, var: Variable, values: list[Any]) -> Any:
        pd = self.pd
        if var.kind in (INT, NUM) or (var.kind == ANY and all(
                v is None or isinstance(v, (int, float)) for v in values)):
            if all(v is None or isinstance(v, (int, float)) for v in values):
                return pd.Series([float("nan") if v is None else float(v) for v in values],
                                 dtype="float64")
        if var.kind == DATE and all(v is None or isinstance(v, dt.date) for v in values):
            return pd.Series(values, dtype="object")
        if var.kind == DATETIME:
            return pd.to_datetime(pd.Series(values, dtype="object"))
        return pd.Series(["" if v is None else _str(v) for v in values], dtype="object")

    def abort(self) -> None:
        """Remove the temporary files."""
        for atomic in self.files:
            atomic.abort()


def _text(labels: Any, lang: str) -> str:
    return labels.get(lang) or next(iter(labels.values()), "")


def _str(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _is_int(text: str) -> bool:
    return text.lstrip("-").isdigit()
