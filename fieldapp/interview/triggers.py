"""The ``trigger`` column: a question's calculation runs when another question's answer
changes (ODK's dynamic defaults on value change), and only then — the enumerator may still
change the value it gives. A triggered ``calculate`` holds the value computed at that
moment rather than following every change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fieldapp.errors import ExpressionError
from fieldapp.interview.answer_keys import make_key
from fieldapp.interview.values import InvalidValue, Value, convert
from fieldapp.questionnaire.expressions import evaluate, parse, references, to_string
from fieldapp.questionnaire.model import Question

if TYPE_CHECKING:
    from fieldapp.interview.engine import Interview, Slot


def triggered_by(engine: Interview, name: str) -> list[Question]:
    """Questions whose ``trigger`` names ``name``."""
    out = []
    for question in engine.form.iter_questions():
        if question.trigger and question.calculation:
            try:
                if name in references(parse(question.trigger)):
                    out.append(question)
            except ExpressionError:
                continue
    return out


def triggered_values(engine: Interview, slot: Slot) -> dict[str, Value]:
    """The values the questions triggered by the answer at ``slot`` take now."""
    from fieldapp.interview.engine import Slot as SlotType

    out: dict[str, Value] = {}
    for question in triggered_by(engine, slot.element.name):
        path = engine.structure.repeat_path.get(question.name, ())
        if path != slot.repeats[:len(path)]:
            continue  # in a repeat the trigger is not in: no single instance to set
        target = SlotType(question, slot.indices[:len(path)], path)
        if not engine.is_relevant(target):
            continue
        try:
            raw = evaluate(parse(question.calculation or ""),
                           engine.context(target.repeats, target.indices))
            text = to_string(raw)
            value = convert(question, text) if question.type != "calculate" else text
        except (ExpressionError, InvalidValue, ValueError):
            continue
        out[make_key(question.name, target.indices)] = value if value != "" else None
    return out
