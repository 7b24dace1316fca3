"""Functions over data the form carries and over typed-in coordinates.

``pulldata('file', 'column', 'key column', key)`` looks a value up in ``file.csv`` of the
form's media folder (through the context's ``pulldata`` hook; empty when there is none).
``distance()`` and ``area()`` measure a geotrace / geoshape answer (``lat lon [alt acc]``
points separated by ``;``) on the WGS84 sphere, in metres and square metres, as ODK does.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from fieldapp.questionnaire.expressions.context import EvalContext
from fieldapp.questionnaire.expressions.registry import register
from fieldapp.questionnaire.expressions.values import NodeSet, Value, to_string

Args = Sequence[Value]
EARTH_RADIUS_M = 6_378_137.0  # WGS84 equatorial radius, as ODK's area/distance use


@register("pulldata", 4, 4)
def _pulldata(args: Args, ctx: EvalContext) -> Value:
    lookup = getattr(ctx, "pulldata", None)
    if lookup is None:
        return ""
    return str(lookup(*(to_string(a) for a in args)))


@register("jr:itext", 1, 1)
def _itext(args: Args, ctx: EvalContext) -> Value:
    # the items of a choice-list instance carry their label (in the interview language) as
    # itextId, so the translation of an itext id is the id itself
    return to_string(args[0])


def points(value: Value) -> list[tuple[float, float]]:
    """(lat, lon) pairs of a geopoint / geotrace / geoshape value (bad points skipped)."""
    if isinstance(value, NodeSet):
        texts = [to_string(v) for v in value]
    else:
        texts = to_string(value).split(";")
    out = []
    for text in texts:
        parts = text.split()
        if len(parts) < 2:
            continue
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError:
            continue
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            out.append((lat, lon))
    return out


def _haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + \
        math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@register("distance", 1, None)
def _distance(args: Args, ctx: EvalContext) -> Value:
    pts: list[tuple[float, float]] = []
    for arg in args:
        pts += points(arg)
    if len(pts) < 2:
        return math.nan
    return sum(_haversine(a, b) for a, b in itertools.pairwise(pts))


@register("area", 1, 1)
def _area(args: Args, ctx: EvalContext) -> Value:
    pts = points(args[0])
    if len(pts) < 3:
        return math.nan
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(pts):
        total += math.radians(lon2 - lon1) * (
            2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total * EARTH_RADIUS_M ** 2 / 2)
