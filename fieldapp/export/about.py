"""What the ``about`` sheet records: provenance, the score formula, counts and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fieldapp import __version__
from fieldapp.export.summary import FORMULA

#: First about row: marks a workbook as a fieldapp export (merge checks it).
MARKER = ("fieldapp_export", 1)


@dataclass
class ExportInfo:
    """Facts about one export (or merge)."""

    kind: str = "export"
    form_id: str = ""
    versions: tuple[str, ...] = ()
    title: str = ""
    language: str = ""
    status_filter: str = "all"
    key_fingerprint: str = ""
    exported_utc: str = ""
    interviews: int = 0
    repeat_rows: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # reason (often a Note) → count
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # English; a Note can be shown translated

    def rows(self) -> list[list[Any]]:
        """Key / value rows (machine-readable keys in column A)."""
        rows: list[list[Any]] = [["key", "value"], list(MARKER),
                                 ["kind", self.kind], ["form_id", self.form_id],
                                 ["form_versions", " ".join(self.versions)],
                                 ["form_title", self.title],
                                 ["app_version", f"fieldapp {__version__}"],
                                 ["exported_utc", self.exported_utc],
                                 ["label_language", self.language],
                                 ["status_filter", self.status_filter],
                                 ["project_key_fingerprint", self.key_fingerprint],
                                 ["score_formula", FORMULA],
                                 ["interviews", self.interviews]]
        rows += [[f"rows:{name}", n] for name, n in self.repeat_rows.items()]
        rows += [[f"skipped:{reason}", n] for reason, n in self.skipped.items()]
        rows += [["source", s] for s in self.sources]
        rows += [["time_stamps", "start/end in UTC and in the interview's local time "
                  "(Seoul/Tokyo UTC+9, Beijing UTC+8; else the device zone), to the second"]]
        rows += [["formula_safety", "all text is stored as text (inline strings), never as a "
                  "formula; text starting with = + - @ tab or CR is also marked quotePrefix"]]
        rows += [["warning", str.__str__(w)] for w in self.warnings] or [["warnings", "none"]]
        return rows


def read_about(rows: list[list[Any]]) -> dict[str, list[str]]:
    """Key → values of an about sheet (raises ValueError when it is not fieldapp's)."""
    out: dict[str, list[str]] = {}
    for row in rows[1:]:
        if not row or row[0] in (None, ""):
            continue
        value = row[1] if len(row) > 1 else ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out.setdefault(str(row[0]), []).append("" if value is None else str(value))
    if out.get(MARKER[0]) != [str(MARKER[1])]:
        raise ValueError("not a fieldapp export")
    return out
