"""Interview footer: Back, Remove entry, Close (draft kept), Review, Next."""

from __future__ import annotations

from fieldapp.i18n import _
from fieldapp.ui import style
from fieldapp.ui.qt import QFrame, QHBoxLayout
from fieldapp.ui.widgets import button


class InterviewFooter(QFrame):
    """The navigation buttons; Enter on a focused button presses it."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("footer")
        self.setStyleSheet(style.stylesheet())
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 10, 20, 10)
        self.back = button(_("← Back"))
        self.remove = button(_("Remove this entry"))
        self.close_draft = button(_("Close (draft is kept)"))
        self.review = button(_("Review all answers"))
        self.next = button(_("Next →"), name="primary")
        for widget in self.buttons():
            widget.setAutoDefault(True)
        row.addWidget(self.back)
        row.addWidget(self.remove)
        row.addStretch(1)
        row.addWidget(self.close_draft)
        row.addWidget(self.review)
        row.addWidget(self.next)

    def buttons(self) -> list:  # type: ignore[type-arg]
        """In tab order."""
        return [self.back, self.remove, self.close_draft, self.review, self.next]

    def on_page(self, position: int, total: int, removable: bool) -> None:
        """State for a question page."""
        self.back.setEnabled(position > 1)
        self.next.setEnabled(True)
        self.review.setEnabled(True)
        self.set_progress(position, total)
        self.remove.setVisible(removable)

    def set_progress(self, position: int, total: int) -> None:
        """"Review →" instead of "Next →" on the last page."""
        self.next.setText(_("Review →") if position >= total else _("Next →"))

    def on_review(self) -> None:
        """State while the review list is shown."""
        self.next.setEnabled(False)
        self.review.setEnabled(False)
        self.remove.hide()
