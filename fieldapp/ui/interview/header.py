"""Interview header: section and progress, interview-language switcher, "answer saved" sign."""

from __future__ import annotations

import datetime as dt
import math

from fieldapp.i18n import UI_LANGUAGES, _, format_percent, format_time
from fieldapp.ui import fonts, style
from fieldapp.ui.qt import (
    QColor,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPainter,
    QPaintEvent,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from fieldapp.ui.style import ACCENT
from fieldapp.ui.widgets import ElidedLabel, label


class SavedIndicator(QLabel):
    """Shown only after the core returned from a durable commit of an answer."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("saved")
        self.setAccessibleName(_("Save status"))
        # the header keeps its layout when the sign comes and goes: the sign's room is kept
        # (as wide as the sign at its widest time of day) while it is hidden
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(
            self._text(dt.datetime(2000, 12, 30, 22, 58, 58))) + 4)
        self.hide()

    @staticmethod
    def _text(when: dt.datetime) -> str:
        return _("✓ Answer saved {time}").format(time=format_time(when, "medium"))

    def mark_saving(self) -> None:
        """An answer is about to be stored: hide the sign until the commit returns."""
        self.hide()

    def mark_saved(self) -> None:
        """The answer is durable: say so, with the time."""
        self.setText(self._text(dt.datetime.now()))
        self.show()


class ProgressLine(QWidget):
    """A thin progress bar painted directly (a styled QProgressBar costs ~6 ms per change)."""

    def __init__(self) -> None:
        super().__init__()
        self.value, self.maximum = 0, 1
        self.setFixedHeight(8)
        self.setAccessibleName(_("Progress"))

    def set_value(self, value: int, maximum: int) -> None:
        """Show ``value`` of ``maximum``."""
        self.value, self.maximum = value, max(maximum, 1)
        self.setAccessibleDescription(f"{value}/{self.maximum}")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e6e9ee"))
        painter.drawRoundedRect(self.rect(), 4, 4)
        done = self.rect()
        done.setWidth(round(self.width() * min(self.value / self.maximum, 1.0)))
        if done.width() > 0:
            painter.setBrush(QColor(ACCENT))
            painter.drawRoundedRect(done, 4, 4)


class InterviewHeader(QFrame):
    """Top bar of the interview screen."""

    language_changed = Signal(str)

    def __init__(self, title: str, languages: tuple[str, ...], current: str,
                 ui_lang: str) -> None:
        super().__init__()
        self.setObjectName("header")
        self.setStyleSheet(style.stylesheet())
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 10, 20, 10)
        row.setSpacing(16)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.title = ElidedLabel(title)
        self.title.setObjectName("muted")
        self.title.setFont(fonts.font(ui_lang, "small"))
        self.section = ElidedLabel()
        policy = self.section.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the same header height on every page
        self.section.setSizePolicy(policy)
        texts.addWidget(self.title)
        texts.addWidget(self.section)
        row.addLayout(texts, 3)
        progress = QVBoxLayout()
        progress.setSpacing(4)
        self.bar = ProgressLine()
        self.progress_text = label("", name="muted", wrap=False)
        progress.addWidget(self.progress_text)
        progress.addWidget(self.bar)
        row.addLayout(progress, 2)
        self.saved = SavedIndicator()
        row.addWidget(self.saved)
        self.language = QComboBox()
        self.language.setAccessibleName(_("Interview language"))
        self.language.setToolTip(_("Interview language (F2: next, Shift+F2: previous)"))
        for code in languages:
            self.language.addItem(UI_LANGUAGES.get(code, code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(current)))
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_changed.emit(str(self.language.currentData())))
        row.addWidget(label(_("Interview language"), name="muted", wrap=False))
        row.addWidget(self.language)

    def set_section(self, text: str, lang: str) -> None:
        """The section (group) label, in the interview language's font."""
        self.section.setText(text)
        self.section.setToolTip(text)
        self.section.setFont(fonts.font(lang, "ui", 1.1, bold=True))
        self.section.setVisible(bool(text))

    def set_progress(self, position: int, total: int) -> None:
        """Page ``position`` of ``total`` and the percentage done."""
        fraction = (position - 1) / total if total else 0.0
        self.bar.set_value(max(position - 1, 0), total)
        self.progress_text.setText(_("Page {page} of {total} · {percent}").format(
            page=position, total=total, percent=format_percent(fraction)))

    def set_review(self, total: int, done: float) -> None:
        """On the review: the share of questions that need nothing more (100 % when every
        required question is answered), not the last page's position."""
        if done < 1.0:  # never rounded up to 100 % while something is still open
            done = min(math.floor(done * 100) / 100, 0.99)
        self.bar.set_value(round(done * total), total)
        self.progress_text.setText(_("Review · {pages} pages · {percent} done").format(
            pages=total, percent=format_percent(done)))
