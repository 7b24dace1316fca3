"""A bounded streaming reader for SpreadsheetML sheets (what Excel, LibreOffice and we write).

Rows are cut out of the decompressed stream one ``</row>`` at a time and their cells read
with regular expressions, so memory holds one row (a row above :data:`MAX_ROW_BYTES` is
refused) and time is linear in the (size-checked) input. No DTD is accepted and no entity
other than XML's five and numeric character references is expanded. Values: numbers as
int/float, text as str (``_xHHHH_`` escapes decoded), booleans as 0/1, errors as their
text, formulas as the text of the formula (never evaluated; reported by the caller).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from defusedxml import ElementTree

from fieldapp.export.errors import MergeError
from fieldapp.export.merge.safety import LIMITS
from fieldapp.export.merge.xmltext import col_index, number, unescape
from fieldapp.i18n import N_
from fieldapp.zip_errors import ZIP_READ_ERRORS

MAX_ROW_BYTES = 64 << 20
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
_CHUNK = 1 << 20
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


class Patterns:
    """Regular expressions for one namespace prefix (usually none)."""

    def __init__(self, prefix: str) -> None:
        p = re.escape(prefix + ":") if prefix else ""
        self.row_end = f"</{prefix}:row>" if prefix else "</row>"
        self.plain = not prefix
        self.cell = re.compile(
            rf"<{p}c\b([^>]*?)(?:/>|>(?:<{p}v>([^<]*)</{p}v>|<{p}is><{p}t>([^<]*)</{p}t></{p}is>"
            rf"|(.*?))</{p}c>)", re.S)
        self.value = re.compile(rf"<{p}v>(.*?)</{p}v>", re.S)
        self.text = re.compile(rf"<{p}t(?:\s[^>]*)?>(.*?)</{p}t>|<{p}t\s*/>", re.S)
        self.phonetic = re.compile(rf"<{p}rPh\b.*?</{p}rPh>", re.S)
        self.formula = re.compile(rf"<{p}f\b[^>]*?(?:/>|>(.*?)</{p}f>)", re.S)
        self.inline = re.compile(rf"<{p}is>(.*?)</{p}is>", re.S)
        self.row_start = re.compile(rf"<{p}row\b[^>]*?(/?)>")
        self.attr_r = re.compile(r'\br\s*=\s*["\']([A-Z]+)')
        self.attr_t = re.compile(r'\bt\s*=\s*["\'](\w+)')

    def rich_text(self, xml: str) -> str:
        """Text of a ``<si>`` / ``<is>`` element (phonetic runs left out)."""
        if "rPh" in xml:
            xml = self.phonetic.sub("", xml)
        return "".join(unescape(m.group(1) or "") for m in self.text.finditer(xml))


class Workbook:
    """Sheet names → parts, shared strings; rows streamed per sheet."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self.archive = archive
        self.name = name
        self.sheets = self._sheets()
        self.shared = self._shared_strings()

    def _small(self, part: str) -> bytes:
        info = self.archive.getinfo(part)
        if info.file_size > LIMITS.max_small_part:
            raise MergeError(N_("{name}: refused: part {part} is {file_size:,} bytes"),
                             code="xlsxread.refused-part-bytes", name=self.name, part=part,
                             file_size=info.file_size)
        try:
            data = self.archive.read(part)
        except ZIP_READ_ERRORS:
            raise MergeError(N_("{name}: corrupted workbook (part {part} cannot be unpacked)"),
                             code="xlsxread.corrupted-workbook-part-cannot", name=self.name,
                             part=part) from None
        if _DTD.search(data[:4096]) or _DTD.search(data):
            raise MergeError(N_("{name}: refused: part {part} declares a DTD or entities"),
                             code="xlsxread.refused-part-declares-dtd", name=self.name, part=part)
        return data

    def _xml(self, part: str) -> Any:
        try:
            return ElementTree.fromstring(self._small(part))
        except MergeError:
            raise
        except Exception:
            raise MergeError(N_("{name}: corrupted workbook (part {part} is not valid XML)"),
                             code="xlsxread.corrupted-workbook-part-not", name=self.name, part=part
                             ) from None

    def _sheets(self) -> dict[str, str]:
        workbook = self._xml("xl/workbook.xml")
        try:
            rels = self._xml("xl/_rels/workbook.xml.rels")
        except KeyError:
            raise MergeError(N_("{name}: corrupted workbook (no workbook relationships)"),
                             code="xlsxread.corrupted-workbook-no-workbook", name=self.name
                             ) from None
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_RELS}Relationship")}
        out = {}
        for sheet in workbook.iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(_RID), "")
            part = (target.lstrip("/") if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target)))
            out[sheet.get("name", "")] = part
        return out

    def _shared_strings(self) -> list[str]:
        part = "xl/sharedStrings.xml"
        if part not in self.archive.namelist():
            return []
        data = self._small(part).decode("utf-8", "replace")
        prefix = _prefix(data, "sst")
        pats = Patterns(prefix)
        p = re.escape(prefix + ":") if prefix else ""
        return [pats.rich_text(m.group(1) or "")
                for m in re.finditer(rf"<{p}si>(.*?)</{p}si>|<{p}si/>", data, re.S)]

    def rows(self, sheet: str) -> Iterator[tuple[list[Any], bool, str | None]]:
        """(values, had a formula, XML) for each row of ``sheet``, in order (gaps skipped).

        XML is the row itself when it holds nothing but plain cells (no references, shared
        strings, formulas or other elements), so a writer may copy it; else None."""
        part = self.sheets.get(sheet)
        if part is None:
            raise MergeError(N_("{name}: no sheet '{sheet_name}'"),
                             code="xlsxread.no-sheet", name=self.name, sheet_name=sheet)
        try:
            stream = self.archive.open(part)
        except ZIP_READ_ERRORS:
            raise MergeError(N_("{name}: corrupted workbook (sheet '{sheet_name}' cannot be "
                                "unpacked)"),
                             code="xlsxread.corrupted-workbook-sheet-cannot",
                             name=self.name, sheet_name=sheet) from None
        except KeyError:
            raise MergeError(N_("{name}: corrupted workbook (sheet '{sheet_name}' is missing)"),
                             code="xlsxread.corrupted-workbook-sheet-missing", name=self.name,
                             sheet_name=sheet
                             ) from None
        with stream:
            yield from self._rows(stream, sheet)

    def _rows(self, stream: Any, sheet: str) -> Iterator[tuple[list[Any], bool, str | None]]:
        buffer = ""
        pats: Patterns | None = None
        count = 0
        while True:
            try:
                chunk = stream.read(_CHUNK)
            except ZIP_READ_ERRORS:
                raise MergeError(N_("{name}: corrupted workbook (sheet '{sheet_name}' cannot be "
                                    "unpacked)"),
                                 code="xlsxread.corrupted-workbook-sheet-cannot",
                                 name=self.name, sheet_name=sheet) from None
            if pats is None:
                if _DTD.search(chunk):
                    raise MergeError(N_("{name}: refused: sheet '{sheet_name}' declares a DTD"),
                                     code="xlsxread.refused-sheet-declares-dtd", name=self.name,
                                     sheet_name=sheet)
            buffer += chunk.decode("utf-8", "replace") if chunk else ""
            if pats is None:
                start = buffer.find("sheetData")
                if start < 0:
                    if not chunk:
                        return
                    if len(buffer) > MAX_ROW_BYTES:
                        raise MergeError(N_("{name}: refused: sheet '{sheet_name}' header too "
                                            "large"),
                                         code="xlsxread.refused-sheet-header-too",
                                         name=self.name, sheet_name=sheet)
                    continue
                pats = Patterns(_prefix(buffer, "sheetData"))
                buffer = buffer[start:]
            end = buffer.rfind(pats.row_end)
            if end >= 0:
                cut = end + len(pats.row_end)
                for values, formula, xml in self._parse_rows(buffer[:cut], pats):
                    count += 1
                    if count > MAX_ROWS:
                        raise MergeError(N_("{name}: refused: sheet '{sheet_name}' has more than "
                                            "{MAX_ROWS} rows"),
                                         code="xlsxread.refused-sheet-more-than",
                                         name=self.name, sheet_name=sheet,
                                         MAX_ROWS=MAX_ROWS)
                    yield values, formula, xml
                buffer = buffer[cut:]
            elif len(buffer) > MAX_ROW_BYTES:
                raise MergeError(N_("{name}: refused: a row of sheet '{sheet_name}' is larger "
                                    "than {value} MiB"),
                                 code="xlsxread.refused-row-sheet-larger", name=self.name,
                                 sheet_name=sheet, value=MAX_ROW_BYTES >> 20)
            if not chunk:
                return

    def _parse_rows(self, text: str, pats: Patterns
                    ) -> Iterator[tuple[list[Any], bool, str | None]]:
        for row_xml in text.split(pats.row_end):
            start = pats.row_start.search(row_xml)
            if start is None or start.group(1):
                continue
            cells = pats.cell.findall(row_xml, start.end())
            if len(cells) > MAX_COLUMNS:
                raise MergeError(N_("{name}: refused: a row with more than {MAX_COLUMNS} "
                                         "cells"),
                                 code="xlsxread.refused-row-more-than", name=self.name,
                                 MAX_COLUMNS=MAX_COLUMNS)
            if pats.plain and not _special(row_xml):  # no r=, shared strings, formulas …
                if cells:
                    yield [(int(v) if v.isdigit() else number(v)) if v else
                           ((unescape(t) if "&" in t or "_x" in t else t) if t else
                            (self._value("inlineStr", inner, pats)[0] if inner else None))
                           for attrs, v, t, inner in cells], False, _plain(row_xml, cells)
                continue
            values: list[Any] = []
            append = values.append
            formula = False
            for attrs, v, t, inner in cells:
                if attrs and 'r="' in attrs:
                    ref = pats.attr_r.search(attrs)
                    index = col_index(ref.group(1)) if ref else -1
                    if index >= MAX_COLUMNS:
                        raise MergeError(N_("{name}: refused: a cell beyond column {MAX_COLUMNS}"),
                                         code="xlsxread.refused-cell-beyond-column", name=self.name,
                                         MAX_COLUMNS=MAX_COLUMNS)
                    if index > len(values):
                        values.extend([None] * (index - len(values)))
                if v:
                    if attrs and 't="' in attrs:
                        kind = pats.attr_t.search(attrs)
                        append(self._typed_value(kind.group(1) if kind else "n", v))
                    elif v.isdigit():
                        append(int(v))
                    else:
                        append(self._typed_value("n", v))
                elif t:
                    append(unescape(t) if "&" in t or "_x" in t else t)
                elif inner:
                    kind = pats.attr_t.search(attrs) if attrs else None
                    value, has_formula = self._value(kind.group(1) if kind else "n", inner,
                                                     pats)
                    formula = formula or has_formula
                    append(value)
                else:
                    append(None)
                if len(values) > MAX_COLUMNS:
                    raise MergeError(N_("{name}: refused: a row with more than {MAX_COLUMNS} "
                                        "cells"),
                                     code="xlsxread.refused-row-more-than-2", name=self.name,
                                     MAX_COLUMNS=MAX_COLUMNS)
            if values:
                yield values, formula, None

    def _typed_value(self, kind: str, raw: str) -> Any:
        if kind == "s":
            try:
                return self.shared[int(raw)]
            except (ValueError, IndexError):
                raise MergeError(N_("{name}: corrupted workbook (bad shared string)"),
                                 code="xlsxread.corrupted-workbook-bad-shared", name=self.name
                                 ) from None
        if kind in ("str", "e", "inlineStr"):
            return unescape(raw)
        if kind == "b":
            return int(raw == "1")
        try:
            return int(raw) if raw.lstrip("-").isdigit() else float(raw)
        except ValueError:
            return unescape(raw)

    def _value(self, kind: str, inner: str, pats: Patterns) -> tuple[Any, bool]:
        if not inner:
            return None, False
        if "<" in inner and pats.formula.search(inner):
            f = pats.formula.search(inner)
            return "=" + unescape((f.group(1) if f else "") or ""), True
        if kind == "inlineStr":
            m = pats.inline.search(inner)
            return (pats.rich_text(m.group(1)) if m else None), False
        v = pats.value.search(inner)
        if v is None:
            return None, False
        return self._typed_value(kind, v.group(1)), False


def _special(row: str) -> bool:
    return ('r="' in row or 't="s"' in row or 't="str"' in row or 't="b"' in row
            or 't="e"' in row or "<f" in row or "'" in row)


_PRESERVED = re.compile(r'<is><t xml:space="preserve">[^<]*</t></is>')


def _plain(row_xml: str, cells: list[tuple[str, str, str, str]]) -> str | None:
    """The row's XML if it is ``<row>`` + plain cells + nothing else, else None."""
    start = row_xml.find("<row>")
    if start < 0:
        return None
    expected = 1  # <row>
    for _, v, t, inner in cells:
        if v:
            expected += 3
        elif t:
            expected += 5
        elif inner:
            if not _PRESERVED.fullmatch(inner):
                return None
            expected += 5
        else:
            expected += 1
            continue
        expected += 1
    body = row_xml[start:]
    if body.count("<") != expected:
        return None
    return body + "</row>"


def _prefix(text: str, tag: str) -> str:
    m = re.search(rf"<(?:(\w+):)?{tag}\b", text)
    return (m.group(1) or "") if m else ""
