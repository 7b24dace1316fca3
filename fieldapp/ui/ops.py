"""Background operations: run slow core calls on the Qt thread pool (cf. Anki's CollectionOp).

``fn`` runs on a worker thread and must never touch a widget; its result (or exception)
comes back to ``on_success`` / ``on_failure`` on the GUI thread via a queued signal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fieldapp.ui.qt import QObject, QRunnable, QThreadPool, QWidget, Signal

_running: set[_Signals] = set()  # keeps the signal objects alive until delivery


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def run_op(parent: QWidget | None, fn: Callable[[], Any],
           on_success: Callable[[Any], None],
           on_failure: Callable[[BaseException], None] | None = None) -> None:
    """Run ``fn()`` in the background; call back on the GUI thread unless ``parent`` is gone."""
    signals = _Signals()
    _running.add(signals)

    def alive() -> bool:
        if parent is None:
            return True
        try:
            parent.objectName()  # raises RuntimeError once the C++ widget is deleted
        except RuntimeError:
            return False
        return True

    def success(result: Any) -> None:
        _running.discard(signals)
        if alive():
            on_success(result)

    def failure(exc: BaseException) -> None:
        _running.discard(signals)
        if not alive():
            return
        if on_failure is None:
            raise exc
        on_failure(exc)

    signals.done.connect(success)
    signals.failed.connect(failure)
    QThreadPool.globalInstance().start(_Job(fn, signals))


def pending() -> int:
    """Operations not yet delivered (tests wait for 0)."""
    return len(_running)
