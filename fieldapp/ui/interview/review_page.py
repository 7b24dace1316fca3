"""Review before finalising: every answer, unanswered required items highlighted, Enter or a
click jumps back; finalising asks for confirmation because the interview is then sealed."""

from __future__ import annotations

from fieldapp.i18n import _, ngettext
from fieldapp.interview.review_items import ReviewItem, review_items
from fieldapp.ui import fonts, style
from fieldapp.ui.interview.base import Ctx
from fieldapp.ui.qt import (
    QAbstractItemView,
    QColor,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QListWidget,
    QListWidgetItem,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from fieldapp.ui.widgets import button, label

ROLE_KEY = Qt.ItemDataRole.UserRole
MISSING_BG = QColor("#fde7e5")
MISSING_FG = QColor("#8c1d17")
SECTION_BG = QColor("#eef1f5")


class ReviewView(QWidget):
    """All answers of the interview; emits ``jump(key)``, ``back()`` or ``finalise()``."""

    jump = Signal(str)
    back = Signal()
    finalise = Signal()

    def __init__(self, ctx: Ctx) -> None:
        super().__init__()
        self.ctx = ctx
        self.items = review_items(ctx.engine)
        self.setStyleSheet(style.stylesheet())
        layout = QVBoxLayout(self)

        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        problems = [i for i in self.items if i.problem]
        missing = sum(1 for i in problems if i.missing)
        layout.addWidget(label(_("Review the answers before finalising"),
                               font=fonts.font(ctx.lang, "title", ctx.scale, bold=True)))
        if problems:
            summary = ngettext("{n} question still needs attention (highlighted). Press "
                               "Enter on it to go back.",
                               "{n} questions still need attention (highlighted). Press "
                               "Enter on one to go back.", len(problems)).format(n=len(problems))
        else:
            summary = _("All required questions are answered. Press Enter on any answer to "
                        "change it.")
        self.summary = label(summary, name="error" if problems else "muted")
        layout.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Answers"))
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFont(ctx.font("hint", factor=1.1))
        self._fill()
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        layout.addWidget(self.list, 1)
        layout.addWidget(self._confirm_panel())
        row = QHBoxLayout()
        self.back_button = button(_("Back to the questions"))
        self.finalise_button = button(_("Finalise…"), name="primary")
        self.finalise_button.setEnabled(missing == 0 and not problems)
        for widget in (self.back_button, self.finalise_button):
            widget.setAutoDefault(True)
        self.back_button.clicked.connect(self.back)
        self.finalise_button.clicked.connect(self.ask)
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.finalise_button)
        layout.addLayout(row)
        self.setFocusProxy(self.list)

    def _fill(self) -> None:
        section = None
        for item in self.items:
            if item.section != section:
                section = item.section
                if section:
                    head = QListWidgetItem(section)
                    head.setFlags(Qt.ItemFlag.NoItemFlags)
                    head.setBackground(SECTION_BG)
                    head.setFont(self.ctx.font("hint", bold=True, factor=1.1))
                    head.setForeground(QColor("#2b3340"))
                    self.list.addItem(head)
            if item.is_note:
                continue
            entry = QListWidgetItem(self._text(item))
            entry.setData(ROLE_KEY, item.key)
            if item.problem:
                entry.setBackground(MISSING_BG)
                entry.setForeground(MISSING_FG)
                entry.setToolTip(item.problem)
            self.list.addItem(entry)
        rows = [r for r in range(self.list.count()) if self.list.item(r).data(ROLE_KEY)]
        missing = [r for r in rows if self.list.item(r).background().color() == MISSING_BG]
        if rows:
            self.list.setCurrentRow((missing or rows[-1:])[0])

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        current = self.list.currentItem()
        if current is not None:  # once laid out, so the scroll position is right
            self.list.scrollToItem(current, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _text(self, item: ReviewItem) -> str:
        if item.missing:
            answer = _("Not answered: {problem}").format(problem=item.problem)
        elif item.problem:
            answer = _("{answer} — {problem}").format(answer=item.answer, problem=item.problem)
        else:
            answer = item.answer or _("(no answer)")
        return _("{question}\n    → {answer}").format(question=item.label, answer=answer)

    def _activated(self, entry: QListWidgetItem) -> None:
        key = entry.data(ROLE_KEY)
        if key:
            self.jump.emit(str(key))

    def _confirm_panel(self) -> QFrame:
        self.confirm = QFrame()
        self.confirm.setObjectName("confirm")
        layout = QVBoxLayout(self.confirm)
        layout.addWidget(label(_("Finalising seals this interview with the project key. After "
                                 "that nobody on this laptop can read or change it; only "
                                 "the supervisor can open it. Finalise now?")))
        row = QHBoxLayout()
        self.cancel_button = button(_("Cancel"))
        self.seal_button = button(_("Finalise and seal"), name="danger")
        self.cancel_button.setAutoDefault(True)
        self.seal_button.setAutoDefault(True)
        self.cancel_button.clicked.connect(self._cancel)
        self.seal_button.clicked.connect(self.finalise)
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.seal_button)
        layout.addLayout(row)
        self.confirm.hide()
        return self.confirm

    def ask(self) -> None:
        """Show the confirmation (focus on "Finalise and seal")."""
        if not self.finalise_button.isEnabled():
            return
        self.confirm.show()
        self.seal_button.setFocus()

    def _cancel(self) -> None:
        self.confirm.hide()
        self.list.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # the list already acted on it; never reaches the page view
        elif event.key() == Qt.Key.Key_Escape and self.confirm.isVisible():
            self._cancel()
            event.accept()
        elif event.key() == Qt.Key.Key_F and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.ask()
            event.accept()
        else:
            super().keyPressEvent(event)
