"""Range (a slider over start…end in steps) and rank (order every choice)."""

from __future__ import annotations

from typing import Any

from fieldapp.i18n import _, format_number
from fieldapp.interview.values_more import range_bounds
from fieldapp.questionnaire.model import text_for
from fieldapp.ui.interview.base import QuestionWidget, plain_label
from fieldapp.ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QKeyEvent,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    Qt,
    QVBoxLayout,
    QWidget,
)

ROLE_CODE = Qt.ItemDataRole.UserRole


class _Slider(QSlider):
    """←/→ move the slider; ↑/↓ are left to the page (move between questions)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            event.ignore()
            return
        super().keyPressEvent(event)


class _RankList(QListWidget):
    """Alt+↑ / Alt+↓ move the selected choice; plain arrows select."""

    def __init__(self, owner: RankWidget) -> None:
        super().__init__()
        self.owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.owner.handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)


class RangeWidget(QuestionWidget):
    """A slider; the value is shown next to it and stored when the slider moves."""

    def build_body(self) -> QWidget:
        self.start, self.end, self.step = range_bounds(self.question)
        count = max(1, round(abs(self.end - self.start) / self.step))
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(round(12 * self.ctx.scale))
        row.addWidget(plain_label(format_number(self.start), self.ctx.font("hint")))
        self.slider = _Slider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, count)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setMinimumWidth(round(320 * self.ctx.scale))
        self.slider.setAccessibleName(self.text())
        self.slider.valueChanged.connect(self._moved)
        row.addWidget(self.slider, 1)
        row.addWidget(plain_label(format_number(self.end), self.ctx.font("hint")))
        self.shown = plain_label("—", self.ctx.font("choice", bold=True), name="range-value")
        self.shown.setMinimumWidth(round(70 * self.ctx.scale))
        row.addWidget(self.shown)
        holder.setMaximumWidth(round(760 * self.ctx.scale))
        self._loading = False
        return holder

    def _value(self, position: int) -> float:
        direction = 1 if self.end >= self.start else -1
        return self.start + direction * position * self.step

    def _moved(self, position: int) -> None:
        if self._loading:
            return
        self.answered.emit(self.key, self._value(position))

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            if value is None:
                self.slider.setValue(0)
                self.shown.setText("—")
            else:
                self.slider.setValue(round(abs(float(value) - self.start) / self.step))
                self.shown.setText(format_number(value))
        finally:
            self._loading = False

    def focus_target(self) -> QWidget:
        return self.slider


class RankWidget(QuestionWidget):
    """Every choice in a list; ↑/↓ buttons (or Alt+↑/↓) move the selected one. The order is
    stored at every move, and with "Keep this order" as it is."""

    def build_body(self) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        self.list = _RankList(self)
        self.list.setFont(self.ctx.font("choice"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAccessibleName(self.text())
        self.list.setMaximumWidth(round(560 * self.ctx.scale))
        row.addWidget(self.list, 1)
        column = QVBoxLayout()
        for text, step in ((_("Move up"), -1), (_("Move down"), 1)):
            move = QPushButton(text)
            move.clicked.connect(lambda _c=False, s=step: self.move(s))
            column.addWidget(move)
        keep = QPushButton(_("Keep this order"))
        keep.setObjectName("rank-keep")
        keep.clicked.connect(self.store)
        column.addWidget(keep)
        column.addStretch(1)
        row.addLayout(column)
        holder.setMaximumWidth(round(820 * self.ctx.scale))
        return holder

    def _fill(self, codes: list[str]) -> None:
        engine = self.ctx.engine
        labels = {c.name: text_for(c.label, engine.language, engine.form.default_language)
                  or c.name for c in engine.choices_for(self.key)}
        self.list.clear()
        for number, code in enumerate(codes, start=1):
            item = QListWidgetItem(f"{number}.  {labels.get(code, code)}")
            item.setData(ROLE_CODE, code)
            self.list.addItem(item)
        rows = max(self.list.count(), 1)
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth()
                                 + 6)

    def order(self) -> list[str]:
        """The codes as they stand in the list."""
        return [self.list.item(i).data(ROLE_CODE) for i in range(self.list.count())]

    def move(self, step: int) -> None:
        """Move the selected choice one place up (-1) or down (+1) and store the order."""
        row = self.list.currentRow()
        codes = self.order()
        target = row + step
        if row < 0 or not 0 <= target < len(codes):
            return
        codes[row], codes[target] = codes[target], codes[row]
        self._fill(codes)
        self.list.setCurrentRow(target)
        self.answered.emit(self.key, tuple(codes))

    def store(self) -> None:
        """Store the order shown."""
        self.answered.emit(self.key, tuple(self.order()))

    def set_value(self, value: Any) -> None:
        current = self.list.currentRow()
        offered = [c.name for c in self.ctx.engine.choices_for(self.key)]
        codes = [c for c in value if c in offered] if isinstance(value, tuple) else []
        self._fill(codes + [c for c in offered if c not in codes])
        self.list.setCurrentRow(max(current, 0))

    def focus_target(self) -> QWidget:
        return self.list

    def handle_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & Qt.KeyboardModifier.AltModifier and \
                event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return False
