"""Questionnaires: XLSForm file → rows → dict → immutable model, then validation.

``load_questionnaire(path)`` is the one entry point; it raises ``FormError`` with
every row-cited problem found, never a bare traceback.
"""

from __future__ import annotations

from pathlib import Path

from fieldapp.errors import FormError
from fieldapp.questionnaire.builder import build
from fieldapp.questionnaire.model import (
    Choice,
    ChoiceList,
    Element,
    Group,
    Question,
    Questionnaire,
    Repeat,
    text_for,
)
from fieldapp.questionnaire.parse import parse_rows
from fieldapp.questionnaire.reader import SheetRows, read_file, read_markdown, read_xlsx
from fieldapp.questionnaire.validate import validate

__all__ = [
    "Choice", "ChoiceList", "Element", "FormError", "Group", "Question", "Questionnaire",
    "Repeat", "load_markdown", "load_questionnaire", "load_questionnaire_bytes", "load_rows",
    "text_for",
]


def load_rows(sheets: SheetRows) -> Questionnaire:
    """Run the parse → build → validate stages on already-read sheet rows."""
    data, issues = parse_rows(sheets)
    model, build_issues = build(data)
    issues += build_issues
    if model is not None:
        issues += validate(model)
    if issues or model is None:
        raise FormError(sheets.path, issues)
    return model


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Load and validate an XLSForm (``.xlsx``, or ``.md`` tables as in pyxform's tests)."""
    return load_rows(read_file(path))


def load_questionnaire_bytes(content: bytes, name: str) -> Questionnaire:
    """Load a questionnaire from the bytes of an ``.xlsx`` workbook (e.g. from the store)."""
    return load_rows(read_xlsx(name, content))


def load_markdown(text: str, path: str = "<markdown>") -> Questionnaire:
    """Load a questionnaire written as pyxform-style markdown tables."""
    return load_rows(read_markdown(text, path))
