"""One page of the interview: a question, a whole field-list group, or a roster prompt."""

from __future__ import annotations

from fieldapp.interview.navigation import Page
from fieldapp.questionnaire.model import Group, text_for
from fieldapp.ui import style
from fieldapp.ui.interview import factory, matrix
from fieldapp.ui.interview.base import Ctx, QuestionWidget, no_orphan, plain_label, tinted
from fieldapp.ui.interview.note import RepeatPrompt
from fieldapp.ui.qt import (
    QApplication,
    QFrame,
    QKeyEvent,
    QPaintEvent,
    QPoint,
    QResizeEvent,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

MAX_WIDTH = 1180  # px at 100 %: longer lines are hard to read aloud
_PASS_KEYS = frozenset({Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
                        Qt.Key.Key_Backspace, Qt.Key.Key_Return, Qt.Key.Key_Enter})


class _Content(QWidget):
    painted = Signal()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.painted.emit()


class PageView(QScrollArea):
    """Question widgets of one page in a scroll area that leaves navigation keys alone."""

    def __init__(self, ctx: Ctx, page: Page, *, prompt_title: str = "",
                 prompt_count: int = 0) -> None:
        super().__init__()
        self.page = page
        self.ctx = ctx
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.content = _Content()
        self.content.setMaximumWidth(round(MAX_WIDTH * ctx.scale))
        self.painted = self.content.painted
        layout = QVBoxLayout(self.content)
        margin = round(20 * ctx.scale)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(round(10 * ctx.scale))
        self.widgets: dict[str, QuestionWidget] = {}
        self._shown: QuestionWidget | None = None
        self.prompt: RepeatPrompt | None = None
        stem = self.stem_text()
        if stem:
            self.stem = plain_label(no_orphan(stem), ctx.font("stem", bold=True))
            layout.addWidget(self.stem)
        if page.prompt is not None:
            self.prompt = RepeatPrompt(ctx, prompt_title, prompt_count)
            layout.addWidget(self.prompt)
        compact = len(page.keys) > 1
        runs = matrix.grid_runs(ctx, page.keys) if compact else []
        starts = {start: end for start, end in runs}
        in_grid = {i for start, end in runs for i in range(start, end)}
        for index, key in enumerate(page.keys):
            widget = matrix.MatrixRow(ctx, key, compact=True) if index in in_grid \
                else factory.create(ctx, key, compact=compact)
            self.widgets[key] = widget
        hints = {w.hint() for w in self.widgets.values()}
        if compact and len(hints) == 1 and "" not in hints:  # one shared hint, shown once
            layout.addWidget(tinted(plain_label(hints.pop(), ctx.font("hint")), style.MUTED))
            for widget in self.widgets.values():
                widget.hint_label.hide()
        self.grid_headers: list[matrix.MatrixHeader] = []
        #: per grid: its header, its rows, and a copy pinned to the top of the view while
        #: the header itself is scrolled away and rows of the grid are still in view
        self._sticky: list[tuple[matrix.MatrixHeader, list[QuestionWidget],
                                 matrix.MatrixHeader]] = []
        grid: QVBoxLayout | None = None
        for index, (key, widget) in enumerate(self.widgets.items()):
            if index in starts:  # a grid: its header, then its rows close together
                header = matrix.MatrixHeader(ctx, key)
                self.grid_headers.append(header)
                rows = [self.widgets[k] for k in page.keys[index:starts[index]]]
                self._sticky.append((header, rows, matrix.MatrixHeader(ctx, key,
                                                                       self.viewport())))
                grid = QVBoxLayout()
                grid.setSpacing(round(4 * ctx.scale))
                grid.addWidget(header)
                layout.addLayout(grid)
            if index in in_grid and grid is not None:
                grid.addWidget(widget)
            else:
                grid = None
                layout.addWidget(widget)
        layout.addStretch(1)
        self.setWidget(self.content)
        self.content.setAutoFillBackground(False)  # setWidget turned it on
        if self._sticky:
            self.verticalScrollBar().valueChanged.connect(self._pin_headers)
        previous: QWidget | None = None
        for widget in self.focusable():
            if previous is not None:
                QWidget.setTabOrder(previous, widget.focus_target())
            previous = widget.focus_target()

    def stem_text(self) -> str:
        """The field-list group's own label (the shared question stem)."""
        group = self.page.group
        if group is None or not isinstance(group.element, Group):
            return ""
        element = group.element
        if not element.label:
            return ""
        engine = self.ctx.engine
        raw = text_for(element.label, engine.language, engine.form.default_language)
        from fieldapp.interview.text import interpolate

        return interpolate(raw, engine.context(group.repeats, group.indices))

    def focusable(self) -> list[QuestionWidget]:
        """Question widgets that take focus, in page order."""
        return [w for w in self.widgets.values()
                if w.focus_target().focusPolicy() != Qt.FocusPolicy.NoFocus]

    def first_open(self) -> QuestionWidget | None:
        """The first focusable question without an answer (else the first one)."""
        widgets = self.focusable()
        for widget in widgets:
            if self.ctx.engine.answers.get(widget.key) is None:
                return widget
        return widgets[0] if widgets else None

    def next_open(self, current: QuestionWidget) -> QuestionWidget | None:
        """The next focusable question without an answer after ``current`` (wrapping round
        to one skipped above it); None when every question of the page is answered."""
        widgets = self.focusable()
        if current not in widgets:
            return self.first_open()
        index = widgets.index(current)
        for widget in widgets[index + 1:] + widgets[:index]:
            if self.ctx.engine.answers.get(widget.key) is None:
                return widget
        return None

    def owner_of(self, widget: QWidget | None) -> QuestionWidget | None:
        """The question widget containing ``widget`` (the focus widget, usually)."""
        while widget is not None:
            if isinstance(widget, QuestionWidget) and widget.key in self.widgets:
                return widget
            widget = widget.parentWidget()
        return None

    def neighbour(self, current: QuestionWidget | None, step: int) -> QuestionWidget | None:
        """The focusable question ``step`` places from ``current`` on this page."""
        widgets = self.focusable()
        if not widgets:
            return None
        if current not in widgets:
            return widgets[0]
        index = widgets.index(current) + step  # type: ignore[arg-type]
        return widgets[index] if 0 <= index < len(widgets) else None

    def show_question(self, widget: QuestionWidget) -> None:
        """Focus a question and scroll it into view (again once the page is laid out)."""
        self._shown = widget
        widget.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
        self.keep_visible(widget)

    def keep_visible(self, widget: QWidget) -> None:
        """Scroll so ``widget`` (a question, or a widget inside one) is in view (in a grid:
        below the grid's pinned header)."""
        owner = self.owner_of(widget) or widget
        if owner is self.content or not self.content.isAncestorOf(owner):
            return
        margin = round(24 * self.ctx.scale)
        for header, rows, _pinned in self._sticky:
            if owner in rows:
                margin += header.height()
        self.ensureWidgetVisible(owner, 0, margin)
        self._pin_headers()

    def _pin_headers(self) -> None:
        """Show a grid's header copy at the top of the view while the header is scrolled
        out and rows of its grid are still visible."""
        viewport = self.viewport()
        for header, rows, pinned in self._sticky:
            top = header.mapTo(viewport, QPoint(0, 0))
            bottom = rows[-1].mapTo(viewport, QPoint(0, rows[-1].height())).y()
            height = header.height()
            show = top.y() < 0 and bottom > height
            if show:
                pinned.setGeometry(top.x(), 0, header.width(), height)
                pinned.raise_()
            pinned.setVisible(show)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)  # lays the page out at its real size
        self._pin_headers()
        focus = QApplication.focusWidget()
        target = focus if focus is not None and self.content.isAncestorOf(focus) \
            else self._shown
        if target is not None:
            self.keep_visible(target)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _PASS_KEYS:
            event.ignore()  # arrows and Enter navigate; the view handles them
        else:
            super().keyPressEvent(event)
