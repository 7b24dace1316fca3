"""One fieldapp export opened for merging: about, codebook, and its rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fieldapp.export.about import read_about
from fieldapp.export.codebook import parse_codebook
from fieldapp.export.errors import MergeError
from fieldapp.export.merge.safety import open_checked
from fieldapp.export.merge.xlsxread import Workbook
from fieldapp.export.schema import DATE, DATETIME, INT, NUM, TEXT, Variable
from fieldapp.i18n import N_

_EPOCH = dt.datetime(1899, 12, 30)


class ExportFile:
    """A checked input: its tables' variables and metadata."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.archive = open_checked(path)
        try:
            self.book = Workbook(self.archive, self.name)
            for sheet in ("about", "codebook", "data"):
                if sheet not in self.book.sheets:
                    raise MergeError(N_("{name}: not a fieldapp export (no sheet '{sheet_name}')"),
                                     code="inputs.not-fieldapp-export-no", name=self.name,
                                     sheet_name=sheet)
            try:
                self.about = read_about([r for r, _, _ in self.book.rows("about")])
                self.tables: dict[str, list[Variable]] = parse_codebook(
                    r for r, _, _ in self.book.rows("codebook"))
            except ValueError:
                raise MergeError(N_("{name}: not a fieldapp export (its about/codebook sheets are "
                                    "not fieldapp's)"),
                                 code="inputs.not-fieldapp-export-about",
                                 name=self.name) from None
            if "data" not in self.tables:
                raise MergeError(N_("{name}: not a fieldapp export (the codebook has no data "
                                    "sheet)"),
                                 code="inputs.not-fieldapp-export-codebook", name=self.name)
        except BaseException:
            self.archive.close()
            raise

    @property
    def form_id(self) -> str:
        return (self.about.get("form_id") or [""])[0]

    @property
    def versions(self) -> list[str]:
        return " ".join(self.about.get("form_versions", [])).split()

    @property
    def language(self) -> str:
        return (self.about.get("label_language") or [""])[0]

    def rows(self, sheet: str
             ) -> Iterator[tuple[dict[str, int], list[Any], bool, str | None]]:
        """(header positions, values, had a formula, plain row XML or None) per data row."""
        iterator = self.book.rows(sheet)
        header_row = next(iterator, None)
        if header_row is None:
            return
        header = {str(name): i for i, name in enumerate(header_row[0]) if name not in (None, "")}
        for values, formula, xml in iterator:
            yield header, values, formula, xml

    def close(self) -> None:
        self.archive.close()


def typed(var: Variable, value: Any) -> Any:
    """A value read from a sheet, typed as the column's kind."""
    if value is None or value == "":
        return None
    kind = var.kind
    if kind == TEXT or var.qtype == "select_multiple":
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value if isinstance(value, str) else str(value)
    if kind in (INT, NUM):
        if isinstance(value, float) and value.is_integer() and kind == INT:
            return int(value)
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                return value
        return value
    if kind == DATE and isinstance(value, (int, float)):
        return (_EPOCH + dt.timedelta(days=int(value))).date()
    if kind == DATETIME and isinstance(value, (int, float)):
        moment = _EPOCH + dt.timedelta(days=float(value))
        return (moment + dt.timedelta(milliseconds=500)).replace(microsecond=0)
    return value
