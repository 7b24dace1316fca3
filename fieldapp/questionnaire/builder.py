"""Stage 3: the plain questionnaire dict → the immutable model (groups nested).

Choice lists come from the ``choices`` sheet, the ``external_choices`` sheet
(``select_one_external``) and the form's media folder (``select_one_from_file``). Types a
laptop cannot record are refused with the reason on one line (``not recordable on a laptop:
…``); accepted types that record nothing here are kept and noted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from fieldapp.errors import FormIssue, Message
from fieldapp.i18n import N_
from fieldapp.questionnaire.attached_data import DataFileError, choices_from_table, read_table
from fieldapp.questionnaire.loops import expand_loops
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
from fieldapp.questionnaire.parse import language_code
from fieldapp.questionnaire.types import TypeSpec
from fieldapp.questionnaire.xpath_compat import TreeNode, compatible

_TRUE = frozenset({"yes", "true", "true()", "1", "y"})
_FALSE = frozenset({"no", "false", "false()", "0", "n", ""})
SELECTS = frozenset({"select_one", "select_multiple", "rank"})
#: Prefix of every refusal of a feature pyxform accepts; the reason follows on the same line.
REFUSED_PREFIX = "not recordable on a laptop: "
#: Metadata a laptop does not have: accepted, recorded empty.
NO_SUCH_DEVICE_VALUE = {
    "email": N_("a laptop has no account e-mail to record"),
    "phonenumber": N_("a laptop has no phone number to record"),
    "simserial": N_("a laptop has no SIM card serial number to record"),
    "subscriberid": N_("a laptop has no SIM subscriber id to record"),
}
DECLARATIONS = frozenset({"xml-external", "csv-external"})
#: Expression columns rewritten from ODK's XPath forms (see :mod:`xpath_compat`).
EXPRESSIONS = ("relevant", "constraint", "calculation", "required", "repeat_count", "trigger")


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
    for part in (text or "").replace(",", " ").replace(";", " ").split():
        key, _, value = part.partition("=")
        params[key.strip()] = value.strip()
    return params


def _media(item: dict[str, Any]) -> Any:
    return MappingProxyType({kind: frozen_label(files) for kind, files in
                             (item.get("media") or {}).items() if any(files.values())})


def _question(item: dict[str, Any], list_name: str | None = None,
              choice_file: str | None = None) -> Question:
    return Question(
        name=item.get("name", ""),
        type=item["type"],
        row=item["row"],
        label=frozen_label(item.get("label")),
        hint=frozen_label(item.get("hint")),
        list_name=list_name or item.get("list_name"),
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
        media=_media(item),
        body=frozen_label(item.get("body")),
        choice_file=choice_file,
        trigger=item.get("trigger") or None,
    )


def _choice_list(list_name: str, items: list[dict[str, Any]],
                 sheet: str = "choices") -> ChoiceList:
    choices = []
    for item in items:
        extra = dict(item.get("extra", {}))
        choices.append(Choice(
            name=item.get("name", ""),
            label=frozen_label(item.get("label")),
            row=item["row"],
            properties=frozen_label(extra),
            missing=_flag(extra.get("missing")),
            media=_media(item),
        ))
    return ChoiceList(list_name, tuple(choices), sheet)


def _other_question(question: Question, languages: list[str]) -> Question:
    """The 'specify other' text question pyxform adds after ``select_one x or_other``."""
    return Question(
        name=f"{question.name}_other", type="text", row=question.row,
        label=frozen_label({lang: "Specify other." for lang in languages}),
        relevant=f"selected(${{{question.name}}}, 'other')")


class _Frame:
    """A group or repeat being filled while walking the survey rows."""

    _serial = 0

    def __init__(self, item: dict[str, Any] | None, kind: str, tree: TreeNode) -> None:
        self.item = item
        self.kind = kind
        self.children: list[Element] = []
        self.tree = tree
        _Frame._serial += 1
        self.serial = _Frame._serial  # identity that outlives the frame (ids are reused)

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


class _Builder:
    def __init__(self, data: dict[str, Any], files: Any) -> None:
        self.data = data
        self.files = files
        self.issues: list[FormIssue] = []
        self.notices: list[FormIssue] = []
        self.choices = {name: _choice_list(name, items)
                        for name, items in data["choices"].items()}
        settings = data["settings"]
        self.root = TreeNode(settings.get("name") or settings.get("form_id") or "data", None)
        self.stack = [_Frame(None, "root", self.root)]
        self.trees: dict[int, TreeNode] = {}  # id(element) → its place in the XML tree
        self.names: dict[str, int] = {}  # name → serial of the frame it was first used in

    def unique_name(self, item: dict[str, Any]) -> str:
        """The element's name; a name already used in another group gets the group's name
        in front (pyxform allows the same name in different groups, fieldapp keys answers
        by name)."""
        name = item.get("name", "")
        frame = self.stack[-1]
        first = self.names.setdefault(name, frame.serial) if name else frame.serial
        if not name or first == frame.serial:
            return name
        prefix = frame.item.get("name", "") if frame.item else "form"
        candidate, number = f"{prefix}_{name}", 2
        while candidate in self.names:
            candidate, number = f"{prefix}_{name}_{number}", number + 1
        self.names[candidate] = frame.serial
        self.note(item, N_("name '{name}' is also used in another group: recorded as "
                           "'{candidate}'"),
                  N_("names are unique in fieldapp's data; rename it in the form to choose the "
                     "column name"), column="name",
                  code="form.name-also-used-another",
                  fields={"name": name, "candidate": candidate})
        return candidate

    def note(self, item: dict[str, Any], message: str, hint: str, column: str = "type", *,
             code: str = "form.note", fields: Mapping[str, object] | None = None) -> None:
        self.notices.append(FormIssue(message, "survey", item["row"], column, hint, code=code,
                                      fields=fields or {}))

    def refuse(self, item: dict[str, Any], reason: str, *, code: str = "form.not-recordable",
               fields: Mapping[str, object] | None = None) -> None:
        self.issues.append(FormIssue(N_("not recordable on a laptop: {reason}"), "survey",
                                     item["row"], "type", code=code,
                                     fields={"reason": Message(reason, fields or {})}))

    def file_list(self, item: dict[str, Any], spec: TypeSpec) -> str | None:
        """Load a select_*_from_file list; returns its key in the choices table."""
        file_name = spec.list_name or ""
        params = _parameters(item.get("parameters"))
        wanted = {k: v for k, v in params.items() if k in ("value", "label")}
        key = file_name + "".join(f"|{k}={v}" for k, v in sorted(wanted.items()))
        if key in self.choices:
            return key
        content = self.files.read(file_name) if self.files is not None else None
        if content is None:
            self.note(item, N_("choice file '{file_name}' is not in the form's media folder"),
                      N_("put it in FORM-media/ next to the form; the form cannot be installed "
                         "until it is there"),
                      code="form.choice-file-not-form", fields={"file_name": file_name})
            self.choices[key] = ChoiceList(key, (), file_name)
            return key
        try:
            rows = choices_from_table(file_name, read_table(file_name, content), wanted,
                                      self.data["default_language"], language_code)
        except DataFileError as exc:
            self.issues.append(FormIssue(N_("choice file {exc}"), "survey", item["row"], "type",
                                         N_("fix the file in the form's media folder"),
                                         code="form.choice-file", fields={"exc": exc}))
            rows = []
        self.choices[key] = ChoiceList(key, tuple(
            Choice(r.name, frozen_label(r.label), 0, frozen_label(r.properties))
            for r in rows), file_name)
        return key

    def external_list(self, item: dict[str, Any], spec: TypeSpec) -> str | None:
        name = spec.list_name or ""
        items = self.data.get("external_choices", {}).get(name)
        if items is None:
            self.issues.append(FormIssue(
                N_("list '{name}' not found on the external_choices sheet"), "survey",
                item["row"], "type", N_("add the list to the 'external_choices' sheet"),
                code="form.list-not-found-external", fields={"name": name}))
            return None
        if name not in self.choices:
            self.choices[name] = _choice_list(name, items, "external_choices")
        return name

    def question(self, item: dict[str, Any]) -> None:
        spec: TypeSpec = item["spec"]
        kind = spec.kind
        if kind in SELECTS:
            if not spec.list_name:
                self.issues.append(FormIssue(N_("'{kind}' needs a choice list name"), "survey",
                                             item["row"], "type",
                                             N_("write '{kind} LIST_NAME' with a list from "
                                                "'choices'"),
                                             code="form.needs-choice-list-name",
                                             fields={"kind": kind}))
                return
            list_name: str | None = spec.list_name
            choice_file = None
            if spec.source == "file":
                choice_file = spec.list_name
                list_name = self.file_list(item, spec)
            elif spec.source == "external":
                list_name = self.external_list(item, spec)
            if list_name is None:
                return
            question = _question({**item, "name": self.unique_name(item)}, list_name,
                                 choice_file)
        elif kind in QUESTION_TYPES:
            if kind == "note" and not item.get("name"):
                item = {**item, "name": f"generated_note_name_{item['row']}"}  # as pyxform
            question = _question({**item, "name": self.unique_name(item)})
            if kind in NO_SUCH_DEVICE_VALUE:
                self.note(item, N_("'{get}' is recorded empty"),
                          NO_SUCH_DEVICE_VALUE[kind],
                          code="form.recorded-empty",
                          fields={"get": item.get('raw_type', kind)})
            if kind == "audit":
                self.note(item, N_("'audit' is ignored"), N_("fieldapp records its own paradata: "
                                                         "every answer, page shown and "
                                                         "language switch with its time"),
                          code="form.audit-ignored")
                return
        elif kind in DECLARATIONS:
            return  # declares an external instance for expressions; nothing to record
        else:
            self.issues.append(FormIssue(N_("unknown question type '{get}'"),
                                         "survey", item["row"], "type",
                                         N_("check the spelling (e.g. select_one, integer, text, "
                                            "note)"),
                                         code="form.unknown-question-type",
                                         fields={"get": item.get('raw_type', kind)}))
            return
        if question.parameters.get("randomize", "").lower() in _TRUE:
            self.note(item, N_("randomized choice order is not applied"),
                      N_("the choices are shown in the form's order"), column="parameters",
                      code="form.randomized-choice-order-not")
        self.add(question, item.get("name", ""))
        if question.or_other and kind in ("select_one", "select_multiple"):
            other = _other_question(question, self.data["languages"])
            self.add(other, other.name)

    def add(self, element: Element, xml_name: str) -> None:
        """Place an element in the open group and in the XML tree."""
        frame = self.stack[-1]
        frame.children.append(element)
        target = element.name if isinstance(element, Question) else None
        self.trees[id(element)] = frame.tree.add(TreeNode(xml_name, target))

    def block(self, item: dict[str, Any]) -> None:
        kind = item["spec"].kind
        if kind.startswith("begin "):
            tree = self.stack[-1].tree.add(TreeNode(item.get("name", ""), None))
            item = {**item, "name": self.unique_name(item)}
            self.stack.append(_Frame(item, kind.split()[1], tree))
            return
        wanted = kind.split()[1]
        row = item["row"]
        if len(self.stack) == 1 or self.stack[-1].kind != wanted:
            open_kind = self.stack[-1].kind if len(self.stack) > 1 else None
            top = self.stack[-1].item
            fields: dict[str, object] = {"wanted": wanted}
            if open_kind and top:
                hint = N_("the innermost open block is a {open_kind} from row {open_row}")
                fields.update(open_kind=open_kind, open_row=top["row"])
            else:
                hint = N_("there is no open 'begin {wanted}' above it")
            self.issues.append(FormIssue(N_("'end {wanted}' without a matching 'begin {wanted}'"),
                                         "survey", row, "type", hint,
                                         code="form.end-without-matching-begin", fields=fields))
            return
        self.close(self.stack.pop())

    def close(self, frame: _Frame) -> None:
        element = frame.close()
        self.stack[-1].children.append(element)
        self.trees[id(element)] = frame.tree

    def run(self) -> None:
        survey = expand_loops(self.data["survey"], self.data["choices"], self.issues)
        for item in survey:
            spec: TypeSpec = item["spec"]
            if spec.refused:
                self.refuse(item, spec.refused)
                continue
            if spec.kind in ("begin group", "begin repeat", "end group", "end repeat"):
                self.block(item)
            else:
                self.question(item)
        while len(self.stack) > 1:
            frame = self.stack.pop()
            item = frame.item or {}
            self.issues.append(FormIssue(
                N_("'begin {kind}' '{get}' is never closed"), "survey",
                item.get("row"), "type", N_("add an 'end {kind}' row after its last question"),
                code="form.begin-never-closed",
                fields={"kind": frame.kind, "get": item.get('name', '')}))
            self.close(frame)
        lists = {q["list_name"] for q in self.data["survey"] if q.get("or_other")}
        for list_name in lists:
            if list_name in self.choices and self.choices[list_name].get("other") is None:
                other = Choice("other", frozen_label({lang: "Other"
                                                      for lang in self.data["languages"]}),
                               row=0)
                current = self.choices[list_name]
                self.choices[list_name] = ChoiceList(list_name, (*current.choices, other),
                                                     current.sheet)


    def rewrite(self, children: tuple[Element, ...]) -> tuple[Element, ...]:
        """The elements with ODK-style XPath in their expressions made ``${name}`` form."""
        out: list[Element] = []
        for element in children:
            here = self.trees.get(id(element), self.root)
            changes: dict[str, Any] = {}
            for column in (*EXPRESSIONS, "choice_filter"):
                text = getattr(element, column, None)
                if not text or text == "true()":
                    continue

                def note(names: list[str], column: str = column, row: int = element.row) -> None:
                    shown = ", ".join(f"'{n}'" for n in dict.fromkeys(names))
                    self.notices.append(FormIssue(
                        N_("{shown} in the expression names no question: it is empty, as in ODK"),
                        "survey", row, column,
                        N_("write ${{name}} for a question, or false() / '' for a constant"),
                        code="form.expression-names-no-question", fields={"shown": shown}))

                new = compatible(text, here, self.root, bare_names=column != "choice_filter",
                                 note=note)
                if new != text:
                    changes[column] = new
            if isinstance(element, Group):
                changes["children"] = self.rewrite(element.children)
            out.append(dataclasses.replace(element, **changes) if changes else element)
        return tuple(out)


def build(data: dict[str, Any], files: Any = None
          ) -> tuple[Questionnaire | None, list[FormIssue]]:
    """Nest the survey rows into groups/repeats and build the model."""
    builder = _Builder(data, files)
    builder.run()
    children = builder.rewrite(tuple(builder.stack[0].children))
    settings = data["settings"]
    form_id = settings.get("form_id") or Path(data["path"]).stem
    model = Questionnaire(
        form_id=form_id,
        version=settings.get("version", ""),
        title=settings.get("form_title") or form_id,
        titles=MappingProxyType({k.split("::", 1)[1]: v for k, v in settings.items()
                                 if k.startswith("title_translated::") and v.strip()}),
        default_language=data["default_language"],
        languages=tuple(data["languages"]),
        children=children,
        choices=builder.choices,
        settings=frozen_label(settings),
        source_path=data["path"],
        notices=tuple(data.get("notices", ())) + tuple(builder.notices),
        files=files,
    )
    return model, builder.issues
