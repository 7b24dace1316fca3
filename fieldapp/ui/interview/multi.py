"""Select-multiple questions: number keys toggle choices; a missing code clears the others."""

from __future__ import annotations

from typing import Any

from fieldapp.i18n import _
from fieldapp.questionnaire.model import Choice
from fieldapp.ui.interview.choices import ChoiceQuestion
from fieldapp.ui.qt import QVBoxLayout, QWidget


class SelectMultipleWidget(ChoiceQuestion):
    """Toggle buttons; the stored value is the tuple of chosen codes."""

    def _chosen(self) -> tuple[str, ...]:
        value = self.ctx.engine.answers.get(self.key)
        return tuple(value) if isinstance(value, tuple) else ()

    def choose(self, choice: Choice) -> None:
        """Toggle ``choice``; don't know / refused stand alone."""
        current = list(self._chosen())
        if choice.missing:
            new = [] if current == [choice.name] else [choice.name]
        else:
            current = [n for n in current if n not in {c.name for c in self.missing}]
            new = [n for n in current if n != choice.name] if choice.name in current \
                else [*current, choice.name]
        self.answered.emit(self.key, tuple(new) or None)

    def set_value(self, value: Any) -> None:
        chosen = set(value) if isinstance(value, tuple) else set()
        for name, widget in self.buttons.items():
            widget.setChecked(name in chosen)

    def _digit(self, digit: int) -> bool:
        if 1 <= digit <= min(9, len(self.points)):
            self.choose(self.points[digit - 1])
            return True
        return False

    def build_body(self) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(round(6 * self.ctx.scale))
        for index, choice in enumerate(self.points, start=1):
            key = str(index) if index <= 9 else " "
            widget = self.make_button(choice, _("{key}   {label}").format(
                key=key, label=self.choice_text(choice)))
            widget.setFont(self.ctx.font("choice"))
            layout.addWidget(widget)
        holder.setMaximumWidth(round(760 * self.ctx.scale))
        if self.missing:
            layout.addWidget(self.missing_row())
        return holder
