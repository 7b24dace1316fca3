"""An interview's answers as rows for a reviewer: question text and answer in a chosen
language, in questionnaire order; two copies side by side for a conflict."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fieldapp.i18n import format_date, format_time
from fieldapp.questionnaire import Questionnaire
from fieldapp.questionnaire.model import text_for

_INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class AnswerRow:
    """One answer: its key (``q`` or ``m_name[2]``), the question text and the answer text."""

    key: str
    question: str
    answer: str


@dataclass(frozen=True)
class CompareRow:
    """One key of two copies; ``differs`` when their answers are not the same."""

    key: str
    question: str
    left: str
    right: str
    differs: bool


def shown_value(form: Questionnaire, name: str, value: Any, lang: str) -> str:
    """An answer as a reviewer reads it (choice labels in ``lang``)."""
    if value is None:
        return ""
    kind = form.question(name).type if form.has(name) else ""
    if isinstance(value, dict) and len(value) == 1:  # {"date": …} / {"datetime": …}
        kind, value = next(iter(value.items()))
    if isinstance(value, str) and kind in _WHEN:
        return _when(value, kind == "date", lang)
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    if not form.has(name):
        return str(value)
    question = form.question(name)
    choices = form.choice_list(question)
    if choices is None:
        return str(value)
    codes = str(value).split() if question.type == "select_multiple" else [str(value)]
    texts = []
    for code in codes:
        choice = choices.get(code)
        label = text_for(choice.label, lang, form.default_language) if choice else ""
        texts.append(f"{label} [{code}]" if label else code)
    return ", ".join(texts)


_WHEN = frozenset({"date", "datetime", "dateTime", "start", "end"})


def _when(value: str, date_only: bool, lang: str) -> str:
    """An ISO date or time stamp in ``lang``'s format, at the wall time and offset it was
    recorded with (the interview's own zone, not the reviewer's); as given if not ISO."""
    import datetime as dt

    try:
        parsed = dt.date.fromisoformat(value) if date_only else dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if isinstance(parsed, dt.datetime):
        offset = parsed.utcoffset()
        shown = f"{format_date(parsed.date(), 'medium', lang)} " \
                f"{format_time(parsed.replace(tzinfo=None), 'medium', lang)}"
        if offset is not None:
            minutes = int(offset.total_seconds() // 60)
            sign = "+" if minutes >= 0 else "-"
            shown += f" (UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d})"
        return shown
    return format_date(parsed, "medium", lang)


def _order(form: Questionnaire) -> dict[str, int]:
    return {q.name: index for index, q in enumerate(form.iter_questions())}


def _sorted_keys(form: Questionnaire, keys: set[str]) -> list[str]:
    order = _order(form)

    def place(key: str) -> tuple[int, str]:
        return order.get(_INDEX.sub("", key), len(order)), key

    return sorted(keys, key=place)


def question_text(form: Questionnaire, key: str, lang: str) -> str:
    """The question's label in ``lang`` (its name when it has none)."""
    name = _INDEX.sub("", key)
    if not form.has(name):
        return key
    return text_for(form.question(name).label, lang, form.default_language) or name


def answer_rows(form: Questionnaire, answers: Mapping[str, Any], lang: str) -> list[AnswerRow]:
    """Every answer in questionnaire order."""
    return [AnswerRow(key, question_text(form, key, lang),
                      shown_value(form, _INDEX.sub("", key), answers[key], lang))
            for key in _sorted_keys(form, set(answers))]


def compare_rows(form: Questionnaire, left: Mapping[str, Any], right: Mapping[str, Any],
                 lang: str) -> list[CompareRow]:
    """Both copies' answers key by key, differences marked."""
    rows = []
    for key in _sorted_keys(form, set(left) | set(right)):
        name = _INDEX.sub("", key)
        a, b = left.get(key), right.get(key)
        rows.append(CompareRow(key, question_text(form, key, lang),
                               shown_value(form, name, a, lang),
                               shown_value(form, name, b, lang), a != b))
    return rows
