"""One column set for every version of a questionnaire (cf. formpack's version-aware export).

A :class:`Variable` is one column: its storage kind, question text in every language, codes
with labels, missing codes and the questionnaire's custom columns (source, domain, score,
inferred, bands, short labels). The codebook sheet writes exactly these fields, so merge can
rebuild them. Missing codes a numeric question flags (``998 999``) become labelled codes too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from fieldapp.errors import Note
from fieldapp.export.errors import ExportError
from fieldapp.export.missing import missing_labels
from fieldapp.i18n import N_
from fieldapp.questionnaire.model import (
    METADATA_TYPES,
    Group,
    Question,
    Questionnaire,
    Repeat,
)
from fieldapp.questionnaire.parse import language_code
from fieldapp.versions import version_key

#: Storage kinds: how a column's cells are typed in every format.
INT, NUM, TEXT, DATE, DATETIME, ANY = "int", "num", "text", "date", "datetime", "any"
#: Question names that are sampling-frame metadata columns when the form has them.
FRAME = ("city", "wave", "district", "dong")
#: Types mapped with ``--map Q=TYPE``.
MAP_TYPES = ("text",)


@dataclass(frozen=True)
class Code:
    """One choice: stored code, label per language, and whether it is a missing code."""

    code: str
    labels: Mapping[str, str]
    missing: bool = False


@dataclass(frozen=True)
class Variable:
    """One column of a data or repeat sheet."""

    name: str
    kind: str
    qtype: str
    labels: Mapping[str, str] = field(default_factory=dict)
    codes: tuple[Code, ...] = ()
    missing_codes: tuple[str, ...] = ()
    module: str = ""
    repeat: str = ""
    source: str = ""
    domain: str = ""
    score: str = ""
    inferred: str = ""
    versions: tuple[str, ...] = ()
    parent: str = ""  # a select_multiple dummy's question
    bands: str = ""  # collapsed bands for the summary, e.g. "1-4|5|6-9"
    short: Mapping[str, str] = field(default_factory=dict)  # short label per language
    appearance: str = ""
    #: a ``jr:choice-name`` calculation: stored text (any language) → text in the export
    #: language, filled in by the export once the language is known
    relabel: Mapping[str, str] = field(default_factory=dict)
    choice_name_of: str = ""  # the question whose choice name the calculation shows

    @property
    def key(self) -> str:
        """The answer key of the question behind this column."""
        return self.parent or self.name

    @property
    def scale_points(self) -> tuple[Code, ...]:
        """Choices that are scale points (missing codes excluded)."""
        return tuple(c for c in self.codes if not c.missing)


def _numeric_codes(codes: Iterable[Code]) -> bool:
    names = [c.code for c in codes]
    return bool(names) and all(_is_int(n) for n in names)


def _is_int(text: str) -> bool:
    return text.lstrip("-").isdigit() and text.strip() == text


def _kind(question: Question, codes: tuple[Code, ...]) -> str:
    qtype = question.type
    if qtype == "select_one":
        return INT if _numeric_codes(codes) else TEXT
    return {"integer": INT, "decimal": NUM, "range": NUM, "date": DATE, "calculate": ANY,
            "select_multiple": TEXT}.get(qtype, TEXT)


def _codes(form: Questionnaire, question: Question) -> tuple[Code, ...]:
    choices = form.choice_list(question)
    if question.type not in ("select_one", "select_multiple") or choices is None \
            or "search(" in question.appearance:  # search(): codes come from a CSV file
        return ()
    return tuple(Code(c.name, dict(c.label), c.missing) for c in choices.choices)


_CHOICE_NAME = re.compile(r"^\s*jr:choice-name\(\s*\$\{([^}]+)\}\s*,\s*'\$\{\1\}'\s*\)\s*$")


def _short_labels(extra: Mapping[str, str]) -> dict[str, str]:
    """``short_label::English (en)`` … columns → {language code: text}."""
    out = {}
    for header, text in extra.items():
        base, _, spec = header.partition("::")
        if base.strip().lower() == "short_label" and spec and text:
            out[language_code(spec)] = text
    return out


def _variable(form: Questionnaire, question: Question, parents: tuple[Group, ...]) -> Variable:
    codes = _codes(form, question)
    extra = question.extra
    missing = tuple(c.code for c in codes if c.missing)
    flagged = tuple(c for c in extra.get("missing", "").split() if c not in missing)
    missing += flagged
    if question.type not in ("select_one", "select_multiple"):
        codes += tuple(Code(c, dict(missing_labels(c)), True) for c in flagged)
    repeats = [g.name for g in parents if isinstance(g, Repeat)]
    match = _CHOICE_NAME.match(question.calculation or "") if question.type == "calculate" \
        else None
    return Variable(
        name=question.name, kind=_kind(question, codes), qtype=question.type,
        labels=dict(question.label), codes=codes, missing_codes=missing,
        module=parents[0].name if parents else "", repeat=repeats[-1] if repeats else "",
        source=extra.get("source", ""), domain=extra.get("domain", ""),
        score=extra.get("score", ""), inferred=extra.get("inferred", ""),
        versions=(form.version,), bands=question.bands, short=_short_labels(extra),
        appearance=question.appearance, choice_name_of=match.group(1) if match else "")


def form_variables(form: Questionnaire) -> list[Variable]:
    """The exported questions of one version, in form order (notes and device metadata
    such as start/end/deviceid are left out: the metadata columns carry them)."""
    out = []
    for element, parents in form.iter_elements():
        if isinstance(element, Question) and element.type != "note" \
                and element.type not in METADATA_TYPES:
            out.append(_variable(form, element, parents))
    return out


def repeat_paths(forms: Iterable[Questionnaire]) -> dict[str, tuple[str, ...]]:
    """Every repeat group name → the names of the repeats enclosing it (outermost first)."""
    paths: dict[str, tuple[str, ...]] = {}
    for form in forms:
        for element, parents in form.iter_elements():
            if isinstance(element, Repeat):
                paths.setdefault(element.name, tuple(g.name for g in parents
                                                     if isinstance(g, Repeat)))
    return paths


def _storage_signature(var: Variable) -> tuple:
    return (var.qtype if var.qtype != "calculate" else "calculate", var.kind, var.repeat)


def _merge_codes(name: str, old: tuple[Code, ...], new: tuple[Code, ...],
                 warnings: list[str]) -> tuple[Code, ...]:
    by_code = {c.code: c for c in new}
    merged = list(new)
    for code in old:
        current = by_code.get(code.code)
        if current is None:
            merged.append(code)
        elif dict(current.labels) != dict(code.labels):
            warnings.append(Note(N_("variable {name}: label of code {code} differs between "
                                       "versions; the newest version's label is used"),
                                    {"name": name, "code": code.code}))
    return tuple(merged)


def merge_versions(forms: list[Questionnaire], mapping: Mapping[str, str],
                   warnings: list[str]) -> list[Variable]:
    """Union of the versions' variables (newest first decides order and labels).

    A question whose type or scale changed between versions is refused unless it is mapped
    (``mapping[name] == "text"`` exports it as text in every version).
    """
    ordered = sorted(forms, key=lambda f: version_key(f.version), reverse=True)
    merged: dict[str, Variable] = {}
    order: list[str] = []
    for form in ordered:
        previous = None
        for var in form_variables(form):
            if var.name in mapping:
                var = _mapped(var, mapping[var.name])
            known = merged.get(var.name)
            if known is None:
                merged[var.name] = var
                index = (order.index(previous) + 1 if previous is not None and previous in order
                         else len(order))
                order.insert(index, var.name)
            else:
                merged[var.name] = _combine(known, var, form, warnings)
            previous = var.name
    unknown = sorted(set(mapping) - set(merged))
    if unknown:
        raise ExportError(N_("--map names unknown question(s): {join}"),
                          code="schema.map-names-unknown-question", join=', '.join(unknown))
    return [merged[name] for name in order]


def _combine(known: Variable, var: Variable, form: Questionnaire,
             warnings: list[str]) -> Variable:
    if _storage_signature(known) != _storage_signature(var):
        raise ExportError(
            N_("question {name} is {qtype} in {form_id} v{version} but {qtype2} in v{versions}: "
               "export it as text with --map {name}=text"),
            code="schema.question-but-export-text", name=var.name, qtype=var.qtype,
            form_id=form.form_id, version=form.version, qtype2=known.qtype,
            versions=known.versions[0])
    if known.score == "scale" and {c.code for c in known.scale_points} != \
            {c.code for c in var.scale_points}:
        raise ExportError(
            N_("question {name} has different scale points in v{version} and v{versions}: its "
               "0–100 score would mix scales; export it as text with --map {name}=text"),
            code="schema.question-different-scale-points", name=var.name,
            version=form.version, versions=known.versions[0])
    codes = _merge_codes(var.name, var.codes, known.codes, warnings)
    missing = tuple(dict.fromkeys(known.missing_codes + var.missing_codes))
    return replace(known, codes=codes, missing_codes=missing,
                   versions=(*known.versions, form.version))


def localise_choice_names(variables: list[Variable], lang: str) -> list[Variable]:
    """Give each ``jr:choice-name`` calculation (e.g. ``city_label``) a table that turns the
    stored choice name — in whatever language the interview ran — into the export language."""
    by_name = {v.name: v for v in variables}
    out = []
    for var in variables:
        target = by_name.get(var.choice_name_of) if var.choice_name_of else None
        if target is not None and target.codes:
            table: dict[str, str] = {}
            for code in target.codes:
                shown = _pick(code.labels, lang) or code.code
                table.setdefault(code.code, shown)
                for text in code.labels.values():
                    table.setdefault(text, shown)
            var = replace(var, relabel=table)
        out.append(var)
    return out


def _mapped(var: Variable, target: str) -> Variable:
    if target not in MAP_TYPES:
        raise ExportError(N_("--map {name}={target}: only {join} is supported"),
                          code="schema.map-supported", name=var.name, target=target,
                          join=', '.join(MAP_TYPES))
    return replace(var, kind=TEXT, qtype="text", codes=(), missing_codes=(), score="",
                   domain="", inferred=(var.inferred + "; " if var.inferred else "")
                   + f"exported as text (--map {var.name}=text)")



def multi_dummies(var: Variable) -> list[Variable]:
    """0/1 columns ``Q__code`` for each choice of a select_multiple question."""
    return [Variable(name=f"{var.name}__{c.code}", kind=INT, qtype="dummy",
                     labels={lang: f"{text}: {_pick(c.labels, lang)}"
                             for lang, text in var.labels.items()},
                     codes=(Code("0", {}), Code("1", {})), module=var.module,
                     repeat=var.repeat, source=var.source, versions=var.versions,
                     parent=var.name)
            for c in var.codes]


def _pick(labels: Mapping[str, str], lang: str) -> str:
    return labels.get(lang) or next(iter(labels.values()), "")
