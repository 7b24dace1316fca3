"""Stage 3: the plain questionnaire dict → the immutable model (groups nested)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fieldapp.errors import FormIssue
from fieldapp.questionnaire.model import (
    QUESTION_TYPES,
    Choice,
    ChoiceList,
    Element,
    Group,
    Question,
    Questionnaire,
    Repeat,
    frozen_label,
)
from fieldapp.questionnaire.parse import UNSUPPORTED_TYPES

_TRUE = frozenset({"yes", "true", "true()", "1", "y"})
_FALSE = frozenset({"no", "false", "false()", "0", "n", ""})


def _required(value: str | None) -> str | None:
    if value is None or value.strip().lower() in _FALSE:
        return None
    if value.strip().lower() in _TRUE:
        return "true()"
    return value.strip()


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in _TRUE


def _parameters(text: str | None) -> dict[str, str]:
    params = {}
    for part in (text or "").replace(",", " ").split():
        key, _, value = part.partition("=")
        params[key.strip()] = value.strip()
    return params


def _question(item: dict[str, Any]) -> Question:
    return Question(
        name=item.get("name", ""),
        type=item["type"],
        row=item["row"],
        label=frozen_label(item.get("label")),
        hint=frozen_label(item.get("hint")),
        list_name=item.get("list_name"),
        or_other=item.get("or_other", False),
        required=_required(item.get("required")),
        required_message=frozen_label(item.get("required_message")),
        relevant=item.get("relevant") or None,
        constraint=item.get("constraint") or None,
        constraint_message=frozen_label(item.get("constraint_message")),
        calculation=item.get("calculation") or None,
        default=item.get("default") or None,
        appearance=item.get("appearance", ""),
        choice_filter=item.get("choice_filter") or None,
        read_only=_flag(item.get("read_only")),
        parameters=frozen_label(_parameters(item.get("parameters"))),
        extra=frozen_label(item.get("extra")),
    )


def _choices(data: dict[str, Any]) -> dict[str, ChoiceList]:
    lists = {}
    for list_name, items in data["choices"].items():
        choices = []
        for item in items:
            extra = dict(item.get("extra", {}))
            choices.append(Choice(
                name=item.get("name", ""),
                label=frozen_label(item.get("label")),
                row=item["row"],
                properties=frozen_label(extra),
                missing=_flag(extra.get("missing")),
            ))
        lists[list_name] = ChoiceList(list_name, tuple(choices))
    return lists


def _other_question(question: Question, languages: list[str]) -> Question:
    """The 'specify other' text question pyxform adds after ``select_one x or_other``."""
    return Question(
        name=f"{question.name}_other", type="text", row=question.row,
        label=frozen_label({lang: "Specify other." for lang in languages}),
        relevant=f"selected(${{{question.name}}}, 'other')")


class _Frame:
    """A group or repeat being filled while walking the survey rows."""

    def __init__(self, item: dict[str, Any] | None, kind: str) -> None:
        self.item = item
        self.kind = kind
        self.children: list[Element] = []

    def close(self) -> Element:
        item = self.item or {}
        common = dict(
            name=item.get("name", ""),
            row=item.get("row", 0),
            children=tuple(self.children),
            label=frozen_label(item.get("label")),
            relevant=item.get("relevant") or None,
            appearance=item.get("appearance", ""),
            extra=frozen_label(item.get("extra")),
        )
        if self.kind == "repeat":
            return Repeat(**common, repeat_count=item.get("repeat_count") or None)
        return Group(**common)


def build(data: dict[str, Any]) -> tuple[Questionnaire | None, list[FormIssue]]:
    """Nest the survey rows into groups/repeats and build the model."""
    issues: list[FormIssue] = []
    stack = [_Frame(None, "root")]
    for item in data["survey"]:
        kind, row = item["type"], item["row"]
        if kind in ("begin group", "begin repeat"):
            stack.append(_Frame(item, kind.split()[1]))
        elif kind in ("end group", "end repeat"):
            wanted = kind.split()[1]
            if len(stack) == 1 or stack[-1].kind != wanted:
                open_kind = stack[-1].kind if len(stack) > 1 else None
                hint = (f"the innermost open block is a {open_kind} from row "
                        f"{stack[-1].item['row']}" if open_kind and stack[-1].item
                        else f"there is no open 'begin {wanted}' above it")
                issues.append(FormIssue(f"'end {wanted}' without a matching 'begin {wanted}'",
                                        "survey", row, "type", hint))
                continue
            frame = stack.pop()
            stack[-1].children.append(frame.close())
        elif kind in UNSUPPORTED_TYPES or (kind.split() or [''])[0] in UNSUPPORTED_TYPES:
            issues.append(FormIssue(f"unsupported XLSForm feature: question type '{kind}'",
                                    "survey", row, "type",
                                    "fieldapp cannot record this type; remove or replace it"))
        elif kind in ("select_one", "select_multiple") and not item.get("list_name"):
            issues.append(FormIssue(f"'{kind}' needs a choice list name", "survey", row, "type",
                                    f"write '{kind} LIST_NAME' with a list from 'choices'"))
        elif kind in QUESTION_TYPES:
            question = _question(item)
            stack[-1].children.append(question)
            if question.or_other:
                stack[-1].children.append(_other_question(question, data["languages"]))
        else:
            issues.append(FormIssue(f"unknown question type '{item.get('raw_type', kind)}'",
                                    "survey", row, "type",
                                    "check the spelling (e.g. select_one, integer, text, note)"))
    while len(stack) > 1:
        frame = stack.pop()
        item = frame.item or {}
        issues.append(FormIssue(f"'begin {frame.kind}' '{item.get('name', '')}' is never closed",
                                "survey", item.get("row"), "type",
                                f"add an 'end {frame.kind}' row after its last question"))
        stack[-1].children.append(frame.close())
    choices = _choices(data)
    for list_name in {q["list_name"] for q in data["survey"] if q.get("or_other")}:
        if list_name in choices and choices[list_name].get("other") is None:
            other = Choice("other", frozen_label({lang: "Other" for lang in data["languages"]}),
                           row=0)
            choices[list_name] = ChoiceList(list_name, (*choices[list_name].choices, other))
    settings = data["settings"]
    form_id = settings.get("form_id") or settings.get("id_string") or Path(data["path"]).stem
    model = Questionnaire(
        form_id=form_id,
        version=settings.get("version", ""),
        title=settings.get("form_title") or form_id,
        default_language=data["default_language"],
        languages=tuple(data["languages"]),
        children=tuple(stack[0].children),
        choices=choices,
        settings=frozen_label(settings),
        source_path=data["path"],
    )
    return model, issues
