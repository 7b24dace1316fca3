"""Quality: indicators per enumerator and per interview from the paradata (definitions in
docs/quality.md). Computed in the background with the key, cached per sealed copy; each
flagged interview opens on the Review tab (double-click)."""

from __future__ import annotations

from typing import Any

from fieldapp.i18n import _
from fieldapp.ui.qt import QCheckBox, QHBoxLayout, QProgressBar, QSplitter, Qt, QVBoxLayout, Signal
from fieldapp.ui.supervisor.common import (
    Task,
    city_name,
    error_text,
    fill,
    flag_name,
    table,
)
from fieldapp.ui.supervisor.rows_model import RowsModel, rows_view, selected_key
from fieldapp.ui.supervisor.tab import Tab
from fieldapp.ui.widgets import button, label


def minutes(seconds: float) -> str:
    """Seconds as minutes with one decimal."""
    return f"{seconds / 60:.1f}"


def percent(share: float) -> str:
    """A share as a whole percentage."""
    return f"{100 * share:.0f}%"


def _interview_cells(q: Any) -> tuple[Any, ...]:
    return (q.interview_id[:8], q.enumerator, minutes(q.net_s), q.items,
            f"{q.straight}/{q.batteries}", f"{q.dk}/{q.dk_base}", q.switches,
            q.edits_after_send_back, ", ".join(flag_name(f) for f in q.flags))


class QualityTab(Tab):
    """Emits ``open_interview(id)`` when a flagged interview is opened."""

    open_interview = Signal(str)

    def __init__(self, desk: Any) -> None:
        super().__init__(desk)
        self.report: Any = None
        self.task: Task | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.compute_button = button(_("Compute indicators"), name="primary")
        self.compute_button.clicked.connect(self.compute)
        row.addWidget(self.compute_button)
        self.flagged_only = QCheckBox(_("Only flagged interviews"))
        self.flagged_only.setChecked(True)
        self.flagged_only.toggled.connect(lambda _c: self._show())
        row.addWidget(self.flagged_only)
        self.progress = QProgressBar()
        self.progress.hide()
        row.addWidget(self.progress, 1)
        row.addStretch(1)
        self.cancel_button = button(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.message = label(_("Every flag is a reason to look, not proof of a problem. "
                               "See docs/quality.md for each definition."), name="muted")
        layout.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Vertical)
        self.enumerators = table([_("Enumerator"), _("City"), _("Interviews"),
                                  _("Median minutes"), _("Too fast"), _("Straight-lining"),
                                  _("Don't know/refused"), _("Language switches"),
                                  _("Edits after send-back"), _("Flagged interviews"),
                                  _("Flags")])
        split.addWidget(self.enumerators)
        self.interview_rows = RowsModel(
            [_("Interview"), _("Enumerator"), _("Minutes"), _("Questions"),
             _("Straight-lined batteries"), _("Don't know/refused"), _("Language switches"),
             _("Edits after send-back"), _("Flags")], _interview_cells,
            lambda q: q.interview_id)
        self.interviews = rows_view(self.interview_rows)
        self.interviews.doubleClicked.connect(lambda _i: self._open())
        split.addWidget(self.interviews)
        layout.addWidget(split, 1)
        open_row = QHBoxLayout()
        open_row.addStretch(1)
        self.open_button = button(_("Open in Review"))
        self.open_button.clicked.connect(self._open)
        open_row.addWidget(self.open_button)
        layout.addLayout(open_row)

    def key_changed(self) -> None:
        if not self.desk.unlocked:
            self.report = None
            self._show()

    def invalidate(self) -> None:
        """New interviews arrived: the next computation includes them."""
        if self.report is not None:
            self.message.setText(_("New data at the hub: compute again to include it."))

    def compute(self) -> None:
        """Measure every interview in the background (cached ones are not decrypted again)."""
        if not self.desk.unlocked:
            self.message.setText(_("Unlock the project key first."))
            return
        if self.task is not None:
            return
        desk = self.desk
        self._busy(True)

        def work(report, cancelled) -> Any:
            return desk.quality(progress=lambda done, total: report((done, total)),
                                cancelled=cancelled)

        self.task = Task(self, work, self._step, self._done, self._failed)

    def _step(self, step: tuple[int, int]) -> None:
        self.progress.setRange(0, step[1])
        self.progress.setValue(step[0])

    def _done(self, report: Any) -> None:
        cancelled = self.task is not None and self.task.cancelled
        self._busy(False)
        self.report = None if cancelled else report
        self.message.setText(_("Cancelled.") if cancelled else _(
            "{n} interview(s), {k} flagged. Every flag is a reason to look, not proof of a "
            "problem.").format(n=len(report.interviews),
                               k=sum(bool(q.flags) for q in report.interviews))
            + ("" if cancelled or not report.unreadable else " " + report.note()))
        self._show()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.message.setText(error_text(exc))

    def cancel(self) -> None:
        """Stop measuring."""
        if self.task is not None:
            self.task.cancel()

    def _busy(self, busy: bool) -> None:
        if not busy:
            self.task = None
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.compute_button.setEnabled(not busy)

    def _show(self) -> None:
        report = self.report
        if report is None:
            fill(self.enumerators, [])
            self.interview_rows.set_rows([])
            return
        fill(self.enumerators, [
            (e.enumerator, city_name(e.city), e.interviews, minutes(e.median_net_s),
             percent(e.too_fast_share), percent(e.straight_share), percent(e.dk_rate),
             f"{e.switches:.1f}", e.edits_after_send_back, e.flagged_interviews,
             ", ".join(flag_name(f) for f in e.flags)) for e in report.enumerators])
        everything = not self.flagged_only.isChecked()
        self.interview_rows.set_rows([q for q in report.interviews if everything or q.flags])

    def _open(self) -> None:
        iid = selected_key(self.interviews)
        if iid:
            self.open_interview.emit(iid)
