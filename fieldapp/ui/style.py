"""Colours, the palette and the style sheet of the screens around the interview.

No font sizes here: fonts are set per widget so the interview screen can scale and each
language gets its font. The interview pages themselves carry no style sheet (see
:mod:`fieldapp.ui.interview.paint`): style sheets are applied per screen, not to the app.
"""

from __future__ import annotations

from typing import Any

ACCENT = "#1d5fa8"
ACCENT_DARK = "#154a85"
ERROR = "#b3261e"
OK = "#1e7a3c"
MUTED = "#5c6470"
BORDER = "#c9ced6"
BACKGROUND = "#f4f5f7"
CARD = "#ffffff"
#: Focus rings: 3 px, in the accent on light controls and in a near-black navy on the
#: accent-filled primary button (an accent ring on an accent button would not show).
FOCUS_WIDTH = 3
FOCUS_ON_ACCENT = "#0a2a4d"
FOCUS_FILL = "#e8f0fa"


def palette() -> Any:
    """The application palette (backgrounds, selection) in the app's colours."""
    from fieldapp.ui.qt import QColor, QPalette

    result = QPalette()
    role = QPalette.ColorRole
    for which, color in ((role.Window, BACKGROUND), (role.Base, CARD), (role.Button, "#fbfbfc"),
                         (role.Highlight, ACCENT), (role.HighlightedText, "#ffffff"),
                         (role.WindowText, "#1b1f24"), (role.Text, "#1b1f24"),
                         (role.ButtonText, "#1b1f24")):
        result.setColor(which, QColor(color))
    return result


def stylesheet(scale: float = 1.0) -> str:
    """Style sheet with target sizes scaled by the font-size setting."""
    pad = round(8 * scale)
    return f"""
QFrame#card {{ background: {CARD}; border: 1px solid {BORDER}; border-radius: 8px; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#error {{ color: {ERROR}; }}
QLabel#saved {{ color: {OK}; }}
QLabel#notice {{ background: #fff6e5; border-bottom: 1px solid #e0b252; color: #5b3a00;
  padding: 8px 20px; }}
QPushButton {{ padding: {pad // 2}px {pad * 2}px; border: 1px solid {BORDER};
  border-radius: 6px; background: #fbfbfc; color: #1b1f24; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:focus {{ border: {FOCUS_WIDTH}px solid {ACCENT}; background: {FOCUS_FILL}; }}
QPushButton:disabled {{ color: #9aa1ab; background: #eef0f3; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border-color: {ACCENT_DARK}; }}
QPushButton#primary:focus {{ border: {FOCUS_WIDTH}px solid {FOCUS_ON_ACCENT};
  background: {ACCENT_DARK}; }}
QPushButton#primary:disabled {{ background: #8fb0d6; }}
QPushButton#danger {{ background: {ERROR}; color: white; border-color: #8c1d17; }}
QPushButton#danger:focus {{ border: {FOCUS_WIDTH}px solid #4a0c08; background: #8c1d17; }}
QLineEdit {{ padding: {pad // 2}px {pad}px; border: 1px solid {BORDER};
  border-radius: 6px; background: white; min-height: {round(30 * scale)}px; }}
QLineEdit:focus {{ border: {FOCUS_WIDTH}px solid {ACCENT}; }}
QListWidget {{ background: {CARD}; border: 1px solid {BORDER}; border-radius: 6px; }}
QListWidget#homeList::item {{ padding: 6px; border-bottom: 1px solid #eceef1; }}
QListWidget#homeList::item:selected {{ background: #dbe7f5; color: #10243d; }}
QListWidget:focus {{ border: {FOCUS_WIDTH}px solid {ACCENT}; }}
QFrame#header {{ background: {CARD}; border-bottom: 1px solid {BORDER}; }}
QFrame#footer {{ background: {CARD}; border-top: 1px solid {BORDER}; }}
QFrame#confirm {{ background: #fff6e5; border: 1px solid #e0b252; border-radius: 8px; }}
"""

