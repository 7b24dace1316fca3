"""A read-only table over a Python list whose cells are made only when they are painted.

A ``QTableWidget`` holds one item object per cell: 100,000 interviews × 9 columns took 11 s
of frozen GUI to fill. :class:`RowsModel` keeps the list and answers ``data()`` for the rows
on screen, so showing, filtering or sorting any number of rows takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fieldapp.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QHeaderView,
    Qt,
    QTableView,
)

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class RowsModel(QAbstractTableModel):
    """``cells(row)`` gives one row's shown values; ``key(row)`` its UserRole data."""

    def __init__(self, headers: Sequence[str], cells: Callable[[Any], Sequence[Any]],
                 key: Callable[[Any], Any]) -> None:
        super().__init__()
        self.headers = list(headers)
        self.cells = cells
        self.key = key
        self.rows: list[Any] = []
        self._cache: tuple[int, Sequence[Any]] = (-1, ())

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row (one reset: views redraw what they show)."""
        self.beginResetModel()
        self.rows = list(rows)
        self._cache = (-1, ())
        self.endResetModel()

    def rowCount(self, parent: Any = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.headers)

    def _row(self, index: int) -> Sequence[Any]:
        if self._cache[0] != index:  # a row is asked for cell after cell
            self._cache = (index, self.cells(self.rows[index]))
        return self._cache[1]

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._row(index.row())[index.column()]
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            value = self._row(index.row())[index.column()]
            return _RIGHT if isinstance(value, (int, float)) else None
        if role == Qt.ItemDataRole.UserRole and index.column() == 0:
            return self.key(self.rows[index.row()])
        return None

    def headerData(self, section: int, orientation: Any,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


def rows_view(model: RowsModel) -> QTableView:
    """A read-only, row-selecting view of ``model`` (columns sized from the first rows)."""
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(200)  # size columns from 200 rows, not all of them
    header.setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    return view


def selected_key(view: QTableView) -> Any:
    """The UserRole data of the selected row, or None."""
    index = view.currentIndex()
    if not index.isValid():
        return None
    return view.model().index(index.row(), 0).data(Qt.ItemDataRole.UserRole)
