"""The supervisor's window: open a hub, then tabs for import, progress, quality, review and
export/merge. Ctrl+L or the idle time drops the project key (the hub stays open)."""

from __future__ import annotations

from typing import Any

from fieldapp.i18n import _
from fieldapp.ui import ops, style
from fieldapp.ui.idle import IdleLock
from fieldapp.ui.qt import (
    QCloseEvent,
    QFormLayout,
    QHBoxLayout,
    QKeySequence,
    QMainWindow,
    QShortcut,
    QStackedWidget,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from fieldapp.ui.supervisor.open_hub import KeyFields, OpenHubView, unlock_text
from fieldapp.ui.widgets import ElidedLabel, button, label, repolish

IDLE_MINUTES = 10


class KeyBar(QWidget):
    """Hub name, key state, unlock fields while locked, and the lock button."""

    unlock_requested = Signal(str, str)
    lock_requested = Signal()
    close_requested = Signal()

    def __init__(self, hub_label: str, key_file: str = "") -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 0)
        top = QHBoxLayout()
        self.hub = ElidedLabel(_("Hub: {hub}").format(hub=hub_label))
        top.addWidget(self.hub, 1)
        self.state = label("", name="muted", wrap=False)
        top.addWidget(self.state)
        self.lock_button = button(_("Lock (Ctrl+L)"))
        self.lock_button.clicked.connect(self.lock_requested.emit)
        top.addWidget(self.lock_button)
        close = button(_("Close hub"))
        close.clicked.connect(self.close_requested.emit)
        top.addWidget(close)
        layout.addLayout(top)
        self.panel = QWidget()
        form = QFormLayout(self.panel)
        form.setContentsMargins(0, 0, 0, 0)
        self.keys = KeyFields(self, form, key_file)
        self.unlock_button = button(_("Unlock key"), name="primary")
        self.unlock_button.clicked.connect(self._unlock)
        self.keys.passphrase.returnPressed.connect(self._unlock)
        self.message = label("", name="error")
        form.addRow(self.unlock_button, self.message)
        layout.addWidget(self.panel)

    def _unlock(self) -> None:
        if self.keys.key.text().strip() and self.keys.passphrase.text():
            self.unlock_button.setEnabled(False)
            self.unlock_requested.emit(self.keys.key.text().strip(), self.keys.passphrase.text())

    def set_unlocked(self, unlocked: bool, fingerprint: str = "") -> None:
        """Show the key state (and the unlock fields while locked)."""
        self.unlock_button.setEnabled(True)
        self.keys.passphrase.clear()
        self.panel.setVisible(not unlocked)
        self.lock_button.setEnabled(unlocked)
        self.state.setText(_("Project key unlocked {fingerprint}").format(
            fingerprint=fingerprint) if unlocked else _("Project key locked"))
        if unlocked:
            self.message.setText("")

    def show_error(self, text: str) -> None:
        """Why unlocking failed."""
        self.unlock_button.setEnabled(True)
        self.message.setText(text)
        repolish(self.message)


class DeskView(QWidget):
    """An open hub: key bar and the five tabs."""

    def __init__(self, desk: Any, *, lang: str, key_file: str = "") -> None:
        from fieldapp.ui.supervisor.dashboard_view import DashboardTab
        from fieldapp.ui.supervisor.export_view import ExportTab
        from fieldapp.ui.supervisor.import_view import ImportTab
        from fieldapp.ui.supervisor.quality_view import QualityTab
        from fieldapp.ui.supervisor.review_view import ReviewTab

        super().__init__()
        self.desk = desk
        self.setStyleSheet(style.stylesheet())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = KeyBar(desk.label, key_file)
        layout.addWidget(self.bar)
        self.tabs = QTabWidget()
        self.import_tab = ImportTab(desk)
        self.progress_tab = DashboardTab(desk)
        self.quality_tab = QualityTab(desk)
        self.review_tab = ReviewTab(desk, lang=lang)
        self.export_tab = ExportTab(desk)
        for tab, title in ((self.import_tab, _("Import")), (self.progress_tab, _("Progress")),
                           (self.quality_tab, _("Quality")), (self.review_tab, _("Review")),
                           (self.export_tab, _("Export and merge"))):
            self.tabs.addTab(tab, title)
        layout.addWidget(self.tabs, 1)
        self.import_tab.imported.connect(self.refresh)
        self.quality_tab.open_interview.connect(self.show_interview)
        self.review_tab.changed.connect(self.progress_tab.refresh)
        self.tabs.currentChanged.connect(lambda _i: self.tabs.currentWidget().shown())
        self.bar.set_unlocked(desk.unlocked, desk.key_fingerprint)

    def refresh(self) -> None:
        """Re-read the hub (after an import or a decision)."""
        self.progress_tab.refresh()
        self.review_tab.refresh()
        self.quality_tab.invalidate()

    def show_interview(self, interview_id: str) -> None:
        """Open an interview on the Review tab (from a quality flag)."""
        self.tabs.setCurrentWidget(self.review_tab)
        self.review_tab.select(interview_id)

    def key_changed(self) -> None:
        """The key was unlocked or dropped: every tab forgets or re-reads answers."""
        self.bar.set_unlocked(self.desk.unlocked, self.desk.key_fingerprint)
        for index in range(self.tabs.count()):
            self.tabs.widget(index).key_changed()


class SupervisorWindow(QMainWindow):
    """The supervisor's desk; ``back`` returns to the enumerator screens."""

    back = Signal()
    closed = Signal()

    def __init__(self, *, lang: str = "en", hub: str = "", key_file: str = "",
                 can_go_back: bool = True) -> None:
        super().__init__()
        self.lang = lang
        self.desk: Any = None
        self.view: DeskView | None = None
        self._key_file = key_file
        self.setWindowTitle(_("fieldapp — supervisor"))
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.idle = IdleLock(self.lock, IDLE_MINUTES)
        QShortcut(QKeySequence("Ctrl+L"), self, activated=self.lock)
        self.opener = OpenHubView(lang=lang, hub=hub, key_file=key_file,
                                  can_go_back=can_go_back)
        self.opener.opened.connect(self.show_desk)
        self.opener.back.connect(self.back.emit)
        self.stack.addWidget(self.opener)
        self.resize(1280, 760)

    def show_desk(self, desk: Any) -> None:
        """The tabs of an open hub."""
        self.desk = desk
        self._key_file = self.opener.keys.key.text().strip()
        view = DeskView(desk, lang=self.lang, key_file=self._key_file)
        view.bar.unlock_requested.connect(self.unlock)
        view.bar.lock_requested.connect(self.lock)
        view.bar.close_requested.connect(self.close_hub)
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        self.view = view
        if desk.unlocked:
            self.idle.arm()
        view.refresh()
        view.import_tab.shown()

    def unlock(self, key_file: str, passphrase: str) -> None:
        """Unlock the project key in the background (the key derivation takes a moment)."""
        from pathlib import Path

        desk, view = self.desk, self.view
        if desk is None or view is None:
            return

        def done(_fingerprint: str) -> None:
            self.idle.arm()
            view.key_changed()

        ops.run_op(view, lambda: desk.unlock(Path(key_file), passphrase), done,
                   lambda exc: view.bar.show_error(unlock_text(exc)))

    def lock(self) -> None:
        """Drop the project key and every decrypted answer on screen."""
        if self.desk is None or self.view is None or not self.desk.unlocked:
            return
        if ops.pending():
            QTimer.singleShot(300, self.lock)  # never under a running operation
            return
        self.idle.disarm()
        self.desk.lock()
        self.view.key_changed()

    def close_hub(self) -> None:
        """Back to the open screen."""
        if ops.pending():
            return
        self.idle.disarm()
        if self.view is not None:
            self.stack.removeWidget(self.view)
            self.view.deleteLater()
            self.view = None
        if self.desk is not None:
            self.desk.close()
            self.desk = None
        self.stack.setCurrentWidget(self.opener)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.desk is not None:
            self.desk.close()
            self.desk = None
        self.idle.close()
        super().closeEvent(event)
        self.closed.emit()


def open_from(main: QMainWindow) -> SupervisorWindow:
    """Show the desk instead of the enumerator window ``main``; "I am an enumerator" brings
    that back, closing the desk closes the application."""
    window = SupervisorWindow(lang=getattr(main, "lang", "en"))
    main.supervisor = window  # type: ignore[attr-defined]
    going_back = []

    def back() -> None:
        going_back.append(True)
        window.close()
        main.show()

    def closed() -> None:
        main.supervisor = None  # type: ignore[attr-defined]
        if not going_back:
            main.close()

    window.back.connect(back)
    window.closed.connect(closed)
    window.resize(main.size())
    window.show()
    main.hide()
    return window
