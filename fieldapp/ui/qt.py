"""Single import point for the PySide6 names the GUI uses (cf. Anki's aqt.qt)."""

from PySide6.QtCore import Qt, QTimer  # noqa: F401
from PySide6.QtGui import QFont  # noqa: F401
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: F401
