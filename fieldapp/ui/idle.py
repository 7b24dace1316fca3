"""Idle auto-lock: any key, click or mouse move restarts a timer; its timeout locks the app.

An application-wide event filter sees every event (a page build alone sends thousands), so
after noticing input it steps aside for a few seconds: the idle time is minutes, and the
hot path of answering and paging then pays nothing for it. Callbacks registered with
:meth:`IdleLock.when_quiet` run once the user has paused (garbage collection, for one).
"""

from __future__ import annotations

from collections.abc import Callable

from fieldapp.ui.qt import QApplication, QEvent, QObject, QTimer

_ACTIVITY = frozenset(int(t.value) for t in (
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.InputMethod, QEvent.Type.TouchBegin,
))
REARM_MS = 3_000  # how long the filter stays off after input
QUIET_MS = 1_200  # no input for this long counts as a pause


class IdleLock(QObject):
    """Calls ``on_idle`` after ``minutes`` without user input while armed."""

    def __init__(self, on_idle: Callable[[], None], minutes: int) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(on_idle)
        self._rearm = QTimer(self)
        self._rearm.setSingleShot(True)
        self._rearm.setInterval(REARM_MS)
        self._rearm.timeout.connect(self._install)
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(QUIET_MS)
        self._quiet.timeout.connect(self._run_quiet)
        self._waiting: list[Callable[[], None]] = []
        self._installed = False
        self.set_minutes(minutes)
        self._install()

    def set_minutes(self, minutes: int) -> None:
        """Change the idle time (takes effect at once)."""
        self.set_interval_ms(max(1, int(minutes)) * 60_000)

    def set_interval_ms(self, ms: int) -> None:
        """Idle time in milliseconds (tests use short ones)."""
        self._timer.setInterval(ms)
        if self._timer.isActive():
            self._timer.start()

    def arm(self) -> None:
        """Start watching (after unlock)."""
        self._timer.start()

    def disarm(self) -> None:
        """Stop watching (while locked)."""
        self._timer.stop()

    @property
    def armed(self) -> bool:
        """True while the timer runs."""
        return self._timer.isActive()

    def when_quiet(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the user pauses (no input for a moment)."""
        if callback not in self._waiting:
            self._waiting.append(callback)
        self._quiet.start()

    def _run_quiet(self) -> None:
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()

    def _install(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def _uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def activity(self) -> None:
        """Input happened: restart the idle time, step aside for a while."""
        if self._timer.isActive():
            self._timer.start()
        if self._waiting:
            self._quiet.start()
        self._uninstall()
        self._rearm.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if int(event.type().value) in _ACTIVITY:
            self.activity()
        return False

    def close(self) -> None:
        """Remove the event filter (window closing)."""
        self._timer.stop()
        self._rearm.stop()
        self._quiet.stop()
        self._uninstall()
