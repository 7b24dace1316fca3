"""ANSWERS.json for headless recording: ``{"language": "ko", "answers": {...}}``.

Values are choice names or typed values; a repeat is a list of objects, one per
entry. Answers are applied in questionnaire order through the same engine as the GUI,
so skip logic and constraints apply exactly as in an interview. Every problem of the file is
collected (not just the first), so one run lists all of them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_, _
from fieldapp.interview.answer_keys import make_key
from fieldapp.interview.engine import Interview
from fieldapp.interview.errors import AnswerError
from fieldapp.questionnaire.model import Element, Group, Question, Repeat

#: Largest ANSWERS.json read (a questionnaire's answers are a few kilobytes).
MAX_FILE_BYTES = 16 << 20


class AnswersFileError(FieldAppError):
    """ANSWERS.json is unreadable or does not fit the questionnaire."""


@dataclass(frozen=True)
class AnswerProblem:
    """One answer of the file that cannot be recorded, and why (never the value)."""

    key: str
    reason: str

    def __str__(self) -> str:
        return _("question {key}: {reason}").format(key=_shown(self.key), reason=self.reason)


class AnswersRejected(AnswersFileError):
    """Every problem of an answers file, one per line."""

    def __init__(self, source: str, problems: Sequence[AnswerProblem], note: str = "") -> None:
        self.problems = list(problems)
        lines = [f"{source}: {problem}" for problem in self.problems]
        if note:
            lines.append(note)
        super().__init__("\n".join(lines))


class Target(Protocol):
    """What answers are applied to: a RecordingInterview, or a bare engine (dry run)."""

    engine: Interview

    def answer(self, key: str, value: object) -> object: ...

    def add_instance(self, repeat: str, parent: tuple[int, ...] = ()) -> int: ...


class DryRun:
    """Apply answers to an engine only: nothing is stored (``record`` checks first).

    A file answer is checked as the recorder would attach it (it must exist and suit the
    question), but only its name goes into the engine.
    """

    def __init__(self, engine: Interview, attachment_dir: Path | None = None) -> None:
        self.engine = engine
        self.attachment_dir = attachment_dir

    def answer(self, key: str, value: object) -> object:
        """Validate and set, in memory."""
        from fieldapp.attachments import KIND_OF_TYPE, read_attachment

        question = self.engine.slot(key).element
        if value is not None and getattr(question, "type", "") in KIND_OF_TYPE:
            path = Path(str(value))
            if not path.is_absolute() and self.attachment_dir is not None:
                path = self.attachment_dir / path
            value = read_attachment(question, key, path).name  # type: ignore[arg-type]
        return self.engine.answer(key, value)

    def add_instance(self, repeat: str, parent: tuple[int, ...] = ()) -> int:
        """Add a roster entry, in memory."""
        return self.engine.add_instance(repeat, parent)


def _shown(text: str) -> str:
    """A name from the file as printable text (a broken character shows as an escape)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def read_answers_file(path: Path) -> tuple[str | None, dict[str, Any]]:
    """Return (language, answers) from an ANSWERS.json file (one-line errors)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise AnswersFileError(N_("{path}: file not found"),
                               code="answers_file.file-not-found", path=path) from None
    except OSError as exc:
        raise AnswersFileError(N_("{path}: cannot read it ({reason})"),
                               code="answers_file.cannot-read", path=path,
                               reason=exc.strerror or type(exc).__name__) from None
    if len(raw) > MAX_FILE_BYTES:
        raise AnswersFileError(N_("{path}: the file is larger than {size} MB"),
                               code="answers_file.file-larger-than-mb", path=path,
                               size=MAX_FILE_BYTES >> 20)
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise AnswersFileError(N_("{path}: not valid UTF-8 JSON"),
                               code="answers_file.not-valid-utf-json", path=path) from None
    except json.JSONDecodeError as exc:
        raise AnswersFileError(N_("{path}: not valid UTF-8 JSON (line {line})"),
                               code="answers_file.not-valid-utf-json-2", path=path,
                               line=exc.lineno) from None
    except RecursionError:
        raise AnswersFileError(N_("{path}: the JSON is nested too deeply"),
                               code="answers_file.json-nested-too-deeply", path=path) from None
    except ValueError:  # e.g. an integer with more digits than Python converts
        raise AnswersFileError(N_("{path}: a number in the file has too many digits"),
                               code="answers_file.number-file-too-many", path=path) from None
    if not isinstance(data, dict) or not isinstance(data.get("answers", {}), dict):
        raise AnswersFileError(N_("{path}: expected an object with an \"answers\" object"),
                               code="answers_file.expected-object-answers-object", path=path)
    language = data.get("language")
    if language is not None and not isinstance(language, str):
        raise AnswersFileError(N_("{path}: \"language\" must be a language code"),
                               code="answers_file.language-language-code", path=path)
    return language, data.get("answers", {})


@dataclass
class Outcome:
    """What applying a file did: how many answers were recorded, and every problem."""

    applied: int = 0
    problems: list[AnswerProblem] = field(default_factory=list)


def apply_answers(target: Target, answers: dict[str, Any]) -> Outcome:
    """Answer every question given, in form order; problems are collected, not raised."""
    outcome = Outcome()
    form = target.engine.form
    known = {e.name for e, _ in form.iter_elements()}
    for name in answers:
        if name not in known:
            outcome.problems.append(AnswerProblem(
                name, _("no such question in this questionnaire")))
    _apply(target, form.children, answers, (), outcome)
    return outcome


def completeness(engine: Interview) -> list[AnswerProblem]:
    """Every relevant question that is missing or invalid (what finalising would refuse)."""
    found = []
    for slot in engine.question_slots():
        problem = engine.problems(slot)
        if problem is not None:
            found.append(AnswerProblem(slot.key, problem))
    return found


def _apply(target: Target, children: tuple[Element, ...], answers: dict[str, Any],
           parent: tuple[int, ...], outcome: Outcome) -> None:
    for element in children:
        if isinstance(element, Repeat):
            if element.name not in answers:
                continue
            entries = answers[element.name]
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                outcome.problems.append(AnswerProblem(
                    element.name, _("a repeat must be a list of objects, one per entry")))
                continue
            for index, entry in enumerate(entries, start=1):
                try:
                    existing = target.engine.instance_count(element.name, parent)
                    if not element.repeat_count and index > existing:
                        # entries fill the roster in order: continuing a draft answers its
                        # existing entries again rather than adding copies
                        target.add_instance(element.name, parent)
                    elif element.repeat_count and index > existing:
                        outcome.problems.append(AnswerProblem(
                            element.name,
                            _("{n} entries given but its count question allows fewer").format(
                                n=len(entries))))
                        break
                except AnswerError as exc:
                    outcome.problems.append(AnswerProblem(exc.key, exc.reason))
                    break
                _apply(target, element.children, entry, (*parent, index), outcome)
        elif isinstance(element, Group):
            _apply(target, element.children, answers, parent, outcome)
        elif isinstance(element, Question) and element.name in answers:
            key = make_key(element.name, parent)
            try:
                target.answer(key, answers[element.name])
            except AnswerError as exc:
                outcome.problems.append(AnswerProblem(exc.key, exc.reason))
            else:
                outcome.applied += 1


def unreported(found: list[AnswerProblem], known: list[AnswerProblem]) -> list[AnswerProblem]:
    """Problems of questions not already named in ``known`` (one line per question)."""
    named = {p.key for p in known}
    return [p for p in found if p.key not in named]


def expression_warnings(form_id: str, engine: Interview) -> list[str]:
    """One line per questionnaire error met while recording (an expression that failed at
    run time): the form and question are named; the answers were kept, never cleared."""
    return [_("{form}: question {question} ({column}): the questionnaire has an error here: "
              "{reason}; no answer was removed because of it - tell your supervisor").format(
                  form=form_id, question=p.element, column=p.column, reason=p.reason)
            for p in engine.expression_problems.values()]
