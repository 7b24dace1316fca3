"""Stage 2: sheet rows → a plain dict with XLSForm aliases resolved.

Handles column aliases, ``label::Language (code)`` columns, type aliases and
``select_one list [or_other]``. Problems are collected as row-cited issues; this
stage never raises for content problems.
"""

from __future__ import annotations

import re
from typing import Any

from fieldapp.errors import FormIssue
from fieldapp.questionnaire.reader import Row, SheetRows

MULTILINGUAL = frozenset({"label", "hint", "constraint_message", "required_message",
                          "guidance_hint"})
COLUMN_ALIASES = {
    "caption": "label",
    "relevance": "relevant",
    "constraint message": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "required message": "required_message",
    "jr:requiredmsg": "required_message",
    "calculate": "calculation",
    "list name": "list_name",
    "repeat_count": "repeat_count",
    "jr:count": "repeat_count",
    "count": "repeat_count",
    "read only": "read_only",
    "readonly": "read_only",
    "choice filter": "choice_filter",
    "guidance hint": "guidance_hint",
    "value": "name",
}
SURVEY_COLUMNS = frozenset({
    "type", "name", "label", "hint", "required", "required_message", "relevant",
    "constraint", "constraint_message", "calculation", "default", "appearance",
    "choice_filter", "read_only", "repeat_count", "parameters", "guidance_hint",
})
#: Columns that change behaviour in ODK but are not implemented: refused by name.
UNSUPPORTED_COLUMNS = {
    "media": "media (image/audio/video) labels",
    "image": "media (image) labels",
    "audio": "media (audio) labels",
    "video": "media (video) labels",
    "big-image": "media (big-image) labels",
    "trigger": "the 'trigger' column",
    "body": "custom XForm body attributes ('body::' columns)",
    "instance": "custom instance attributes ('instance::' columns)",
    "bind": "custom bind attributes ('bind::' columns)",
    "save_to": "entity 'save_to' columns",
}
TYPE_ALIASES = {
    "int": "integer", "string": "text", "dateTime": "datetime", "datetime": "datetime",
    "begin_group": "begin group", "end_group": "end group", "begin_repeat": "begin repeat",
    "end_repeat": "end repeat", "begin_field-list": "begin group", "select1": "select_one",
    "add note prompt": "note", "calculation": "calculate",
}
UNSUPPORTED_TYPES = {
    "geopoint", "geotrace", "geoshape", "image", "audio", "video", "file", "barcode",
    "range", "rank", "background-audio", "audit", "xml-external", "csv-external",
    "username", "email", "phonenumber", "simserial", "subscriberid", "start-geopoint",
    "acknowledge", "hidden", "osm", "signature", "begin loop", "end loop",
    "select_one_from_file", "select_multiple_from_file", "select_one_external",
}
LANGUAGE_NAMES = {
    "english": "en", "korean": "ko", "chinese": "zh", "japanese": "ja",
    "한국어": "ko", "中文": "zh", "日本語": "ja",
}
_CODE_IN_PARENS = re.compile(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\)\s*$")
_SELECT = re.compile(r"^(select_one|select_multiple)\s+(\S+)(?:\s+(or_other))?$")


def language_code(spec: str) -> str:
    """``'Korean (ko)'`` → ``'ko'``; a bare known name maps to its code; else the text."""
    match = _CODE_IN_PARENS.search(spec)
    if match:
        return match.group(1).replace("_", "-")
    return LANGUAGE_NAMES.get(spec.strip().lower(), spec.strip())


def split_column(header: str) -> tuple[str, str | None]:
    """``'label::Korean (ko)'`` → ``('label', 'Korean (ko)')``; aliases resolved."""
    base, _, rest = header.partition("::")
    if not rest and ":" in header and header.split(":", 1)[0].strip().lower() in MULTILINGUAL:
        base, _, rest = header.partition(":")
    key = base.strip().lower()
    key = COLUMN_ALIASES.get(key, key)
    return key, (rest.strip() or None)


def normalize_type(raw: str) -> tuple[str, str | None, bool]:
    """Return (type, list_name, or_other) with aliases applied; type may be unknown."""
    text = " ".join(raw.split())
    text = TYPE_ALIASES.get(text, text)
    text = re.sub(r"^select one\b", "select_one", text)
    text = re.sub(r"^select multiple\b", "select_multiple", text)
    if text in ("select_one", "select_multiple"):
        return text, None, False
    match = _SELECT.match(text)
    if match:
        return match.group(1), match.group(2), bool(match.group(3))
    lowered = text.lower()
    lowered = TYPE_ALIASES.get(lowered, lowered)
    return lowered, None, False


def _row_dict(sheet: str, row: Row, default_lang: str, languages: list[str],
              issues: list[FormIssue], known: frozenset[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"row": row.number, "extra": {}}
    for header, value in row.cells.items():
        key, lang_spec = split_column(header)
        if key in UNSUPPORTED_COLUMNS:
            issues.append(FormIssue(
                f"unsupported XLSForm feature: {UNSUPPORTED_COLUMNS[key]}", sheet, row.number,
                header, "remove this column; fieldapp does not implement it"))
            continue
        if key in MULTILINGUAL:
            lang = language_code(lang_spec) if lang_spec else default_lang
            if lang not in languages:
                languages.append(lang)
            out.setdefault(key, {})[lang] = value
        elif key in known:
            out[key] = value
        else:
            out["extra"][header.strip()] = value
    return out


def parse_rows(sheets: SheetRows) -> tuple[dict[str, Any], list[FormIssue]]:
    """Turn sheet rows into the plain questionnaire dict and the issues found."""
    issues: list[FormIssue] = []
    for name in sheets.other_sheets:
        if name.strip().lower() in ("entities", "external_choices", "osm"):
            issues.append(FormIssue(f"unsupported XLSForm feature: the '{name}' sheet", name,
                                    hint="remove the sheet; fieldapp does not implement it"))
    if "survey" not in sheets.rows:
        issues.append(FormIssue("the workbook has no 'survey' sheet", "survey",
                                hint="name the sheet with the questions 'survey'"))
    settings: dict[str, str] = {}
    for row in sheets.rows.get("settings", [])[:1]:
        settings = {split_column(k)[0]: v for k, v in row.cells.items()}
    default_spec = settings.get("default_language", "")
    default_lang = language_code(default_spec) if default_spec else "default"
    languages: list[str] = []

    survey = []
    for row in sheets.rows.get("survey", []):
        item = _row_dict("survey", row, default_lang, languages, issues, SURVEY_COLUMNS)
        raw_type = item.get("type", "")
        if not raw_type:
            issues.append(FormIssue("row has content but no type", "survey", row.number, "type",
                                    "fill in the type or delete the row"))
            continue
        item["type"], item["list_name"], item["or_other"] = normalize_type(raw_type)
        item["raw_type"] = raw_type
        survey.append(item)

    choices: dict[str, list[dict[str, Any]]] = {}
    for row in sheets.rows.get("choices", []):
        item = _row_dict("choices", row, default_lang, languages, issues,
                         frozenset({"list_name", "name"}))
        list_name = item.get("list_name", "")
        if not list_name:
            issues.append(FormIssue("choice has no list_name", "choices", row.number,
                                    "list_name", "fill in the list it belongs to"))
            continue
        choices.setdefault(list_name, []).append(item)

    if default_lang == "default" and languages and "default" not in languages:
        default_lang = languages[0]
    if not languages:
        languages = [default_lang]
    result = {
        "path": sheets.path,
        "settings": settings,
        "default_language": default_lang,
        "languages": languages,
        "survey": survey,
        "choices": choices,
    }
    return result, issues
