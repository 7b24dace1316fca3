"""The desktop GUI (PySide6). The only package that imports Qt; it calls the core only."""

from __future__ import annotations

import sys


def run(argv: list[str] | None = None) -> int:
    """Start the GUI event loop and return its exit code."""
    from fieldapp.ui.qt import QApplication, QLabel, QMainWindow, Qt

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    window = QMainWindow()
    window.setWindowTitle("fieldapp")
    label = QLabel("fieldapp — the interview screens arrive with the desktop issue.")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setCentralWidget(label)
    window.resize(800, 500)
    window.show()
    return int(app.exec())
