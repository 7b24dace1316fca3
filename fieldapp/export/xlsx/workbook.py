"""The XLSX export: data, labels, repeat sheets, overflow, codebook, summary, about."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fieldapp.errors import Note
from fieldapp.export.about import ExportInfo
from fieldapp.export.atomic import AtomicFile, os_error_text
from fieldapp.export.codebook import codebook_rows, languages
from fieldapp.export.errors import ExportError
from fieldapp.export.layout import RESERVED, Layout, Table
from fieldapp.export.schema import Variable
from fieldapp.export.summary import Accumulator, SummaryOptions
from fieldapp.export.summary_sheet import WIDTHS, build_summary, unknown_cities
from fieldapp.export.xlsx.cells import MAX_COLUMNS, MAX_ROWS
from fieldapp.export.xlsx.package import Package, PrintSetup, SheetStream, header_row
from fieldapp.export.xlsx.rowxml import RowEncoder, split_long
from fieldapp.i18n import N_


def _label_text(labels: Any, lang: str) -> str:
    return labels.get(lang) or next(iter(labels.values()), "")


def label_map(var: Variable, lang: str, package: Package) -> dict[Any, str] | None:
    """Labels-sheet cell XML by code for a select_one column (None for other columns);
    labels are shared strings (each written once, referred to by index)."""
    if var.qtype != "select_one" or not var.codes:
        return None
    out: dict[Any, str] = {}
    for c in var.codes:
        xml = package.shared_cell(_label_text(c.labels, lang) or c.code)
        out[c.code] = xml
        if var.kind == "int" and c.code.lstrip("-").isdigit():
            out[int(c.code)] = xml
    return out


def multi_label(var: Variable, lang: str) -> Any:
    """Labels-sheet text of a select_multiple value ("a; b")."""
    names = {c.code: _label_text(c.labels, lang) or c.code for c in var.codes}
    return lambda v: "; ".join(names.get(code, code) for code in str(v).split())


class XlsxWorkbook:
    """Streams the row sheets while the interviews are decrypted; finishes the rest."""

    def __init__(self, target: Path, layout: Layout, lang: str, *, labels: bool = True,
                 summary: SummaryOptions | None = None) -> None:
        for table in layout.tables:
            if len(table.columns) > MAX_COLUMNS:
                name = table.columns[MAX_COLUMNS].name
                raise ExportError(N_("sheet {name} would have {count} columns (Excel allows "
                                     "{MAX_COLUMNS}; variable {name2} is the first beyond it): "
                                     "export with --format csv, sav or dta"),
                                  code="workbook.sheet-would-columns-excel", name=table.name,
                                  count=len(table.columns), MAX_COLUMNS=MAX_COLUMNS,
                                  name2=name)
        self.target = target
        self.layout = layout
        self.lang = lang
        self.summary = summary
        self.output = AtomicFile(target)
        self.package = Package(target.parent)
        self.encoder = RowEncoder()
        self.streams: dict[str, SheetStream] = {}
        self.tables = self.encoder.tables(
            [label_map(v, lang, self.package) for v in layout.main.columns],
            {i: multi_label(v, lang) for i, v in enumerate(layout.main.columns)
             if v.qtype == "select_multiple" and v.codes})
        self.overflow: list[list[Any]] = []
        self.illegal: list[str] = []
        try:
            self._open(layout.main, "data")
            if labels:
                self._open(layout.main, "labels")
            for table in layout.repeats:
                self._open(table, table.name)
        except OSError as exc:
            self.abort()
            raise ExportError(N_("{target}: {value}"),
                              code="workbook.error", target=target,
                              value=os_error_text(exc)) from None

    def _open(self, table: Table, title: str) -> None:
        stream = self.package.stream(title)
        stream.row(header_row([v.name for v in table.columns]))
        self.streams[title] = stream

    def _long(self, table: str, row_id: str, columns: Sequence[Variable]) -> Any:
        def handle(index: int, text: str) -> str:
            shown, parts = split_long(text)
            for n, part in enumerate(parts, start=1):
                self.overflow.append([row_id, table, columns[index].name, n, len(parts), part])
            return shown
        return handle

    def add_main(self, row: Sequence[Any], data_xml: str | None = None) -> None:
        """One interview's main row (data and labels sheets); ``data_xml``: the data row's
        XML when already made (merge copying a plain row)."""
        data = self.streams["data"]
        if data.rows >= MAX_ROWS:
            raise ExportError(N_("interview {row_text}: more than {value} interviews do not fit "
                                 "one Excel sheet: export with --format csv, sav or dta"),
                              code="workbook.interview-more-than-interviews",
                              row_text=row[0], value=MAX_ROWS - 1)
        columns = self.layout.main.columns
        data.row(data_xml or self.encoder.row(row, self._long("data", row[0], columns)))
        labels = self.streams.get("labels")
        if labels is not None:
            labels.row(self.encoder.labelled(row, self.tables,
                                             self._long("labels", row[0], columns)))
        if self.encoder.illegal:
            self.illegal.append(str(row[0]))
            self.encoder.illegal = False

    def add_repeat(self, table: Table, rows: Sequence[Sequence[Any]]) -> None:
        """Rows of one repeat sheet."""
        stream = self.streams[table.name]
        for row in rows:
            if stream.rows >= MAX_ROWS:
                raise ExportError(N_("interview {row_text}: sheet {name} would exceed {MAX_ROWS} "
                                     "rows: export with --format csv, sav or dta"),
                                  code="workbook.interview-sheet-would-exceed",
                                  row_text=row[2], name=table.name, MAX_ROWS=MAX_ROWS)
            stream.row(self.encoder.row(row, self._long(table.name, row[2], table.columns)))
            if self.encoder.illegal:
                self.illegal.append(str(row[2]).split("/")[0])
                self.encoder.illegal = False

    def finish(self, acc: Accumulator, info: ExportInfo,
               extra: Sequence[tuple[str, list[list[Any]]]] = ()) -> list[Path]:
        """Write the small sheets (and ``extra`` ones), assemble and commit atomically."""
        if self.illegal:
            ids = sorted(set(self.illegal))
            info.warnings.append(Note(N_(
                "characters not allowed in XLSX were escaped as _xHHHH_ in {n} interview(s): "
                "{ids} (the encrypted originals are unchanged)"),
                {"n": len(ids), "ids": ", ".join(ids)}))
        if self.overflow:
            cells = sorted({(r[0], r[2]) for r in self.overflow})
            info.warnings.append(Note(N_(
                "{n} text value(s) longer than Excel's 32,767 characters were split: the cell "
                "ends with a visible marker and the whole text is in sheet 'overflow' "
                "({cells})"),
                {"n": len(cells), "cells": ", ".join(f"{i} {v}" for i, v in cells)}))
            self.package.small("overflow", [["row_id", "sheet", "variable", "part", "parts",
                                             "text"], *self.overflow])
        variables = self.layout.variables()
        langs = languages(variables)
        self.package.small("codebook", codebook_rows(self.layout.tables, langs))
        rows, charts = build_summary(acc, self.lang, self.summary)
        info.warnings += unknown_cities(acc, self.summary)
        self.package.small("summary", rows.rows, header=False, styles=rows.styles,
                           charts=charts, widths=WIDTHS, heights=rows.heights(WIDTHS),
                           printing=PrintSetup(tuple(rows.breaks)))
        self.package.small("about", info.rows())
        for title, extra_rows in extra:
            self.package.small(title, extra_rows)
        order = ["data", "labels", *[t.name for t in self.layout.repeats], *RESERVED]
        try:
            self.package.save(self.output.file, order=order)
        except OSError as exc:
            self.abort()
            raise ExportError(N_("{target}: {value} while writing; the previous file is unchanged"),
                              code="workbook.while-writing-previous-file", target=self.target,
                              value=os_error_text(exc)) from None
        finally:
            self.package.discard()
        self.output.commit()
        return [self.target]

    def abort(self) -> None:
        """Remove every temporary file."""
        self.package.discard()
        self.output.abort()
