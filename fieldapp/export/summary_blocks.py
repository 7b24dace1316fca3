"""The top of the ``summary`` sheet: one block per module, laid out like the papers' figures.

A block is a small table — item (short label), then per city the 0–100 score and its n —
with a native bar chart beside it, notes on what 0 and 100 mean (the score runs toward the
highest code: pole B of a bipolar item), and a page break after it, so that each table prints
on one page with its chart. Cities come in the configured order under their names in the
export language; the pooled "all cities" series only when asked for.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fieldapp.export.summary import ALL, Accumulator, Item, scale_stats
from fieldapp.export.xlsx.cells import (
    STYLE_HEADER,
    STYLE_HEADER_WRAP,
    STYLE_SCORE,
    STYLE_TOP,
    STYLE_WRAP,
)
from fieldapp.export.xlsx.chart import PALETTE, BarChart, Series

#: Column widths of the summary sheet (characters): identifier, label, then numbers.
WIDTHS = (11.0, 34.0, *([8.0] * 30))
_BLOCK_ROWS = 22  # rows a block takes at least: the chart's height (9.5 cm) and a gap
_SHORT = 56  # display width (CJK characters count 2) of a label in a block (two lines)
_CM_PER_CHAR = 0.16  # a Latin character of the charts' 9 pt category labels, on average


@dataclass
class Rows:
    """Rows of a small sheet with per-cell styles and page breaks."""

    rows: list[list[Any]] = field(default_factory=list)
    styles: dict[tuple[int, int], int] = field(default_factory=dict)
    breaks: list[int] = field(default_factory=list)

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

    def heights(self, widths: Sequence[float]) -> dict[int, float]:
        """Row heights (points) for rows with wrapped text, from the text's display width:
        neither Excel nor LibreOffice grows a row for wrapped text written by another program
        reliably, so the writer says how tall each such row is."""
        out: dict[int, float] = {}
        for (r, c), style in self.styles.items():
            if style not in (STYLE_WRAP, STYLE_HEADER_WRAP):
                continue
            values = self.rows[r - 1]
            text = str(values[c - 1]) if c <= len(values) and values[c - 1] is not None else ""
            room = max(1.0, widths[c - 1] - 1 if c <= len(widths) else 8.0)
            lines = sum(max(1, math.ceil(_width(part) / room)) for part in text.split("\n"))
            if lines > 1:
                out[r] = max(out.get(r, 15.0), 15.0 * lines)
        return out


def pick(labels: Mapping[str, str], lang: str) -> str:
    """The text in ``lang``, else in any language."""
    return labels.get(lang) or next(iter(labels.values()), "")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def shorten(text: str, limit: int = _SHORT) -> str:
    """``text`` cut to a display width, at a word boundary where there is one, with "…"."""
    if _width(text) <= limit:
        return text
    out, used = "", 0
    for ch in text:
        used += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used > limit - 1:
            break
        out += ch
    if " " in out[len(out) // 2:]:
        out = out.rsplit(" ", 1)[0]
    return out.rstrip(" ,;:") + "…"


def short_label(var: Any, lang: str) -> str:
    """The item's short label (the questionnaire's ``short_label``), else its label, cut."""
    return pick(var.short, lang) or shorten(pick(var.labels, lang) or var.name)


def chart_width(categories: Sequence[str]) -> float:
    """The chart's width (cm): at least 13, wider when the category slots would be narrower
    than the longest word of a label, which LibreOffice then breaks mid-word ("individual /
    ist", "frustratio / n"); at most 28. Korean, Chinese and Japanese text breaks between any
    two characters, so only runs of other characters count as words."""
    longest = 0
    for text in categories:
        for word in text.split():
            run = 0
            for ch in word:
                run = 0 if unicodedata.east_asian_width(ch) in "WF" else run + 1
                longest = max(longest, run)
    slot = max(1.2, longest * _CM_PER_CHAR + 0.3)  # one category's room on the axis
    return min(28.0, max(13.0, len(categories) * slot + 1.5))


def _poles(var: Any, lang: str) -> tuple[str, str]:
    points = sorted(var.scale_points, key=lambda c: int(c.code))
    return (pick(points[0].labels, lang) or points[0].code,
            pick(points[-1].labels, lang) or points[-1].code)


def chart_blocks(acc: Accumulator, specs: list, names: Mapping[str, str], lang: str,
                 out: Rows) -> list[BarChart]:
    """One block (table, notes, chart, page break) per module with 0–100 scale items."""
    columns = [(c, keys) for c, w, keys in specs if w == ALL]
    modules: dict[str, list[Item]] = {}
    for it in acc.items:
        if it.kind == "scale":
            modules.setdefault(it.var.module or "items", []).append(it)
    charts = []
    for module, items in modules.items():
        start = out.add([f"{module}: 0–100 scores by city"], STYLE_HEADER)
        head = out.add(["variable", "item", *[x for c, _ in columns
                                              for x in (names.get(c, c), "n")]],
                       STYLE_HEADER_WRAP)
        values: list[list[float | None]] = [[] for _ in columns]
        for it in items:
            cells: list[Any] = [it.var.name, short_label(it.var, lang)]
            for i, (_, keys) in enumerate(columns):
                s = scale_stats(it.var, acc.values(it.index, keys))
                cells += [s["score"], s["n"]]
                values[i].append(s["score"])
            out.add(cells, STYLE_TOP, {2: STYLE_WRAP, **{3 + 2 * i: STYLE_SCORE
                                                        for i in range(len(columns))}})
        _notes(items, lang, out)
        series = tuple(Series(names.get(c, c), (head, 3 + 2 * i), (head + 1, 3 + 2 * i),
                              tuple(values[i]), PALETTE[i % len(PALETTE)])
                       for i, (c, _) in enumerate(columns))
        categories = tuple(short_label(it.var, lang) for it in items)
        charts.append(BarChart(f"{module}: 0–100 scores by city", categories,
                               (head + 1, 2), series, anchor=(head, 4 + 2 * len(columns)),
                               size_cm=(chart_width(categories), 9.5)))
        while len(out.rows) < start + _BLOCK_ROWS - 1:
            out.add([])
        out.breaks.append(len(out.rows))
    return charts


def _notes(items: list[Item], lang: str, out: Rows) -> None:
    """What 0 and 100 mean (per item when the items have their own poles), and what n is."""
    poles = {it.var.name: _poles(it.var, lang) for it in items}
    if len(set(poles.values())) == 1:
        low, high = next(iter(poles.values()))
        out.add(["0–100", f"0 = {low}; 100 = {high}"], STYLE_TOP, {2: STYLE_WRAP})
    else:
        for name, (low, high) in poles.items():
            out.add([name, f"0 = {low}; 100 = {high} (the score runs toward the second "
                     "pole)"], STYLE_TOP, {2: STYLE_WRAP})
    out.add(["n", "valid answers (don't know / refused are not scored)"], STYLE_TOP,
            {2: STYLE_WRAP})
