"""Numeric functions: int, round, min, max, sum, abs, floor, ceiling, pow, sqrt, the
trigonometric ones, random, ..."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from fieldapp.questionnaire.expressions.context import EvalContext
from fieldapp.questionnaire.expressions.registry import register
from fieldapp.questionnaire.expressions.values import (
    NodeSet,
    Value,
    flatten,
    to_number,
)

Args = Sequence[Value]


def _numbers(args: Args) -> list[float]:
    return [to_number(item) for item in flatten(list(args))]


@register("number", 1, 1)
def _number(args: Args, ctx: EvalContext) -> Value:
    return to_number(args[0])


@register("int", 1, 1)
def _int(args: Args, ctx: EvalContext) -> Value:
    x = to_number(args[0])
    return math.trunc(x) if math.isfinite(x) else x


@register("round", 1, 2)
def _round(args: Args, ctx: EvalContext) -> Value:
    """Half away from zero, like JavaRosa; optional number of decimal places."""
    x = to_number(args[0])
    digits = to_number(args[1]) if len(args) > 1 else 0.0
    if math.isnan(digits):
        return math.nan
    if not math.isfinite(x):
        return x
    places = int(max(-400.0, min(400.0, digits)))
    try:
        with localcontext() as decimal_context:
            decimal_context.prec = 1000
            quantum = Decimal(1).scaleb(-places)
            return float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP))
    except InvalidOperation:
        return x


def _extreme(args: Args, pick: Callable[[list[float]], float]) -> float:
    numbers = _numbers(args)
    if not numbers or any(math.isnan(n) for n in numbers):
        return math.nan
    return pick(numbers)


@register("min", 1, None)
def _min(args: Args, ctx: EvalContext) -> Value:
    return _extreme(args, min)


@register("max", 1, None)
def _max(args: Args, ctx: EvalContext) -> Value:
    return _extreme(args, max)


@register("sum", 1, 1)
def _sum(args: Args, ctx: EvalContext) -> Value:
    total = 0.0
    for number in _numbers(args):
        total += number
    return total


@register("count", 1, 1)
def _count(args: Args, ctx: EvalContext) -> Value:
    value = args[0]
    return len(value) if isinstance(value, NodeSet) else 1


@register("abs", 1, 1)
def _abs(args: Args, ctx: EvalContext) -> Value:
    return abs(to_number(args[0]))


@register("floor", 1, 1)
def _floor(args: Args, ctx: EvalContext) -> Value:
    x = to_number(args[0])
    return float(math.floor(x)) if math.isfinite(x) else x


@register("ceiling", 1, 1)
def _ceiling(args: Args, ctx: EvalContext) -> Value:
    x = to_number(args[0])
    return float(math.ceil(x)) if math.isfinite(x) else x


@register("pow", 2, 2)
def _pow(args: Args, ctx: EvalContext) -> Value:
    x, y = to_number(args[0]), to_number(args[1])
    try:
        return math.pow(x, y)
    except OverflowError:
        odd = y.is_integer() and int(y) % 2 == 1
        return -math.inf if x < 0 and odd else math.inf
    except ValueError:
        return math.inf if x == 0 and y < 0 else math.nan


@register("sqrt", 1, 1)
def _sqrt(args: Args, ctx: EvalContext) -> Value:
    x = to_number(args[0])
    return math.sqrt(x) if x >= 0 else math.nan


@register("exp", 1, 1)
def _exp(args: Args, ctx: EvalContext) -> Value:
    try:
        return math.exp(to_number(args[0]))
    except OverflowError:
        return math.inf


def _logarithm(x: float, log: Callable[[float], float]) -> float:
    if math.isnan(x) or x < 0:
        return math.nan
    if x == 0:
        return -math.inf
    return log(x) if math.isfinite(x) else x


@register("log", 1, 1)
def _log(args: Args, ctx: EvalContext) -> Value:
    return _logarithm(to_number(args[0]), math.log)


@register("log10", 1, 1)
def _log10(args: Args, ctx: EvalContext) -> Value:
    return _logarithm(to_number(args[0]), math.log10)


@register("pi", 0, 0)
def _pi(args: Args, ctx: EvalContext) -> Value:
    return math.pi


def _trig(name: str, function: Callable[[float], float]) -> None:
    """Register one of ODK's trigonometric functions (radians); NaN outside its domain."""

    def apply(args: Args, ctx: EvalContext) -> Value:
        try:
            return function(to_number(args[0]))
        except (ValueError, OverflowError):
            return math.nan

    register(name, 1, 1)(apply)


for _name, _function in (("sin", math.sin), ("cos", math.cos), ("tan", math.tan),
                         ("asin", math.asin), ("acos", math.acos), ("atan", math.atan)):
    _trig(_name, _function)


@register("atan2", 2, 2)
def _atan2(args: Args, ctx: EvalContext) -> Value:
    return math.atan2(to_number(args[0]), to_number(args[1]))


@register("random", 0, 0)
def _random(args: Args, ctx: EvalContext) -> Value:
    """A number in [0, 1), new at each evaluation (``once(random())`` keeps the first)."""
    return random.random()  # survey randomisation, not a secret
