"""Expression values and the XPath 1.0 conversions string(), number() and boolean()."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import TypeAlias

from fieldapp.errors import ExpressionError
from fieldapp.i18n import N_
from fieldapp.questionnaire.expressions.dates import day_number


class NodeSet(tuple):
    """An ordered collection of values: one question inside a repeat, seen from outside it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"NodeSet({list(self)!r})"


#: Anything an expression can produce or read. A plain tuple is a select_multiple answer
#: (the chosen choice names); None means unanswered or not relevant.
Value: TypeAlias = (
    str | int | float | bool | dt.date | dt.datetime | tuple[str, ...] | NodeSet | None
)

_NUMBER_RE = re.compile(r"\s*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")


def format_number(number: float) -> str:
    """XPath string of a number: '3' not '3.0', 'NaN', 'Infinity', never exponent notation."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    text = repr(number)  # shortest text that reads back as the same float
    return format(Decimal(text), "f") if "e" in text else text


def first(value: NodeSet) -> Value:
    """The first item of a node-set, or None when it is empty."""
    return value[0] if value else None


def to_string(value: Value) -> str:
    """XPath ``string()``: None → '', select_multiple → names joined by one space."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # more digits than Python will print
            return format_number(to_number(value))
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="milliseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, NodeSet):
        return to_string(first(value))
    if isinstance(value, (tuple, list)):
        return " ".join(to_string(item) for item in value)
    raise ExpressionError(N_("unsupported value of type '{name__}'"),
                          code="values.unsupported-value-type", name__=type(value).__name__)


def to_number(value: Value) -> float:
    """XPath ``number()``: non-numeric text → NaN, booleans → 1/0, dates → day numbers."""
    if value is None:
        return math.nan
    if isinstance(value, str):
        return float(value) if _NUMBER_RE.fullmatch(value) else math.nan
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if isinstance(value, float):
        return value
    if isinstance(value, dt.date):
        return day_number(value)
    if isinstance(value, NodeSet):
        return to_number(first(value))
    if isinstance(value, (tuple, list)):
        return to_number(to_string(value))
    raise ExpressionError(N_("unsupported value of type '{name__}'"),
                          code="values.unsupported-value-type-2", name__=type(value).__name__)


def to_boolean(value: Value) -> bool:
    """XPath ``boolean()``: non-zero non-NaN numbers, non-empty text and lists are true."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, (str, tuple, list)):
        return len(value) > 0
    if isinstance(value, dt.date):
        return True
    raise ExpressionError(N_("unsupported value of type '{name__}'"),
                          code="values.unsupported-value-type-3", name__=type(value).__name__)


def is_empty(value: Value) -> bool:
    """True when the value's string is '' (unanswered, empty text, empty node-set)."""
    return to_string(value) == ""


def flatten(values: tuple[Value, ...] | list[Value]) -> list[Value]:
    """Expand node-sets into their items (for variadic functions such as ``concat``)."""
    items: list[Value] = []
    for value in values:
        if isinstance(value, NodeSet):
            items.extend(value)
        else:
            items.append(value)
    return items
