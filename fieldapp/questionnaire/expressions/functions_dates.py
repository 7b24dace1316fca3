"""Date functions: today, now, date, format-date, decimal-date-time."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from fieldapp.errors import ExpressionError
from fieldapp.i18n import N_
from fieldapp.questionnaire.expressions.context import EvalContext
from fieldapp.questionnaire.expressions.dates import (
    day_number,
    format_date,
    from_day_number,
    parse_date_text,
)
from fieldapp.questionnaire.expressions.registry import register
from fieldapp.questionnaire.expressions.values import (
    NodeSet,
    Value,
    first,
    to_number,
    to_string,
)

Args = Sequence[Value]


def as_date(value: Value, function: str) -> dt.date | None:
    """A date or date-time from a date, 'YYYY-MM-DD' text or day number; None when empty."""
    if isinstance(value, NodeSet):
        value = first(value)
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        result = from_day_number(to_number(value))
    else:
        text = to_string(value).strip()
        if not text:
            return None
        result = parse_date_text(text) or from_day_number(to_number(text))
    if result is None:
        raise ExpressionError(N_("{function}() cannot convert its argument to a date"),
                              code="functions_dates.cannot-convert-argument-date",
                              function=function)
    return result


@register("today", 0, 0)
def _today(args: Args, ctx: EvalContext) -> Value:
    return ctx.today()


@register("now", 0, 0)
def _now(args: Args, ctx: EvalContext) -> Value:
    return ctx.now()


@register("date", 1, 1)
def _date(args: Args, ctx: EvalContext) -> Value:
    result = as_date(args[0], "date")
    return result.date() if isinstance(result, dt.datetime) else result


def _format(args: Args, function: str) -> Value:
    value = as_date(args[0], function)
    return "" if value is None else format_date(value, to_string(args[1]))


@register("format-date", 2, 2)
def _format_date(args: Args, ctx: EvalContext) -> Value:
    return _format(args, "format-date")


@register("format-date-time", 2, 2)
def _format_date_time(args: Args, ctx: EvalContext) -> Value:
    return _format(args, "format-date-time")


@register("decimal-date-time", 1, 1)
def _decimal_date_time(args: Args, ctx: EvalContext) -> Value:
    value = as_date(args[0], "decimal-date-time")
    return math.nan if value is None else day_number(value)
