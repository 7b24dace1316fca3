"""Plain-text rendering of a questionnaire in one language (for translators and reviewers)."""

from __future__ import annotations

from fieldapp.i18n import _
from fieldapp.questionnaire.model import Element, Group, Questionnaire, Repeat, text_for

_SKIPPED_TYPES = frozenset({"start", "end", "today", "deviceid"})


def _lines_for(form: Questionnaire, element: Element, lang: str, depth: int,
               counter: list[int]) -> list[str]:
    pad = "    " * depth
    fallback = form.default_language
    out: list[str] = []
    if isinstance(element, Group):
        kind = _("Repeat") if isinstance(element, Repeat) else _("Section")
        title = text_for(element.label, lang, fallback)
        out.append(f"{pad}== {kind} {element.name}: {title}".rstrip(": "))
        if element.relevant:
            out.append(f"{pad}   {_('Shown only if')}: {element.relevant}")
        if isinstance(element, Repeat) and element.repeat_count:
            out.append(f"{pad}   {_('Repeated')}: {element.repeat_count}")
        for child in element.children:
            out.extend(_lines_for(form, child, lang, depth + 1, counter))
        return out
    q = element
    if q.type in _SKIPPED_TYPES:
        return out
    if q.type == "calculate":
        out.append(f"{pad}[{q.name}] = {q.calculation}")
        return out
    if q.is_input:
        counter[0] += 1
        number = f"{counter[0]}. "
    else:
        number = ""
    mark = " *" if q.required else ""
    out.append(f"{pad}{number}[{q.name}] {text_for(q.label, lang, fallback)}{mark}")
    hint = text_for(q.hint, lang, fallback)
    if hint:
        out.append(f"{pad}   ({hint})")
    choices = form.choice_list(q)
    if choices is not None:
        for choice in choices.choices:
            out.append(f"{pad}   {choice.name:>4}  {text_for(choice.label, lang, fallback)}")
        if q.choice_filter:
            out.append(f"{pad}   {_('Choices filtered by')}: {q.choice_filter}")
    if q.relevant:
        out.append(f"{pad}   {_('Shown only if')}: {q.relevant}")
    if q.constraint:
        message = text_for(q.constraint_message, lang, fallback)
        out.append(f"{pad}   {_('Must satisfy')}: {q.constraint}"
                   + (f" — {message}" if message else ""))
    return out


def render_text(form: Questionnaire, lang: str) -> str:
    """The whole questionnaire as indented text in ``lang`` (falls back to the default)."""
    header = [f"{form.title} ({form.form_id} v{form.version}) — {lang}", ""]
    counter = [0]
    body: list[str] = []
    for element in form.children:
        body.extend(_lines_for(form, element, lang, 0, counter))
    return "\n".join(header + body) + "\n"
