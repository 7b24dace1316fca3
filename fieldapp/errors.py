"""User-facing errors: one base class, with messages that never carry answer values.

Every message is a translatable template with named fields, marked with :func:`N_` so
``scripts/i18n.sh`` extracts it, and a stable ``code`` (like pyxform's error codes) that
scripts and tests can match whatever the display language::

    raise FieldAppError(N_("{path}: a device already exists here"),
                        code="device.exists", path=data_dir)

``str(error)`` renders the template in the current :mod:`fieldapp.i18n` language (the GUI's
UI language; the CLI's from the user's locale, English by default); :meth:`render` takes an
explicit language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from fieldapp.i18n import N_, current_language, translate_in
from fieldapp.names import STATUS_NAMES
from fieldapp.vocabulary import Status


def render_template(template: str, fields: Mapping[str, object], lang: str | None = None) -> str:
    """``template`` translated into ``lang`` (the current language by default), fields filled in.

    Without fields the text is returned as is (so literal braces are safe); a translation whose
    placeholders do not match the fields falls back to the English template, and a text that is
    not a template at all (a hint computed elsewhere) is shown as it is.
    """
    text = translate_in(template, lang)
    if not fields:
        return text
    values = {name: _shown(value, lang) for name, value in fields.items()}
    for candidate in (text, template):
        try:
            return candidate.format(**values)
        except (KeyError, IndexError, ValueError, AttributeError):
            continue
    return text


def _shown(value: object, lang: str | None) -> object:
    if isinstance(value, (FieldAppError, FormIssue, Message)):
        return value.render(lang)
    if isinstance(value, Note):
        return value.shown(lang)
    if isinstance(value, Status) and (lang or current_language()) != "en":
        # the code people type in English (``--status finalised``); its name elsewhere
        return translate_in(STATUS_NAMES.get(value, value), lang)
    return value


@dataclass(frozen=True)
class Message:
    """A translatable template and its fields, rendered when shown (a reason inside a message)."""

    template: str
    fields: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: str | None = None) -> str:
        """The message in ``lang`` (the current language by default)."""
        return render_template(self.template, self.fields, lang)

    def __str__(self) -> str:
        return self.render()


class Note(str):
    """Text kept in English (an export's ``about`` sheet, scripts, tests compare it) that can
    also be shown in the user's language: a translatable template and its fields."""

    template: str
    fields: dict[str, object]

    def __new__(cls, template: str, fields: Mapping[str, object] | None = None) -> Note:
        values = dict(fields or {})
        self = super().__new__(cls, render_template(template, values, "en"))
        self.template, self.fields = template, values
        return self

    def shown(self, lang: str | None = None) -> str:
        """The text in ``lang`` (the current language by default)."""
        return render_template(self.template, self.fields, lang)

    def __reduce__(self) -> tuple[object, ...]:
        return Note, (self.template, self.fields)


def shown(text: str) -> str:
    """A :class:`Note` in the user's language; any other text as it is."""
    return text.shown() if isinstance(text, Note) else text


class FieldAppError(Exception):
    """An error the user can act on; the CLI prints it on one line and exits non-zero."""

    exit_code = 1
    #: Stable identifier of the kind of error (subclasses and call sites refine it).
    code = "fieldapp"

    def __init__(self, message: str, /, *, code: str | None = None, **fields: object) -> None:
        self.template = message
        self.fields: dict[str, object] = dict(fields)
        if code is not None:
            self.code = code
        super().__init__(message)

    def render(self, lang: str | None = None) -> str:
        """The message in ``lang`` (the current UI/CLI language by default)."""
        return render_template(self.template, self.fields, lang)

    @property
    def message(self) -> str:
        """The message in the current language."""
        return self.render()

    def __str__(self) -> str:
        return self.render()

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt without calling __init__, so every subclass survives a process boundary
        # (export helpers) with its template, fields and code.
        return (_restore, (type(self), self.args, dict(self.__dict__)))


def _restore(cls: type[FieldAppError], args: tuple[object, ...],
             state: dict[str, object]) -> FieldAppError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


@dataclass(frozen=True)
class FormIssue:
    """One problem found in a questionnaire, located by sheet, row and column.

    ``template`` (and ``hint``) are templates filled from ``fields``, translated when shown;
    ``message`` is the problem in the current language.
    """

    template: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None
    fields: Mapping[str, object] = field(default_factory=dict)
    code: str = "form"

    def text(self, lang: str | None = None) -> str:
        """The problem itself, without its location, in ``lang``."""
        return render_template(self.template, self.fields, lang)

    @property
    def message(self) -> str:
        """The problem itself, without its location, in the current language."""
        return self.text()

    def render(self, lang: str | None = None) -> str:
        """Location, problem and hint in ``lang`` (the current language by default)."""
        where = []
        if self.sheet:
            where.append(render_template(N_("sheet '{sheet}'"), {"sheet": self.sheet}, lang))
        if self.row is not None:
            where.append(render_template(N_("row {row}"), {"row": self.row}, lang))
        if self.column:
            where.append(render_template(N_("column '{column}'"), {"column": self.column}, lang))
        prefix = f"[{', '.join(where)}] " if where else ""
        text = f"{prefix}{self.text(lang)}"
        if self.hint:
            text += f" — {render_template(self.hint, self.fields, lang)}"
        return text

    def __str__(self) -> str:
        return self.render()


#: Problems of one questionnaire listed in a message; the rest are counted.
MAX_LISTED_ISSUES = 50


class FormError(FieldAppError):
    """A questionnaire could not be loaded; carries every issue found, not just the first
    (its message lists the first :data:`MAX_LISTED_ISSUES` and counts the rest)."""

    code = "form.invalid"

    def __init__(self, path: str, issues: list[FormIssue]) -> None:
        self.path = path
        self.issues = list(issues)
        super().__init__(N_("{path}: {count} problem(s)"), path=path, count=len(self.issues))

    def render(self, lang: str | None = None) -> str:
        """The count, then one line per listed issue, in ``lang`` (one issue: one line)."""
        if len(self.issues) == 1:
            return f"{self.path}: {self.issues[0].render(lang)}"
        shown = self.issues[:MAX_LISTED_ISSUES]
        lines = [super().render(lang), *(f"  {issue.render(lang)}" for issue in shown)]
        rest = len(self.issues) - len(shown)
        if rest:
            more = render_template(N_("… and {count} more problem(s) not listed"),
                                   {"count": rest}, lang)
            lines.append(f"  {more}")
        return "\n".join(lines)


class ExpressionError(FieldAppError):
    """A questionnaire expression is malformed or cannot be evaluated.

    ``message`` is the reason's template (filled from ``fields``); the expression and the
    position in it are added when shown.
    """

    code = "form.expression"

    def __init__(self, message: str, expression: str = "", position: int | None = None, *,
                 code: str | None = None, **fields: object) -> None:
        self.expression = expression
        self.position = position
        super().__init__(message, code=code, **fields)

    @property
    def reason(self) -> str:
        """The reason alone, in the current language."""
        return render_template(self.template, self.fields)

    def render(self, lang: str | None = None) -> str:
        """Reason, position and expression in ``lang``."""
        reason = render_template(self.template, self.fields, lang)
        where = {"reason": reason, "position": self.position, "expression": self.expression}
        if self.position is not None and self.expression:
            template = N_("{reason} at position {position} in '{expression}'")
        elif self.position is not None:
            template = N_("{reason} at position {position}")
        elif self.expression:
            template = N_("{reason} in '{expression}'")
        else:
            return reason
        return render_template(template, where, lang)
