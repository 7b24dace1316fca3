"""Review: the interview list, one interview decrypted in memory (question by question in
any of the form's languages, with its paradata indicators and history), approve or send back
with a comment, conflicts side by side, and return bundles for the devices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fieldapp.i18n import UI_LANGUAGES, _
from fieldapp.ui import ops
from fieldapp.ui.qt import (
    QBrush,
    QColor,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from fieldapp.ui.supervisor.common import (
    city_name,
    error_text,
    event_name,
    fill,
    flag_name,
    selected_data,
    status_name,
    table,
)
from fieldapp.ui.supervisor.rows_model import RowsModel, rows_view, selected_key
from fieldapp.ui.supervisor.tab import Tab
from fieldapp.ui.widgets import button, label
from fieldapp.vocabulary import Decision, Status

DIFFERENT = "#FDE2C4"  # background of a differing row in the conflict comparison


def describe_quality(q: Any) -> str:
    """The paradata indicators of one interview, one line each."""
    lines = [
        _("Interviewing time: {net} min (with pauses {gross} min)").format(
            net=f"{q.net_s / 60:.1f}", gross=f"{q.gross_s / 60:.1f}"),
        _("Questions answered: {n}").format(n=q.items),
        _("Batteries answered with one value throughout: {k} of {n}").format(
            k=q.straight, n=q.batteries),
        _("Don't know/refused: {k} of {n}").format(k=q.dk, n=q.dk_base),
        _("Language switches: {n}; resumed: {r} time(s)").format(n=q.switches, r=q.resumes),
        _("Answers changed after send-back: {n}").format(n=q.edits_after_send_back),
    ]
    if q.flags:
        lines.append(_("Flags: {flags}").format(flags=", ".join(flag_name(f) for f in q.flags)))
    return "\n".join(lines)


def _copy_cells(c: Any) -> tuple[Any, ...]:
    return (c.interview_id[:8], c.enumerator, city_name(c.city), c.day, status_name(c.status),
            c.revision)


class ReviewTab(Tab):
    """Emits ``changed`` after a decision or a resolution."""

    changed = Signal()

    def __init__(self, desk: Any, *, lang: str = "en") -> None:
        super().__init__(desk)
        self.lang = lang
        self.current: str | None = None
        layout = QVBoxLayout(self)
        self.inner = QTabWidget()
        layout.addWidget(self.inner)
        self.inner.addTab(self._interviews_page(), _("Interviews"))
        self.inner.addTab(self._conflicts_page(), _("Conflicts"))
        self.inner.addTab(self._returns_page(), _("Send decisions to devices"))

    # ----- interviews ------------------------------------------------------------------
    def _interviews_page(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.status = QComboBox()
        self.status.setAccessibleName(_("Status"))
        for code, text in ((None, _("All but conflicts")),
                           *((s, status_name(s)) for s in (Status.FINALISED, Status.APPROVED,
                                                           Status.SENT_BACK, Status.DISCARDED))):
            self.status.addItem(text, code)
        self.status.currentIndexChanged.connect(lambda _i: self.refresh())
        left_layout.addWidget(self.status)
        self.list_rows = RowsModel([_("Interview"), _("Enumerator"), _("City"), _("Day"),
                                    _("Status"), _("Revision")], _copy_cells,
                                   lambda c: c.interview_id)
        self.list = rows_view(self.list_rows)
        self.list.selectionModel().selectionChanged.connect(lambda *_a: self._picked())
        left_layout.addWidget(self.list, 1)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.title = label(_("Choose an interview."), wrap=True)
        head.addWidget(self.title, 1)
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language"))
        self.language.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.language.currentIndexChanged.connect(lambda _i: self.show_current())
        head.addWidget(self.language)
        rl.addLayout(head)
        self.answers = table([_("Question"), _("Answer")])
        self.answers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.answers.setWordWrap(True)
        self.answers.setTextElideMode(Qt.TextElideMode.ElideNone)
        rl.addWidget(self.answers, 3)
        self.paradata = label("", name="muted")
        rl.addWidget(self.paradata)
        self.history = table([_("When (UTC)"), _("Revision"), _("What"), _("Detail")])
        rl.addWidget(self.history, 1)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(_("Comment for the enumerator (required to send back)"))
        self.comment.setAccessibleName(_("Comment"))
        self.comment.setMaximumHeight(70)
        rl.addWidget(self.comment)
        buttons = QHBoxLayout()
        self.review_message = label("", name="muted")
        buttons.addWidget(self.review_message, 1)
        self.send_back_button = button(_("Send back"))
        self.send_back_button.clicked.connect(lambda: self.decide(Decision.SEND_BACK))
        self.approve_button = button(_("Approve"), name="primary")
        self.approve_button.clicked.connect(lambda: self.decide(Decision.APPROVE))
        buttons.addWidget(self.send_back_button)
        buttons.addWidget(self.approve_button)
        rl.addLayout(buttons)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout.addWidget(split)
        self._set_actions(False)
        return page

    def refresh(self) -> None:
        """Reload the interview list and the conflicts."""
        self.list_rows.set_rows(self.desk.listing(self.status.currentData()))
        self._load_conflicts()

    def select(self, interview_id: str) -> None:
        """Show one interview (e.g. from a quality flag)."""
        self.inner.setCurrentIndex(0)
        for row, copy in enumerate(self.list_rows.rows):
            if copy.interview_id == interview_id:
                self.list.selectRow(row)
                return
        self.status.setCurrentIndex(0)
        self.current = interview_id
        self.show_current()

    def _picked(self) -> None:
        self.current = selected_key(self.list)
        self.comment.clear()
        self.review_message.setText("")
        self.show_current()

    def key_changed(self) -> None:
        self.show_current()  # locked: the answers disappear
        self._show_conflict()

    def show_current(self) -> None:
        """Decrypt the selected interview in memory and show it in the chosen language."""
        self.answers.setRowCount(0)
        self.paradata.setText("")
        iid = self.current
        if iid is None:
            self._set_actions(False)
            return
        state = self.desk.interview(iid)
        self.title.setText(_("Interview {id} · {status} · revision {revision}").format(
            id=iid[:8], status=status_name(state.status), revision=state.revision))
        history = self.desk.history(iid)
        fill(self.history, [(h.at_utc.strftime("%Y-%m-%d %H:%M"), h.revision,
                             event_name(h.event), h.detail) for h in history])
        self._set_actions(state.status == Status.FINALISED)
        if not self.desk.unlocked:
            self.paradata.setText(_("Unlock the project key to read the answers."))
            return
        try:
            lang = self.language.currentData() or self.lang
            copy, _payload, rows = self.desk.answers(iid, lang)
        except Exception as exc:
            self.paradata.setText(error_text(exc))
            return
        self._languages(self.desk.questionnaire(copy.form_id, copy.form_version).languages,
                        lang)
        fill(self.answers, [(r.question, r.answer) for r in rows], [r.key for r in rows])
        self.answers.resizeRowsToContents()  # long questions wrap instead of being cut
        self.paradata.setText(describe_quality(self.desk.interview_quality(iid)))

    def _languages(self, languages: tuple[str, ...], lang: str) -> None:
        self.language.blockSignals(True)
        self.language.clear()
        for code in languages:
            self.language.addItem(UI_LANGUAGES.get(code, code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(lang)))
        self.language.blockSignals(False)

    def _set_actions(self, enabled: bool) -> None:
        self.approve_button.setEnabled(enabled)
        self.send_back_button.setEnabled(enabled)
        self.comment.setEnabled(enabled)

    def decide(self, decision: str) -> None:
        """Approve, or send back with the required comment."""
        iid = self.current
        if iid is None:
            return
        comment = self.comment.toPlainText().strip()
        if decision == Decision.SEND_BACK and not comment:
            self.review_message.setText(_("Write a comment for the enumerator first: what "
                                          "should be checked or corrected?"))
            return
        try:
            self.desk.decide(iid, decision, comment or None)
        except Exception as exc:
            self.review_message.setText(error_text(exc))
            return
        self.comment.clear()
        self.review_message.setText(_("Approved.") if decision == Decision.APPROVE else
                                    _("Sent back with your comment."))
        keep = iid
        self.refresh()
        self.current = keep
        self.show_current()
        self.changed.emit()

    # ----- conflicts -------------------------------------------------------------------
    def _conflicts_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.conflicts = table([_("Interview"), _("Revision"), _("Left record"),
                                _("Right record"), _("Why")])
        self.conflicts.setMaximumHeight(160)
        self.conflicts.itemSelectionChanged.connect(self._show_conflict)
        layout.addWidget(self.conflicts)
        self.compare = table([_("Question"), _("Left"), _("Right")])
        self.compare.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.compare, 1)
        self.conflict_note = label("", name="muted")
        layout.addWidget(self.conflict_note)
        row = QHBoxLayout()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Why this copy is the right one (required)"))
        self.reason.setAccessibleName(_("Reason"))
        row.addWidget(self.reason, 1)
        self.keep_left = button(_("Keep left"))
        self.keep_left.clicked.connect(lambda: self.resolve(0))
        self.keep_right = button(_("Keep right"))
        self.keep_right.clicked.connect(lambda: self.resolve(1))
        row.addWidget(self.keep_left)
        row.addWidget(self.keep_right)
        layout.addLayout(row)
        return page

    def _load_conflicts(self) -> None:
        found = self.desk.conflicts()
        fill(self.conflicts, [(c.interview_id[:8], c.revision, c.record_a, c.record_b, c.reason)
                              for c in found], found)
        self._show_conflict()

    def _show_conflict(self) -> None:
        self.compare.setRowCount(0)
        conflict = selected_data(self.conflicts)
        for widget in (self.keep_left, self.keep_right):
            widget.setEnabled(conflict is not None)
        if conflict is None:
            self.conflict_note.setText(_("No conflict chosen.") if self.conflicts.rowCount()
                                       else _("No open conflicts."))
            return
        if not self.desk.unlocked:
            self.conflict_note.setText(_("Unlock the project key to compare the copies."))
            return
        try:
            rows = self.desk.compare(conflict.interview_id, conflict.record_a,
                                     conflict.record_b, self.lang)
        except Exception as exc:
            self.conflict_note.setText(error_text(exc))
            return
        fill(self.compare, [(r.question, r.left, r.right) for r in rows])
        for index, row in enumerate(rows):
            if row.differs:
                for column in range(3):
                    self.compare.item(index, column).setBackground(QBrush(QColor(DIFFERENT)))
        self.conflict_note.setText(_("{n} answer(s) differ (highlighted).").format(
            n=sum(r.differs for r in rows)))

    def resolve(self, side: int) -> None:
        """Keep one copy, with the required reason."""
        conflict = selected_data(self.conflicts)
        reason = self.reason.text().strip()
        if conflict is None:
            return
        if not reason:
            self.conflict_note.setText(_("Write why you keep this copy first."))
            return
        keep = conflict.record_a if side == 0 else conflict.record_b
        try:
            self.desk.resolve(conflict.interview_id, keep, reason)
        except Exception as exc:
            self.conflict_note.setText(error_text(exc))
            return
        self.reason.clear()
        self.refresh()
        self.conflict_note.setText(_("Resolved: record {record} kept.").format(record=keep))
        self.changed.emit()

    # ----- return bundles ----------------------------------------------------------------
    def _returns_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(label(_("Decisions (approved, sent back with comments) and receipts "
                                 "go back to each laptop in its own return bundle. Choose the "
                                 "shared folder or USB drive the enumerators sync with."),
                               name="muted"))
        row = QHBoxLayout()
        self.returns_folder = QLineEdit()
        self.returns_folder.setAccessibleName(_("Folder for return bundles"))
        choose = button(_("Choose folder…"))
        choose.clicked.connect(self._choose_returns)
        row.addWidget(self.returns_folder, 1)
        row.addWidget(choose)
        layout.addLayout(row)
        self.returns_button = button(_("Send decisions to devices"), name="primary")
        self.returns_button.clicked.connect(self.write_returns)
        layout.addWidget(self.returns_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.returns_table = table([_("File"), _("Enumerator"), _("Decisions")])
        layout.addWidget(self.returns_table, 1)
        self.returns_message = label("", name="muted")
        layout.addWidget(self.returns_message)
        return page

    def _choose_returns(self) -> None:
        path = QFileDialog.getExistingDirectory(self, _("Folder for return bundles"),
                                                str(Path.home()))
        if path:
            self.returns_folder.setText(path)

    def write_returns(self) -> None:
        """Write one return bundle per device that has news, in the background."""
        folder = self.returns_folder.text().strip()
        if not folder:
            self.returns_message.setText(_("Choose a folder first."))
            return
        if not self.desk.unlocked:
            self.returns_message.setText(_("Unlock the project key first."))
            return
        self.returns_button.setEnabled(False)
        self.returns_message.setText(_("Writing…"))
        desk = self.desk

        def done(written: list[Any]) -> None:
            self.returns_button.setEnabled(True)
            fill(self.returns_table, [(w.path.name, w.enumerator, w.decisions)
                                      for w in written])
            self.returns_message.setText(
                _("{n} return bundle(s) written to {folder}.").format(n=len(written),
                                                                     folder=folder)
                if written else _("Nothing new to send."))

        def failed(exc: BaseException) -> None:
            self.returns_button.setEnabled(True)
            self.returns_message.setText(error_text(exc))

        ops.run_op(self, lambda: desk.write_returns(Path(folder)), done, failed)
