"""``merge()``: several fieldapp exports (e.g. the three cities) → one checked workbook.

Inputs are checked before parsing (zip bombs, DTDs, macros), must be fieldapp exports of the
same questionnaire, and are streamed row by row. The codebooks are compared (same variable →
same type and codes; labels may differ by language), interview ids deduplicated (identical
copies dropped and counted, differing copies reported as conflicts; the first file's copy is
kept), and everything found is listed in the ``merge_report`` sheet. Memory: one row at a time
plus one hash per interview id (~150 bytes each).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldapp.clock import utc_now
from fieldapp.errors import Note
from fieldapp.export.about import ExportInfo
from fieldapp.export.codebook import languages
from fieldapp.export.errors import ExportCancelled, MergeError
from fieldapp.export.layout import MAIN, Layout, Table
from fieldapp.export.merge import report as r
from fieldapp.export.merge.compat import union_layout
from fieldapp.export.merge.inputs import ExportFile, typed
from fieldapp.export.merge.report import ReportLine, line
from fieldapp.export.merge.safety import require_defusedxml
from fieldapp.export.run import Progress
from fieldapp.export.schema import DATE, DATETIME, localise_choice_names
from fieldapp.export.summary import Accumulator, SummaryOptions
from fieldapp.export.xlsx.cells import text_cell
from fieldapp.export.xlsx.workbook import XlsxWorkbook
from fieldapp.i18n import N_
from fieldapp.versions import version_key


@dataclass
class MergeResult:
    """What the merge wrote and found."""

    path: Path
    rows: int
    duplicates: int
    conflicts: int
    mismatches: int
    report: list[ReportLine]  # shown in the UI language; the sheet holds the English


def _digest(values: Sequence[Any]) -> int:
    return hash(tuple(values))


def merge(inputs: Sequence[Path], out: Path, *, lang: str | None = None,
          labels: bool = False, progress: Progress | None = None,
          summary: SummaryOptions | None = None) -> MergeResult:
    """Merge fieldapp XLSX exports into ``out`` (written atomically, or not at all)."""
    require_defusedxml()
    if not inputs:
        raise MergeError(N_("nothing to merge: give one or more exports"),
                         code="merge.nothing-merge-give-more")
    resolved = {Path(p).resolve() for p in inputs}
    if Path(out).resolve() in resolved:
        raise MergeError(N_("{out}: the output must not be one of the inputs"),
                         code="merge.output-not-inputs", out=out)
    files: list[ExportFile] = []
    try:
        for path in inputs:
            files.append(ExportFile(Path(path)))
        return _merge(files, Path(out), lang, labels, progress, summary)
    finally:
        for f in files:
            f.close()


def _merge(files: list[ExportFile], out: Path, lang: str | None, labels: bool,
           progress: Progress | None, summary: SummaryOptions | None) -> MergeResult:
    form_ids = {f.form_id for f in files}
    if len(form_ids) != 1:
        raise MergeError(N_("the exports are of different questionnaires ({which}): merge "
                            "exports of one questionnaire"), code="merge.different-forms",
                         which=", ".join(f"{f.name}: {f.form_id}" for f in files))
    report: list[ReportLine] = []
    layout = union_layout(files, report)
    known = languages(layout.variables())
    if lang and lang not in known:  # labels, city names and city_label are in this language
        raise MergeError(N_("language {lang_text} is not in {form_id} ({join})"),
                         code="merge.language-not-in-form", lang_text=lang,
                         form_id=files[0].form_id, join=", ".join(known))
    mismatches = sum(1 for x in report if x.kind == r.MISMATCH)
    versions = sorted({v for f in files for v in f.versions}, key=version_key)
    info = ExportInfo(kind="merge", form_id=files[0].form_id, versions=tuple(versions),
                      language=lang or files[0].language or "en",
                      exported_utc=utc_now().isoformat(timespec="seconds"),
                      sources=[f"{f.name} ({(f.about.get('interviews') or ['?'])[0]} "
                               f"interviews, versions {' '.join(f.versions)})" for f in files])
    _provenance(files, info)
    _localise(layout, info.language)
    writer = XlsxWorkbook(out, layout, info.language, labels=labels, summary=summary)
    try:
        acc = Accumulator(layout.main)
        stats = _stream(files, layout, writer, acc, report, progress)
        info.interviews = acc.groups.total()
        info.repeat_rows = stats["repeat_rows"]
        info.warnings.append(Note(N_(
            "{duplicates} identical duplicate(s) dropped, {conflicts} conflict(s), "
            "{mismatches} codebook mismatch(es): see sheet merge_report"),
            {"duplicates": stats["duplicates"], "conflicts": stats["conflicts"],
             "mismatches": mismatches}))
        writer.finish(acc, info, extra=[("merge_report", [r.REPORT_HEADER,
                                                           *(x.row() for x in report)])])
    except BaseException:
        writer.abort()
        raise
    return MergeResult(out, info.interviews, stats["duplicates"], stats["conflicts"],
                       mismatches, report)


def _first(file: ExportFile, key: str) -> str:
    return (file.about.get(key) or [""])[0]


def _provenance(files: list[ExportFile], info: ExportInfo) -> None:
    """The inputs' form title and project key fingerprint (each input's, when they differ)."""
    titles = list(dict.fromkeys(t for f in files if (t := _first(f, "form_title"))))
    info.title = " | ".join(titles)
    prints = list(dict.fromkeys(p for f in files if (p := _first(f, "project_key_fingerprint"))))
    info.key_fingerprint = " ".join(prints)
    if len(prints) > 1:
        info.warnings.append(Note(
            N_("the inputs were exported with different project keys ({keys})"),
            {"keys": "; ".join(f"{f.name}: {_first(f, 'project_key_fingerprint') or '-'}"
                               for f in files)}))
    if len(titles) > 1:
        info.warnings.append(Note(N_("the inputs give different form titles: {titles}"),
                                     {"titles": " | ".join(titles)}))


def _localise(layout: Layout, lang: str) -> None:
    """``jr:choice-name`` calculations (``city_label``) in the merge's language, whatever
    language each input was exported in (the codebook's ``choice_name_of`` says which)."""
    columns = iter(localise_choice_names(layout.variables(), lang))
    for table in layout.tables:
        table.columns[:] = [next(columns) for _ in table.columns]


def _stream(files: list[ExportFile], layout: Any, writer: XlsxWorkbook, acc: Accumulator,
            report: list[ReportLine], progress: Progress | None) -> dict[str, Any]:
    seen: dict[str, int] = {}  # interview id → row hash × 65536 + file number
    duplicates = conflicts = done = 0
    repeat_rows: dict[str, int] = {t.name: 0 for t in layout.repeats}
    main: Table = layout.main
    batch: list[list[Any]] = []
    last = time.monotonic()
    relabelled = any(v.relabel for v in main.columns)
    for number, file in enumerate(files):
        dropped: set[str] = set()
        source_cell = text_cell(file.name)
        # a row is copied as XML only when nothing in it is to be shown in another language
        copy: bool | None = None if not relabelled or file.language == writer.lang else False
        for header, values, formula, xml in file.rows(MAIN):
            if copy is None:  # same columns in the same order: rows can be copied as XML
                copy = [v.name for v in main.columns if v.name != "source_file"] == sorted(
                    header, key=header.__getitem__)
            row = _row(main, header, values, file.name)
            iid = row[0]
            if not iid:
                report.append(line(r.DROPPED, file.name, MAIN, "", "", (r.NO_ID, {})))
                continue
            if formula:
                report.append(line(r.FORMULA, file.name, MAIN, "", str(iid),
                                   (r.FORMULA_KEPT, {})))
            source, row[1] = row[1], None  # the file a row came from is not its content
            digest = _digest(row)
            row[1] = source
            known = seen.get(iid)
            if known is not None:
                dropped.add(iid)
                first = files[known & 0xFFFF].name
                if known >> 16 == digest:
                    duplicates += 1
                    report.append(line(r.DUPLICATE, file.name, MAIN, "", str(iid),
                                       (r.SAME_AS, {"first": first})))
                else:
                    conflicts += 1
                    report.append(line(r.CONFLICT, file.name, MAIN, "", str(iid),
                                       (r.DIFFERS_FROM, {"first": first})))
                continue
            seen[iid] = (digest << 16) | number
            writer.add_main(row, _with_source(xml, source_cell) if copy and xml else None)
            batch.append(row)
            if len(batch) >= 2000:
                acc.add_rows(batch)
                batch = []
            done += 1
            if progress is not None and time.monotonic() - last > 0.2:
                last = time.monotonic()
                if progress(done, None) is False:
                    raise ExportCancelled(N_("merge cancelled; no file was written"),
                                          code="merge.merge-cancelled-no-file")
        for table in layout.repeats:
            if table.name in file.book.sheets:
                repeat_rows[table.name] += _repeat(file, table, writer, dropped, report)
        if "overflow" in file.book.sheets:  # the whole text of cells split at 32,767 chars
            for _, values, _, _ in file.rows("overflow"):
                if str(values[0]).split("/")[0] not in dropped:
                    writer.overflow.append(list(values[:6]))
    acc.add_rows(batch)
    if progress is not None:
        progress(done, done)
    return {"duplicates": duplicates, "conflicts": conflicts, "repeat_rows": repeat_rows}


_FIRST_CELL = re.compile(r"<row><c\b(?:[^>]*/>|.*?</c>)", re.S)


def _with_source(xml: str, source_cell: str) -> str | None:
    """A copied data row with the ``source_file`` cell inserted as the second cell."""
    first = _FIRST_CELL.match(xml)
    return None if first is None else xml[: first.end()] + source_cell + xml[first.end():]


class _Mapper:
    """Puts a file's row into the merged column order, typing the columns that need it."""

    def __init__(self, table: Table, header: dict[str, int]) -> None:
        self.header = header
        self.positions = [header.get(v.name, -1) for v in table.columns]
        self.typed = [(i, v) for i, v in enumerate(table.columns)
                      if v.kind in (DATE, DATETIME) and self.positions[i] >= 0]
        self.relabel = [(i, v.relabel) for i, v in enumerate(table.columns)
                        if v.relabel and self.positions[i] >= 0]
        self.width = len(table.columns)
        self.main = table.name == MAIN

    def row(self, values: list[Any], source: str) -> list[Any]:
        n = len(values)
        row = [values[p] if 0 <= p < n else None for p in self.positions]
        for i, var in self.typed:
            if row[i] is not None:
                row[i] = typed(var, row[i])
        for i, labels in self.relabel:  # a choice's label, in the merge's language
            value = row[i]
            if isinstance(value, str):
                row[i] = labels.get(value, value)
        if self.main and row[1] in (None, ""):  # a merged input keeps its rows' sources
            row[1] = source
        return row


def _row(table: Table, header: dict[str, int], values: list[Any], source: str) -> list[Any]:
    mapper = _MAPPERS.get((id(table), id(header)))
    if mapper is None or mapper.header is not header:
        mapper = _Mapper(table, header)
        _MAPPERS.clear()
        _MAPPERS[(id(table), id(header))] = mapper
    return mapper.row(values, source)


_MAPPERS: dict[tuple[int, int], _Mapper] = {}


def _repeat(file: ExportFile, table: Table, writer: XlsxWorkbook, dropped: set[str],
            report: list[ReportLine]) -> int:
    count = 0
    for header, values, _, _ in file.rows(table.name):
        row = _row(table, header, values, file.name)
        root = str(row[2] or row[0] or "").split("/")[0]
        if root in dropped:
            report.append(line(r.DROPPED, file.name, table.name, "", root,
                               (r.OF_DUPLICATE, {})))
            continue
        writer.add_repeat(table, [row])
        count += 1
    return count
