"""Typed answers (numbers, text, dates): a line edit checked on every keystroke.

The constraint message appears as soon as the typed value breaks the rule. Valid input is
stored after a short pause (and at once before navigating or locking), so the "saved" sign
means the typed value itself is durable.
"""

from __future__ import annotations

from typing import Any

from fieldapp.i18n import N_, _
from fieldapp.interview.errors import AnswerError
from fieldapp.interview.values import InvalidValue, Value, convert
from fieldapp.ui.interview.base import QuestionWidget
from fieldapp.ui.qt import QFocusEvent, QKeyEvent, QLineEdit, Qt, QTimer, QWidget

COMMIT_DELAY_MS = 350


class Editor(QLineEdit):
    """A line edit that lets its question handle a few keys first."""

    def __init__(self, owner: TypedQuestion) -> None:
        super().__init__()
        self.owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.owner.editor_key(event):
            event.accept()
            return
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            event.ignore()  # the view moves between questions

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.owner.update()  # the card's focus ring

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.owner.update()


class TypedQuestion(QuestionWidget):
    """Base of line-edit questions."""

    placeholder = ""

    def __init__(self, ctx: Any, key: str, *, compact: bool = False) -> None:
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMMIT_DELAY_MS)
        self._timer.timeout.connect(self._commit)
        self._loading = False
        super().__init__(ctx, key, compact=compact)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusProxy(self.editor)

    def build_body(self) -> QWidget:
        self.editor = Editor(self)
        self.editor.setFont(self.ctx.font("choice"))
        self.editor.setMinimumHeight(round(42 * self.ctx.scale))
        self.editor.setTextMargins(6, 0, 6, 0)
        self.editor.setAccessibleName(self.text())
        if self.placeholder:
            self.editor.setPlaceholderText(self.placeholder)
        self.editor.textEdited.connect(self._edited)
        self.configure(self.editor)
        return self.wrap_editor(self.editor)

    def configure(self, editor: QLineEdit) -> None:
        """Validators and input hints (subclasses)."""

    def wrap_editor(self, editor: QLineEdit) -> QWidget:
        """Place the editor (subclasses add buttons)."""
        editor.setMaximumWidth(round(640 * self.ctx.scale))
        return editor

    def editor_key(self, event: QKeyEvent) -> bool:
        """Keys the question handles before the line edit (subclasses)."""
        return False

    def focus_target(self) -> QWidget:
        return self.editor

    # ----- values -----------------------------------------------------------------------
    def parse(self, text: str) -> Value:
        """The typed text as a stored value (InvalidValue if it cannot be one)."""
        return convert(self.question, text) if text.strip() else None

    def check(self, text: str) -> str | None:
        """Why ``text`` cannot be stored, in the interview or UI language, or None."""
        try:
            value = self.parse(text)
            self.ctx.engine.check_value(self.key, value)
        except InvalidValue as exc:
            return _(str(exc))
        except AnswerError as exc:
            return exc.reason
        return None

    def _edited(self, text: str) -> None:
        problem = self.check(text)
        self.set_problem(problem)
        if problem is None:
            self._timer.start()
        else:
            self._timer.stop()

    def _commit(self) -> None:
        self._timer.stop()
        text = self.editor.text()
        if self.check(text) is not None:
            return
        value = self.parse(text)
        if value != self.ctx.engine.answers.get(self.key):
            self.answered.emit(self.key, value)

    def flush(self) -> None:
        if self._timer.isActive():
            self._commit()

    def pending_problem(self) -> str | None:
        return self.check(self.editor.text())

    def set_value(self, value: Any) -> None:
        current = self.editor.text()
        try:
            if self.parse(current) == value:
                return  # keep the cursor where the enumerator is typing
        except InvalidValue:
            pass
        self.editor.setText("" if value is None else self.display(value))

    def display(self, value: Any) -> str:
        """How a stored value is written in the editor."""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


class TextWidget(TypedQuestion):
    """Free text (input methods work as in any Qt line edit)."""

    def parse(self, text: str) -> Value:
        return text if text.strip() else None


class DateWidget(TypedQuestion):
    """A date typed as YYYY-MM-DD (also used for time and date-time, in ISO form)."""

    @property
    def placeholder(self) -> str:  # type: ignore[override]
        text = {"date": N_("YYYY-MM-DD"), "time": N_("HH:MM")}.get(self.question.type,
                                                                     N_("YYYY-MM-DD HH:MM"))
        return self.ctx.t(text)

    def configure(self, editor: QLineEdit) -> None:
        editor.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
        editor.setMaximumWidth(round(260 * self.ctx.scale))
