"""CSV export: UTF-8 with BOM (Excel on CJK Windows otherwise guesses a legacy code page).

Codes only; ``OUT_codebook.csv`` beside it says what they mean and which are missing
values, ``OUT_about.csv`` where the data came from. Text starting with
``= + - @``, tab or CR gets a leading apostrophe (OWASP's CSV-injection advice): this changes
the value, so the XLSX, SAV and DTA exports, which need no such change, are the faithful ones.
One file per table: ``OUT.csv`` and ``OUT_<repeat>.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fieldapp.export.about import ExportInfo
from fieldapp.export.atomic import AtomicFile
from fieldapp.export.layout import Layout, Table
from fieldapp.export.summary import Accumulator

CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value: Any) -> Any:
    """A value as written to CSV."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(CSV_RISKY) else value
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return value


def table_path(target: Path, layout: Layout, table: Table) -> Path:
    """Where a table goes: the target for the main table, ``stem_<sheet>`` for repeats."""
    if table is layout.main:
        return target
    return target.with_name(f"{target.stem}_{table.name}{target.suffix}")


class CsvFiles:
    """One CSV per table, each replaced atomically at the end."""

    def __init__(self, target: Path, layout: Layout) -> None:
        self.target = target
        self.layout = layout
        self.files: dict[str, AtomicFile] = {}
        self.writers: dict[str, Any] = {}
        self.texts: list[io.TextIOWrapper] = []
        try:
            for table in layout.tables:
                atomic = AtomicFile(table_path(target, layout, table))
                self.files[table.name] = atomic
                text = io.TextIOWrapper(atomic.file, encoding="utf-8-sig", newline="")
                self.texts.append(text)
                writer = csv.writer(text)
                writer.writerow([v.name for v in table.columns])
                self.writers[table.name] = writer
        except BaseException:
            self.abort()
            raise

    def add_main(self, row: Sequence[Any]) -> None:
        """One interview's main row."""
        self.writers[self.layout.main.name].writerow([csv_value(v) for v in row])

    def add_repeat(self, table: Table, rows: Sequence[Sequence[Any]]) -> None:
        """Rows of a repeat table."""
        write = self.writers[table.name].writerow
        for row in rows:
            write([csv_value(v) for v in row])

    def finish(self, acc: Accumulator, info: ExportInfo) -> list[Path]:
        """Flush, write the codebook and about beside the data, and commit every file."""
        del acc
        for text in self.texts:
            text.flush()
            text.detach()
        from fieldapp.export.companions import write_companions

        try:
            extra = write_companions(self.target, self.layout, info)
        except BaseException:
            self.abort()
            raise
        paths = []
        for atomic in [*self.files.values(), *extra]:
            atomic.commit()
            paths.append(atomic.target)
        return paths

    def abort(self) -> None:
        """Remove the temporary files."""
        for atomic in self.files.values():
            atomic.abort()
