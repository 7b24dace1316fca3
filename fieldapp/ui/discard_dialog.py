"""Discarding a draft: name what goes, ask why, and make "keep it" the default."""

from __future__ import annotations

from typing import Any

from fieldapp.i18n import _, format_datetime, ngettext
from fieldapp.ui.qt import QDialog, QDialogButtonBox, QLineEdit, QPushButton, QVBoxLayout, QWidget
from fieldapp.ui.widgets import label


class DiscardDialog(QDialog):
    """Asks for the reason; Enter and Escape keep the draft."""

    def __init__(self, session: Any, interview_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Discard the draft"))
        record = session.interview(interview_id)
        titles = {f.form_id: f.title for f in session.installed_forms()}
        engine, _events = session.read_draft(interview_id)
        answered = sum(1 for slot in engine.question_slots()
                       if slot.element.is_input and slot.key in engine.answers)
        what = ngettext("“{title}”, started {when}, with {n} answer",
                        "“{title}”, started {when}, with {n} answers", answered).format(
            title=titles.get(record.form_id, record.form_id),
            when=format_datetime(record.created_utc), n=answered)
        layout = QVBoxLayout(self)
        layout.addWidget(label(_("Discard {what}?").format(what=what)))
        layout.addWidget(label(_("It disappears from this laptop's lists. It is kept sealed "
                                 "and your supervisor sees it as discarded, with your "
                                 "reason."), name="muted"))
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(_("Why is it discarded? (required)"))
        self.reason_edit.setAccessibleName(_("Reason"))
        layout.addWidget(self.reason_edit)
        buttons = QDialogButtonBox()
        self.keep = QPushButton(_("Keep the draft"))
        self.discard = QPushButton(_("Discard it"))
        buttons.addButton(self.keep, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.discard, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.keep.setDefault(True)
        self.keep.setAutoDefault(True)
        self.discard.setAutoDefault(False)
        self.discard.setEnabled(False)
        self.keep.clicked.connect(self.reject)
        self.discard.clicked.connect(self.accept)
        self.reason_edit.textChanged.connect(
            lambda text: self.discard.setEnabled(bool(text.strip())))
        layout.addWidget(buttons)
        self.reason_edit.setFocus()

    def reason(self) -> str:
        """The reason typed."""
        return self.reason_edit.text().strip()
