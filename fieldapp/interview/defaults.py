"""The value a question starts with: its ``default`` column, typed as its answers are.

A default written as an expression (``today()``, ``${other} + 1``) is a dynamic default in
ODK: it is evaluated once, when the interview starts (a ``calculate`` without a calculation
takes its value from such a default, as in ODK). ``${last-saved#q}`` (the previous
interview's answer) has no meaning for a new interview on a shared laptop: it starts empty.
"""

from __future__ import annotations

from fieldapp.errors import ExpressionError
from fieldapp.interview.engine import Interview
from fieldapp.interview.values import InvalidValue, Value, convert
from fieldapp.questionnaire.expressions import evaluate, parse, to_string
from fieldapp.questionnaire.model import Question


def default_value(engine: Interview, question: Question) -> Value:
    """The typed default of ``question``, or None."""
    text = (question.default or "").strip()
    if not text or "${last-saved#" in text:
        return None
    raw: object = text
    if "(" in text or "${" in text:
        try:
            raw = to_string(evaluate(parse(text), engine.context((), ())))
        except ExpressionError:
            return None
    if question.type == "note" or (question.type == "calculate" and question.calculation):
        return None
    if question.type == "calculate":  # no calculation: the dynamic default is its value
        return str(raw) or None
    try:
        return convert(question, raw)
    except (InvalidValue, ValueError):
        return None
