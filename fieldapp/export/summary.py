"""Summary statistics, accumulated in one streaming pass (memory bounded by distinct codes).

Per city × wave, per city (all waves) and — only when asked (``pooled``) — all cities:

* scale items (``score = scale``, codes 1…k): n valid, mean of codes and the 0–100 score
  ``(mean − 1) / (k − 1) × 100`` (in general ``(mean − lowest) / (highest − lowest)``) over
  valid answers; don't know / refused are excluded and counted separately;
* domain scores: the unweighted mean of the domain's item scores (each item over its own
  valid answers — "mean of item means", not a per-respondent average);
* categorical items: counts and percentages of valid answers; DK/refused as % of all answers;
* select_multiple: % of respondents who answered selecting each option;
* counts (``score = count``): mean, median and bands 0, 1–2, 3–5, 6–10, 11+, plus the
  flag 12+ (the papers' "more than 11" may mean either);
* collapsed bands a form declares (``bands`` column, e.g. GOVCIT ``1-4|5|6-9``): n and %
  of valid answers per band;
* other numbers: n, mean, min, max (missing codes excluded).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fieldapp.export.layout import Table
from fieldapp.export.missing import missing_kind as _kind_of_code
from fieldapp.export.schema import INT, NUM, Variable
from fieldapp.questionnaire.bands import Band, parse_bands

ALL = "(all)"
BANDS = (("0", 0, 0), ("1–2", 1, 2), ("3–5", 3, 5), ("6–10", 6, 10), ("11+", 11, None))
#: Overlapping flags reported beside the count bands: "more than 11" read as ≥ 12.
FLAGS = (("12+", 12),)
#: The papers' city order (Seoul, Tokyo, Beijing); other cities follow alphabetically.
DEFAULT_CITY_ORDER = ("seoul", "tokyo", "beijing")
FORMULA = ("score 0–100 = (mean − lowest code) / (highest code − lowest code) × 100 over valid "
           "answers; for codes 1…k this is (mean − 1) / (k − 1) × 100; don't know / refused "
           "codes are excluded and counted separately; a domain score is the unweighted mean "
           "of its items' scores")
_SKIP_CATEGORICAL = frozenset({"city", "wave", "district", "dong"})


@dataclass(frozen=True)
class SummaryOptions:
    """How the summary sheet is laid out: city order (codes) and whether the cities are
    also pooled into an "all cities" column and rows."""

    city_order: tuple[str, ...] = DEFAULT_CITY_ORDER
    pooled: bool = False


def missing_kind(code: str) -> str:
    """'dont_know' (…8, e.g. 98), 'refused' (…9, e.g. 99) or 'other' (the summary's
    columns; not-applicable codes count as other)."""
    kind = _kind_of_code(code)
    return kind if kind in ("dont_know", "refused") else "other"


def item_kind(var: Variable) -> str | None:
    """How a column is summarised, or None."""
    if var.qtype == "select_one" and var.score == "scale" and var.kind == INT \
            and len(var.scale_points) >= 2:
        return "scale"
    if var.score == "count" and var.kind in (INT, NUM):
        return "count"
    if var.qtype == "select_one" and var.name not in _SKIP_CATEGORICAL:
        return "categorical"
    if var.qtype == "select_multiple":
        return "multi"
    if var.qtype in ("integer", "decimal"):
        return "numeric"
    return None


@dataclass
class Item:
    """A summarised column."""

    var: Variable
    kind: str
    index: int


class Accumulator:
    """Counts per (city, wave) group; feed main rows with :meth:`add_rows`."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.items = [Item(v, k, i) for i, v in enumerate(table.columns)
                      if (k := item_kind(v)) is not None]
        self.city = table.index["city"]
        self.wave = table.index["wave"]
        self.counts: dict[int, Counter] = {it.index: Counter() for it in self.items
                                           if it.kind != "numeric"}
        self.numeric: dict[int, dict[Any, list[float]]] = {
            it.index: {} for it in self.items if it.kind == "numeric"}
        self.missing = {it.index: frozenset(_missing_values(it.var)) for it in self.items}
        self.bands: dict[int, tuple[Band, ...]] = {}
        for it in self.items:
            try:
                if it.var.bands:
                    self.bands[it.index] = parse_bands(it.var.bands)
            except ValueError:  # a codebook edited by hand (forms are validated on load)
                continue
        #: numeric items have no value counts: their bands are counted as rows arrive
        self.banded: dict[int, Counter] = {i: Counter() for i in self.bands
                                           if i in self.numeric}
        self.groups: Counter = Counter()

    def add_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        """Accumulate a batch of main rows."""
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        keys = list(zip(columns[self.city], columns[self.wave], strict=True))
        self.groups.update(keys)
        for index, counter in self.counts.items():
            counter.update(zip(keys, columns[index], strict=True))
        for index, banded in self.banded.items():
            bands = self.bands[index]
            missing = self.missing[index]
            for key, value in zip(keys, columns[index], strict=True):
                banded[(key, _band_of(value, bands, missing))] += 1
        for index, stats in self.numeric.items():
            missing = self.missing[index]
            for key, value in zip(keys, columns[index], strict=True):
                if value is None or not isinstance(value, (int, float)) or value in missing:
                    continue
                s = stats.get(key)
                if s is None:
                    stats[key] = [1, value, value, value]
                else:
                    s[0] += 1
                    s[1] += value
                    s[2] = min(s[2], value)
                    s[3] = max(s[3], value)

    # ----- results -------------------------------------------------------------------------
    def group_specs(self, options: SummaryOptions | None = None
                    ) -> list[tuple[str, str, frozenset]]:
        """(city, wave, base keys) for every city × wave and every city (all waves), cities
        in ``options.city_order`` (others alphabetically after), then — if pooled — all."""
        options = options or SummaryOptions(pooled=True)
        order: dict[str, int] = {}
        for code in options.city_order:  # a city named twice keeps its first place
            order.setdefault(code.lower(), len(order))
        cities = sorted({_s(k[0]) for k in self.groups},
                        key=lambda c: (order.get(c.lower(), len(order)), c))
        specs = []
        for city in cities:
            keys = sorted((k for k in self.groups if _s(k[0]) == city), key=lambda k: _s(k[1]))
            specs += [(city, _s(w), frozenset([(c, w)])) for c, w in keys]
        specs += [(city, ALL, frozenset(k for k in self.groups if _s(k[0]) == city))
                  for city in cities]
        if options.pooled:
            specs.append((ALL, ALL, frozenset(self.groups)))
        return specs

    def band_counts(self, item: Item, keys: Iterable) -> Counter:
        """Answers per declared band (``bands`` column) over ``keys``; missing codes and
        values outside every band under 'dont_know' / 'refused' / 'other'."""
        bands = self.bands[item.index]
        if item.index in self.banded:
            wanted = set(keys)
            out: Counter = Counter()
            for (key, band), n in self.banded[item.index].items():
                if key in wanted:
                    out[band] += n
            out.pop(None, None)
            return out
        missing = self.missing[item.index]
        out = Counter()
        for value, n in self.values(item.index, keys).items():
            out[_band_of(value, bands, missing)] += n
        out.pop(None, None)
        return out

    def values(self, index: int, keys: Iterable) -> Counter:
        """Value counts of column ``index`` over the base groups ``keys``."""
        wanted = set(keys)
        out: Counter = Counter()
        for (key, value), n in self.counts[index].items():
            if key in wanted and value is not None:
                out[value] += n
        return out

    def numeric_stats(self, index: int, keys: Iterable) -> tuple[int, float | None, Any, Any]:
        """(n, mean, min, max) of a numeric column over ``keys``."""
        n = 0
        total: float = 0.0
        lo: Any = None
        hi: Any = None
        for key in keys:
            s = self.numeric[index].get(key)
            if s:
                n += int(s[0])
                total += s[1]
                lo = s[2] if lo is None else min(lo, s[2])
                hi = s[3] if hi is None else max(hi, s[3])
        return n, (total / n if n else None), lo, hi


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _band_of(value: Any, bands: tuple[Band, ...], missing: frozenset) -> str | None:
    """The band label of one answer (None: unanswered)."""
    if value is None:
        return None
    if value in missing:
        return missing_kind(str(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        for band in bands:
            if band.holds(value):
                return band.label
    return "other"


def _missing_values(var: Variable) -> set[Any]:
    out: set[Any] = set()
    for code in var.missing_codes:
        out.add(code)
        try:
            out.add(int(code))
        except ValueError:
            pass
    return out


def scale_stats(var: Variable, counts: Counter) -> dict[str, Any]:
    """n valid, mean, 0–100 score and missing counts of a scale item."""
    points = sorted(int(c.code) for c in var.scale_points)
    lo, hi = points[0], points[-1]
    missing = {int(c.code): missing_kind(c.code) for c in var.codes if c.missing}
    out: dict[str, Any] = {"k": len(points), "n": 0, "mean": None, "score": None,
                           "dont_know": 0, "refused": 0, "other": 0}
    total = 0
    for value, n in counts.items():
        if value in missing:
            out[missing[value]] += n
        elif isinstance(value, int) and lo <= value <= hi:
            out["n"] += n
            total += value * n
        else:
            out["other"] += n
    if out["n"]:
        out["mean"] = total / out["n"]
        out["score"] = (out["mean"] - lo) / (hi - lo) * 100
    return out


def count_stats(var: Variable, counts: Counter) -> dict[str, Any]:
    """n, mean, median, bands and missing counts of a count item."""
    missing = _missing_values(var)
    valid = sorted((v, n) for v, n in counts.items()
                   if isinstance(v, (int, float)) and v not in missing and v >= 0)
    n = sum(c for _, c in valid)
    out: dict[str, Any] = {"n": n, "mean": None, "median": None,
                           "dont_know": 0, "refused": 0, "other": 0}
    for value, c in counts.items():
        if value in missing:
            out[missing_kind(str(value))] += c
        elif not (isinstance(value, (int, float)) and value >= 0):
            out["other"] += c
    for label, lo, hi in BANDS:
        out[label] = sum(c for v, c in valid if v >= lo and (hi is None or v <= hi))
    for label, lo in FLAGS:
        out[label] = sum(c for v, c in valid if v >= lo)
    if n:
        out["mean"] = sum(v * c for v, c in valid) / n
        out["median"] = _median(valid, n)
    return out


def _median(valid: list[tuple[Any, int]], n: int) -> float:
    def nth(k: int) -> Any:
        seen = 0
        for value, c in valid:
            seen += c
            if seen > k:
                return value
        return valid[-1][0]

    if n % 2:
        return float(nth(n // 2))
    return (nth(n // 2 - 1) + nth(n // 2)) / 2
