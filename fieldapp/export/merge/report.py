"""Lines of the merge report: written in English to the merged workbook's ``merge_report``
sheet (a data file: English column headers, stable kinds a script can filter on), and shown
to the coordinator in the UI's language (:meth:`ReportLine.shown`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fieldapp.errors import render_template
from fieldapp.i18n import N_, translate_in

#: merge_report columns
REPORT_HEADER = ["kind", "file", "sheet", "variable", "interview_id", "detail"]

MISMATCH = N_("codebook mismatch")
NOT_EVERYWHERE = N_("variable not in every file")
DROPPED = N_("dropped row")
FORMULA = N_("formula cell")
DUPLICATE = N_("duplicate (identical, dropped)")
CONFLICT = N_("conflict (differs, dropped)")

TYPE_DIFFERS = N_("type {here} here but {there} in {first}: the column is merged as text")
CODES_HERE = N_("codes only here: {codes}")
CODES_THERE = N_("codes only in {first}: {codes}")
FLAG_DIFFERS = N_("missing-code flag differs for {codes}")
ADDED_LATER = N_("empty for the rows of the file(s) named (e.g. a question added in a later "
                 "questionnaire version)")
NO_ID = N_("no interview id")
FORMULA_KEPT = N_("a cell held a formula: kept as text, never evaluated")
SAME_AS = N_("same interview as in {first}")
DIFFERS_FROM = N_("differs from the copy in {first}, which was kept: resolve on the hub and "
                  "export again")
OF_DUPLICATE = N_("repeat row of a duplicate interview")


@dataclass(frozen=True)
class ReportLine:
    """One finding: its kind, where, and what (templates with their fields)."""

    kind: str
    file: str
    sheet: str = ""
    variable: str = ""
    interview_id: str = ""
    details: tuple[tuple[str, dict[str, Any]], ...] = field(default=())

    def row(self) -> list[str]:
        """The ``merge_report`` sheet row (English)."""
        return [self.kind, self.file, self.sheet, self.variable, self.interview_id,
                self.detail("en")]

    def detail(self, lang: str | None = None) -> str:
        """What was found, in ``lang`` (the current language by default)."""
        return "; ".join(render_template(t, f, lang) for t, f in self.details)

    def shown(self, lang: str | None = None) -> str:
        """The whole line for a reader, in ``lang``."""
        parts = [translate_in(self.kind, lang), self.file, self.sheet, self.variable,
                 self.interview_id, self.detail(lang)]
        return " · ".join(p for p in parts if p)


def line(kind: str, file: str, sheet: str = "", variable: str = "", interview_id: str = "",
         *details: tuple[str, dict[str, Any]]) -> ReportLine:
    """A report line (``details``: (template, fields) pairs, joined with "; ")."""
    return ReportLine(kind, file, sheet, variable, interview_id, tuple(details))
