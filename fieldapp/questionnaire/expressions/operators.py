"""Binary operators with XPath 1.0 semantics: comparisons and IEEE arithmetic."""

from __future__ import annotations

import datetime as dt
import math

from fieldapp.errors import ExpressionError
from fieldapp.i18n import N_
from fieldapp.questionnaire.expressions.dates import day_number, parse_date_text
from fieldapp.questionnaire.expressions.values import (
    NodeSet,
    Value,
    to_boolean,
    to_number,
    to_string,
)

COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">="})
ARITHMETIC = frozenset({"+", "-", "*", "div", "mod"})


def _is_number(value: Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _date_number(value: Value) -> float:
    """Day number of a date, date-time or date-like text; otherwise number()."""
    if isinstance(value, dt.date):
        return day_number(value)
    if isinstance(value, str):
        parsed = parse_date_text(value)
        if parsed is not None:
            return day_number(parsed)
    return to_number(value)


def _compare_items(op: str, left: Value, right: Value) -> bool:
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = to_boolean(left) == to_boolean(right)
        elif _is_number(left) or _is_number(right):
            equal = to_number(left) == to_number(right)
        elif isinstance(left, dt.date) or isinstance(right, dt.date):
            equal = _date_number(left) == _date_number(right)
        else:
            equal = to_string(left) == to_string(right)
        return equal if op == "=" else not equal
    if isinstance(left, dt.date) or isinstance(right, dt.date):
        a, b = _date_number(left), _date_number(right)
    else:
        a, b = to_number(left), to_number(right)
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def compare(op: str, left: Value, right: Value) -> bool:
    """``left op right`` for a comparison operator; node-sets compare existentially."""
    if isinstance(left, NodeSet) or isinstance(right, NodeSet):
        if isinstance(left, bool) or isinstance(right, bool):
            return _compare_items(op, to_boolean(left), to_boolean(right))
        lefts = left if isinstance(left, NodeSet) else (left,)
        rights = right if isinstance(right, NodeSet) else (right,)
        return any(_compare_items(op, a, b) for a in lefts for b in rights)
    return _compare_items(op, left, right)


def divide(a: float, b: float) -> float:
    """IEEE division: x div 0 is ±Infinity, 0 div 0 is NaN."""
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    try:
        return a / b
    except OverflowError:
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def modulo(a: float, b: float) -> float:
    """XPath ``mod``: the remainder takes the sign of the dividend (like math.fmod)."""
    try:
        return math.fmod(a, b)
    except ValueError:  # b == 0 or a infinite
        return math.nan


def arithmetic(op: str, left: Value, right: Value) -> float:
    """``left op right`` for ``+ - * div mod`` on number() of both sides."""
    a, b = to_number(left), to_number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        return divide(a, b)
    if op == "mod":
        return modulo(a, b)
    raise ExpressionError(N_("unknown operator '{op}'"), code="operators.unknown-operator", op=op)


def apply_binary(op: str, left: Value, right: Value) -> Value:
    """Apply a comparison or arithmetic operator (``and``/``or`` are handled lazily)."""
    if op in COMPARISONS:
        return compare(op, left, right)
    if op in ARITHMETIC:
        return arithmetic(op, left, right)
    if op == "and":
        return to_boolean(left) and to_boolean(right)
    if op == "or":
        return to_boolean(left) or to_boolean(right)
    raise ExpressionError(N_("unknown operator '{op}'"), code="operators.unknown-operator-2", op=op)
