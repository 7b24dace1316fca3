"""Batteries as a grid: consecutive single-choice questions of a page that share a short
choice list (Yes/No, a Likert scale) are rows under one header naming the choices once.

Each row is still one question widget and one Tab stop: its digits answer it, D / R give
don't know / refused, and the answer moves the focus on to the next open row. The answer
buttons of every row have the same fixed widths, right-aligned, so they line up in columns
under the header.
"""

from __future__ import annotations

from typing import Any

from fieldapp.questionnaire.model import Choice, Question, text_for
from fieldapp.ui import style
from fieldapp.ui.interview.base import Ctx, plain_label, tinted
from fieldapp.ui.interview.choices import MISSING_LETTERS, ChoiceQuestion
from fieldapp.ui.qt import (
    QColor,
    QFontMetrics,
    QHBoxLayout,
    QLabel,
    QPalette,
    QSizePolicy,
    Qt,
    QWidget,
)

MAX_POINTS = 7  # longer lists are not a grid
MIN_ROWS = 2


def _points(ctx: Ctx, question: Question) -> tuple[list[Choice], list[Choice]] | None:
    """The answer points and missing codes of a grid-able question, else None."""
    if question.type != "select_one" or question.choice_filter or question.read_only or \
            question.media or "horizontal" in question.appearances:
        return None
    choices = ctx.engine.form.choice_list(question)
    if choices is None:
        return None
    points = [c for c in choices.choices if not c.missing]
    if not 2 <= len(points) <= MAX_POINTS or any(c.media for c in choices.choices):
        return None
    from fieldapp.ui.interview.scale import is_bipolar

    if is_bipolar(points, ctx.lang, ctx.engine.form.default_language):
        return None  # bipolar items keep their pole statements beside the points
    return points, [c for c in choices.choices if c.missing][:2]


def grid_runs(ctx: Ctx, keys: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) index ranges of ``keys`` to show as grids: at least two consecutive
    grid-able questions on one choice list."""
    runs: list[tuple[int, int]] = []
    start, current = 0, None
    lists: list[str | None] = []
    for key in keys:
        question = ctx.engine.slot(key).element
        ok = isinstance(question, Question) and _points(ctx, question) is not None
        lists.append(question.list_name if ok and isinstance(question, Question) else None)
    for index in range(len(lists) + 1):
        name = lists[index] if index < len(lists) else None
        if name != current or name is None:
            if current is not None and index - start >= MIN_ROWS:
                runs.append((start, index))
            start, current = index, name
    return runs


def column_widths(ctx: Ctx, points: list[Choice], missing: list[Choice]) -> tuple[int, int,
                                                                                  int]:
    """Width of a point column, of a missing-code column, and the spacing between them:
    wide enough for the header's choice labels (longer ones wrap), the same for every row."""
    engine = ctx.engine
    metrics = QFontMetrics(ctx.font("hint", bold=True))

    def need(choices: list[Choice]) -> int:
        return max((metrics.horizontalAdvance(
            text_for(c.label, engine.language, engine.form.default_language) or c.name)
            for c in choices), default=0) + round(12 * ctx.scale)

    point = min(max(need(points), round(52 * ctx.scale)), round(96 * ctx.scale))
    other = min(max(need(missing), round(44 * ctx.scale)), round(112 * ctx.scale))
    return point, other, round(6 * ctx.scale)


class MatrixRow(ChoiceQuestion):
    """One row of a grid: the item's text, then one small numbered button per choice."""

    side_by_side = True

    def build_body(self) -> QWidget:
        holder = QWidget()
        holder.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        point_width, missing_width, spacing = column_widths(self.ctx, self.points, self.missing)
        row.setSpacing(spacing)
        height = round(36 * self.ctx.scale)
        for index, choice in enumerate(self.points, start=1):
            widget = self.make_button(choice, str(index), "scale")
            widget.setToolTip(self.choice_text(choice))
            widget.setFont(self.ctx.font("choice", bold=True))
            widget.setFixedSize(point_width, height)
            row.addWidget(widget)
        for letter, choice in zip(MISSING_LETTERS, self.missing, strict=False):
            widget = self.make_button(choice, letter, "missing")
            widget.setToolTip(self.choice_text(choice))
            widget.setFont(self.ctx.font("hint"))
            widget.setFixedSize(missing_width, height)
            row.addWidget(widget)
        return holder

    def _build(self, hint: str) -> None:
        super()._build(hint)
        margin = round(6 * self.ctx.scale)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(margin + 2, margin, margin, margin)


class MatrixHeader(QWidget):
    """The choice labels above a grid, in the columns of its rows' buttons."""

    def __init__(self, ctx: Ctx, key: str, pinned_in: QWidget | None = None) -> None:
        super().__init__(pinned_in)
        question = ctx.engine.slot(key).element
        assert isinstance(question, Question)
        found = _points(ctx, question)
        assert found is not None
        points, missing = found
        engine = ctx.engine
        row = QHBoxLayout(self)
        margin = round(6 * ctx.scale)
        row.setContentsMargins(margin + 2, 0, margin, 0)
        point_width, missing_width, spacing = column_widths(ctx, points, missing)
        row.setSpacing(spacing)
        row.addStretch(1)
        self.labels: list[QLabel] = []

        def text(choice: Choice) -> str:
            return text_for(choice.label, engine.language, engine.form.default_language) \
                or choice.name

        for width, caption in [(point_width, f"{i}\n{text(c)}")
                               for i, c in enumerate(points, start=1)] + \
                [(missing_width, text(c)) for c in missing]:
            cell = tinted(plain_label(caption, ctx.font("hint", bold=True)), style.MUTED)
            cell.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
            cell.setFixedWidth(width)
            row.addWidget(cell, 0, Qt.AlignmentFlag.AlignBottom)
            self.labels.append(cell)
        self.setAccessibleName(" / ".join(label.text().replace("\n", " ")
                                          for label in self.labels))
        if pinned_in is not None:  # the copy pinned over the scrolled page: opaque, hidden
            self.setAutoFillBackground(True)
            palette = self.palette()
            palette.setColor(QPalette.ColorRole.Window, QColor(style.BACKGROUND))
            self.setPalette(palette)
            self.setAccessibleName("")  # the real header already names the columns
            self.hide()


def is_row(widget: Any) -> bool:
    """True for a grid row."""
    return isinstance(widget, MatrixRow)
