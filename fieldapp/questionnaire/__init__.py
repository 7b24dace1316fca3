"""Questionnaires: XLSForm file → rows → dict → immutable model, then validation.

``load_questionnaire(path)`` is the one entry point; it raises ``FormError`` with
every row-cited problem found, never a bare traceback. The file may be ``.xlsx``, ``.xls``,
or pyxform's markdown / CSV layout; its media folder (``FORM-media/``) comes with it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from fieldapp.errors import FormError
from fieldapp.i18n import N_
from fieldapp.questionnaire.builder import build
from fieldapp.questionnaire.form_files import file_notices, missing_data_files
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
from fieldapp.questionnaire.reader import SheetRows, read_markdown
from fieldapp.questionnaire.sources import (
    NoFiles,
    media_files,
    package,
    read_bounded,
    read_rows,
    unpack,
)
from fieldapp.questionnaire.validate import translation_notices, validate

__all__ = [
    "Choice", "ChoiceList", "Element", "FormError", "Group", "Question", "Questionnaire",
    "Repeat", "load_markdown", "load_questionnaire", "load_questionnaire_bytes", "load_rows",
    "missing_data_files", "package_questionnaire", "text_for",
]


def load_rows(sheets: SheetRows, files: Any = None) -> Questionnaire:
    """Run the parse → build → validate stages on already-read sheet rows."""
    data, issues = parse_rows(sheets)
    model, build_issues = build(data, files if files is not None else NoFiles())
    issues += build_issues
    if model is not None:
        issues += validate(model)
    if issues or model is None:
        raise FormError(sheets.path, issues)
    notices = tuple(translation_notices(model)) + tuple(file_notices(model))
    return dataclasses.replace(model, notices=model.notices + notices)


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Load and validate a questionnaire file with its ``FORM-media/`` folder."""
    path = Path(path)
    content = read_bounded(path)
    return load_rows(read_rows(str(path), content), media_files(path))


def load_questionnaire_bytes(content: bytes, name: str) -> Questionnaire:
    """Load an installed questionnaire from its bytes (a bare ``.xlsx`` or a form package)."""
    form_name, form_bytes, files = unpack(name, content)
    return load_rows(read_rows(form_name, form_bytes), files)


def package_questionnaire(path: str | Path) -> tuple[Questionnaire, bytes]:
    """Load a questionnaire and the bytes to install: the ``.xlsx`` as it is, or a package
    carrying the form file and its media folder. Refused (FormError) when a data file the
    form reads (choices from a file, ``search()``, ``pulldata()``) is missing."""
    path = Path(path)
    content = read_bounded(path)
    files = media_files(path)
    form = load_rows(read_rows(str(path), content), files)
    missing = missing_data_files(form)
    if missing:
        from fieldapp.errors import FormIssue

        folder = f"{path.stem}-media"
        raise FormError(str(path), [FormIssue(
            N_("cannot install: the form reads {join}, which is not in {folder}/"),
            hint=N_("put the file(s) in {folder}/ next to the form"),
            code="form.cannot-install-form-reads",
            fields={"join": ', '.join(repr(m) for m in missing), "folder": folder})])
    return form, package(path, content, files)


def load_markdown(text: str, path: str = "<markdown>") -> Questionnaire:
    """Load a questionnaire written as pyxform-style markdown tables."""
    return load_rows(read_markdown(text, path))
