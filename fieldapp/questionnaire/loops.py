"""``begin loop over LIST`` … ``end loop``: one group per choice of LIST, as pyxform builds it.

The rows between the two are a template: for each choice (except one named ``none``) they
are repeated inside a group named after the choice, with ``%(name)s`` and ``%(label)s``
replaced by the choice's name and label (per language). The whole is wrapped in a group
named after the loop. Names repeated across the choice groups are made unique by the
builder (see :mod:`builder`), which says so in the form's notices.
"""

from __future__ import annotations

from typing import Any

from fieldapp.errors import FormIssue
from fieldapp.i18n import N_
from fieldapp.questionnaire.types import TypeSpec


def _substitute(value: Any, name: str, label: Any, lang: str | None) -> Any:
    if isinstance(value, str):
        text = label.get(lang, next(iter(label.values()), name)) if isinstance(label, dict) \
            else label
        return value.replace("%(name)s", name).replace("%(label)s", str(text or name))
    if isinstance(value, dict):
        return {k: _substitute(v, name, label, k if lang is None else lang)
                for k, v in value.items()}
    return value


def _instance(item: dict[str, Any], choice: dict[str, Any]) -> dict[str, Any]:
    name = choice.get("name", "")
    label = choice.get("label") or {}
    out = {}
    for key, value in item.items():
        if key in ("label", "hint", "constraint_message", "required_message", "guidance_hint"):
            out[key] = {lang: _substitute(text, name, label, lang)
                        for lang, text in value.items()}
        elif key in ("row", "spec", "media", "body"):
            out[key] = value
        else:
            out[key] = _substitute(value, name, label, None)
    return out


def expand_loops(survey: list[dict[str, Any]], choices: dict[str, list[dict[str, Any]]],
                 issues: list[FormIssue]) -> list[dict[str, Any]]:
    """The survey rows with every loop replaced by its groups (nested loops too)."""
    out: list[dict[str, Any]] = []
    index = 0
    while index < len(survey):
        item = survey[index]
        if item["spec"].kind != "begin loop":
            if item["spec"].kind == "end loop":
                issues.append(FormIssue(N_("'end loop' without a matching 'begin loop'"), "survey",
                                        item["row"], "type", N_("remove it or add the loop"),
                                        code="form.end-loop-without-matching"))
            else:
                out.append(item)
            index += 1
            continue
        depth, end = 1, index + 1
        while end < len(survey) and depth:
            kind = survey[end]["spec"].kind
            depth += (kind == "begin loop") - (kind == "end loop")
            end += 1
        if depth:
            issues.append(FormIssue(N_("'begin loop' '{get}' is never closed"),
                                    "survey", item["row"], "type",
                                    N_("add an 'end loop' row after its last question"),
                                    code="form.begin-loop-never-closed",
                                    fields={"get": item.get('name', '')}))
            return out
        body = expand_loops(survey[index + 1:end - 1], choices, issues)
        list_name = item["spec"].list_name or ""
        if list_name not in choices:
            issues.append(FormIssue(N_("the loop's list '{list_name}' is not on the choices sheet"),
                                    "survey", item["row"], "type",
                                    N_("write 'begin loop over LIST_NAME'"),
                                    code="form.loop-s-list-not", fields={"list_name": list_name}))
        group = {**item, "spec": TypeSpec("begin group"), "type": "begin group"}
        out.append(group)
        for choice in choices.get(list_name, []):
            if choice.get("name") in (None, "", "none"):
                continue
            out.append({"row": item["row"], "spec": TypeSpec("begin group"),
                        "type": "begin group", "name": choice["name"],
                        "label": dict(choice.get("label") or {}), "extra": {}, "media": {},
                        "body": {}})
            out += [_instance(child, choice) for child in body]
            out.append({"row": item["row"], "spec": TypeSpec("end group"), "type": "end group",
                        "extra": {}, "media": {}, "body": {}})
        out.append({"row": survey[end - 1]["row"], "spec": TypeSpec("end group"),
                    "type": "end group", "extra": {}, "media": {}, "body": {}})
        index = end
    return out
