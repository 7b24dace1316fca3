"""The ``summary`` sheet: per-module score tables with bar charts, then the long tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fieldapp.export.summary import (
    ALL,
    BANDS,
    FORMULA,
    Accumulator,
    Item,
    count_stats,
    missing_kind,
    scale_stats,
)
from fieldapp.export.xlsx.cells import STYLE_HEADER, STYLE_PERCENT, STYLE_SCORE
from fieldapp.export.xlsx.chart import BarChart, Series

_CHART_ROWS = 18


@dataclass
class Rows:
    """Rows of a small sheet with per-cell styles."""

    rows: list[list[Any]] = field(default_factory=list)
    styles: dict[tuple[int, int], int] = field(default_factory=dict)

    def add(self, values: Sequence[Any], style: int = 0,
            styled: dict[int, int] | None = None) -> int:
        """Append a row (1-based number returned); ``style`` for every cell."""
        self.rows.append(list(values))
        r = len(self.rows)
        for c in range(1, len(values) + 1):
            s = (styled or {}).get(c, style)
            if s:
                self.styles[(r, c)] = s
        return r


def _label(var: Any, lang: str) -> str:
    return var.labels.get(lang) or next(iter(var.labels.values()), "")


def _code_label(var: Any, code: Any, lang: str) -> str:
    for c in var.codes:
        if c.code == str(code):
            return c.labels.get(lang) or next(iter(c.labels.values()), "")
    return ""


def _pct(n: int, base: int) -> float | None:
    return n / base * 100 if base else None


def build_summary(acc: Accumulator, lang: str) -> tuple[Rows, list[BarChart]]:
    """Rows and charts of the summary sheet."""
    out = Rows()
    specs = acc.group_specs()
    out.add(["Summary", FORMULA], STYLE_HEADER, {2: 0})
    out.add([])
    charts = _chart_blocks(acc, specs, lang, out)
    _scale_table(acc, specs, lang, out)
    _domain_table(acc, specs, out)
    _categorical_table(acc, specs, lang, out)
    _count_table(acc, specs, out)
    _numeric_table(acc, specs, out)
    return out, charts


def _items(acc: Accumulator, kind: str) -> list[Item]:
    return [it for it in acc.items if it.kind == kind]


def _chart_blocks(acc: Accumulator, specs: list, lang: str, out: Rows) -> list[BarChart]:
    cities = [(c, keys) for c, w, keys in specs if w == ALL and c != ALL]
    columns = cities + ([(ALL, specs[-1][2])] if len(cities) != 1 else [])
    modules: dict[str, list[Item]] = {}
    for it in _items(acc, "scale"):
        modules.setdefault(it.var.module or "items", []).append(it)
    charts = []
    for module, items in modules.items():
        start = out.add([f"0–100 scores by city: {module}"], STYLE_HEADER)
        head = out.add(["variable", "label", *[c for c, _ in columns]], STYLE_HEADER)
        series_values: list[list[float | None]] = [[] for _ in columns]
        for it in items:
            scores = [scale_stats(it.var, acc.values(it.index, keys))["score"]
                      for _, keys in columns]
            out.add([it.var.name, _label(it.var, lang), *scores],
                    styled={3 + i: STYLE_SCORE for i in range(len(scores))})
            for i, s in enumerate(scores):
                series_values[i].append(s)
        series = tuple(Series(str(name), (head, 3 + i), (head + 1, 3 + i),
                              tuple(series_values[i]))
                       for i, (name, _) in enumerate(columns))
        charts.append(BarChart(f"{module}: 0–100 scores by city",
                               tuple(it.var.name for it in items), (head + 1, 1), series,
                               anchor=(start, 4 + len(columns))))
        while len(out.rows) < start + _CHART_ROWS:
            out.add([])
    return charts


def _scale_table(acc: Accumulator, specs: list, lang: str, out: Rows) -> None:
    items = _items(acc, "scale")
    if not items:
        return
    out.add(["Scale items (0–100 scores)"], STYLE_HEADER)
    out.add(["module", "variable", "label", "k", "city", "wave", "n valid", "mean of codes",
             "score 0–100", "n don't know", "n refused", "n other codes"], STYLE_HEADER)
    for it in items:
        for city, wave, keys in specs:
            s = scale_stats(it.var, acc.values(it.index, keys))
            out.add([it.var.module, it.var.name, _label(it.var, lang), s["k"], city, wave,
                     s["n"], s["mean"], s["score"], s["dont_know"], s["refused"], s["other"]],
                    styled={8: STYLE_SCORE, 9: STYLE_SCORE})
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
    out.add(["Domain scores (unweighted mean of the items' 0–100 scores)"], STYLE_HEADER)
    out.add(["module", "domain", "items", "city", "wave", "score 0–100", "items with data"],
            STYLE_HEADER)
    rows = []
    for city, wave, keys in specs:
        for (module, domain), (score, names, n) in domain_scores(acc, keys).items():
            rows.append((module, domain, names, city, wave, score, n))
    for row in sorted(rows, key=lambda r: (r[0], r[1])):
        out.add(list(row), styled={6: STYLE_SCORE})
    out.add([])


def _categorical_table(acc: Accumulator, specs: list, lang: str, out: Rows) -> None:
    items = _items(acc, "categorical") + _items(acc, "multi")
    if not items:
        return
    out.add(["Categorical items (% of valid answers; don't know / refused as % of all "
             "answers; select_multiple: % of respondents answering)"], STYLE_HEADER)
    out.add(["module", "variable", "city", "wave", "code", "label", "n", "% of valid",
             "% of all answers", "valid base", "all answers"], STYLE_HEADER)
    for it in items:
        missing = {c.code for c in it.var.codes if c.missing}
        for city, wave, keys in specs:
            counts = acc.values(it.index, keys)
            if it.kind == "multi":
                answered = sum(counts.values())
                per_code: dict[str, int] = {}
                for combo, n in counts.items():
                    for code in str(combo).split():
                        per_code[code] = per_code.get(code, 0) + n
                counts = per_code  # type: ignore[assignment]
                valid = answered - sum(n for combo, n in acc.values(it.index, keys).items()
                                       if set(str(combo).split()) <= missing)
                total = answered
            else:
                total = sum(counts.values())
                valid = sum(n for v, n in counts.items() if str(v) not in missing)
            for code in _ordered_codes(it.var, counts):
                n = counts.get(code, 0) or counts.get(str(code), 0)
                is_missing = str(code) in missing
                out.add([it.var.module, it.var.name, city, wave, code,
                         _code_label(it.var, code, lang) or
                         (missing_kind(str(code)).replace("_", " ") if is_missing else ""),
                         n, None if is_missing else _pct(n, valid), _pct(n, total), valid,
                         total], styled={8: STYLE_PERCENT, 9: STYLE_PERCENT})
    out.add([])


def _ordered_codes(var: Any, counts: Any) -> list[Any]:
    codes: list[Any] = []
    for c in var.codes:
        codes.append(int(c.code) if var.kind == "int" and c.code.lstrip("-").isdigit()
                     else c.code)
    extra = [v for v in counts if v not in codes and str(v) not in {str(c) for c in codes}]
    return codes + sorted(extra, key=str)


def _count_table(acc: Accumulator, specs: list, out: Rows) -> None:
    items = _items(acc, "count")
    if not items:
        return
    out.add(["Counts"], STYLE_HEADER)
    out.add(["module", "variable", "city", "wave", "n valid", "mean", "median",
             *[f"n {label}" for label, _, _ in BANDS], "n don't know", "n refused"],
            STYLE_HEADER)
    for it in items:
        for city, wave, keys in specs:
            s = count_stats(it.var, acc.values(it.index, keys))
            out.add([it.var.module, it.var.name, city, wave, s["n"], s["mean"], s["median"],
                     *[s[label] for label, _, _ in BANDS], s["dont_know"], s["refused"]],
                    styled={6: STYLE_SCORE})
    out.add([])


def _numeric_table(acc: Accumulator, specs: list, out: Rows) -> None:
    items = _items(acc, "numeric")
    if not items:
        return
    out.add(["Other numbers (missing codes excluded)"], STYLE_HEADER)
    out.add(["module", "variable", "city", "wave", "n valid", "mean", "min", "max"],
            STYLE_HEADER)
    for it in items:
        for city, wave, keys in specs:
            n, mean, lo, hi = acc.numeric_stats(it.index, keys)
            out.add([it.var.module, it.var.name, city, wave, n, mean, lo, hi],
                    styled={6: STYLE_SCORE})
