"""Shared pieces of the supervisor screens: translated names, tables, a cancellable task."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from fieldapp.i18n import _
from fieldapp.names import (
    CITY_NAMES,
    EVENT_NAMES,
    FLAG_NAMES,
    STATUS_NAMES,
    VERDICT_NAMES,
    shown,
)
from fieldapp.ui import ops
from fieldapp.ui.qt import (
    QAbstractItemView,
    QHeaderView,
    QObject,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
    Signal,
)


def status_name(code: str) -> str:
    """A hub status in the UI language."""
    return shown(STATUS_NAMES, code)


def event_name(code: str) -> str:
    """A history event in the UI language."""
    return shown(EVENT_NAMES, code)


def city_name(code: str) -> str:
    """A city code in the UI language."""
    return shown(CITY_NAMES, code)


def flag_name(code: str) -> str:
    """A quality flag in the UI language."""
    return shown(FLAG_NAMES, code)


def verdict_name(code: str) -> str:
    """An import verdict in the UI language."""
    return _(VERDICT_NAMES[code]) if code in VERDICT_NAMES else code


def error_text(exc: BaseException) -> str:
    """A one-line reason for a failed operation (never a traceback)."""
    from fieldapp.errors import FieldAppError

    if isinstance(exc, FieldAppError):
        return str(exc)
    return _("unexpected error ({name})").format(name=type(exc).__name__)


def table(headers: Sequence[str]) -> QTableWidget:
    """A read-only, row-selecting table with ``headers``."""
    widget = QTableWidget(0, len(headers))
    widget.setHorizontalHeaderLabels(list(headers))
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.verticalHeader().setVisible(False)
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    widget.horizontalHeader().setStretchLastSection(True)
    widget.setAlternatingRowColors(True)
    return widget


def fill(widget: QTableWidget, rows: Sequence[Sequence[Any]],
         data: Sequence[Any] | None = None) -> None:
    """Replace the rows; ``data[i]`` is kept on row i's first cell (UserRole)."""
    widget.setUpdatesEnabled(False)
    widget.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if isinstance(value, (int, float)):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if c == 0 and data is not None:
                item.setData(Qt.ItemDataRole.UserRole, data[r])
            widget.setItem(r, c, item)
    widget.setUpdatesEnabled(True)


def selected_data(widget: QTableWidget) -> Any:
    """The UserRole data of the selected row, or None."""
    row = widget.currentRow()
    item = widget.item(row, 0) if row >= 0 else None
    return None if item is None else item.data(Qt.ItemDataRole.UserRole)


class _Progress(QObject):
    step = Signal(object)


class Task:
    """A background operation with progress messages and a cancel flag.

    ``fn(report, cancelled)`` runs on a worker thread; ``report(value)`` reaches
    ``on_step`` on the GUI thread; ``cancel()`` makes ``cancelled()`` true.
    """

    def __init__(self, parent: QWidget, fn: Callable[[Callable[[Any], None],
                                                      Callable[[], bool]], Any],
                 on_step: Callable[[Any], None], on_done: Callable[[Any], None],
                 on_failed: Callable[[BaseException], None]) -> None:
        self._cancel = threading.Event()
        self._signals = _Progress()
        self._signals.step.connect(on_step)
        signals = self._signals

        def work() -> Any:
            return fn(signals.step.emit, self._cancel.is_set)

        ops.run_op(parent, work, self._finish(on_done), self._finish(on_failed))

    def _finish(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        def done(value: Any) -> None:
            self._signals.step.disconnect()
            callback(value)
        return done

    def cancel(self) -> None:
        """Ask the operation to stop at its next check."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """True once cancel() was called."""
        return self._cancel.is_set()
