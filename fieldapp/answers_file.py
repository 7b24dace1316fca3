"""ANSWERS.json for headless recording: ``{"language": "ko", "answers": {...}}``.

Values are choice names or typed values; a repeat is a list of objects, one per
entry. Answers are applied in questionnaire order through the same engine as the GUI,
so skip logic and constraints apply exactly as in an interview.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fieldapp.errors import FieldAppError
from fieldapp.interview.keys import make_key
from fieldapp.questionnaire.model import Element, Group, Question, Repeat
from fieldapp.recording import RecordingInterview


class AnswersFileError(FieldAppError):
    """ANSWERS.json is unreadable or does not fit the questionnaire."""


def read_answers_file(path: Path) -> tuple[str | None, dict[str, Any]]:
    """Return (language, answers) from an ANSWERS.json file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnswersFileError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise AnswersFileError(f"{path}: not valid UTF-8 JSON{where}") from None
    if not isinstance(data, dict) or not isinstance(data.get("answers", {}), dict):
        raise AnswersFileError(f"{path}: expected an object with an \"answers\" object")
    language = data.get("language")
    if language is not None and not isinstance(language, str):
        raise AnswersFileError(f"{path}: \"language\" must be a language code")
    return language, data.get("answers", {})


def apply_answers(recording: RecordingInterview, answers: dict[str, Any],
                  source: str = "ANSWERS.json") -> int:
    """Answer every question given, in form order; returns how many were applied."""
    form = recording.engine.form
    known = {e.name for e, _ in form.iter_elements()}
    for name in answers:
        if name not in known:
            raise AnswersFileError(f"{source}: unknown question '{name}' in this questionnaire")
    return _apply(recording, form.children, answers, (), source)


def _apply(recording: RecordingInterview, children: tuple[Element, ...],
           answers: dict[str, Any], parent: tuple[int, ...], source: str) -> int:
    count = 0
    for element in children:
        if isinstance(element, Repeat):
            if element.name not in answers:
                continue
            entries = answers[element.name]
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                raise AnswersFileError(f"{source}: repeat '{element.name}' must be a list of "
                                       "objects, one per entry")
            for index, entry in enumerate(entries, start=1):
                if not element.repeat_count:
                    recording.add_instance(element.name, parent)
                elif index > recording.engine.instance_count(element.name, parent):
                    raise AnswersFileError(
                        f"{source}: repeat '{element.name}' has {len(entries)} entries but "
                        "its count question allows fewer")
                count += _apply(recording, element.children, entry, (*parent, index), source)
        elif isinstance(element, Group):
            count += _apply(recording, element.children, answers, parent, source)
        elif isinstance(element, Question) and element.name in answers:
            recording.answer(make_key(element.name, parent), answers[element.name])
            count += 1
    return count
