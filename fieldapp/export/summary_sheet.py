"""The ``summary`` sheet: per-module score blocks with bar charts, then the long tables.

Long tables put the variable in column A and its (wrapped) label in column B, then city
(its name in the export language), wave and the numbers; every table says what its base is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldapp.errors import Note
from fieldapp.export.layout import Table
from fieldapp.export.summary import (
    ALL,
    BANDS,
    DEFAULT_CITY_ORDER,
    FLAGS,
    FORMULA,
    Accumulator,
    Item,
    SummaryOptions,
    count_stats,
    missing_kind,
    scale_stats,
)
from fieldapp.export.summary_blocks import WIDTHS, Rows, chart_blocks, pick, shorten
from fieldapp.export.xlsx.cells import (
    STYLE_HEADER,
    STYLE_HEADER_WRAP,
    STYLE_PERCENT,
    STYLE_SCORE,
    STYLE_TOP,
    STYLE_WRAP,
)
from fieldapp.export.xlsx.chart import BarChart
from fieldapp.i18n import N_

__all__ = ["WIDTHS", "Rows", "build_summary", "city_names", "unknown_cities"]

ALL_CITIES = "all cities"
ALL_WAVES = "all waves"


def city_names(table: Table, lang: str) -> dict[str, str]:
    """City code → its name in ``lang`` (from the ``city`` question's choices)."""
    var = table.columns[table.index["city"]] if "city" in table.index else None
    names = {c.code: pick(c.labels, lang) or c.code for c in (var.codes if var else ())}
    names[ALL] = ALL_CITIES
    names.setdefault("", "(no city)")
    return names


def unknown_cities(acc: Accumulator, options: SummaryOptions | None) -> list[str]:
    """A warning when a city order given (``--cities``) names a code that is neither a city
    of the questionnaire nor in the data (a typo would otherwise just move that city to the
    end, silently)."""
    if options is None or options.city_order == DEFAULT_CITY_ORDER:
        return []
    var = acc.table.columns[acc.table.index["city"]] if "city" in acc.table.index else None
    known = {c.code.lower() for c in (var.codes if var else ())}
    known |= {str(city).lower() for city, _ in acc.groups if city}
    unknown = [c for c in dict.fromkeys(options.city_order) if c.lower() not in known]
    if not unknown:
        return []
    return [Note(N_("summary: the city order names {unknown}, which is not a city code "
                       "here (the codes are {known}); the cities not named follow in "
                       "alphabetical order"),
                    {"unknown": ", ".join(unknown), "known": ", ".join(sorted(known))})]


def build_summary(acc: Accumulator, lang: str, options: SummaryOptions | None = None
                  ) -> tuple[Rows, list[BarChart]]:
    """Rows (with styles and page breaks) and charts of the summary sheet."""
    options = options or SummaryOptions()
    out = Rows()
    specs = acc.group_specs(options)
    names = city_names(acc.table, lang)
    for i, part in enumerate(FORMULA.split("; ")):
        out.add(["Summary" if i == 0 else "", part], STYLE_HEADER if i == 0 else 0, {2: 0})
    out.add([])
    charts = chart_blocks(acc, specs, names, lang, out)
    waves: dict[str, int] = {}
    for c, w, _ in specs:
        waves[c] = waves.get(c, 0) + (w != ALL)
    # a city's "all waves" rows only when it has several waves (else they repeat its wave)
    shown = [(names.get(c, c), ALL_WAVES if w == ALL else w, keys) for c, w, keys in specs
             if w != ALL or c == ALL or waves[c] > 1]
    _scale_table(acc, shown, lang, out)
    _domain_table(acc, shown, out)
    _bands_table(acc, shown, lang, out)
    _categorical_table(acc, shown, lang, out)
    _count_table(acc, shown, lang, out)
    _numeric_table(acc, shown, lang, out)
    return out, charts


def _label(var: Any, lang: str) -> str:
    """The item's label as the long tables show it (wrapped in the label column): its short
    label whole; without one, its question text cut to two lines (the whole text is in the
    codebook)."""
    return pick(var.short, lang) or shorten(pick(var.labels, lang), 2 * (int(WIDTHS[1]) - 2))


#: Long-table rows: top-aligned, the label (column B) wrapped so that it is never cut.
_LABEL = {2: STYLE_WRAP}


def _code_label(var: Any, code: Any, lang: str) -> str:
    for c in var.codes:
        if c.code == str(code):
            return pick(c.labels, lang)
    return ""


def _pct(n: int, base: int) -> float | None:
    return n / base * 100 if base else None


def _items(acc: Accumulator, *kinds: str) -> list[Item]:
    return [it for it in acc.items if it.kind in kinds]


def _head(out: Rows, title: str, columns: list[str]) -> None:
    out.add([title], STYLE_HEADER)
    out.add(columns, STYLE_HEADER_WRAP)


def _scale_table(acc: Accumulator, specs: list, lang: str, out: Rows) -> None:
    items = _items(acc, "scale")
    if not items:
        return
    _head(out, "Scale items (0–100 scores over valid answers)",
          ["variable", "label", "module", "city", "wave", "k", "n valid", "mean of codes",
           "score 0–100", "n don't know", "n refused", "n other codes"])
    for it in items:
        for city, wave, keys in specs:
            s = scale_stats(it.var, acc.values(it.index, keys))
            out.add([it.var.name, _label(it.var, lang), it.var.module, city, wave, s["k"],
                     s["n"], s["mean"], s["score"], s["dont_know"], s["refused"], s["other"]],
                    STYLE_TOP, {**_LABEL, 8: STYLE_SCORE, 9: STYLE_SCORE})
    out.add([])


def domain_scores(acc: Accumulator, keys: frozenset) -> dict[tuple[str, str], tuple]:
    """(module, domain) → (score, item names, items with data) over the base ``keys``."""
    found: dict[tuple[str, str], list] = {}
    for it in _items(acc, "scale"):
        if it.var.domain:
            found.setdefault((it.var.module, it.var.domain), []).append(it)
    out = {}
    for key, items in found.items():
        scores = [scale_stats(it.var, acc.values(it.index, keys))["score"] for it in items]
        valid = [s for s in scores if s is not None]
        out[key] = (sum(valid) / len(valid) if valid else None,
                    " ".join(it.var.name for it in items), len(valid))
    return out


def _domain_table(acc: Accumulator, specs: list, out: Rows) -> None:
    if not any(it.var.domain for it in _items(acc, "scale")):
        return
    _head(out, "Domain scores (unweighted mean of the items' 0–100 scores)",
          ["domain", "items", "module", "city", "wave", "score 0–100", "items with data"])
    rows = []
    for order, (city, wave, keys) in enumerate(specs):
        for (module, domain), (score, names, n) in domain_scores(acc, keys).items():
            rows.append((order, (domain, names, module, city, wave, score, n)))
    for _, row in sorted(rows, key=lambda r: (r[1][2], r[1][0], r[0])):
        out.add(list(row), styled={6: STYLE_SCORE})
    out.add([])


def _bands_table(acc: Accumulator, specs: list, lang: str, out: Rows) -> None:
    items = [it for it in acc.items if it.index in acc.bands]
    if not items:
        return
    _head(out, "Collapsed bands (the questionnaire's bands column; % of valid answers)",
          ["variable", "label", "module", "city", "wave", "band", "n", "% of valid",
           "valid base", "n don't know", "n refused", "n other"])
    for it in items:
        labels = [b.label for b in acc.bands[it.index]]
        for city, wave, keys in specs:
            counts = acc.band_counts(it, keys)
            valid = sum(counts[b] for b in labels)
            for band in labels:
                out.add([it.var.name, _label(it.var, lang), it.var.module, city, wave, band,
                         counts[band], _pct(counts[band], valid), valid,
                         counts["dont_know"], counts["refused"], counts["other"]],
                        STYLE_TOP, {**_LABEL, 8: STYLE_PERCENT})
    out.add([])


def _categorical_table(acc: Accumulator, specs: list, lang: str, out: Rows) -> None:
    items = _items(acc, "categorical", "multi")
    if not items:
        return
    _head(out, "Categorical items (% of valid answers; don't know / refused as % of all "
          "answers; select_multiple: % of respondents answering)",
          ["variable", "code label", "module", "city", "wave", "code", "n", "% of valid",
           "% of all answers", "valid base", "all answers"])
    for it in items:
        missing = {c.code for c in it.var.codes if c.missing}
        for city, wave, keys in specs:
            counts: Mapping[Any, int] = acc.values(it.index, keys)
            if it.kind == "multi":
                answered = sum(counts.values())
                per_code: dict[str, int] = {}
                for combo, n in counts.items():
                    for code in str(combo).split():
                        per_code[code] = per_code.get(code, 0) + n
                valid = answered - sum(n for combo, n in counts.items()
                                       if set(str(combo).split()) <= missing)
                total = answered
                counts = per_code
            else:
                total = sum(counts.values())
                valid = sum(n for v, n in counts.items() if str(v) not in missing)
            for code in _ordered_codes(it.var, counts):
                n = counts.get(code, 0) or counts.get(str(code), 0)
                is_missing = str(code) in missing
                label = _code_label(it.var, code, lang) or (
                    missing_kind(str(code)).replace("_", " ") if is_missing else "")
                out.add([it.var.name, label, it.var.module, city, wave, code, n,
                         None if is_missing else _pct(n, valid), _pct(n, total), valid,
                         total], styled={8: STYLE_PERCENT, 9: STYLE_PERCENT})
    out.add([])


def _ordered_codes(var: Any, counts: Any) -> list[Any]:
    codes: list[Any] = []
    for c in var.codes:
        codes.append(int(c.code) if var.kind == "int" and c.code.lstrip("-").isdigit()
                     else c.code)
    extra = [v for v in counts if v not in codes and str(v) not in {str(c) for c in codes}]
    return codes + sorted(extra, key=str)


def _count_table(acc: Accumulator, specs: list, lang: str, out: Rows) -> None:
    items = _items(acc, "count")
    if not items:
        return
    flags = [label for label, _ in FLAGS]
    _head(out, "Counts (bands of valid answers; 12+ is a flag within 11+: the papers' "
          "\"more than 11\" may mean either)",
          ["variable", "label", "module", "city", "wave", "n valid", "mean", "median",
           *[f"n {label}" for label, _, _ in BANDS], *[f"n {f}" for f in flags],
           "% 11+", *[f"% {f}" for f in flags], "n don't know", "n refused"])
    for it in items:
        for city, wave, keys in specs:
            s = count_stats(it.var, acc.values(it.index, keys))
            percents = [_pct(s[label], s["n"]) for label in ("11+", *flags)]
            first_pct = 9 + len(BANDS) + len(flags)
            out.add([it.var.name, _label(it.var, lang), it.var.module, city, wave, s["n"],
                     s["mean"], s["median"], *[s[label] for label, _, _ in BANDS],
                     *[s[f] for f in flags], *percents, s["dont_know"], s["refused"]],
                    STYLE_TOP, {**_LABEL, 7: STYLE_SCORE,
                                **{first_pct + i: STYLE_PERCENT for i in range(len(percents))}})
    out.add([])


def _numeric_table(acc: Accumulator, specs: list, lang: str, out: Rows) -> None:
    items = _items(acc, "numeric")
    if not items:
        return
    _head(out, "Other numbers (missing codes excluded)",
          ["variable", "label", "module", "city", "wave", "n valid", "mean", "min", "max"])
    for it in items:
        for city, wave, keys in specs:
            n, mean, lo, hi = acc.numeric_stats(it.index, keys)
            out.add([it.var.name, _label(it.var, lang), it.var.module, city, wave, n, mean,
                     lo, hi], STYLE_TOP, {**_LABEL, 7: STYLE_SCORE})
