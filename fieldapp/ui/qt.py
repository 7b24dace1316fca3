"""Single import point for the PySide6 names the GUI uses (cf. Anki's aqt.qt).

Every module under ``fieldapp.ui`` imports Qt from here (``from fieldapp.ui.qt import
QLabel``), so a Qt upgrade or a binding switch touches one file. Names are resolved on
first use: PySide6 builds each class lazily, and the unlock window needs only a few of them
(resolving all of these up front costs ~30 ms of the cold start).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6 import __version__ as PYSIDE_VERSION

MIN_QT = (6, 5)
if tuple(int(p) for p in PYSIDE_VERSION.split(".")[:2]) < MIN_QT:  # pragma: no cover
    raise ImportError(f"fieldapp needs PySide6 >= {MIN_QT[0]}.{MIN_QT[1]}")

_CORE = ("QAbstractTableModel", "QBuffer", "QByteArray", "QEvent", "QIODevice", "QLibraryInfo",
         "QLocale", "QModelIndex", "QObject", "QPoint", "QRegularExpression", "QRunnable",
         "QSize", "Qt", "QThreadPool", "QTimer", "QTranslator", "QUrl", "Signal", "Slot")
_GUI = ("QAccessible", "QBrush", "QCloseEvent", "QColor", "QDesktopServices", "QFocusEvent",
        "QFont", "QFontDatabase", "QFontInfo", "QFontMetrics", "QGuiApplication", "QIcon",
        "QImage", "QKeyEvent",
        "QKeySequence", "QPainter", "QPaintEvent", "QPalette", "QPen", "QPixmap", "QPolygon",
        "QRegularExpressionValidator", "QResizeEvent", "QShortcut")
_WIDGETS = ("QAbstractButton", "QAbstractItemView", "QApplication", "QButtonGroup",
            "QCheckBox", "QComboBox", "QDialog", "QDialogButtonBox", "QFileDialog",
            "QFormLayout", "QFrame", "QGridLayout", "QGroupBox", "QHBoxLayout", "QHeaderView",
            "QLabel", "QLineEdit", "QListWidget",
            "QListWidgetItem", "QMainWindow", "QMessageBox", "QPlainTextEdit", "QProgressBar",
            "QPushButton", "QScrollArea", "QSizePolicy", "QSlider", "QSpinBox", "QSplitter",
            "QStackedWidget", "QStyleFactory", "QTableView", "QTableWidget", "QTableWidgetItem",
            "QTabWidget", "QVBoxLayout", "QWidget")
_WHERE: dict[str, ModuleType] = {
    **dict.fromkeys(_CORE, QtCore), **dict.fromkeys(_GUI, QtGui),
    **dict.fromkeys(_WIDGETS, QtWidgets),
}
__all__ = ["PYSIDE_VERSION", *_CORE, *_GUI, *_WIDGETS]


def charts() -> ModuleType:
    """``PySide6.QtCharts`` (from PySide6-Addons), imported on first use: only the
    supervisor's dashboard draws charts."""
    from PySide6 import QtCharts

    return QtCharts


def __getattr__(name: str) -> Any:
    """Resolve a Qt name on first import and cache it in this module."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"fieldapp.ui.qt does not export {name!r}; add it to the lists")
    value = getattr(module, name)
    globals()[name] = value
    return value
