"""Errors raised while answering; they name the question, never the answer value."""

from __future__ import annotations

from fieldapp.errors import FieldAppError, Message
from fieldapp.i18n import N_


class AnswerError(FieldAppError):
    """An answer was refused. ``key`` is the answer key; ``message`` a template filled from
    ``fields`` (or text already in the interview language)."""

    code = "answer"

    def __init__(self, key: str, message: str, *, code: str | None = None,
                 **fields: object) -> None:
        self.key = key
        self.reason_message = Message(message, fields)
        super().__init__(N_("question {key}: {reason}"), code=code, key=key,
                         reason=self.reason_message)

    @property
    def reason(self) -> str:
        """Why the answer was refused, in the current language."""
        return self.reason_message.render()


class InvalidAnswer(AnswerError):
    """The value does not fit the question type or its choices."""

    code = "answer.invalid"


class ConstraintViolation(AnswerError):
    """The value breaks the question's constraint; ``reason`` is the form's message."""

    code = "answer.constraint"


class RequiredMissing(AnswerError):
    """A required question has no answer."""

    code = "answer.required"


class NotRelevant(AnswerError):
    """The question is hidden by its skip logic, so it cannot be answered now."""

    code = "answer.not-relevant"


class UnknownQuestion(AnswerError):
    """No such question (or repeat instance) in this questionnaire."""

    code = "answer.unknown-question"
