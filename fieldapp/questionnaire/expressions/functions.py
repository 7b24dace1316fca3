"""Text, selection, logic and node-set functions; imports the numeric and date ones so
that FUNCTIONS holds the complete table."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from fieldapp.errors import ExpressionError
from fieldapp.i18n import N_
from fieldapp.questionnaire.expressions import functions_dates, functions_math
from fieldapp.questionnaire.expressions.context import EvalContext
from fieldapp.questionnaire.expressions.nodes import Node, Reference
from fieldapp.questionnaire.expressions.registry import FUNCTIONS, UNSUPPORTED, register
from fieldapp.questionnaire.expressions.values import (
    NodeSet,
    Value,
    first,
    flatten,
    is_empty,
    to_boolean,
    to_number,
    to_string,
)

__all__ = ["FUNCTIONS", "UNSUPPORTED", "functions_dates", "functions_math"]

Args = Sequence[Value]
Evaluate = Callable[[Node], Value]
#: Longest pattern regex() accepts, in characters.
MAX_PATTERN_LENGTH = 1000


# -- logic ---------------------------------------------------------------------------------
@register("if", 3, 3, lazy=True)
def _if(args: Sequence[Node], ctx: EvalContext, evaluate: Evaluate) -> Value:
    return evaluate(args[1]) if to_boolean(evaluate(args[0])) else evaluate(args[2])


@register("coalesce", 2, 2, lazy=True)
def _coalesce(args: Sequence[Node], ctx: EvalContext, evaluate: Evaluate) -> Value:
    value = evaluate(args[0])
    return value if not is_empty(value) else evaluate(args[1])


@register("once", 1, 1, lazy=True)
def _once(args: Sequence[Node], ctx: EvalContext, evaluate: Evaluate) -> Value:
    """ODK's ``once()``: the question keeps the value it has; only an empty one is computed
    (``.`` is the question's own value when a calculation is evaluated)."""
    current = ctx.current()
    return current if not is_empty(current) else evaluate(args[0])


@register("not", 1, 1)
def _not(args: Args, ctx: EvalContext) -> Value:
    return not to_boolean(args[0])


@register("true", 0, 0)
def _true(args: Args, ctx: EvalContext) -> Value:
    return True


@register("false", 0, 0)
def _false(args: Args, ctx: EvalContext) -> Value:
    return False


@register("boolean", 1, 1)
def _boolean(args: Args, ctx: EvalContext) -> Value:
    return to_boolean(args[0])


@register("boolean-from-string", 1, 1)
def _boolean_from_string(args: Args, ctx: EvalContext) -> Value:
    return to_string(args[0]).strip() in ("true", "1")


# -- select_multiple -----------------------------------------------------------------------
def _choices(value: Value) -> list[str]:
    """Chosen names of a select answer; plain text is split on whitespace."""
    if isinstance(value, NodeSet):
        value = first(value)
    if isinstance(value, (tuple, list)):
        return [to_string(item) for item in value]
    return to_string(value).split()


@register("selected", 2, 2)
def _selected(args: Args, ctx: EvalContext) -> Value:
    return to_string(args[1]).strip() in _choices(args[0])


@register("count-selected", 1, 1)
def _count_selected(args: Args, ctx: EvalContext) -> Value:
    return len(_choices(args[0]))


@register("selected-at", 2, 2)
def _selected_at(args: Args, ctx: EvalContext) -> Value:
    choices = _choices(args[0])
    index = to_number(args[1])
    if not (0 <= index < len(choices)):  # also false for NaN
        return ""
    return choices[int(index)]


# -- text ----------------------------------------------------------------------------------
@register("string", 1, 1)
def _string(args: Args, ctx: EvalContext) -> Value:
    return to_string(args[0])


@register("string-length", 1, 1)
def _string_length(args: Args, ctx: EvalContext) -> Value:
    return len(to_string(args[0]))


@register("concat", 1, None)
def _concat(args: Args, ctx: EvalContext) -> Value:
    return "".join(to_string(item) for item in flatten(list(args)))


@register("join", 1, None)
def _join(args: Args, ctx: EvalContext) -> Value:
    separator = to_string(args[0])
    return separator.join(to_string(item) for item in flatten(list(args[1:])))


@register("contains", 2, 2)
def _contains(args: Args, ctx: EvalContext) -> Value:
    return to_string(args[1]) in to_string(args[0])


@register("starts-with", 2, 2)
def _starts_with(args: Args, ctx: EvalContext) -> Value:
    return to_string(args[0]).startswith(to_string(args[1]))


@register("ends-with", 2, 2)
def _ends_with(args: Args, ctx: EvalContext) -> Value:
    return to_string(args[0]).endswith(to_string(args[1]))


def _clamp_index(position: float, length: int) -> int:
    if position <= 0:
        return 0
    if position >= length:
        return length
    return int(position)


@register("substr", 2, 3)
def _substr(args: Args, ctx: EvalContext) -> Value:
    """0-based ``[start, end)``; indexes are clamped to the string."""
    text = to_string(args[0])
    start = to_number(args[1])
    end = to_number(args[2]) if len(args) > 2 else float(len(text))
    if start != start or end != end:  # NaN
        return ""
    return text[_clamp_index(start, len(text)) : _clamp_index(end, len(text))]


@register("substring-before", 2, 2)
def _substring_before(args: Args, ctx: EvalContext) -> Value:
    text, separator = to_string(args[0]), to_string(args[1])
    index = text.find(separator)
    return text[:index] if index >= 0 else ""


@register("substring-after", 2, 2)
def _substring_after(args: Args, ctx: EvalContext) -> Value:
    text, separator = to_string(args[0]), to_string(args[1])
    index = text.find(separator)
    return text[index + len(separator) :] if index >= 0 else ""


@register("normalize-space", 1, 1)
def _normalize_space(args: Args, ctx: EvalContext) -> Value:
    return " ".join(to_string(args[0]).split())


@register("translate", 3, 3)
def _translate(args: Args, ctx: EvalContext) -> Value:
    source, target = to_string(args[1]), to_string(args[2])
    table: dict[int, int | None] = {}
    for index, char in enumerate(source):
        table.setdefault(ord(char), ord(target[index]) if index < len(target) else None)
    return to_string(args[0]).translate(table)


@lru_cache(maxsize=256)
def compile_regex(pattern: str) -> Any:
    """``pattern`` compiled with RE2, which matches in time linear in the text.

    Python's backtracking ``re`` can take exponential time on patterns such as
    ``(a+)+$``; RE2 cannot, and refuses the features that would need backtracking
    (backreferences, look-around) with an ExpressionError.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ExpressionError(
            N_("regex() pattern is too long (more than {MAX_PATTERN_LENGTH} characters)"),
            code="functions.regex-pattern-too-long", MAX_PATTERN_LENGTH=MAX_PATTERN_LENGTH
        )
    import re2  # google-re2: deferred, only forms that use regex() need it

    options = re2.Options()
    options.log_errors = False  # the error comes back to us; RE2 would print it to stderr
    try:
        return re2.compile(pattern, options=options)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(
            exc.args[0], bytes) else str(exc)
        raise ExpressionError(
            N_("regex() pattern cannot be used ({reason_text}); patterns are matched in linear "
               "time, so backreferences and look-around are not available"),
            code="functions.regex-pattern-cannot-used", reason_text=reason) from None


@register("regex", 2, 2)
def _regex(args: Args, ctx: EvalContext) -> Value:
    return compile_regex(to_string(args[1])).search(to_string(args[0])) is not None


# -- repeats and identifiers ---------------------------------------------------------------
@register("position", 0, 1, lazy=True)
def _position(args: Sequence[Node], ctx: EvalContext, evaluate: Evaluate) -> Value:
    return ctx.position()


@register("indexed-repeat", 3, 7, lazy=True)
def _indexed_repeat(args: Sequence[Node], ctx: EvalContext, evaluate: Evaluate) -> Value:
    """``indexed-repeat(${q}, ${repeat}, i [, ${inner}, j [, ${innermost}, k]])``: the answer
    to ``q`` in instance ``i`` of ``repeat`` (and ``j`` of ``inner``…); empty when there is no
    such instance. Repeats not named keep the current instance, as in ODK."""
    if len(args) % 2 == 0 or not all(isinstance(a, Reference) for a in (args[0], *args[1::2])):
        raise ExpressionError(N_("indexed-repeat() takes a question, then pairs of a repeat "
                                 "and a position"),
                              code="functions.indexed-repeat-arguments")
    question = args[0]
    assert isinstance(question, Reference)
    positions = []
    for repeat, index in zip(args[1::2], args[2::2], strict=True):
        number = to_number(evaluate(index))
        if number != number or number < 1 or number != int(number):  # NaN, 0, 1.5: none
            return ""
        assert isinstance(repeat, Reference)
        positions.append((repeat.name, int(number)))
    lookup = getattr(ctx, "indexed_value", None)
    if lookup is None:
        return ""
    value = lookup(question.name, positions)
    return "" if value is None else value


_REF_TEXT = re.compile(r"^\s*\$\{([^}]+)\}\s*$")


@register("jr:choice-name", 2, 2, lazy=True)
def _choice_name(args: Sequence[Node], ctx: EvalContext, evaluate: Evaluate) -> Value:
    """Label of a choice in the interview language: ``jr:choice-name(${q}, '${q}')``."""
    value = evaluate(args[0])
    match = _REF_TEXT.match(to_string(evaluate(args[1])))
    lookup = getattr(ctx, "choice_label", None)
    if is_empty(value) or match is None or lookup is None:
        return to_string(value)
    return str(lookup(match.group(1), to_string(value)))


@register("uuid", 0, 0)
def _uuid(args: Args, ctx: EvalContext) -> Value:
    return str(uuid.uuid4())
