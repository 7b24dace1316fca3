"""The workbook package: sheets (streamed or small), charts, styles and the OPC parts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from fieldapp.export.xlsx.cells import (
    RISKY_PREFIXES,
    STYLE_HEADER,
    cell,
    escape,
    escape_attr,
    styled_text_cell,
)
from fieldapp.export.xlsx.chart import BarChart, chart_xml, drawing_xml
from fieldapp.export.xlsx.theme import THEME
from fieldapp.export.xlsx.zipwriter import BytesPart, PartSpool, assemble

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# cellXfs: 0 default, 1 quote-prefixed text, 2 date, 3 date-time, 4 header (bold),
# 5 score 0.0, 6 percent 0.0, 7 wrapped text, 8 wrapped header (bold), 9 general;
# 4-9 top-aligned
STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}"><numFmts count="3">'
    '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/>'
    '<numFmt numFmtId="166" formatCode="0.0"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="10">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment vertical="top"/></xf>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'applyAlignment="1"><alignment vertical="top"/></xf>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'applyAlignment="1"><alignment vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>")

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: Iterable[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, no []:*?/\\)."""
    base = _BAD_TITLE.sub("_", name).strip("'")[:31] or "sheet"
    lower = {t.lower() for t in taken}
    title, n = base, 2
    while title.lower() in lower:
        suffix = f"~{n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    return title


@dataclass(frozen=True)
class PrintSetup:
    """Print a small sheet landscape on A4, one page wide, with a manual page break after
    each row in ``breaks`` (e.g. to keep a table with its chart)."""

    breaks: tuple[int, ...] = ()

    def tail(self) -> str:
        """The page margins, setup and row breaks (after ``sheetData``)."""
        brks = "".join(f'<brk id="{r}" max="16383" man="1"/>' for r in self.breaks)
        rows = (f'<rowBreaks count="{len(self.breaks)}" manualBreakCount="{len(self.breaks)}">'
                f"{brks}</rowBreaks>" if self.breaks else "")
        return ('<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" '
                'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" '
                f'fitToWidth="1" fitToHeight="0"/>{rows}')


def _sheet_head(freeze: bool, widths: Sequence[float], fit: bool = False) -> str:
    view = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            if freeze else '<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    cols = ""
    if widths:
        cols = "<cols>" + "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)) + "</cols>"
    pr = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if fit else ""
    return (_HEAD + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">{pr}{view}'
            f'<sheetFormatPr defaultRowHeight="15"/>{cols}<sheetData>')


_STYLE_ATTR = re.compile(r' s="\d+"')


def with_style(xml: str, style: int) -> str:
    """Give a cell's XML the style ``style`` (replacing any it had)."""
    xml = _STYLE_ATTR.sub("", xml, count=1)
    return f'<c s="{style}"' + xml[2:]


def header_row(names: Sequence[str]) -> str:
    """A bold header row."""
    return "<row>" + "".join(styled_text_cell(n, STYLE_HEADER) for n in names) + "</row>"


@dataclass
class Sheet:
    """A sheet of the package: streamed into a spool, or small rows kept in memory."""

    title: str
    index: int
    spool: PartSpool | None = None
    data: bytes | None = None
    charts: list[BarChart] = field(default_factory=list)
    stream: SheetStream | None = None

    @property
    def part(self) -> str:
        return f"xl/worksheets/sheet{self.index}.xml"


class SheetStream:
    """Rows written one at a time (as XML) into a compressed spool."""

    def __init__(self, sheet: Sheet, freeze: bool, widths: Sequence[float]) -> None:
        self.sheet = sheet
        assert sheet.spool is not None
        self.write = sheet.spool.write
        self.write(_sheet_head(freeze, widths))
        self.rows = 0
        self.closed = False
        sheet.stream = self

    def row(self, xml: str) -> None:
        """Append one ``<row>…</row>``."""
        self.write(xml)
        self.rows += 1

    def close(self) -> None:
        """Write the end of the sheet and finish compressing it."""
        if self.closed:
            return
        self.closed = True
        self.write("</sheetData></worksheet>")
        assert self.sheet.spool is not None
        self.sheet.spool.close()


class Package:
    """Collects sheets and writes the .xlsx; temporary parts live in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sheets: list[Sheet] = []
        self.shared: list[str] = []  # shared strings (cells refer to them by index)
        self._shared_index: dict[str, int] = {}

    def shared_cell(self, text: str) -> str:
        """A cell referring to ``text`` in the shared-string table (added if new)."""
        index = self._shared_index.get(text)
        if index is None:
            index = self._shared_index[text] = len(self.shared)
            self.shared.append(text)
        style = ' s="1"' if text[:1] in RISKY_PREFIXES else ""
        return f'<c t="s"{style}><v>{index}</v></c>'


    def _new(self, title: str) -> Sheet:
        sheet = Sheet(sheet_title(title, [s.title for s in self.sheets]), len(self.sheets) + 1)
        self.sheets.append(sheet)
        return sheet

    def stream(self, title: str, *, freeze: bool = True,
               widths: Sequence[float] = ()) -> SheetStream:
        """A sheet written row by row."""
        sheet = self._new(title)
        sheet.spool = PartSpool(sheet.part, self.folder)
        return SheetStream(sheet, freeze, widths)

    def small(self, title: str, rows: Iterable[Sequence[object]], *, header: bool = True,
              widths: Sequence[float] = (), charts: Sequence[BarChart] = (),
              styles: dict[tuple[int, int], int] | None = None,
              printing: PrintSetup | None = None,
              heights: dict[int, float] | None = None) -> Sheet:
        """A sheet from in-memory rows (codebook, summary, about); row 1 bold if header;
        ``heights``: row number → height in points (rows with wrapped text)."""
        sheet = self._new(title)
        parts = [_sheet_head(header, widths, fit=printing is not None)]
        styles = styles or {}
        for r, values in enumerate(rows, start=1):
            if r == 1 and header:
                parts.append(header_row([str(v) for v in values]))
                continue
            cells = []
            for c, value in enumerate(values, start=1):
                xml = cell(value)
                style = styles.get((r, c))
                cells.append(with_style(xml, style) if style else xml)
            height = (heights or {}).get(r)
            row_tag = f'<row ht="{height:g}" customHeight="1">' if height else "<row>"
            parts.append(row_tag + "".join(cells) + "</row>")
        parts.append("</sheetData>")
        if printing is not None:
            parts.append(printing.tail())
        if charts:
            parts.append('<drawing r:id="rId1"/>')
            sheet.charts = list(charts)
        parts.append("</worksheet>")
        sheet.data = "".join(parts).encode("utf-8")
        return sheet

    def discard(self) -> None:
        """Delete every temporary part."""
        for sheet in self.sheets:
            if sheet.spool is not None:
                sheet.spool.discard()

    def save(self, out: BinaryIO, *, order: Sequence[str] | None = None) -> None:
        """Write the package; ``order`` gives the tab order by title (default: creation)."""
        tabs = self.sheets
        if order is not None:
            by_title = {s.title: s for s in self.sheets}
            tabs = [by_title[t] for t in dict.fromkeys(order) if t in by_title]
            tabs += [s for s in self.sheets if s not in tabs]
        parts: list[PartSpool | BytesPart] = []
        for sheet in self.sheets:
            if sheet.spool is not None:
                assert sheet.stream is not None
                sheet.stream.close()
                parts.append(sheet.spool)
            else:
                assert sheet.data is not None
                parts.append(BytesPart(sheet.part, sheet.data))
        parts += self._chart_parts()
        parts += [BytesPart(name, data.encode("utf-8")) for name, data in
                  self._package_parts(tabs).items()]
        assemble(out, parts)

    def _chart_parts(self) -> list[BytesPart]:
        parts = []
        number = 0
        for drawing, sheet in enumerate([s for s in self.sheets if s.charts], start=1):
            rels = []
            for i, chart in enumerate(sheet.charts, start=1):
                number += 1
                parts.append(BytesPart(f"xl/charts/chart{number}.xml",
                                       chart_xml(chart, sheet.title).encode("utf-8")))
                rels.append((f"rId{i}", f"{_REL}/chart", f"../charts/chart{number}.xml"))
            parts.append(BytesPart(f"xl/drawings/drawing{drawing}.xml",
                                   drawing_xml(sheet.charts).encode("utf-8")))
            parts.append(BytesPart(f"xl/drawings/_rels/drawing{drawing}.xml.rels",
                                   _rels(rels).encode("utf-8")))
            parts.append(BytesPart(
                f"xl/worksheets/_rels/sheet{sheet.index}.xml.rels",
                _rels([("rId1", f"{_REL}/drawing", f"../drawings/drawing{drawing}.xml")]
                      ).encode("utf-8")))
        return parts

    def _package_parts(self, tabs: list[Sheet]) -> dict[str, str]:
        overrides = [("/xl/workbook.xml", f"{_CT}.spreadsheetml.sheet.main+xml"),
                     ("/xl/styles.xml", f"{_CT}.spreadsheetml.styles+xml"),
                     ("/xl/theme/theme1.xml", f"{_CT}.theme+xml"),
                     ("/docProps/app.xml", f"{_CT}.extended-properties+xml")]
        overrides += [(f"/{s.part}", f"{_CT}.spreadsheetml.worksheet+xml") for s in self.sheets]
        if self.shared:
            overrides.append(("/xl/sharedStrings.xml", f"{_CT}.spreadsheetml.sharedStrings+xml"))
        charts = sum(len(s.charts) for s in self.sheets)
        drawings = sum(1 for s in self.sheets if s.charts)
        overrides += [(f"/xl/charts/chart{i}.xml", f"{_CT}.drawingml.chart+xml")
                      for i in range(1, charts + 1)]
        overrides += [(f"/xl/drawings/drawing{i}.xml", f"{_CT}.drawing+xml")
                      for i in range(1, drawings + 1)]
        types = (_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/'
                 'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                 'ContentType="application/xml"/>'
                 + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
                 + "</Types>")
        sheets = "".join(
            f'<sheet name="{escape_attr(s.title)}" sheetId="{s.index}" r:id="rId{s.index}"/>'
            for s in tabs)
        workbook = (_HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
                    '<bookViews><workbookView/></bookViews>'
                    f"<sheets>{sheets}</sheets></workbook>")
        wb_rels = [(f"rId{s.index}", f"{_REL}/worksheet", f"worksheets/sheet{s.index}.xml")
                   for s in self.sheets]
        wb_rels.append((f"rId{len(self.sheets) + 1}", f"{_REL}/styles", "styles.xml"))
        wb_rels.append((f"rId{len(self.sheets) + 3}", f"{_REL}/theme", "theme/theme1.xml"))
        parts: dict[str, str] = {"xl/theme/theme1.xml": THEME}
        if self.shared:
            wb_rels.append((f"rId{len(self.sheets) + 2}", f"{_REL}/sharedStrings",
                            "sharedStrings.xml"))
            items = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>'
                            for t in self.shared)
            parts["xl/sharedStrings.xml"] = (
                _HEAD + f'<sst xmlns="{_MAIN}" count="{len(self.shared)}" '
                f'uniqueCount="{len(self.shared)}">{items}</sst>')
        app = (_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
               '2006/extended-properties"><Application>fieldapp</Application></Properties>')
        return {
            **parts,
            "[Content_Types].xml": types,
            "_rels/.rels": _rels([("rId1", f"{_REL}/officeDocument", "xl/workbook.xml"),
                                  ("rId2", f"{_REL}/extended-properties", "docProps/app.xml")]),
            "docProps/app.xml": app,
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": _rels(wb_rels),
            "xl/styles.xml": STYLES,
        }


def _rels(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{escape_attr(target)}"/>'
                   for i, t, target in items)
    return _HEAD + f'<Relationships xmlns="{_PKG_REL}">{body}</Relationships>'


__all__ = ["STYLES", "Package", "PrintSetup", "SheetStream", "escape", "header_row",
           "sheet_title"]
