"""Answer values of the types beyond the basic ones: range, rank, acknowledge, coordinates,
barcodes and attached files. Messages name no value (they may be logged)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from fieldapp.i18n import N_
from fieldapp.questionnaire.model import ATTACHMENT_TYPES, Question

#: What an acknowledge question stores when acknowledged (as ODK).
ACKNOWLEDGED = "OK"


class InvalidValue(ValueError):
    """The input cannot be converted to the question's type (message names no value)."""


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def range_bounds(question: Question) -> tuple[float, float, float]:
    """(start, end, step) of a range question; ODK's defaults are 1, 10, 1."""
    params = question.parameters
    start = _number(params["start"]) if "start" in params else 1.0
    end = _number(params.get("end", "10"))
    step = _number(params.get("step", "1"))
    return (start if start is not None else 1.0, end if end is not None else 10.0,
            abs(step) if step else 1.0)


def _range(question: Question, raw: Any) -> Any:
    if isinstance(raw, bool):
        raise InvalidValue(N_("expected a number"))
    value = raw if isinstance(raw, (int, float)) else _number(str(raw).strip())
    if value is None or not math.isfinite(float(value)):
        raise InvalidValue(N_("expected a number"))
    start, end, step = range_bounds(question)
    low, high = min(start, end), max(start, end)
    if not low - 1e-9 <= value <= high + 1e-9:
        raise InvalidValue(N_("outside the range of the scale"))
    steps = (value - start) / step
    if abs(steps - round(steps)) > 1e-6:
        raise InvalidValue(N_("not one of the steps of the scale"))
    whole = all(float(x).is_integer() for x in (start, end, step))
    return round(value) if whole else float(value)


def _rank(question: Question, raw: Any) -> Any:
    items = raw.split() if isinstance(raw, str) else list(raw) \
        if isinstance(raw, (list, tuple)) else [raw]
    names = []
    for item in items:
        text = str(int(item) if isinstance(item, float) and item.is_integer() else item).strip()
        if text in names:
            raise InvalidValue(N_("a choice is ranked twice"))
        if text:
            names.append(text)
    return tuple(names) or None


def _acknowledge(question: Question, raw: Any) -> Any:
    if raw is True or str(raw).strip().lower() in ("ok", "yes", "true", "1", "y"):
        return ACKNOWLEDGED
    if raw is False or str(raw).strip().lower() in ("", "no", "false", "0", "n"):
        return None
    raise InvalidValue(N_("expected OK to acknowledge"))


def _point(text: str) -> str:
    parts = text.replace(",", " ").split()
    if not 2 <= len(parts) <= 4:
        raise InvalidValue(N_("expected latitude and longitude, e.g. 37.5665 126.978"))
    numbers = [_number(p) for p in parts]
    if any(n is None for n in numbers):
        raise InvalidValue(N_("expected latitude and longitude, e.g. 37.5665 126.978"))
    lat, lon = numbers[0], numbers[1]
    assert lat is not None and lon is not None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidValue(N_("latitude must be within ±90 and longitude within ±180"))
    altitude = numbers[2] if len(numbers) > 2 else 0.0
    accuracy = numbers[3] if len(numbers) > 3 else 0.0
    return " ".join(_plain(n) for n in (lat, lon, altitude, accuracy))


def _plain(number: float | None) -> str:
    assert number is not None
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def _geo(question: Question, raw: Any) -> Any:
    text = " ".join(str(v) for v in raw) if isinstance(raw, (list, tuple)) \
        and all(isinstance(v, (int, float)) for v in raw) else raw
    if isinstance(text, (list, tuple)):
        text = ";".join(str(p) for p in text)
    points = [p for p in str(text).split(";") if p.strip()]
    if question.type in ("geopoint", "start-geopoint"):
        if len(points) != 1:
            raise InvalidValue(N_("expected one point: latitude longitude"))
        return _point(points[0])
    values = [_point(p) for p in points]
    if question.type == "geotrace" and len(values) < 2:
        raise InvalidValue(N_("a trace needs at least two points separated by ';'"))
    if question.type == "geoshape":
        if values and values[0] != values[-1]:
            values.append(values[0])  # a shape is closed
        if len(values) < 4:
            raise InvalidValue(N_("a shape needs at least three points separated by ';'"))
    return "; ".join(values)


def _text(question: Question, raw: Any) -> Any:
    text = str(raw)
    return text if text.strip() else None


def _file(question: Question, raw: Any) -> Any:
    """An attached file's name (a path given for it counts by its last part)."""
    name = str(raw).strip().replace("\\", "/").rsplit("/", 1)[-1]
    if not name or name.startswith("."):
        raise InvalidValue(N_("expected the name of an attached file"))
    return name


CONVERTERS: dict[str, Callable[[Question, Any], Any]] = {
    "range": _range, "rank": _rank, "acknowledge": _acknowledge, "barcode": _text,
    "geopoint": _geo, "start-geopoint": _geo, "geotrace": _geo, "geoshape": _geo,
    "hidden": _text, **dict.fromkeys(ATTACHMENT_TYPES, _file),
}
