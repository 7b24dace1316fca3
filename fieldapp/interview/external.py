"""Secondary data in expressions and choices: ``instance('x')/root/item``, ``pulldata()`` and
the ``search()`` appearance, read from the form's choice lists and media folder."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fieldapp.questionnaire.appearance import matches, search_spec
from fieldapp.questionnaire.model import Choice, Question, Questionnaire, text_for
from fieldapp.questionnaire.xpath_compat import SMART_QUOTES

_DATA_SUFFIXES = ("", ".csv", ".xml", ".geojson")


def _table(form: Questionnaire, name: str) -> Any:
    files = form.files
    if files is None:
        return None
    for suffix in _DATA_SUFFIXES:
        table = files.table(name + suffix) if (name + suffix) in files.names() else None
        if table is not None:
            return table
    return None


def instance_rows(form: Questionnaire, name: str, language: str) -> list[Mapping[str, str]]:
    """Rows of the secondary instance ``name``: a choice list (``name``, ``label`` in the
    interview language — also as ``itextId`` — and the list's other columns), else the
    media file ``name.csv`` / ``name.xml`` / ``name.geojson``."""
    choices = form.choices.get(name)
    if choices is not None:
        rows: list[Mapping[str, str]] = []
        for choice in choices.choices:
            label = text_for(choice.label, language, form.default_language)
            rows.append({**choice.properties, "name": choice.name, "label": label,
                         "itextId": label})
        return rows
    table = _table(form, name)
    return list(table.rows) if table is not None else []


def pulldata(form: Questionnaire, name: str, column: str, key_column: str, key: str) -> str:
    """``pulldata('name', 'column', 'key column', key)`` over ``name.csv``."""
    table = _table(form, name)
    return table.lookup(column, key_column, key) if table is not None else ""


def search_choices(form: Questionnaire, question: Question, language: str,
                   evaluate: Callable[[str], object]) -> tuple[Choice, ...] | None:
    """The choices a ``search()`` question offers now (None when it has no search()).

    The question's list names the CSV columns: the choice's ``name`` is the code column,
    its label (per language) the column(s) shown, joined by a space."""
    try:
        spec = search_spec(question.appearance.translate(SMART_QUOTES))
    except ValueError:
        return ()
    if spec is None:
        return None
    table = _table(form, spec.file)
    template = form.choice_list(question)
    if table is None or template is None or not template.choices:
        return ()
    code_column = template.choices[0].name
    shown = text_for(template.choices[0].label, language, form.default_language).split()
    filters = [(column, str(evaluate(expression))) for column, expression in spec.filters]
    out = []
    for number, row in enumerate(table.rows, start=1):
        if not all(matches(spec.mode, row.get(column, ""), wanted)
                   for column, wanted in filters):
            continue
        code = row.get(code_column, "")
        if not code:
            continue
        label = " ".join(row.get(c, "") for c in shown).strip() or code
        out.append(Choice(code, {language: label, form.default_language: label}, number,
                          dict(row)))
    return tuple(out)
