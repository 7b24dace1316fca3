"""The ``codebook`` sheet: one row per variable, then one row per code; and reading it back.

Columns: sheet, variable, type, kind, module, ``label::<lang>`` for every language, code,
``code_label::<lang>``, missing, score, domain, source, inferred, versions, missing_codes,
bands, ``short_label::<lang>``, choice_name_of (for a ``jr:choice-name`` calculation such as
``city_label``: the question whose choice label it shows, so that a merge can show it in the
merge's language). Variable rows have an empty ``code``; a code row with
``missing`` = yes is a missing-value code (don't know, refused, …), never a valid answer.
Merge rebuilds :class:`Variable` objects from it (older exports without the last columns too).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fieldapp.export.layout import Table
from fieldapp.export.schema import Code, Variable

PREFERRED = ("en", "ko", "zh", "ja")
FIXED = ("sheet", "variable", "type", "kind", "module")
TAIL = ("missing", "score", "domain", "source", "inferred", "versions", "missing_codes", "bands")


def languages(variables: Iterable[Variable]) -> list[str]:
    """Every language used by question or code labels (en, ko, zh, ja first)."""
    found: set[str] = set()
    for var in variables:
        found.update(var.labels)
        found.update(var.short)
        for code in var.codes:
            found.update(code.labels)
    return [lang for lang in PREFERRED if lang in found] + sorted(found - set(PREFERRED))


def header(langs: Sequence[str]) -> list[str]:
    """The codebook header row."""
    return [*FIXED, *[f"label::{lang}" for lang in langs], "code",
            *[f"code_label::{lang}" for lang in langs], *TAIL,
            *[f"short_label::{lang}" for lang in langs], "choice_name_of"]


def codebook_rows(tables: Sequence[Table], langs: Sequence[str]) -> list[list[Any]]:
    """Header plus rows for every column of every table."""
    rows: list[list[Any]] = [header(langs)]
    blank_codes = [""] * len(langs)
    for table in tables:
        for var in table.columns:
            base = [table.name, var.name, var.qtype, var.kind, var.module,
                    *[var.labels.get(lang, "") for lang in langs]]
            rows.append([*base, "", *blank_codes, "", var.score, var.domain, var.source,
                         var.inferred, " ".join(var.versions), " ".join(var.missing_codes),
                         var.bands, *[var.short.get(lang, "") for lang in langs],
                         var.choice_name_of])
            for code in var.codes:
                rows.append([*base, code.code, *[code.labels.get(lang, "") for lang in langs],
                             "yes" if code.missing else "", "", "", "", "", "", "", "",
                             *blank_codes, ""])
    return rows


def parse_codebook(rows: Iterable[Sequence[Any]]) -> dict[str, list[Variable]]:
    """Tables' variables from codebook rows (ValueError if the header is not ours)."""
    iterator = iter(rows)
    head = [str(h or "") for h in next(iterator, [])]
    if head[: len(FIXED)] != list(FIXED) or "code" not in head:
        raise ValueError("not a fieldapp codebook")
    col = {name: i for i, name in enumerate(head)}
    labels = [(h.split("::", 1)[1], i) for h, i in col.items() if h.startswith("label::")]
    code_labels = [(h.split("::", 1)[1], i) for h, i in col.items()
                   if h.startswith("code_label::")]
    shorts = [h.split("::", 1)[1] for h in col if h.startswith("short_label::")]

    def get(row: Sequence[Any], name: str) -> str:
        i = col.get(name)
        value = row[i] if i is not None and i < len(row) else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value)

    tables: dict[str, list[dict[str, Any]]] = {}
    pending: dict[str, Any] = {}
    for row in iterator:
        sheet, name = get(row, "sheet"), get(row, "variable")
        if not sheet or not name:
            continue
        code = get(row, "code")
        if not code:
            pending[sheet + "\0" + name] = dict(
                name=name, qtype=get(row, "type"), kind=get(row, "kind"),
                module=get(row, "module"),
                labels={lang: get(row, f"label::{lang}") for lang, _ in labels
                        if get(row, f"label::{lang}")},
                score=get(row, "score"), domain=get(row, "domain"),
                source=get(row, "source"), inferred=get(row, "inferred"),
                versions=tuple(get(row, "versions").split()),
                missing_codes=tuple(get(row, "missing_codes").split()), codes=[],
                bands=get(row, "bands"), choice_name_of=get(row, "choice_name_of"),
                short={lang: get(row, f"short_label::{lang}") for lang in shorts
                       if get(row, f"short_label::{lang}")})
            tables.setdefault(sheet, []).append(pending[sheet + "\0" + name])
        else:
            entry = pending.get(sheet + "\0" + name)
            if entry is None:
                raise ValueError(f"code row before its variable {name}")
            entry["codes"].append(Code(code, {lang: get(row, f"code_label::{lang}")
                                              for lang, _ in code_labels
                                              if get(row, f"code_label::{lang}")},
                                       get(row, "missing") == "yes"))
    out: dict[str, list[Variable]] = {}
    for sheet, entries in tables.items():
        out[sheet] = [_variable(e, sheet) for e in entries]
    return out


def _variable(entry: dict[str, Any], sheet: str) -> Variable:
    parent = entry["name"].rsplit("__", 1)[0] if entry["qtype"] == "dummy" else ""
    repeat = "" if sheet == "data" else sheet
    return Variable(name=entry["name"], kind=entry["kind"], qtype=entry["qtype"],
                    labels=entry["labels"], codes=tuple(entry["codes"]),
                    missing_codes=entry["missing_codes"], module=entry["module"],
                    repeat=repeat, source=entry["source"], domain=entry["domain"],
                    score=entry["score"], inferred=entry["inferred"],
                    versions=entry["versions"], parent=parent, bands=entry["bands"],
                    short=entry["short"], choice_name_of=entry["choice_name_of"])
