"""Likert and bipolar scales: one row of numbered points, answered with the number keys.

A bipolar item (codes 1..9 where only the two ends have words, the rest are digits) shows
its pole labels at both ends of the row.
"""

from __future__ import annotations

from fieldapp.questionnaire.model import Choice
from fieldapp.ui.interview.base import plain_label
from fieldapp.ui.interview.choices import ChoiceQuestion
from fieldapp.ui.qt import QHBoxLayout, QSizePolicy, Qt, QVBoxLayout, QWidget

#: Characters after which a line may break in CJK text without spaces (particles, 的, 、).
BREAK_AFTER = frozenset("くにがをのへ的、，")


def _kana_to_kanji(text: str, i: int) -> bool:
    """True between a hiragana and a following kanji (a likely phrase boundary)."""
    return "\u3040" <= text[i - 1] <= "\u309f" and "\u4e00" <= text[i] <= "\u9fff"


def wrap_text(text: str, width: int) -> str:
    """Break a label into two lines near its middle when it is longer than ``width``.

    QPushButton does not word-wrap. Text with spaces breaks at a space; CJK text breaks
    after a particle (「とても強く|感じる」) when there is one, else in the middle.
    """
    if len(text) <= width or "\n" in text:
        return text
    middle = len(text) // 2
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if spaces:
        cut = min(spaces, key=lambda i: abs(i - middle))
        return text[:cut] + "\n" + text[cut + 1:]
    breaks = [i for i in range(2, len(text) - 1)
              if text[i - 1] in BREAK_AFTER or _kana_to_kanji(text, i)]
    cut = min(breaks, key=lambda i: abs(i - middle)) if breaks else middle
    return text[:cut] + "\n" + text[cut:]


def is_bipolar(points: list[Choice], lang: str, default: str) -> bool:
    """True when only the end points carry words (middle labels are their own codes)."""
    from fieldapp.questionnaire.model import text_for

    if len(points) < 5:
        return False
    middle = points[1:-1]
    return all(text_for(c.label, lang, default).strip() == c.name for c in middle) and \
        all(text_for(c.label, lang, default).strip() != c.name for c in (points[0], points[-1]))


class ScaleQuestion(ChoiceQuestion):
    """Shared layout of the scale widgets."""

    def add_missing(self, column: QVBoxLayout, row: QHBoxLayout) -> None:
        """Don't know / refused: beside the scale on a field-list page, else under it."""
        column.addLayout(row)
        if not self.missing:
            return
        if self.compact:
            row.addSpacing(round(8 * self.ctx.scale))
            row.addWidget(self.missing_row(vertical=True))
        else:
            column.addWidget(self.missing_row(), 0, Qt.AlignmentFlag.AlignRight)


class LikertWidget(ScaleQuestion):
    """Points 1..k side by side, each with its number and anchor label."""

    side_by_side = True

    def build_body(self) -> QWidget:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(round(6 * self.ctx.scale))
        row = QHBoxLayout()
        row.setSpacing(round(6 * self.ctx.scale))
        wide = self.ctx.lang == "en"
        for index, choice in enumerate(self.points, start=1):
            label = wrap_text(self.choice_text(choice), 14 if wide else 7)
            widget = self.make_button(choice, f"{index}\n{label}", "scale")
            widget.setFont(self.ctx.font("choice", factor=0.9 if self.compact else 1.0))
            row.addWidget(widget, 1)
        self.add_missing(column, row)
        if not self.compact:
            holder.setMaximumWidth(round(180 * self.ctx.scale * len(self.points)))
        return holder


class BipolarWidget(ScaleQuestion):
    """Points 1..9 between the two pole statements."""

    def build_body(self) -> QWidget:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(round(6 * self.ctx.scale))
        row = QHBoxLayout()
        row.setSpacing(round(6 * self.ctx.scale))
        first, last = self.points[0], self.points[-1]
        left = plain_label(self.choice_text(first), self.ctx.font("hint", bold=True),
                           name="pole")
        left.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        right = plain_label(self.choice_text(last), self.ctx.font("hint", bold=True),
                            name="pole")
        right.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for pole in (left, right):
            pole.setMinimumWidth(round(110 * self.ctx.scale))
            pole.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        row.addWidget(left, 3)
        for index, choice in enumerate(self.points, start=1):
            widget = self.make_button(choice, str(index), "scale")
            widget.setFont(self.ctx.font("choice", bold=True))
            widget.setMinimumWidth(round(40 * self.ctx.scale))
            if index in (1, len(self.points)):
                pole_text = left.text() if index == 1 else right.text()
                widget.setAccessibleName(f"{index}: {pole_text}")
            row.addWidget(widget, 1)
        row.addWidget(right, 3)
        self.add_missing(column, row)
        return holder
