"""Which files of the media folder a form uses, and which of them are missing.

Data files (choice lists from files, ``search()`` and ``pulldata()`` tables, ``instance()``
data) are needed to interview: a form missing one is not installed. Label media (images,
audio, video) only illustrate the text: a missing one is noted, and the question shows its
text alone.
"""

from __future__ import annotations

import re

from fieldapp.errors import FormIssue
from fieldapp.i18n import N_
from fieldapp.questionnaire.appearance import SearchError, search_spec
from fieldapp.questionnaire.model import Question, Questionnaire
from fieldapp.questionnaire.xpath_compat import SMART_QUOTES

_PULLDATA = re.compile(r"pulldata\s*\(\s*(['\"])([^'\"]+)\1")
_INSTANCE = re.compile(r"instance\s*\(\s*(['\"])([^'\"]+)\1")
_DATA_SUFFIXES = (".csv", ".xml", ".geojson")


def _expressions(question: Question) -> list[str]:
    return [t for t in (question.relevant, question.constraint, question.calculation,
                        question.required, question.choice_filter, question.default) if t]


def data_files(form: Questionnaire) -> dict[str, tuple[int, str]]:
    """Data file name → (first row, column) of every data file the form reads."""
    out: dict[str, tuple[int, str]] = {}
    names = form.files.names() if form.files is not None else frozenset()

    def instance_file(name: str) -> str:
        for suffix in ("", *_DATA_SUFFIXES):
            if name + suffix in names:
                return name + suffix
        return name + ".xml"

    for question in form.iter_questions():
        if question.choice_file:
            out.setdefault(question.choice_file, (question.row, "type"))
        if "search(" in question.appearance:
            try:
                spec = search_spec(question.appearance.translate(SMART_QUOTES))
            except SearchError:
                spec = None
            if spec is not None:
                out.setdefault(spec.file, (question.row, "appearance"))
        for text in _expressions(question):
            for match in _PULLDATA.finditer(text):
                out.setdefault(match.group(2) + ".csv", (question.row, "calculation"))
            for match in _INSTANCE.finditer(text):
                if match.group(2) not in form.choices:
                    out.setdefault(instance_file(match.group(2)),
                                   (question.row, "calculation"))
    return out


def missing_data_files(form: Questionnaire) -> list[str]:
    """Data files the form reads that its media folder does not hold."""
    names = form.files.names() if form.files is not None else frozenset()
    return sorted(name for name in data_files(form) if name not in names)


def file_notices(form: Questionnaire) -> list[FormIssue]:
    """Notices for missing data files (the form cannot be installed) and label media."""
    names = form.files.names() if form.files is not None else frozenset()
    out = []
    choice_files = {q.choice_file for q in form.iter_questions() if q.choice_file}
    for name, (row, column) in data_files(form).items():
        if name not in names and name not in choice_files:  # the builder noted those
            out.append(FormIssue(N_("data file '{name}' is not in the form's media folder"),
                                 "survey", row, column,
                                 N_("put it in FORM-media/ next to the form; the form cannot be "
                                    "installed until it is there"),
                                 code="form.data-file-not-form", fields={"name": name}))
    missing_media: dict[str, int] = {}
    for question in form.iter_questions():
        for files in question.media.values():
            for file in files.values():
                if file and file not in names:
                    missing_media.setdefault(file, question.row)
    for choice_list in form.choices.values():
        for choice in choice_list.choices:
            for files in choice.media.values():
                for file in files.values():
                    if file and file not in names:
                        missing_media.setdefault(file, 0)
    if missing_media:
        first = sorted(missing_media)[0]
        where = missing_media[first] or None
        count = len(missing_media)
        out.append(FormIssue(
            N_("{count} media file(s) named in the form are not in its media folder (first: "
               "'{first}')"), "survey" if where else "choices", where, "media",
            N_("questions show their text without them; put the files in FORM-media/"),
            code="form.media-file-s-named", fields={"count": count, "first": first}))
    return out
