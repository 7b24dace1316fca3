"""Sheets and their columns: metadata first, then questions (select_multiple → dummies)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from fieldapp.export.schema import (
    DATETIME,
    FRAME,
    INT,
    TEXT,
    Variable,
    multi_dummies,
)
from fieldapp.export.xlsx.package import sheet_title

MAIN = "data"
#: Sheet names the export itself uses (repeat sheets get other names).
RESERVED = ("labels", "codebook", "summary", "about", "overflow", "merge_report")
META_MODULE = "_meta"
#: Metadata columns (name, kind, English label); frame questions replace their namesakes.
META_HEAD = (("interview_id", TEXT, "Interview id"), ("form_id", TEXT, "Questionnaire id"),
             ("form_version", TEXT, "Questionnaire version"))
META_FRAME = (("city", TEXT, "City"), ("wave", TEXT, "Wave"), ("district", TEXT, "District"),
              ("dong", TEXT, "Dong / community"))
META_TAIL = (("enumerator", TEXT, "Enumerator"), ("device_id", TEXT, "Device"),
             ("language", TEXT, "Interview language"),
             ("start_utc", DATETIME, "Start (UTC)"), ("end_utc", DATETIME, "End (UTC)"),
             ("start_local", DATETIME, "Start (local time)"),
             ("end_local", DATETIME, "End (local time)"),
             ("time_zone", TEXT, "Local time zone"), ("status", TEXT, "Status"),
             ("revision", INT, "Revision"))
LINKS = (("_parent_id", TEXT, "Parent row (interview id, or the enclosing repeat's _row_id)"),
         ("_index", INT, "Position within the parent (1-based)"),
         ("_row_id", TEXT, "This row's id (interview id + repeat path)"))
META_NAMES = frozenset(n for n, _, _ in META_HEAD + META_FRAME + META_TAIL)


def meta_variable(name: str, kind: str, label: str) -> Variable:
    """A metadata column described in the codebook."""
    return Variable(name=name, kind=kind, qtype="meta", labels={"en": label},
                    module=META_MODULE)


@dataclass
class Table:
    """One sheet: its columns; ``repeat`` is empty for the main data sheet."""

    name: str
    columns: list[Variable]
    repeat: str = ""
    path: tuple[str, ...] = ()  # enclosing repeats, outermost first
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {v.name: i for i, v in enumerate(self.columns)}


@dataclass
class Layout:
    """Every table of an export."""

    main: Table
    repeats: list[Table]

    @property
    def tables(self) -> list[Table]:
        return [self.main, *self.repeats]

    def variables(self) -> list[Variable]:
        """Every column of every table (codebook order)."""
        return [v for t in self.tables for v in t.columns]


def _expand(variables: Sequence[Variable]) -> list[Variable]:
    out: list[Variable] = []
    for var in variables:
        out.append(var)
        if var.qtype == "select_multiple":
            out += multi_dummies(var)
    return out


def build_layout(variables: Sequence[Variable], repeat_paths: Mapping[str, tuple[str, ...]],
                 extra_meta: Sequence[Variable] = ()) -> Layout:
    """Main table (metadata, frame, top-level questions) and one table per repeat group."""
    by_name = {v.name: v for v in variables if not v.repeat}
    frame = [by_name.get(name) or meta_variable(name, kind, label)
             for name, kind, label in META_FRAME]
    meta = ([meta_variable(*m) for m in META_HEAD] + frame
            + [meta_variable(*m) for m in META_TAIL] + list(extra_meta))
    rest = [v for v in variables if not v.repeat and v.name not in FRAME]
    main = Table(MAIN, meta + _expand(rest))
    repeats: list[Table] = []
    taken = [MAIN, *RESERVED]
    for name, path in repeat_paths.items():
        inside = [v for v in variables if v.repeat == name]
        links = [meta_variable(*m) for m in LINKS]
        title = sheet_title(name, taken)
        taken.append(title)
        repeats.append(Table(title, links + _expand(inside), repeat=name, path=path))
    return Layout(main, repeats)
