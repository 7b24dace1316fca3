"""Stage 2: sheet rows → a plain dict with XLSForm aliases resolved.

Handles column aliases and families (:mod:`columns`), type spellings (:mod:`types`),
``label::Language (code)`` columns and ``default_language`` as pyxform reads them, the
``settings``, ``external_choices`` and ``entities`` sheets. Problems are collected as
row-cited issues; accepted-but-ignored features as notices. This stage never raises for
content problems.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fieldapp.errors import FormIssue, Message
from fieldapp.i18n import N_
from fieldapp.questionnaire.columns import SURVEY_COLUMNS, Column, read_column
from fieldapp.questionnaire.reader import Row, SheetRows
from fieldapp.questionnaire.types import read_type

LANGUAGE_NAMES = {
    "english": "en", "korean": "ko", "chinese": "zh", "japanese": "ja",
    "한국어": "ko", "中文": "zh", "日本語": "ja",
}
CHOICE_COLUMNS = frozenset({"list_name", "name", "label"})
#: Settings that change nothing on a laptop, with the reason ``forms check`` gives.
IGNORED_SETTINGS = {
    "public_key": N_("the form's own encryption key is not used: every interview is sealed "
                  "to the project key"),
    "submission_url": N_("data leaves the laptop in sync bundles or through the central "
                      "database, not by HTTP submission"),
    "style": N_("web-form themes (pages, theme-grid) do not apply; fieldapp shows one "
             "question or one field-list group per page"),
    "namespaces": N_("XML namespaces of the XForm are not used"),
    "auto_send": N_("sending is done by 'sync push'"),
    "auto_delete": N_("interviews stay on the laptop until the hub acknowledges them"),
    "name": N_("the XForm root element name is not used"),
    "prefix": N_("SMS / compact submission is not used"),
    "delimiter": N_("SMS / compact submission is not used"),
    "omit_instanceid": N_("every interview always has its id"),
    "client_editable": N_("the laptop always keeps editing rules of its own"),
}
SETTINGS_ALIASES = {"set_form_title": "form_title", "set_form_id": "form_id",
                    "id_string": "form_id", "title": "form_title"}
#: ``title_translated::Korean (ko)``: the form's title in one language (pyxform 4.5 ignores
#: the column; it crashes on ``form_title::<language>``, which is accepted here too).
TITLE_TRANSLATED = "title_translated"
TITLE_COLUMNS = frozenset({TITLE_TRANSLATED, "form_title", "title"})
_CODE_IN_PARENS = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\s*\)\s*$")
_WHITESPACE = re.compile(r"\s+")
_YES = frozenset({"yes", "true", "true()", "1", "y"})


def language_code(spec: str) -> str:
    """``'Korean (ko)'`` → ``'ko'``; a bare known name maps to its code; else the text."""
    match = _CODE_IN_PARENS.search(spec)
    if match:
        return match.group(1).replace("_", "-")
    return LANGUAGE_NAMES.get(spec.strip().lower(), spec.strip())


def normalize_type(raw: str) -> tuple[str, str | None, bool]:
    """Return (type, list_name, or_other) with aliases applied; type may be unknown."""
    spec = read_type(raw)
    return spec.kind, spec.list_name, spec.or_other


class Notices:
    """Accepted-but-ignored features, one notice per column or setting (first row cited)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, str], list[Any]] = {}

    def add(self, sheet: str, row: int | None, column: str, message: str, hint: str, *,
            code: str = "form.ignored", fields: Mapping[str, object] | None = None) -> None:
        """Count one occurrence."""
        issue = FormIssue(message, sheet, row, column, hint, code=code, fields=fields or {})
        key = (sheet, column, issue.text("en"))
        if key in self._seen:
            self._seen[key][1] += 1
        else:
            self._seen[key] = [issue, 1]

    def issues(self) -> list[FormIssue]:
        """One issue per feature; the count of rows is added when more than one."""
        out = []
        for issue, count in self._seen.values():
            if count > 1:
                issue = FormIssue(N_("{message_text} ({count} rows)"), issue.sheet, issue.row,
                                  issue.column, issue.hint, code=issue.code,
                                  fields={**issue.fields, "count": count,
                                          "message_text": Message(issue.template, issue.fields)})
            out.append(issue)
        return out


class _Reader:
    """Reads the rows of one questionnaire, collecting languages, issues and notices."""

    def __init__(self, default_lang: str, clean: bool) -> None:
        self.default_lang = default_lang
        self.clean = clean
        self.languages: list[str] = []
        self.issues: list[FormIssue] = []
        self.notices = Notices()
        self._columns: dict[tuple[str, frozenset[str]], Column] = {}

    def column(self, header: str, known: frozenset[str]) -> Column:
        key = (header, known)
        if key not in self._columns:
            self._columns[key] = read_column(header, known)
        return self._columns[key]

    def lang(self, spec: str | None) -> str:
        lang = language_code(spec) if spec else self.default_lang
        if lang not in self.languages:
            self.languages.append(lang)
        return lang

    def row(self, sheet: str, row: Row, known: frozenset[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"row": row.number, "extra": {}, "media": {}, "body": {}}
        explicit: set[tuple[str, str]] = set()
        clean = self.clean and sheet == "survey"  # pyxform cleans the survey sheet only
        for header, raw in row.cells.items():
            value = _WHITESPACE.sub(" ", raw).strip() if clean else raw
            column = self.column(header, known)
            if column.kind == "ignored":
                self.notices.add(sheet, row.number, header, N_("column '{header}' is ignored"),
                                 column.reason,
                                 code="form.column-ignored", fields={"header": header})
            elif column.kind == "text":
                lang = self.lang(column.lang)
                if column.lang is None and (column.key, lang) in explicit:
                    continue  # pyxform: 'label::<default language>' wins over 'label'
                if column.lang is not None:
                    explicit.add((column.key, lang))
                out.setdefault(column.key, {})[lang] = value
            elif column.kind == "media":
                lang = self.lang(column.lang)
                out["media"].setdefault(column.key, {})[lang] = value
            elif column.kind == "body":
                out["body"][column.key] = value
            elif column.kind == "plain":
                out[column.key] = value
            else:
                out["extra"][column.key] = value
        return out


def _settings(sheets: SheetRows) -> dict[str, str]:
    for row in sheets.rows.get("settings", [])[:1]:
        settings: dict[str, str] = {}
        for header, value in row.cells.items():
            key = " ".join(header.split("::")[0].split()).lower().replace(" ", "_")
            if key in TITLE_COLUMNS and "::" in header:  # a title per language
                lang = language_code(header.split("::", 1)[1])
                settings[f"{TITLE_TRANSLATED}::{lang}"] = value
                continue
            key = SETTINGS_ALIASES.get(key, key)
            if key == "form_title" and header.strip().lower() == "title" \
                    and "form_title" in settings:
                continue
            settings[key] = value
        return settings
    return {}


def _settings_notices(settings: dict[str, str], notices: Notices, sheets: SheetRows) -> None:
    row = sheets.rows["settings"][0].number if sheets.rows.get("settings") else None
    for key, reason in IGNORED_SETTINGS.items():
        if settings.get(key):
            notices.add("settings", row, key, N_("setting '{key_name}' is ignored"), reason,
                        code="form.setting-ignored",
                        fields={"key_name": key})


def parse_rows(sheets: SheetRows) -> tuple[dict[str, Any], list[FormIssue]]:
    """Turn sheet rows into the plain questionnaire dict and the issues found."""
    settings = _settings(sheets)
    default_spec = settings.get("default_language", "")
    default_lang = language_code(default_spec) if default_spec else "default"
    clean = settings.get("clean_text_values", "yes").strip().lower() in _YES
    reader = _Reader(default_lang, clean)
    issues = reader.issues
    if "survey" not in sheets.rows:
        issues.append(FormIssue(N_("the workbook has no 'survey' sheet"), "survey",
                                hint=N_("name the sheet with the questions 'survey'"),
                                code="form.workbook-no-survey-sheet"))
    _settings_notices(settings, reader.notices, sheets)

    survey = []
    for row in sheets.rows.get("survey", []):
        item = reader.row("survey", row, SURVEY_COLUMNS)
        raw_type = item.get("type", "")
        if not raw_type:
            if set(item) - {"row", "extra", "media", "body"} or item["extra"]:
                issues.append(FormIssue(N_("row has content but no type"), "survey", row.number,
                                        "type", N_("fill in the type or delete the row"),
                                        code="form.row-content-but-no"))
            continue
        spec = read_type(raw_type)
        item.update(type=spec.kind, list_name=spec.list_name, or_other=spec.or_other,
                    raw_type=raw_type, spec=spec)
        if spec.constraint and not item.get("constraint"):
            item["constraint"] = spec.constraint
        survey.append(item)

    choices = _lists(reader, sheets, "choices")
    external = _lists(reader, sheets, "external_choices")
    if default_lang == "default" and reader.languages and "default" not in reader.languages:
        default_lang = reader.languages[0]
    languages = reader.languages or [default_lang]
    entities = "entities" in sheets.rows
    if entities:
        reader.notices.add("entities", None, "", N_("the 'entities' sheet is ignored"),
                           N_("entity lists are not kept on the laptop; every answer is recorded "
                              "as usual"), code="form.entities-sheet-ignored")
    result = {
        "path": sheets.path,
        "settings": settings,
        "default_language": default_lang,
        "languages": languages,
        "survey": survey,
        "choices": choices,
        "external_choices": external,
        "notices": reader.notices.issues(),
    }
    return result, issues


def _lists(reader: _Reader, sheets: SheetRows, sheet: str) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for row in sheets.rows.get(sheet, []):
        item = reader.row(sheet, row, CHOICE_COLUMNS)
        list_name = item.get("list_name", "")
        if not list_name:
            reader.issues.append(FormIssue(N_("choice has no list_name"), sheet, row.number,
                                           "list_name", N_("fill in the list it belongs to"),
                                           code="form.choice-no-list-name"))
            continue
        lists.setdefault(list_name, []).append(item)
    return lists
