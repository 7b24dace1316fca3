"""Small shared widgets and helpers for the screens (labels, cards, buttons).

The unlock window is built from these, so nothing here touches ``Qt`` (the namespace)
at import time: PySide6 creates all of its enums on first use, ~28 ms of the cold start.
"""

from __future__ import annotations

from fieldapp.ui.qt import (
    QFont,
    QFrame,
    QLabel,
    QPainter,
    QPaintEvent,
    QPushButton,
    QSize,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def label(text: str, *, name: str = "", font: QFont | None = None, wrap: bool = True,
          parent: QWidget | None = None) -> QLabel:
    """A QLabel with an object name (for the style sheet) and word wrap on."""
    widget = QLabel(text, parent)
    if name:
        widget.setObjectName(name)
    if font is not None:
        widget.setFont(font)
    widget.setWordWrap(wrap)
    return widget


def button(text: str, *, name: str = "", accessible: str = "",
           parent: QWidget | None = None) -> QPushButton:
    """A push button with an optional style name and accessible name."""
    widget = QPushButton(text, parent)
    if name:
        widget.setObjectName(name)
    widget.setAccessibleName(accessible or text.replace("&", ""))
    widget.setAutoDefault(False)
    return widget


def card(parent: QWidget | None = None) -> tuple[QFrame, QVBoxLayout]:
    """A white rounded panel and its layout."""
    frame = QFrame(parent)
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(12)
    return frame, layout


def expanding(widget: QWidget) -> QWidget:
    """Let a widget grow horizontally."""
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return widget


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" instead of widening the window."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        from fieldapp.ui.qt import Qt

        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        from fieldapp.ui.qt import Qt

        painter = QPainter(self)
        metrics = self.fontMetrics()
        text = metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.rect(), int(self.alignment()), text)


def tab_ring_step(ring: list[QWidget], next: bool) -> bool | None:
    """Move the focus to the next (previous) enabled, visible widget of ``ring``, wrapping
    round; None when the focus is not in the ring. A screen's ``focusNextPrevChild`` uses
    it so Tab never leaves the screen through Qt's window-wide chain, which re-enters a
    screen through its focus proxy and so skips the controls above it."""
    from fieldapp.ui.qt import QApplication, Qt

    current = QApplication.focusWidget()
    if current not in ring:
        return None
    start = ring.index(current)
    step = 1 if next else -1
    for offset in range(1, len(ring) + 1):
        candidate = ring[(start + step * offset) % len(ring)]
        if candidate.isEnabled() and candidate.isVisible():
            candidate.setFocus(Qt.FocusReason.TabFocusReason if next
                               else Qt.FocusReason.BacktabFocusReason)
            return True
    return False
