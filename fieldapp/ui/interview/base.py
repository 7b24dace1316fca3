"""The base of every question widget: label, required mark, hint, body, problem message.

A question widget never stores anything. It emits ``answered(key, value)``; the interview
view stores the answer through the core and then calls :meth:`set_value` with what was
actually stored, so the screen always shows the durable state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fieldapp.i18n import _, translate_in
from fieldapp.interview.engine import Interview
from fieldapp.questionnaire.model import Question
from fieldapp.ui import fonts, style
from fieldapp.ui.interview.paint import Card, tint
from fieldapp.ui.qt import (
    QFocusEvent,
    QFont,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

DIGIT_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}


@dataclass
class Ctx:
    """What every question widget needs: the engine, the interview language, the text scale."""

    engine: Interview
    scale: float = 1.0
    #: the bytes of a file attached as an answer (decrypted in memory), by its stored name
    attachment: Callable[[str], bytes | None] | None = None

    @property
    def lang(self) -> str:
        """The interview language."""
        return self.engine.language

    def font(self, role: str, bold: bool = False, factor: float = 1.0) -> QFont:
        """A font for interview text in the interview language at the user's scale."""
        return fonts.font(self.lang, role, self.scale * factor, bold)

    def t(self, message: str) -> str:
        """``message`` in the interview language: everything inside the question area
        (chips, placeholders) speaks the respondent's language, not the UI's."""
        return translate_in(message, self.lang)


def tinted(label: QLabel, color: str) -> QLabel:
    """``label`` with its text in ``color``."""
    tint(label, color)
    return label


WORD_JOINER = "\u2060"


def _cjk(ch: str) -> bool:
    """Han or kana: written without spaces, so a line may break between any two of them
    (Korean breaks at its spaces)."""
    code = ord(ch)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF \
        or 0x20000 <= code <= 0x2FFFF


def no_orphan(text: str) -> str:
    """``text`` with a WORD JOINER (U+2060, invisible) between its last two CJK characters,
    so a wrapped label never ends on a line holding one character (判 / 断)."""
    end = len(text)
    while end > 0 and not _cjk(text[end - 1]) and not text[end - 1].isspace() \
            and not text[end - 1].isalnum():
        end -= 1  # trailing punctuation (？。」) cannot start a line anyway
    if end >= 2 and _cjk(text[end - 1]) and _cjk(text[end - 2]):
        return text[:end - 1] + WORD_JOINER + text[end - 1:]
    return text


def plain_label(text: str, font: QFont, *, name: str = "") -> QLabel:
    """A word-wrapped plain-text label (questionnaire text is never interpreted as HTML)."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(True)
    widget.setFont(font)
    if name:
        widget.setObjectName(name)
    return widget


class QuestionWidget(Card):
    """One question on screen. Subclasses build :meth:`build_body` and handle keys."""

    answered = Signal(str, object)
    side_by_side = False  # scales in a field-list: label left, scale right

    def __init__(self, ctx: Ctx, key: str, *, compact: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.key = key
        self.slot = ctx.engine.slot(key)
        question = self.slot.element
        assert isinstance(question, Question)
        self.question = question
        self.compact = compact
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.text())
        hint = self.hint()
        if hint:
            self.setAccessibleDescription(hint)
        self._build(hint)
        self.set_value(ctx.engine.answers.get(key))

    # ----- text -------------------------------------------------------------------------
    def text(self) -> str:
        """The question text in the interview language with ${} filled in."""
        return self.ctx.engine.text(self.question.label, self.slot) or self.question.name

    def hint(self) -> str:
        """The hint in the interview language ('' if none)."""
        return self.ctx.engine.text(self.question.hint, self.slot) if self.question.hint \
            else ""

    @property
    def required(self) -> bool:
        """True when the form marks the question as required (now)."""
        return self.ctx.engine.is_required(self.slot)

    # ----- layout -----------------------------------------------------------------------
    def _build(self, hint: str) -> None:
        margin = round(12 * self.ctx.scale) if not self.compact else round(8 * self.ctx.scale)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(margin, margin, margin, margin)
        outer.setSpacing(round(8 * self.ctx.scale))
        head = QVBoxLayout()
        head.setSpacing(2)
        title = QHBoxLayout()
        title.setSpacing(6)
        role = "item" if self.compact else "question"
        if self.required:
            mark = tinted(plain_label("*", self.ctx.font(role, bold=True)), style.ERROR)
            mark.setWordWrap(False)
            mark.setToolTip(_("Required"))
            mark.setAccessibleName(_("Required"))
            title.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        self.label = plain_label(no_orphan(self.text()),
                                 self.ctx.font(role, bold=not self.compact))
        title.addWidget(self.label, 1)
        head.addLayout(title)
        self.hint_label = tinted(plain_label(hint, self.ctx.font("hint")), style.MUTED)
        head.addWidget(self.hint_label)  # parent first: showing a parentless label opens a window
        if not hint:
            self.hint_label.hide()
        if self.question.media:
            from fieldapp.ui.interview.media import media_area

            media = media_area(self.ctx, self.question.media, self.text())
            if media is not None:
                head.addWidget(media)
        head.addStretch(1)
        body = self.build_body()
        self.problem = tinted(plain_label("", self.ctx.font("hint", bold=True)), style.ERROR)
        self.problem.hide()
        if self.side_by_side and self.compact:
            row = QHBoxLayout()
            row.setSpacing(round(16 * self.ctx.scale))
            row.addLayout(head, 2)
            row.addWidget(body, 3)
            outer.addLayout(row)
        else:
            outer.addLayout(head)
            outer.addWidget(body)
        outer.addWidget(self.problem)

    def build_body(self) -> QWidget:
        """The answer controls (subclasses)."""
        return QWidget()

    # ----- state ------------------------------------------------------------------------
    def set_value(self, value: Any) -> None:
        """Show the stored ``value`` (None = unanswered) without emitting anything."""

    def set_problem(self, text: str | None) -> None:
        """Show or clear the message under the question (constraint, required)."""
        self.problem.setText(text or "")
        self.problem.setVisible(bool(text))
        if self.problem_shown != bool(text):
            self.problem_shown = bool(text)
            self.update()

    def pending_problem(self) -> str | None:
        """A problem with typed input that could not be stored (blocks Next)."""
        return None

    def flush(self) -> None:
        """Store typed input now (before navigating or locking)."""

    def focus_target(self) -> QWidget:
        """The widget that takes keyboard focus for this question."""
        return self

    # ----- keys -------------------------------------------------------------------------
    def handle_key(self, event: QKeyEvent) -> bool:
        """Digits / D / R for choices (subclasses); True when handled."""
        return False

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()  # the focus ring

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.handle_key(event):
            event.accept()
        else:
            event.ignore()  # the interview view handles Enter, arrows, Backspace
