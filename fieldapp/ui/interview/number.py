"""Integer and decimal questions: a spin-like line edit (↑/↓ step by one) with an immediate
constraint message, and secondary don't-know / refused codes (D / R) when the form has them."""

from __future__ import annotations

from collections.abc import Callable

from fieldapp.i18n import N_, _, format_number
from fieldapp.interview.values import InvalidValue
from fieldapp.ui.interview.paint import ChoiceButton
from fieldapp.ui.interview.typed import TypedQuestion
from fieldapp.ui.qt import (
    QHBoxLayout,
    QKeyEvent,
    QLineEdit,
    QRegularExpression,
    QRegularExpressionValidator,
    Qt,
    QWidget,
)


def missing_label(index: int, code: str, translate: Callable[[str], str] = _) -> str:
    """'D · Don't know (998)' / 'R · Refused (999)' (in the interview language when given
    the question context's ``t``)."""
    if index == 0:
        return translate(N_("D · Don't know ({code})")).format(code=code)
    return translate(N_("R · Refused ({code})")).format(code=code)


class NumberWidget(TypedQuestion):
    """Integer / decimal input."""

    def configure(self, editor: QLineEdit) -> None:
        pattern = r"-?\d*" if self.question.type == "integer" else r"-?\d*[.,]?\d*"
        editor.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), editor))
        editor.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        editor.setPlaceholderText(self.ctx.t(N_("Number")))

    @property
    def missing_codes(self) -> list[str]:
        """Codes that mean don't know / refused for this question (may be empty)."""
        return self.question.extra.get("missing", "").split()[:2]

    def wrap_editor(self, editor: QLineEdit) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(round(10 * self.ctx.scale))
        editor.setFixedWidth(round(220 * self.ctx.scale))
        row.addWidget(editor)
        for index, code in enumerate(self.missing_codes):
            widget = ChoiceButton(missing_label(index, format_number(int(code), self.ctx.lang)
                                                if code.isdigit() else code, self.ctx.t),
                                  "missing", self.ctx.scale)
            widget.setCheckable(False)
            widget.setFont(self.ctx.font("hint"))
            widget.setAccessibleName(widget.text())
            widget.clicked.connect(lambda _c=False, c=code: self.set_code(c))
            row.addWidget(widget)
        row.addStretch(1)
        return holder

    def set_code(self, code: str) -> None:
        """Enter a missing-value code and store it at once."""
        self.editor.setText(code)
        self.editor.setFocus()
        self._edited(code)
        self.flush()

    def editor_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier
                                 | Qt.KeyboardModifier.KeypadModifier):
            return False
        key = event.key()
        codes = self.missing_codes
        if key == Qt.Key.Key_D and codes:
            self.set_code(codes[0])
            return True
        if key == Qt.Key.Key_R and len(codes) > 1:
            self.set_code(codes[1])
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            return self._step(1 if key == Qt.Key.Key_Up else -1)
        return False

    def _step(self, delta: int) -> bool:
        try:
            value = self.parse(self.editor.text())
        except InvalidValue:
            return False
        if not isinstance(value, (int, float)):
            value = 0 if delta > 0 else None
            if value is None:
                return True
        text = self.display(value + delta)
        self.editor.setText(text)
        self._edited(text)
        return True
