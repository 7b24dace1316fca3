"""Select-one questions: big choice buttons answered by number keys; D / R for the missing codes.

Choice buttons take no keyboard focus: the question is one Tab stop (like a radio group)
and its keys pick the choice, so every answer is one keystroke. Lists longer than nine
take two digits typed quickly ("1", "2" → choice 12).
"""

from __future__ import annotations

from typing import Any

from fieldapp.i18n import _
from fieldapp.questionnaire.model import Choice, text_for
from fieldapp.ui.interview.base import DIGIT_KEYS, QuestionWidget
from fieldapp.ui.interview.paint import ChoiceButton
from fieldapp.ui.qt import (
    QGridLayout,
    QHBoxLayout,
    QKeyEvent,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)

MISSING_KEYS = (Qt.Key.Key_D, Qt.Key.Key_R)
MISSING_LETTERS = ("D", "R")
TYPE_AHEAD_MS = 900


class ChoiceQuestion(QuestionWidget):
    """Common keyboard and button logic of single-choice questions."""

    def __init__(self, ctx: Any, key: str, *, compact: bool = False) -> None:
        choices = ctx.engine.choices_for(key)
        self.points: list[Choice] = [c for c in choices if not c.missing]
        self.missing: list[Choice] = [c for c in choices if c.missing][:2]
        self.buttons: dict[str, ChoiceButton] = {}
        self._typed = ""
        self._typing = QTimer()
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPE_AHEAD_MS)
        self._typing.timeout.connect(self._reset_typing)
        super().__init__(ctx, key, compact=compact)

    def choice_text(self, choice: Choice) -> str:
        """A choice label in the interview language."""
        engine = self.ctx.engine
        return text_for(choice.label, engine.language, engine.form.default_language) \
            or choice.name

    def make_button(self, choice: Choice, text: str, kind: str = "choice") -> ChoiceButton:
        """A checkable, focus-less button that answers with ``choice``."""
        widget = ChoiceButton(text, kind, self.ctx.scale)
        widget.setAccessibleName(self.choice_text(choice))
        if choice.media:
            from fieldapp.ui.interview.media import media_name, pixmap, scaled

            picture = pixmap(self.ctx.engine.form.media_file(
                media_name(self.ctx, choice.media, "image")))
            if picture is not None:
                widget.set_picture(scaled(picture, self.ctx, (120, 90)))
        widget.clicked.connect(lambda _checked=False, c=choice: self._clicked(c))
        self.buttons[choice.name] = widget
        return widget

    def missing_row(self, *, vertical: bool = False) -> QWidget:
        """The secondary don't-know / refused buttons with their key letters."""
        holder = QWidget()
        row = QVBoxLayout(holder) if vertical else QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4 if vertical else 8)
        for letter, choice in zip(MISSING_LETTERS, self.missing, strict=False):
            text = _("{key} · {label}").format(key=letter, label=self.choice_text(choice))
            widget = self.make_button(choice, text, "missing")
            widget.setFont(self.ctx.font("hint"))
            row.addWidget(widget)
        row.addStretch(1)
        return holder

    def _clicked(self, choice: Choice) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.choose(choice)

    def choose(self, choice: Choice) -> None:
        """Ask the view to store ``choice`` (the display follows the stored value)."""
        self.answered.emit(self.key, choice.name)

    def set_value(self, value: Any) -> None:
        for name, widget in self.buttons.items():
            widget.setChecked(name == value)

    # ----- keys -------------------------------------------------------------------------
    def handle_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier
                                 | Qt.KeyboardModifier.ShiftModifier):
            return False
        key = event.key()
        if key in DIGIT_KEYS:
            return self._digit(DIGIT_KEYS[key])
        for letter_key, choice in zip(MISSING_KEYS, self.missing, strict=False):
            if key == letter_key:
                self.choose(choice)
                return True
        return False

    def _digit(self, digit: int) -> bool:
        count = len(self.points)
        if count <= 9:
            if 1 <= digit <= count:
                self.choose(self.points[digit - 1])
                return True
            return False
        typed = self._typed + str(digit)
        if not 1 <= int(typed) <= count:
            typed = str(digit)
            if not 1 <= digit <= count:
                self._reset_typing()
                return False
        self._typed = typed
        self.choose(self.points[int(typed) - 1])
        if int(typed) * 10 > count:
            self._reset_typing()
        else:
            self._typing.start()
        return True

    def typing(self) -> bool:
        """True while a two-digit choice number is being typed (the first digit is in)."""
        return self._typing.isActive()

    def _reset_typing(self) -> None:
        self._typed = ""
        self._typing.stop()


class SelectOneWidget(ChoiceQuestion):
    """A list of choices: one column, or several for long lists (districts)."""

    def build_body(self) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(round(8 * self.ctx.scale))
        grid = QGridLayout()
        grid.setHorizontalSpacing(round(8 * self.ctx.scale))
        grid.setVerticalSpacing(round(6 * self.ctx.scale))
        count = len(self.points)
        if "horizontal" in self.question.appearances:
            columns = max(1, count)
        else:
            columns = 1 if count <= 8 else (count + 8) // 9
        rows = (count + columns - 1) // columns
        for index, choice in enumerate(self.points):
            text = _("{key}   {label}").format(key=index + 1, label=self.choice_text(choice))
            widget = self.make_button(choice, text)
            widget.setFont(self.ctx.font("choice"))
            grid.addWidget(widget, index % rows, index // rows)
        layout.addLayout(grid)
        if columns == 1 and not self.compact:
            for column in range(columns):
                grid.setColumnStretch(column, 1)
            holder.setMaximumWidth(round(760 * self.ctx.scale))
        if self.missing:
            layout.addWidget(self.missing_row())
        return holder
