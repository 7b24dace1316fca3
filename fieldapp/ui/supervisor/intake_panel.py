"""Uploads from devices (a central PostgreSQL hub only): devices online insert their signed
bundles into the hub's intake; this panel checks and applies them (the checks of a bundle
file, one bundle per transaction, in batches so cancelling stops between bundles) and lists
every upload with its outcome. ``fieldapp hub intake`` does the same from the command line
or as a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fieldapp.clock import parse_utc
from fieldapp.i18n import N_, _, format_datetime
from fieldapp.ui.qt import QHBoxLayout, QProgressBar, QVBoxLayout, QWidget
from fieldapp.ui.supervisor.common import Task, error_text, fill, table
from fieldapp.ui.widgets import button, label

BATCH = 20
INTAKE_STATUS = {"pending": N_("Waiting"), "applied": N_("Added"), "rejected": N_("Rejected")}


class IntakePanel(QWidget):
    """``changed()`` is called after a pass that added interviews to the hub."""

    def __init__(self, desk: Any, changed: Callable[[], None]) -> None:
        super().__init__()
        self.desk = desk
        self.changed = changed
        self.task: Task | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label(_("Uploads from devices connected to this database. Adding them "
                                 "checks each one as a bundle file is checked."),
                               name="muted", wrap=True))
        self.table = table([_("Received"), _("Device"), _("Status"), _("Reason")])
        layout.addWidget(self.table, 1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        self.message = label("", name="muted", wrap=True)
        row.addWidget(self.message, 1)
        self.refresh_button = button(_("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.cancel_button = button(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.process_button = button(_("Add the uploads"), name="primary")
        self.process_button.clicked.connect(self.process)
        for widget in (self.refresh_button, self.cancel_button, self.process_button):
            row.addWidget(widget)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        """List every upload (newest first) and how many wait."""
        try:
            rows = list(reversed(self.desk.intake()))
        except Exception as exc:  # a lost connection: say it, keep the screen
            self.message.setText(error_text(exc))
            return
        fill(self.table, [(_when(r.received_utc), r.device_role,
                           _(INTAKE_STATUS.get(r.status, r.status)), r.reason or "")
                          for r in rows])
        waiting = sum(r.status == "pending" for r in rows)
        self.process_button.setEnabled(waiting > 0 and self.task is None)
        if self.task is None:
            self.message.setText(_("{n} upload(s) waiting.").format(n=waiting))

    def process(self) -> None:
        """Check and add every waiting upload in the background."""
        if self.task is not None:
            return
        desk = self.desk

        def work(report: Callable[[Any], None], cancelled: Callable[[], bool]) -> Any:
            added = rejected = 0
            while not cancelled():
                done = desk.process_intake(limit=BATCH)
                if not done.processed:
                    break
                added += len(done.applied)
                rejected += len(done.rejected)
                report((added, rejected))
            return added, rejected

        self._busy(True)
        self.message.setText(_("Adding the uploads…"))
        self.task = Task(self, work, self._step, self._done, self._failed)

    def _step(self, counts: tuple[int, int]) -> None:
        self.message.setText(_("{added} added, {rejected} rejected so far…").format(
            added=counts[0], rejected=counts[1]))

    def _done(self, counts: tuple[int, int]) -> None:
        self._busy(False)
        self.refresh()
        self.message.setText(_("{added} upload(s) added, {rejected} rejected.").format(
            added=counts[0], rejected=counts[1]))
        if counts[0]:
            self.changed()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.refresh()
        self.message.setText(error_text(exc))

    def cancel(self) -> None:
        """Stop after the bundle being added."""
        if self.task is not None:
            self.task.cancel()

    def _busy(self, busy: bool) -> None:
        if not busy:
            self.task = None
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.process_button.setEnabled(not busy)
        self.refresh_button.setEnabled(not busy)


def _when(utc_text: str) -> str:
    try:
        return format_datetime(parse_utc(utc_text))
    except ValueError:
        return utc_text
