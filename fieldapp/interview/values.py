"""Answer values per question type: conversion from user input and JSON (de)serialisation."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from fieldapp.i18n import N_
from fieldapp.interview.values_more import CONVERTERS, InvalidValue
from fieldapp.questionnaire.model import Question

__all__ = ["InvalidValue", "Value", "convert", "from_json", "to_json"]

Value = str | int | float | dt.date | dt.datetime | tuple[str, ...] | None

#: The range of an ``integer`` question (XForms ``xsd:int``, as ODK Collect enforces it).
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
#: Types whose answer is typed text.
TEXT_TYPES = frozenset({"text", "barcode", "string"})

# Messages are marked here and translated by the engine when shown.
EXPECTED_ONE_CHOICE = N_("expected one choice")
EXPECTED_WHOLE = N_("expected a whole number")
EXPECTED_INT_RANGE = N_("expected a whole number between -2147483648 and 2147483647")
EXPECTED_NUMBER = N_("expected a number")
EXPECTED_FINITE = N_("expected a finite number")
EXPECTED_DATE = N_("expected a date as YYYY-MM-DD")
EXPECTED_DATETIME = N_("expected a date and time in ISO format")
EXPECTED_TIME = N_("expected a time as HH:MM")
EXPECTED_TEXT = N_("expected text (a string in quotes), not a number, list or object")
EXPECTED_CHOICES = N_("expected choice names (text or numbers)")
BROKEN_TEXT = N_("the text contains a broken character (an unpaired surrogate) and cannot be "
                 "stored")


def _storable(text: str) -> str:
    """``text`` if it can be stored as UTF-8 (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidValue(BROKEN_TEXT) from None
    return text


def _scalar_text(raw: Any, message: str) -> str:
    """A choice name from text or a number (bools, lists and objects are refused)."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise InvalidValue(message)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return _storable(str(raw).strip())


def convert(question: Question, raw: Any) -> Value:
    """Convert user/CLI input to the typed value stored for ``question`` (None clears)."""
    if raw is None or (isinstance(raw, str) and raw.strip() == "" and question.type != "text"):
        return None
    kind = question.type
    if kind in CONVERTERS:  # range, rank, acknowledge, coordinates, barcode, files
        if isinstance(raw, str):
            _storable(raw)
        return CONVERTERS[kind](question, raw)  # type: ignore[no-any-return]
    if kind == "select_one":
        return _scalar_text(raw, EXPECTED_ONE_CHOICE)
    if kind == "select_multiple":
        if isinstance(raw, str):
            items = _storable(raw).split()
        elif isinstance(raw, (list, tuple)):
            items = [_scalar_text(i, EXPECTED_CHOICES) for i in raw]
        else:
            items = [_scalar_text(raw, EXPECTED_CHOICES)]
        seen: list[str] = []
        for item in items:
            if item and item not in seen:
                seen.append(item)
        return tuple(seen) or None
    if kind == "integer":
        return _integer(raw)
    if kind == "decimal":
        return _decimal(raw)
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(_plain_text(raw, EXPECTED_DATE))
        except ValueError:
            raise InvalidValue(EXPECTED_DATE) from None
    if kind == "datetime":
        if isinstance(raw, dt.datetime):
            return raw
        try:
            return dt.datetime.fromisoformat(_plain_text(raw, EXPECTED_DATETIME))
        except ValueError:
            raise InvalidValue(EXPECTED_DATETIME) from None
    if kind == "time":
        try:
            return dt.time.fromisoformat(_plain_text(raw, EXPECTED_TIME)).isoformat(
                timespec="minutes")
        except ValueError:
            raise InvalidValue(EXPECTED_TIME) from None
    if not isinstance(raw, str):
        raise InvalidValue(EXPECTED_TEXT)
    return _storable(raw)


def _plain_text(raw: Any, message: str) -> str:
    if not isinstance(raw, str):
        raise InvalidValue(message)
    return _storable(raw).strip()


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise InvalidValue(EXPECTED_WHOLE)
    if isinstance(raw, float):
        if not raw.is_integer():
            raise InvalidValue(EXPECTED_WHOLE)
        raw = int(raw)
    if not isinstance(raw, int):
        text = _plain_text(raw, EXPECTED_WHOLE).replace(",", "")
        if len(text) > 20:  # also keeps int() away from its 4,300-digit limit
            raise InvalidValue(EXPECTED_INT_RANGE)
        try:
            raw = int(text)
        except ValueError:
            raise InvalidValue(EXPECTED_WHOLE) from None
    if not INT_MIN <= raw <= INT_MAX:
        raise InvalidValue(EXPECTED_INT_RANGE)
    return raw


def _decimal(raw: Any) -> float:
    if isinstance(raw, bool):
        raise InvalidValue(EXPECTED_NUMBER)
    try:
        if isinstance(raw, (int, float)):
            number = float(raw)
        else:
            text = _plain_text(raw, EXPECTED_NUMBER).replace(",", "")
            if len(text) > 400:
                raise InvalidValue(EXPECTED_FINITE)
            number = float(text)
    except OverflowError:
        raise InvalidValue(EXPECTED_FINITE) from None
    except ValueError:
        raise InvalidValue(EXPECTED_NUMBER) from None
    if not math.isfinite(number):
        raise InvalidValue(EXPECTED_FINITE)
    return number


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
