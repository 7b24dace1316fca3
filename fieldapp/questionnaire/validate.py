"""Stage 4: checks on the built model, each issue citing sheet, row and column."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import partial

from fieldapp.errors import ExpressionError, FormIssue, Message
from fieldapp.i18n import N_
from fieldapp.questionnaire.appearance import SearchError, search_spec
from fieldapp.questionnaire.bands import parse_bands
from fieldapp.questionnaire.expressions import parse, references
from fieldapp.questionnaire.expressions.functions import compile_regex
from fieldapp.questionnaire.expressions.nodes import Call, Node, Reference, StringLiteral, walk
from fieldapp.questionnaire.model import (
    METADATA_TYPES,
    Group,
    Question,
    Questionnaire,
    Repeat,
)

#: An XML name as pyxform allows it: a letter (any script) or _, then letters, digits, _ - .
_NAME = re.compile(r"^[^\W\d][\w.\-]*$")
_REF_IN_TEXT = re.compile(r"\$\{([^}]*)\}")
EXPRESSION_COLUMNS = ("relevant", "constraint", "calculation", "required", "choice_filter")
#: Types that need no label: the form or the device fills them in.
NO_LABEL_TYPES = METADATA_TYPES | {"calculate", "hidden", "start-geopoint"}
_YES = frozenset({"yes", "true", "true()", "1", "y"})


def _dynamic(default: str | None) -> bool:
    """A default written as an expression (pyxform: a dynamic default)."""
    return "(" in (default or "") or "${" in (default or "")


def _suggest(name: str, names: Iterable[str]) -> tuple[str, dict[str, object]]:
    """A hint for an unknown question name (a template and its fields, translated when shown)."""
    close = difflib.get_close_matches(name, list(names), n=1)
    if close:
        return N_("did you mean '${{{suggestion}}}'?"), {"suggestion": close[0]}
    return N_("check the question name"), {}


def _suggest_list(name: str, lists: Iterable[str]) -> tuple[str, dict[str, object]]:
    """A hint for an unknown choice list (a template and its fields)."""
    names = sorted(lists)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.3)
    if close:
        return N_("did you mean '{suggestion}'?"), {"suggestion": close[0]}
    if not names:
        return N_("the choices sheet has no lists"), {}
    return N_("lists on the choices sheet: {lists}"), {"lists": ", ".join(names)}


def _repeat_arguments(node: Node) -> set[str]:
    """The ``${repeat}`` arguments of every ``indexed-repeat()`` call in ``node``."""
    return {arg.name for call in walk(node) if isinstance(call, Call)
            and call.name == "indexed-repeat" for arg in call.args[1::2]
            if isinstance(arg, Reference)}


def _check_expression(text: str | None, column: str, row: int, names: set[str],
                      issues: list[FormIssue], repeats: frozenset[str] = frozenset()
                      ) -> set[str]:
    """Parse one expression; report syntax errors and unknown references."""
    if not text:
        return set()
    try:
        node = parse(text)
    except ExpressionError as exc:
        issues.append(FormIssue(N_("invalid expression: {reason_text}"), "survey", row, column,
                                N_("expression was '{text}'"),
                                code="form.invalid-expression",
                                fields={"reason_text": Message(exc.template, exc.fields),
                                        "text": text}))
        return set()
    in_repeats = _repeat_arguments(node)
    refs = set(references(node)) - (in_repeats & repeats)
    for ref in sorted(in_repeats - repeats):
        hint, extra = _suggest(ref, repeats)
        issues.append(FormIssue(N_("'${{{ref}}}' in indexed-repeat() is not a repeat"),
                                "survey", row, column, hint, code="form.indexed-repeat-not-repeat",
                                fields={"ref": ref, **extra}))
    for ref in sorted(refs - names - in_repeats - repeats):  # ${repeat}: its instances
        hint, extra = _suggest(ref, names)
        issues.append(FormIssue(N_("unknown question '${{{ref}}}'"), "survey", row, column,
                                hint, code="form.unknown-question",
                                fields={"ref": ref, **extra}))
    _check_regex_patterns(node, column, row, issues)
    return refs & names


def _check_regex_patterns(node: Node, column: str, row: int, issues: list[FormIssue]) -> None:
    """Compile every literal ``regex()`` pattern now, so a bad one is an authoring error."""
    for call in walk(node):
        if isinstance(call, Call) and call.name == "regex" and len(call.args) == 2 and \
                isinstance(call.args[1], StringLiteral):
            try:
                compile_regex(call.args[1].value)
            except ExpressionError as exc:
                issues.append(FormIssue(exc.template, "survey", row, column,
                                        N_("rewrite the pattern without backreferences or "
                                           "look-around"), code=exc.code, fields=exc.fields))


def _check_text_refs(label: object, column: str, row: int, names: set[str],
                     issues: list[FormIssue]) -> None:
    if not isinstance(label, dict) and not hasattr(label, "items"):
        return
    for lang, text in label.items():  # type: ignore[attr-defined]
        for ref in _REF_IN_TEXT.findall(text):
            if ref not in names:
                hint, extra = _suggest(ref, names)
                issues.append(FormIssue(N_("unknown question '${{{ref}}}' in the {lang_text} text"),
                                        "survey", row, f"{column}::{lang}", hint,
                                        code="form.unknown-question-text",
                                        fields={"ref": ref, "lang_text": lang, **extra}))


def _check_names(form: Questionnaire, issues: list[FormIssue]) -> None:
    seen: dict[str, int] = {}
    for element, _ in form.iter_elements():
        name = element.name
        if not name:
            kind = "group" if isinstance(element, Group) else "question"
            issues.append(FormIssue(N_("{kind} has no name"), "survey", element.row, "name",
                                    N_("give it a unique name (letters, digits, _)"),
                                    code="form.no-name", fields={"kind": kind}))
            continue
        if not _NAME.match(name):
            issues.append(FormIssue(N_("invalid name '{name}'"), "survey", element.row, "name",
                                    N_("names start with a letter or _ and use only letters, "
                                       "digits, _, - and ."),
                                    code="form.invalid-name", fields={"name": name}))
        if name in seen:
            issues.append(FormIssue(N_("duplicate name '{name}' (first used on row {seen})"),
                                    "survey", element.row, "name", N_("every name must be unique"),
                                    code="form.duplicate-name-first-used",
                                    fields={"name": name, "seen": seen[name]}))
        else:
            seen[name] = element.row


def _check_labels(form: Questionnaire, issues: list[FormIssue]) -> None:
    for element, _ in form.iter_elements():
        if isinstance(element, Question) and element.type in NO_LABEL_TYPES:
            continue
        if not element.label and isinstance(element, Question) and not element.hint \
                and not element.media:
            issues.append(FormIssue(N_("question '{name}' has no label"), "survey",
                                    element.row, "label", N_("write the question text"),
                                    code="form.question-no-label",
                                    fields={"name": element.name}))
    duplicates_allowed = form.settings.get("allow_choice_duplicates", "").strip().lower() \
        in _YES
    for choice_list in form.choices.values():
        if choice_list.sheet != "choices":
            continue  # external lists and files: codes repeat across filter columns
        names: dict[str, int] = {}
        for choice in choice_list.choices:
            if not choice.name:
                issues.append(FormIssue(N_("choice in list '{name}' has no name"),
                                        "choices", choice.row, "name", N_("give it a code"),
                                        code="form.choice-list-no-name",
                                        fields={"name": choice_list.name}))
            elif choice.name in names and not duplicates_allowed:
                issues.append(FormIssue(
                    N_("duplicate choice '{name}' in list '{list_name}' "
                       "(first on row {first_row})"),
                    "choices", choice.row, "name",
                    N_("codes must be unique within a list (or set allow_choice_duplicates: yes "
                       "in settings)"),
                    code="form.duplicate-choice-list-first",
                    fields={"name": choice.name, "list_name": choice_list.name,
                            "first_row": names[choice.name]}))
            else:
                names.setdefault(choice.name, choice.row)


def translation_notices(form: Questionnaire) -> list[FormIssue]:
    """Texts missing in a declared language: accepted (the default language's text is shown
    instead), listed once per language and sheet."""
    langs = form.languages
    missing: dict[tuple[str, str], list[int]] = {}
    for element, _ in form.iter_elements():
        if isinstance(element, Question) and element.type in NO_LABEL_TYPES:
            continue
        if element.label:
            for lang in langs:
                if not element.label.get(lang):
                    missing.setdefault(("survey", lang), []).append(element.row)
    for choice_list in form.choices.values():
        for choice in choice_list.choices:
            if choice.label and choice.row:
                for lang in langs:
                    if not choice.label.get(lang):
                        missing.setdefault(("choices", lang), []).append(choice.row)
    out = []
    for (sheet, lang), rows in missing.items():
        shown = (f"the '{form.default_language}' text is shown instead"
                 if form.default_language != lang else
                 "the text of another language is shown instead")
        out.append(FormIssue(N_("{count} label(s) have no '{lang_text}' text"), sheet, rows[0],
                             f"label::{lang}", shown,
                             code="form.label-s-no-text",
                             fields={"count": len(rows), "lang_text": lang}))
    return out


def _check_cycles(calcs: dict[str, tuple[int, set[str]]], issues: list[FormIssue]) -> None:
    """Report each cycle among calculations once, naming its members in order."""
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        path.append(name)
        for dep in sorted(calcs[name][1]):
            if dep not in calcs:
                continue
            if state.get(dep) == 1:
                cycle = path[path.index(dep):]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    chain = " → ".join(f"${{{n}}}" for n in [*cycle, dep])
                    issues.append(FormIssue(N_("cyclic calculation: {chain}"), "survey",
                                            calcs[dep][0], "calculation",
                                            N_("a calculation cannot depend on itself"),
                                            code="form.cyclic-calculation",
                                            fields={"chain": chain}))
            elif dep not in state:
                visit(dep, path)
        path.pop()
        state[name] = 2

    for name in sorted(calcs):
        if name not in state:
            visit(name, [])


def _check_bands(q: Question, issues: list[FormIssue]) -> None:
    if q.type not in ("select_one", "integer", "decimal"):
        issues.append(FormIssue(N_("bands are only allowed on select_one, integer and decimal "
                                   "questions ('{name}' is {type})"), "survey", q.row, "bands",
                                N_("remove them"),
                                code="form.bands-allowed-select-integer",
                                fields={"name": q.name, "type": q.type}))
        return
    try:
        parse_bands(q.bands)
    except ValueError as exc:
        issues.append(FormIssue(N_("invalid bands: {exc}"), "survey", q.row, "bands",
                                N_("write the bands as e.g. 1-4|5|6-9 or 0|1-2|3+"),
                                code="form.invalid-bands", fields={"exc": exc}))


def _check_missing(q: Question, issues: list[FormIssue]) -> None:
    """The ``missing`` column: whole-number codes separated by spaces (``998 999``). The
    export declares exactly these as missing values (SPSS, Stata, the summary), so a code it
    cannot read (``998,``, ``99.8``) would otherwise count as a valid answer."""
    for code in str(q.extra.get("missing", "")).split():
        if not code.lstrip("-").isdigit():
            issues.append(FormIssue(N_("missing code '{code}' is not a whole number"),
                                    "survey", q.row, "missing",
                                    N_("write whole numbers separated by spaces, e.g. 998 999"),
                                    code="form.missing-code-not-whole", fields={"code": code}))


def validate(form: Questionnaire) -> list[FormIssue]:
    """Every problem a form author must fix before the form can be used."""
    issues: list[FormIssue] = []
    _check_names(form, issues)
    _check_labels(form, issues)
    names = {q.name for q in form.iter_questions()}
    repeats = frozenset(e.name for e, _ in form.iter_elements() if isinstance(e, Repeat))
    check = partial(_check_expression, repeats=repeats)
    calcs: dict[str, tuple[int, set[str]]] = {}
    for element, _ in form.iter_elements():
        row = element.row
        check(element.relevant, "relevant", row, names, issues)
        _check_text_refs(element.label, "label", row, names, issues)
        if "search(" in element.appearance:
            try:
                search_spec(element.appearance)
            except SearchError as exc:
                issues.append(FormIssue(N_("invalid search() appearance: {exc}"), "survey", row,
                                        "appearance", N_("appearance was '{appearance}'"),
                                        code="form.invalid-search-appearance",
                                        fields={"exc": exc, "appearance": element.appearance}))
        if isinstance(element, Repeat):
            check(element.repeat_count, "repeat_count", row, names, issues)
        if not isinstance(element, Question):
            continue
        q = element
        _check_text_refs(q.hint, "hint", row, names, issues)
        if q.bands:
            _check_bands(q, issues)
        _check_missing(q, issues)
        check(q.constraint, "constraint", row, names, issues)
        check(q.trigger, "trigger", row, names, issues)
        if q.required and q.required != "true()":
            check(q.required, "required", row, names, issues)
        refs = check(q.calculation, "calculation", row, names, issues)
        if q.type == "calculate":
            if not q.calculation and not _dynamic(q.default):
                issues.append(FormIssue(N_("calculate '{name}' has no calculation"), "survey",
                                        row, "calculation", N_("write the expression to compute"),
                                        code="form.calculate-no-calculation",
                                        fields={"name": q.name}))
            calcs[q.name] = (row, refs)
        if q.type in ("select_one", "select_multiple", "rank"):
            if q.list_name not in form.choices:
                hint, extra = _suggest_list(q.list_name or "", form.choices)
                issues.append(FormIssue(
                    N_("choice list '{list_name}' not found on the choices sheet"), "survey",
                    row, "type", hint, code="form.choice-list-not-found",
                    fields={"list_name": q.list_name, **extra}))
            elif not form.choices[q.list_name or ""].choices and not q.choice_file \
                    and "search(" not in q.appearance:
                issues.append(FormIssue(N_("choice list '{list_name}' is empty"), "choices",
                                        None, "list_name", N_("add its choices"),
                                        code="form.choice-list-empty",
                                        fields={"list_name": q.list_name}))
            if q.choice_filter:
                try:
                    node = parse(q.choice_filter, choice_columns=True)
                except ExpressionError as exc:
                    issues.append(FormIssue(N_("invalid expression: {reason_text}"), "survey", row,
                                            "choice_filter", N_("expression was '{choice_filter}'"),
                                            code="form.invalid-expression-2",
                                            fields={"reason_text": Message(exc.template,
                                                                           exc.fields),
                                                    "choice_filter": q.choice_filter}))
                else:
                    for ref in sorted(set(references(node)) - names):
                        hint, extra = _suggest(ref, names)
                        issues.append(FormIssue(N_("unknown question '${{{ref}}}'"), "survey", row,
                                                "choice_filter", hint,
                                                code="form.unknown-question-2",
                                                fields={"ref": ref, **extra}))
        elif q.choice_filter:
            issues.append(FormIssue(N_("choice_filter is only allowed on select questions"),
                                    "survey", row, "choice_filter", N_("remove it"),
                                    code="form.choice-filter-allowed-select"))
    _check_cycles(calcs, issues)
    return issues
