"""Errors raised while answering; they name the question, never the answer value."""

from __future__ import annotations

from fieldapp.errors import FieldAppError


class AnswerError(FieldAppError):
    """An answer was refused. ``key`` is the answer key, ``message`` is user-facing text."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.reason = message
        super().__init__(f"question {key}: {message}")


class InvalidAnswer(AnswerError):
    """The value does not fit the question type or its choices."""


class ConstraintViolation(AnswerError):
    """The value breaks the question's constraint; ``reason`` is the form's message."""


class RequiredMissing(AnswerError):
    """A required question has no answer."""


class NotRelevant(AnswerError):
    """The question is hidden by its skip logic, so it cannot be answered now."""


class UnknownQuestion(AnswerError):
    """No such question (or repeat instance) in this questionnaire."""
