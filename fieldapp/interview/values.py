"""Answer values per question type: conversion from user input and JSON (de)serialisation."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from fieldapp.interview.values_more import CONVERTERS, InvalidValue
from fieldapp.questionnaire.model import Question

__all__ = ["InvalidValue", "Value", "convert", "from_json", "to_json"]

Value = str | int | float | dt.date | dt.datetime | tuple[str, ...] | None




def convert(question: Question, raw: Any) -> Value:
    """Convert user/CLI input to the typed value stored for ``question`` (None clears)."""
    if raw is None or (isinstance(raw, str) and raw.strip() == "" and question.type != "text"):
        return None
    kind = question.type
    if kind in CONVERTERS:
        return CONVERTERS[kind](question, raw)  # type: ignore[no-any-return]
    if kind == "select_one":
        if isinstance(raw, bool) or isinstance(raw, (list, tuple)):
            raise InvalidValue("expected one choice")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return str(raw).strip()
    if kind == "select_multiple":
        if isinstance(raw, str):
            items = raw.split()
        elif isinstance(raw, (list, tuple)):
            items = [str(int(i) if isinstance(i, float) and i.is_integer() else i).strip()
                     for i in raw]
        else:
            items = [str(raw)]
        seen: list[str] = []
        for item in items:
            if item and item not in seen:
                seen.append(item)
        return tuple(seen) or None
    if kind == "integer":
        if isinstance(raw, bool):
            raise InvalidValue("expected a whole number")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float):
            if raw.is_integer():
                return int(raw)
            raise InvalidValue("expected a whole number")
        text = str(raw).strip().replace(",", "")
        try:
            return int(text)
        except ValueError:
            raise InvalidValue("expected a whole number") from None
    if kind == "decimal":
        if isinstance(raw, bool):
            raise InvalidValue("expected a number")
        try:
            number = float(str(raw).strip().replace(",", "")) if not isinstance(
                raw, (int, float)) else float(raw)
        except ValueError:
            raise InvalidValue("expected a number") from None
        if not math.isfinite(number):
            raise InvalidValue("expected a finite number")
        return number
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise InvalidValue("expected a date as YYYY-MM-DD") from None
    if kind == "datetime":
        if isinstance(raw, dt.datetime):
            return raw
        try:
            return dt.datetime.fromisoformat(str(raw).strip())
        except ValueError:
            raise InvalidValue("expected a date and time in ISO format") from None
    if kind == "time":
        try:
            return dt.time.fromisoformat(str(raw).strip()).isoformat(timespec="minutes")
        except ValueError:
            raise InvalidValue("expected a time as HH:MM") from None
    return str(raw)


def to_json(value: Value) -> Any:
    """A JSON-safe form of a typed value."""
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, tuple):
        return list(value)
    return value


def from_json(data: Any) -> Value:
    """Inverse of :func:`to_json`."""
    if isinstance(data, dict):
        if "datetime" in data:
            return dt.datetime.fromisoformat(data["datetime"])
        if "date" in data:
            return dt.date.fromisoformat(data["date"])
    if isinstance(data, list):
        return tuple(data)
    return data
