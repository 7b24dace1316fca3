"""Answer targets and question cards painted directly, without a style sheet.

A page of ten Likert items has about a hundred widgets; with Qt style sheets each one is
matched against every rule when shown, which doubled the time to build such a page. The
interview pages therefore carry no style sheet: these classes paint themselves in the
colours of :mod:`fieldapp.ui.style`.
"""

from __future__ import annotations

from typing import Any

from fieldapp.ui import style
from fieldapp.ui.qt import (
    QAbstractButton,
    QApplication,
    QColor,
    QEvent,
    QFrame,
    QLabel,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QSize,
    QSizePolicy,
    Qt,
    QWidget,
)

KINDS = ("choice", "scale", "missing")


def tint(widget: QWidget, color: str) -> None:
    """Set a widget's text colour through its palette."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
    palette.setColor(QPalette.ColorRole.Text, QColor(color))
    widget.setPalette(palette)


class ChoiceButton(QAbstractButton):
    """A checkable answer button: a wide list row, a scale point, or a secondary code."""

    def __init__(self, text: str, kind: str = "choice", scale: float = 1.0) -> None:
        super().__init__()
        assert kind in KINDS
        self.kind = kind
        self.scale = scale
        self.setText(text)
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        vertical = QSizePolicy.Policy.Fixed if kind == "missing" else QSizePolicy.Policy.Minimum
        self.setSizePolicy(QSizePolicy.Policy.Expanding if kind != "missing"
                           else QSizePolicy.Policy.Minimum, vertical)
        self.picture: Any = None  # a choice's image (QPixmap), drawn left of the text

    def set_picture(self, picture: Any) -> None:
        """Show an image (a choice's ``image`` column) before the text."""
        self.picture = picture
        self.updateGeometry()
        self.update()

    def _picture_width(self) -> int:
        if self.picture is None:
            return 0
        return self.picture.width() + round(10 * self.scale)

    def _padding(self) -> tuple[int, int]:
        pad = round((16 if self.kind == "choice" else 8) * self.scale)
        return pad, round(4 * self.scale)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        lines = self.text().split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines)
        padx, pady = self._padding()
        minimum = round((30 if self.kind == "missing" else 46) * self.scale)
        height = max(minimum, len(lines) * metrics.height() + 2 * pady)
        if self.picture is not None:
            height = max(height, self.picture.height() + 2 * pady)
        return QSize(width + 2 * padx + self._picture_width(), height)

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        if self.kind == "choice":
            return QSize(min(hint.width(), round(160 * self.scale)), hint.height())
        return hint

    def enterEvent(self, event: QEvent) -> None:
        super().enterEvent(event)  # type: ignore[arg-type]
        self.update()

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(1, 1, -1, -1)
        checked, hover = self.isChecked(), self.underMouse()
        if self.kind == "missing":
            fill = QColor(style.MUTED) if checked else QColor(0, 0, 0, 0)
            text = QColor("white") if checked else QColor(style.MUTED)
            pen = QPen(QColor(style.MUTED if hover else style.BORDER), 1,
                       Qt.PenStyle.SolidLine if checked else Qt.PenStyle.DashLine)
        else:
            fill = QColor(style.ACCENT if checked else style.CARD)
            text = QColor("white" if checked else "#1b1f24")
            pen = QPen(QColor(style.ACCENT_DARK if checked else
                              style.ACCENT if hover else style.BORDER), 1)
        if not self.isEnabled():
            text = QColor("#9aa1ab")
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(text)
        padx, _pady = self._padding()
        flags = Qt.AlignmentFlag.AlignVCenter | (
            Qt.AlignmentFlag.AlignLeft if self.kind == "choice" else Qt.AlignmentFlag.AlignHCenter)
        left = padx
        if self.picture is not None:
            top = rect.top() + (rect.height() - self.picture.height()) // 2
            painter.drawPixmap(rect.left() + padx, top, self.picture)
            left += self._picture_width()
        painter.drawText(rect.adjusted(left, 0, -padx, 0), int(flags), self.text())


class Card(QFrame):
    """A white rounded card with a focus ring and an error ring (question widgets)."""

    problem_shown = False

    def focus_inside(self) -> bool:
        """True when this card or a widget in it has the keyboard focus."""
        focus = QApplication.focusWidget()
        return focus is not None and (focus is self or self.isAncestorOf(focus))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        focused = self.focus_inside()
        width = style.FOCUS_WIDTH
        if self.problem_shown:
            pen = QPen(QColor(style.ERROR), width)
        elif focused:
            pen = QPen(QColor(style.ACCENT), width)
        else:
            pen = QPen(QColor(0, 0, 0, 0), 1)
        painter.setPen(pen)
        painter.setBrush(QColor(style.FOCUS_FILL if focused else style.CARD))
        inset = (width + 1) // 2
        painter.drawRoundedRect(self.rect().adjusted(inset, inset, -inset, -inset), 8, 8)


def muted_label(label: QLabel) -> QLabel:
    """Grey secondary text."""
    tint(label, style.MUTED)
    return label
