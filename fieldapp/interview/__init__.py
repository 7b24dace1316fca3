"""The interview engine (no Qt): answers, skip logic, constraints, repeats, pages."""

from fieldapp.interview.engine import Interview, Slot
from fieldapp.interview.errors import (
    AnswerError,
    ConstraintViolation,
    InvalidAnswer,
    NotRelevant,
    RequiredMissing,
    UnknownQuestion,
)
from fieldapp.interview.navigation import Navigator, Page

__all__ = [
    "AnswerError", "ConstraintViolation", "Interview", "InvalidAnswer", "Navigator",
    "NotRelevant", "Page", "RequiredMissing", "Slot", "UnknownQuestion",
]
