"""Notes (text read to the respondent) and the "add another entry?" page of a roster."""

from __future__ import annotations

from typing import Any

from fieldapp.i18n import _
from fieldapp.ui import style
from fieldapp.ui.interview.base import QuestionWidget, plain_label, tinted
from fieldapp.ui.interview.paint import Card, ChoiceButton
from fieldapp.ui.qt import QFocusEvent, QKeyEvent, Qt, QVBoxLayout, QWidget, Signal


class NoteWidget(QuestionWidget):
    """A note: text only, nothing to answer, not a Tab stop."""

    def __init__(self, ctx: Any, key: str, *, compact: bool = False) -> None:
        super().__init__(ctx, key, compact=compact)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.label.setFont(ctx.font("question"))


class RepeatPrompt(Card):
    """Asks whether to add another entry to a roster: A (or +) adds, Enter goes on."""

    add_requested = Signal()

    def __init__(self, ctx: Any, title: str, count: int) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        margin = round(16 * ctx.scale)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.addWidget(plain_label(title, ctx.font("question", bold=True)))
        status = _("Entries so far: {n}").format(n=count)
        layout.addWidget(tinted(plain_label(status, ctx.font("hint")), style.MUTED))
        layout.addWidget(tinted(plain_label(_("Press A to add an entry, or Enter to continue."),
                                            ctx.font("hint")), style.MUTED))
        self.add_button = ChoiceButton(_("A · Add an entry"), "choice", ctx.scale)
        self.add_button.setCheckable(False)
        self.add_button.setAccessibleName(self.add_button.text())
        self.add_button.setFont(ctx.font("choice"))
        self.add_button.setMaximumWidth(round(420 * ctx.scale))
        self.add_button.clicked.connect(self.add_requested)
        layout.addWidget(self.add_button)
        self.setAccessibleName(title)
        self.setAccessibleDescription(status)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_A, Qt.Key.Key_Plus, Qt.Key.Key_Insert):
            event.accept()
            self.add_requested.emit()
        else:
            event.ignore()

    def focus_target(self) -> QWidget:
        """This prompt takes the keyboard focus."""
        return self
