"""SPSS ``.sav`` and Stata ``.dta`` via pyreadstat, ready to analyse without recoding.

* **Missing values.** Every code the questionnaire flags as missing — don't know / refused
  choices (98/99), the ``missing`` column of numeric questions (998/999, 9999998/9999999) —
  is declared: in SPSS as user-missing values (up to three discrete codes, else a range) with
  value labels; in Stata as extended missing values ``.a`` (don't know), ``.b`` (refused),
  ``.c`` (not applicable), ``.d``… (others), each labelled with its code ("Don't know (98)").
  So SPSS/PSPP ``MEANS`` and Stata ``summarize`` give the summary sheet's means as they are.
* **Labels** in the chosen language, cut to each format's byte limits on character
  boundaries (readstat would cut a Korean/Chinese/Japanese character in half); every cut is
  listed as a warning (and in ``OUT_about.csv`` and the SPSS file's documents), and the full
  text stays in ``OUT_codebook.csv``.
* **SPSS measurement levels** from the question (scale items and likert lists ordinal,
  other choices nominal, numbers scale) and integer formats (``F3.0``) for codes.

pyreadstat writes from a whole pandas table, so these formats hold every value in memory:
column by column in compact form (:mod:`fieldapp.export.columns`), handed to pandas without a
copy.
Names are made valid for the format (renames are warnings). One file per table:
``OUT.sav`` and ``OUT_<repeat>.sav``, plus ``OUT_codebook.csv`` and ``OUT_about.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldapp.errors import Message, Note
from fieldapp.export.about import ExportInfo
from fieldapp.export.atomic import AtomicFile
from fieldapp.export.columns import ColumnStore
from fieldapp.export.companions import write_companions
from fieldapp.export.csv_files import table_path
from fieldapp.export.errors import ExportError
from fieldapp.export.layout import Layout, Table
from fieldapp.export.missing import missing_kind
from fieldapp.export.schema import ANY, DATE, DATETIME, INT, Variable
from fieldapp.export.summary import Accumulator
from fieldapp.i18n import N_

#: (variable label bytes, variable label characters, value label bytes, name length)
LIMITS = {"sav": (255, None, 120, 64), "dta": (320, 80, 32000, 32)}
_BAD = re.compile(r"[^\w]", re.UNICODE)
#: Stata extended missing value per kind of missing code (others take the next free letter).
STATA_LETTERS = {"dont_know": "a", "refused": "b", "not_applicable": "c"}


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


def note_lines(text: str, limit: int = 80) -> list[str]:
    """``text`` as SPSS document lines of at most ``limit`` bytes (broken at spaces)."""
    out: list[str] = []
    line = ""
    for word in str(text).split(" "):
        candidate = f"{line} {word}" if line else word
        if len(candidate.encode("utf-8")) <= limit:
            line = candidate
            continue
        if line:
            out.append(line)
        while len(word.encode("utf-8")) > limit:
            piece = cut(word, limit)
            out.append(piece)
            word = word[len(piece):]
        line = word
    if line:
        out.append(line)
    return out


def measure(var: Variable, numeric: bool) -> str:
    """SPSS measurement level of a column: nominal, ordinal or scale."""
    if var.qtype == "select_one":
        ordered = var.score == "scale" or "likert" in var.appearance.split()
        return "ordinal" if ordered and numeric else "nominal"
    if var.qtype in ("integer", "decimal", "date", "calculate") and (numeric or
                                                                     var.kind == DATE):
        return "scale"
    if var.kind in (DATE, DATETIME) or (var.kind == INT and var.qtype == "meta"):
        return "scale"
    return "nominal"


def stata_letters(var: Variable) -> dict[float, str]:
    """Numeric missing code → Stata extended missing letter (``.a`` don't know, …)."""
    out: dict[float, str] = {}
    used: set[str] = set()
    codes = [float(c) for c in var.missing_codes if _is_int(c)]
    for code in codes:
        letter = STATA_LETTERS.get(missing_kind(str(int(code))))
        if letter and letter not in used:
            out[code] = letter
            used.add(letter)
    free = (ch for ch in "defghijklmnopqrstuvwxyz" if ch not in used)
    for code in codes:
        if code not in out:
            letter = next(free, None)
            if letter is not None:
                out[code] = letter
    return out


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ExportError(N_("SPSS/Stata export needs pandas (pyreadstat writes from a pandas "
                             "table): install it with 'pip install pandas'"),
                          code="spss_stata.spss-stata-export-needs") from None
    return pandas


@dataclass
class _Plan:
    """What pyreadstat is told about one table."""

    path: Path
    names: list[str]
    columns: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    missing: dict[str, list[Any]] = field(default_factory=dict)
    measures: dict[str, str] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    shortened: list[str] = field(default_factory=list)  # short label used as variable label
    cut: list[str] = field(default_factory=list)  # variable labels cut
    value_cut: list[str] = field(default_factory=list)  # "NAME = code" value labels cut


class SpssStataFiles:
    """Collects the tables, then writes each with pyreadstat to a temporary file."""

    def __init__(self, target: Path, layout: Layout, lang: str, fmt: str) -> None:
        self.pd = _pandas()
        self.target = target
        self.layout = layout
        self.lang = lang
        self.fmt = fmt
        self.tables = {t.name: ColumnStore(t.columns) for t in layout.tables}
        self.files: list[AtomicFile] = []

    def add_main(self, row: Sequence[Any]) -> None:
        """One interview's main row."""
        self.tables[self.layout.main.name].add(row)

    def add_repeat(self, table: Table, rows: Sequence[Sequence[Any]]) -> None:
        """Rows of a repeat table."""
        store = self.tables[table.name]
        for row in rows:
            store.add(row)

    def finish(self, acc: Accumulator, info: ExportInfo) -> list[Path]:
        """Plan every table (collecting warnings), write them and the companions, commit."""
        del acc
        try:
            plans = [(table, self._plan(table, info)) for table in self.layout.tables]
            note = [line for row in info.rows()[1:] for line in note_lines(f"{row[0]}: {row[1]}")]
            for _, plan in plans:
                self._write(plan, note)
                plan.columns.clear()  # written: its values can go
            self.files += write_companions(self.target, self.layout, info)
        except BaseException:
            self.abort()
            raise
        for atomic in self.files:
            atomic.commit()
        return [a.target for a in self.files]

    # ----- planning --------------------------------------------------------------------------
    def _plan(self, table: Table, info: ExportInfo) -> _Plan:
        path = table_path(self.target, self.layout, table)
        names = valid_names([v.name for v in table.columns], self.fmt)
        plan = _Plan(path, names)
        label_bytes, label_chars, value_bytes, _ = LIMITS[self.fmt]
        store = self.tables[table.name]
        for i, (var, name) in enumerate(zip(table.columns, names, strict=True)):
            if name != var.name:
                info.warnings.append(Note(
                    N_("{file}: variable {variable} is named {name} (the {format} format does "
                       "not allow the original)"),
                    {"file": path.name, "variable": var.name, "name": name, "format": self.fmt}))
            column = store.series(i, self.pd)
            numeric = column.dtype.kind == "f"
            full = _text(var.labels, self.lang) or var.name
            plan.labels[name] = cut(full, label_bytes, label_chars)
            if plan.labels[name] != full:
                short = _text(var.short, self.lang) if var.short else ""
                if short and cut(short, label_bytes, label_chars) == short:
                    plan.labels[name] = short
                    plan.shortened.append(name)
                else:
                    plan.cut.append(name)
            if numeric:
                plan.formats.update(self._format(name, var, column))
                labels = self._value_labels(var, name, plan, value_bytes)
                if self.fmt == "sav":
                    missing = self._sav_missing(var, name, column, path, info)
                    if missing:
                        plan.missing[name] = missing
                else:
                    letters = stata_letters(var)
                    if letters:
                        column = self._stata_column(column, letters)
                        plan.missing[name] = sorted(set(letters.values()))
                        labels = {letters.get(code, code): (
                            f"{text} ({int(code)})" if code in letters else text)
                            for code, text in labels.items()}
                if labels:
                    plan.value_labels[name] = labels
            if self.fmt == "sav":
                plan.measures[name] = measure(var, numeric)
            plan.columns[name] = column
        self._warn_cuts(plan, info)
        return plan

    def _warn_cuts(self, plan: _Plan, info: ExportInfo) -> None:
        label_bytes, label_chars, value_bytes, _ = LIMITS[self.fmt]
        limit = Message(N_("{n} characters"), {"n": label_chars}) if label_chars else \
            Message(N_("{n} bytes"), {"n": label_bytes})
        where = {"file": plan.path.name, "format": self.fmt}
        if plan.shortened:
            info.warnings.append(Note(N_(
                "{file}: question text longer than {format}'s {limit}: the item's short label "
                "is the variable label of {variables} (the full text is in the codebook)"),
                {**where, "limit": limit, "variables": ", ".join(plan.shortened)}))
        if plan.cut:
            info.warnings.append(Note(N_(
                "{file}: question text longer than {format}'s {limit} cut at a character "
                "boundary for {variables} (the full text is in the codebook)"),
                {**where, "limit": limit, "variables": ", ".join(plan.cut)}))
        if plan.value_cut:
            info.warnings.append(Note(N_(
                "{file}: value labels longer than {format}'s {n} bytes cut at a character "
                "boundary: {variables} (the full text is in the codebook)"),
                {**where, "n": value_bytes, "variables": ", ".join(plan.value_cut)}))

    def _value_labels(self, var: Variable, name: str, plan: _Plan, limit: int
                      ) -> dict[Any, str]:
        out: dict[Any, str] = {}
        for code in var.codes:
            if not _is_int(code.code):
                continue
            full = _text(code.labels, self.lang) or code.code
            out[float(code.code)] = cut(full, limit)
            if out[float(code.code)] != full:
                plan.value_cut.append(f"{name} = {code.code}")
        return out

    def _sav_missing(self, var: Variable, name: str, column: Any, path: Path,
                     info: ExportInfo) -> list[Any]:
        codes = sorted({float(c) for c in var.missing_codes if _is_int(c)})
        if len(codes) <= 3:
            return list(codes)
        low, high = codes[0], codes[-1]
        valid = {float(c.code) for c in var.codes if not c.missing and _is_int(c.code)}
        inside = [v for v in column.dropna().unique() if low < v < high and v not in codes]
        if not inside and not any(low < v < high for v in valid):
            return [{"lo": low, "hi": high}]
        info.warnings.append(Note(N_(
            "{file}: {name} has {n} missing codes; SPSS declares at most three discrete ones, "
            "so only {codes} are user-missing"),
            {"file": path.name, "name": name, "n": len(codes),
             "codes": ", ".join(str(int(c)) for c in codes[:3])}))
        return list(codes[:3])

    def _stata_column(self, column: Any, letters: dict[float, str]) -> Any:
        """Missing codes replaced by their letters (what pyreadstat writes as ``.a`` …),
        other values as Python floats, empty as None; each distinct value is one object."""
        import numpy

        values = column.to_numpy()
        distinct, where = numpy.unique(values, return_inverse=True)
        objects = numpy.empty(len(distinct), dtype=object)
        objects[:] = [None if v != v else letters.get(v, v) for v in distinct.tolist()]
        return self.pd.Series(objects[where], dtype="object", copy=False)

    def _format(self, name: str, var: Variable, column: Any) -> dict[str, str]:
        """Integer formats for code and count columns (SPSS ``F3.0``, Stata ``%9.0g``)."""
        values = column.dropna()
        integral = bool(((values % 1) == 0).all()) if len(values) else True
        if not integral or not (var.kind == INT or var.codes or var.kind == ANY):
            return {}
        numbers = [abs(v) for v in values.tolist()]
        numbers += [abs(float(c.code)) for c in var.codes if _is_int(c.code)]
        digits = max((len(str(int(v))) for v in numbers), default=1)
        negative = bool((values < 0).any()) if len(values) else False
        width = digits + (1 if negative else 0)
        return {name: f"F{width}.0" if self.fmt == "sav" else f"%{max(width, 1) + 1}.0f"}

    # ----- writing ---------------------------------------------------------------------------
    def _write(self, plan: _Plan, note: list[str]) -> None:
        import pyreadstat

        atomic = AtomicFile(plan.path)
        self.files.append(atomic)
        formats = dict(plan.formats)
        frame = self.pd.DataFrame(datetimes_as_numbers(self.pd, plan.columns, self.fmt,
                                                       formats), copy=False)
        kwargs: dict[str, Any] = dict(column_labels=plan.labels,
                                      variable_value_labels=plan.value_labels,
                                      variable_format=formats)
        write: Any = pyreadstat.write_sav if self.fmt == "sav" else pyreadstat.write_dta
        if self.fmt == "sav":
            kwargs.update(missing_ranges=plan.missing, variable_measure=plan.measures,
                          note=note)
        else:
            kwargs.update(missing_user_values=plan.missing)
        try:
            write(frame, atomic.writer_path(), **kwargs)
        except OSError:
            raise
        except Exception as exc:
            raise ExportError(N_("{file}: the {fmt} writer failed ({exc})"),
                              code="spss_stata.writer-failed", file=plan.path, fmt=self.fmt,
                              exc=exc) from None

    def abort(self) -> None:
        """Remove the temporary files."""
        for atomic in self.files:
            atomic.abort()


#: pyreadstat's epoch offsets (seconds from 1582-10-14 for SPSS, from 1960-01-01 for
#: Stata) and the seconds per unit of a numpy datetime64 column
_OFFSET_SECS = {"sav": 12219379200, "dta": 315619200}
_PER_SECOND = {"ns": 1_000_000_000, "us": 1_000_000, "ms": 1_000}
_NAT = -9223372036854775808


def datetimes_as_numbers(pd: Any, columns: dict[str, Any], fmt: str,
                         formats: dict[str, str]) -> dict[str, Any]:
    """Date-time columns as the numbers pyreadstat would store, with its format.

    pyreadstat converts datetime64 columns itself, but first copies the whole table to do
    so (at 100,000 interviews that copy is the largest single allocation of the export).
    The same arithmetic, in the same order, on the column alone gives the same doubles;
    the variable gets the format pyreadstat would give it (``DATETIME`` / ``%tc``).
    """
    import numpy

    out = dict(columns)
    for name, column in columns.items():
        dtype = column.dtype
        if not isinstance(dtype, numpy.dtype) or dtype.kind != "M":
            continue  # time-zone aware or not a date-time: left to pyreadstat
        unit = numpy.datetime_data(dtype)[0]
        if unit not in _PER_SECOND or name in formats:
            continue
        ticks = column.to_numpy().view("int64")
        per = _PER_SECOND[unit]
        scale = 1000 if fmt == "dta" else 1  # Stata counts milliseconds
        whole = (ticks // per + _OFFSET_SECS[fmt]).astype("float64")
        frac = (ticks % per).astype("float64")
        numbers = whole * scale + frac / per * scale
        numbers[ticks == _NAT] = numpy.nan
        out[name] = pd.Series(numbers, dtype="float64", copy=False)
        formats[name] = "%tc" if fmt == "dta" else "DATETIME"
    return out


def _text(labels: Any, lang: str) -> str:
    return labels.get(lang) or next(iter(labels.values()), "")


def _is_int(text: str) -> bool:
    return text.lstrip("-").isdigit()
