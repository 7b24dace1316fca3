"""Acknowledge, typed coordinates and barcodes."""

from __future__ import annotations

from typing import Any

from fieldapp.i18n import N_, _
from fieldapp.interview.values_more import ACKNOWLEDGED
from fieldapp.ui.interview.base import DIGIT_KEYS, QuestionWidget
from fieldapp.ui.interview.paint import ChoiceButton
from fieldapp.ui.interview.typed import TextWidget, TypedQuestion
from fieldapp.ui.qt import QKeyEvent, QLineEdit, Qt, QVBoxLayout, QWidget


class AcknowledgeWidget(QuestionWidget):
    """One button: the enumerator confirms (stored as ``OK``); 1 or Space presses it."""

    def build_body(self) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        self.button = ChoiceButton(_("1   OK"), "choice", self.ctx.scale)
        self.button.setFont(self.ctx.font("choice"))
        self.button.setAccessibleName(_("OK"))
        self.button.setMaximumWidth(round(320 * self.ctx.scale))
        self.button.clicked.connect(self.toggle)
        layout.addWidget(self.button)
        return holder

    def toggle(self) -> None:
        """Acknowledge, or take the acknowledgement back."""
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        current = self.ctx.engine.answers.get(self.key)
        self.answered.emit(self.key, None if current == ACKNOWLEDGED else ACKNOWLEDGED)

    def set_value(self, value: Any) -> None:
        self.button.setChecked(value == ACKNOWLEDGED)

    def handle_key(self, event: QKeyEvent) -> bool:
        if DIGIT_KEYS.get(event.key()) == 1 or event.key() == Qt.Key.Key_Space:
            self.toggle()
            return True
        return False


class GeoWidget(TypedQuestion):
    """Coordinates typed in (a laptop has no GPS): ``lat lon``, points separated by ``;``."""

    @property
    def placeholder(self) -> str:  # type: ignore[override]
        if self.question.type in ("geotrace", "geoshape"):
            return self.ctx.t(N_("lat lon; lat lon; … (e.g. 37.5665 126.978; 37.57 126.98)"))
        return self.ctx.t(N_("latitude longitude (e.g. 37.5665 126.978)"))

    def configure(self, editor: QLineEdit) -> None:
        editor.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)

    def display(self, value: Any) -> str:
        return str(value)


class BarcodeWidget(TextWidget):
    """A barcode typed in, or entered by a USB reader that types it."""

    placeholder = ""

    def configure(self, editor: QLineEdit) -> None:
        editor.setPlaceholderText(self.ctx.t(N_("Type the code (or scan it with a reader)")))
        editor.setMaximumWidth(round(420 * self.ctx.scale))
