"""The interview screen: header, the current page, footer; keyboard navigation and autosave.

Keys: number keys answer, D / R don't know / refused, Enter or → next, ← or Backspace back
(not while typing in a field), ↑/↓ between questions of a page, A adds a roster entry.
Every answer goes through ``RecordingInterview.answer`` (durable before it returns); only
then does the "saved" sign appear.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from fieldapp.i18n import _
from fieldapp.interview.errors import AnswerError
from fieldapp.interview.navigation import Navigator, Page
from fieldapp.interview.review_items import section_label
from fieldapp.ui import style
from fieldapp.ui.interview import roster
from fieldapp.ui.interview.base import Ctx, QuestionWidget
from fieldapp.ui.interview.choices import ChoiceQuestion
from fieldapp.ui.interview.footer import InterviewFooter
from fieldapp.ui.interview.header import InterviewHeader
from fieldapp.ui.interview.multi import SelectMultipleWidget
from fieldapp.ui.interview.page import PageView
from fieldapp.ui.interview.typed import TypedQuestion
from fieldapp.ui.qt import (
    QApplication,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from fieldapp.ui.widgets import label

#: The interview-language shortcut (README "The enumerator's desktop"): next language;
#: with Shift the previous one.
LANGUAGE_KEY = "F2"

if TYPE_CHECKING:
    from fieldapp.ui.interview.review_page import ReviewView

_NEXT = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Right})
_BACK = frozenset({Qt.Key.Key_Left, Qt.Key.Key_Backspace})


def _single_choice(widget: QuestionWidget) -> bool:
    """True for a select-one question whose answer is complete (no digit pending)."""
    return isinstance(widget, ChoiceQuestion) and \
        not isinstance(widget, SelectMultipleWidget) and not widget.typing()


class InterviewView(QWidget):
    """Shows one page at a time of a :class:`~fieldapp.recording.RecordingInterview`."""

    close_requested = Signal()  # leave; the draft stays on the device
    finalise_requested = Signal()
    page_shown = Signal(str)  # page id, after the page is built (tests, benchmarks)

    def __init__(self, recording: Any, *, scale: float = 1.0, ui_lang: str = "en",
                 title: str = "") -> None:
        super().__init__()
        self.recording = recording
        self.nav = Navigator(recording.engine)
        self.ctx = Ctx(recording.engine, scale, recording.attachment_bytes)
        self.ui_lang = ui_lang
        self.page_view: PageView | None = None
        self.review: ReviewView | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        form = recording.engine.form
        self.header = InterviewHeader(title or form.title, form.languages,
                                      recording.engine.language, ui_lang)
        self.header.language_changed.connect(self.set_language)
        for keys, step in ((LANGUAGE_KEY, 1), (f"Shift+{LANGUAGE_KEY}", -1)):
            QShortcut(QKeySequence(keys), self, activated=lambda s=step: self.next_language(s),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        layout.addWidget(self.header)
        self.notice = label("", name="notice")  # damaged answers, questionnaire errors
        self.notice.setAccessibleName(_("Notice"))
        self.notice.setStyleSheet(style.stylesheet())  # style sheets are set per screen part
        self.notice.hide()
        self._problems_shown: set[tuple[str, str]] = set()
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)
        self.footer = InterviewFooter()
        f = self.footer
        self.back_button, self.remove_button, self.close_button = f.back, f.remove, f.close_draft
        self.review_button, self.next_button = f.review, f.next
        for widget, slot in zip(f.buttons(), (self.go_back, self.remove_entry, self.request_close,
                                              self.show_review, self.go_next), strict=True):
            widget.clicked.connect(slot)
        layout.addWidget(self.footer)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Whatever takes the focus on a page (Tab, a click, a shown message) is scrolled
        into view, at any text size."""
        view = self.page_view
        if view is not None and new is not None and view.content.isAncestorOf(new):
            view.keep_visible(new)

    # ----- rendering --------------------------------------------------------------------
    def start(self, page_id: str | None = None) -> None:
        """Show the first page, or ``page_id`` (resuming a draft)."""
        if page_id:
            try:
                self.nav.jump(page_id)
            except KeyError:
                pass
        if self.recording.lost:
            self._show_notice(_(
                "Some answers of this interview could not be read back from this laptop "
                "and must be asked again: {questions}. The other answers are safe.").format(
                questions=", ".join(self._named(key) for key in self.recording.lost)))
        self.render()
        self._check_problems()

    def _named(self, key: str) -> str:
        """A question as the enumerator knows it: its label in the interview language (with
        the answer key, which the supervisor sees)."""
        engine = self.recording.engine
        try:
            slot = engine.slot(key)
        except AnswerError:
            return key  # a roster, or a question the form no longer has
        text = engine.text(slot.element.label, slot).strip()
        return f"“{text}” ({key})" if text else key

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def _check_problems(self) -> None:
        """Tell the enumerator about questionnaire errors met while interviewing (once)."""
        problems = self.recording.engine.expression_problems
        new = [p for k, p in problems.items() if k not in self._problems_shown]
        if not new:
            return
        self._problems_shown.update(problems)
        problem = new[-1]
        self._show_notice(_(
            "The questionnaire has an error at question {question} ({column}): {reason}. "
            "No answer was removed because of it; carry on and tell your supervisor.").format(
            question=problem.element, column=problem.column, reason=problem.reason))

    def render(self, focus_key: str | None = None) -> None:
        """Build the current page and record that it was shown."""
        page = self.nav.current()
        if page is None:
            self.show_review()
            return
        title, count = roster.prompt_info(self, page)
        view = PageView(self.ctx, page, prompt_title=title, prompt_count=count)
        for widget in view.widgets.values():
            widget.answered.connect(self.commit)
        if view.prompt is not None:
            view.prompt.add_requested.connect(self.add_entry)
        self._replace(view)
        self._tab_order(view)
        self.header.saved.mark_saving()
        self.recording.shown(page.keys)
        self._update_chrome(page)
        self._focus(view, focus_key)
        self.page_shown.emit(page.id)

    def _replace(self, view: PageView) -> None:
        old = self.page_view
        self.page_view = view
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()

    def _tab_order(self, view: PageView) -> None:
        """Questions in page order, then the footer, then the language switcher."""
        chain = [w.focus_target() for w in view.focusable()]
        if view.prompt is not None:
            chain.insert(0, view.prompt)
        chain += [*self.footer.buttons(), self.header.language]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _update_chrome(self, page: Page) -> None:
        engine = self.recording.engine
        section = section_label(engine, page)
        if self.page_view is not None and section == self.page_view.stem_text():
            section = ""  # the page shows it as its stem already
        self.header.set_section(section, engine.language)
        position, total = self.nav.progress()
        self.header.set_progress(position, total)
        self.footer.on_page(position, total, roster.removable(self, page))

    def _focus(self, view: PageView, key: str | None) -> None:
        target = view.widgets.get(key) if key else None
        if view.prompt is not None:
            view.prompt.setFocus()
        elif target is not None or (target := view.first_open()) is not None:
            view.show_question(target)
        else:  # only notes: Enter on the focused (visibly ringed) Next button goes on
            self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # ----- answering --------------------------------------------------------------------
    def commit(self, key: str, value: object) -> bool:
        """Store an answer durably, then show it as saved and apply skip logic."""
        view = self.page_view
        widget = view.widgets.get(key) if view else None
        self.header.saved.mark_saving()
        try:
            changes = self.recording.answer(key, value)
        except AnswerError as exc:
            if widget is not None:
                widget.set_problem(exc.reason)
                widget.set_value(self.recording.engine.answers.get(key))
            return False
        self.header.saved.mark_saved()
        if widget is not None:
            widget.set_problem(None)
        self._after_change(key, set(changes) | {key})
        self._check_problems()
        return True

    def _after_change(self, key: str, changed: set[str]) -> None:
        view = self.page_view
        if view is None:
            return
        widget = view.widgets.get(key)
        advance = widget is not None and widget.focus_inside() and _single_choice(widget)
        page = self.nav.current()
        if page is None or page.keys != view.page.keys:  # skip logic changed this page
            self.render(focus_key=key)
        else:
            answers = self.recording.engine.answers
            for name in changed & set(view.widgets):
                view.widgets[name].set_value(answers.get(name))
            position, total = self.nav.progress()
            self.header.set_progress(position, total)
            self.footer.set_progress(position, total)
        view = self.page_view
        widget = view.widgets.get(key) if view is not None else None
        if advance and view is not None and widget is not None:
            following = view.next_open(widget)  # one keystroke per item on a page
            if following is not None:
                view.show_question(following)

    def flush(self) -> None:
        """Store anything still being typed."""
        if self.page_view is not None:
            for widget in self.page_view.widgets.values():
                widget.flush()

    # ----- navigation -------------------------------------------------------------------
    def go_next(self) -> None:
        """Validate the page and move on (to the review after the last page)."""
        view = self.page_view
        if self.stack.currentWidget() is not view or view is None:
            return
        self.flush()
        for widget in view.widgets.values():
            problem = widget.pending_problem()
            if problem:
                widget.set_problem(problem)
                view.show_question(widget)
                return
        try:
            page = self.nav.next()
        except AnswerError as exc:
            widget = view.widgets.get(exc.key)
            if widget is not None:
                widget.set_problem(exc.reason)
                view.show_question(widget)
            return
        if page is None:
            self.show_review()
        else:
            self.render()

    def go_back(self) -> None:
        """Previous page (from the review: the last page)."""
        if self.review is not None and self.stack.currentWidget() is self.review:
            self.stack.setCurrentWidget(self.page_view)
            self.render()
            return
        self.flush()
        self.nav.previous()
        self.render()

    def jump(self, key: str) -> None:
        """Go to the page holding answer ``key`` and focus it (from the review)."""
        self.nav.jump(key)
        self.render(focus_key=key)

    def next_language(self, step: int = 1) -> None:
        """The next (``step`` -1: previous) interview language: F2 / Shift+F2, any time."""
        combo = self.header.language
        if combo.count() > 1:
            combo.setCurrentIndex((combo.currentIndex() + step) % combo.count())

    def set_language(self, lang: str) -> None:
        """Switch the interview language (recorded) and re-render at once."""
        self.flush()
        if lang == self.recording.engine.language:
            return
        # typed text that cannot be stored yet (and so is not saved) survives the switch,
        # with its message, now in the new language
        unsaved = {key: w.editor.text() for key, w in (
            self.page_view.widgets.items() if self.page_view else ())
            if isinstance(w, TypedQuestion) and w.pending_problem() is not None}
        self.recording.set_language(lang)
        if self.review is not None and self.stack.currentWidget() is self.review:
            self.show_review()
        else:
            focus = self.page_view.owner_of(self.focusWidget()) if self.page_view else None
            self.render(focus_key=focus.key if focus else None)
            for key, text in unsaved.items():
                widget = self.page_view.widgets.get(key) if self.page_view else None
                if isinstance(widget, TypedQuestion):
                    widget.editor.setText(text)
                    widget._edited(text)

    def add_entry(self) -> None:
        """Add a roster entry (see :mod:`.roster`)."""
        roster.add_entry(self)

    def remove_entry(self) -> None:
        """Remove the current roster entry, after asking."""
        roster.remove_entry(self)

    def show_review(self) -> None:
        """The list of all answers before finalising."""
        from fieldapp.ui.interview.review_page import ReviewView

        self.flush()
        review = ReviewView(self.ctx)
        review.jump.connect(self._jump_from_review)
        review.back.connect(self.go_back)
        review.finalise.connect(self.finalise_requested)
        if self.review is not None:
            self.stack.removeWidget(self.review)
            self.review.deleteLater()
        self.review = review
        self.stack.addWidget(review)
        self.stack.setCurrentWidget(review)
        self.header.set_section(_("Review"), self.ui_lang)
        questions = [i for i in review.items if not i.is_note]
        done = 1.0 if not questions else \
            sum(1 for i in questions if not i.problem) / len(questions)
        self.header.set_review(self.nav.progress()[1], done)
        self.footer.on_review()
        review.setFocus()

    def _jump_from_review(self, key: str) -> None:
        self.jump(key)

    def request_close(self) -> None:
        """Leave the interview; it stays a draft."""
        self.flush()
        self.close_requested.emit()

    # ----- keys -------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        view = self.page_view
        on_page = view is not None and self.stack.currentWidget() is view
        if plain and on_page and key in _NEXT:
            self.go_next()
        elif plain and on_page and key in _BACK:
            self.go_back()
        elif on_page and key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and view is not None:
            current = view.owner_of(self.focusWidget())
            target = view.neighbour(current, -1 if key == Qt.Key.Key_Up else 1)
            if target is not None:
                view.show_question(target)
        elif on_page and view is not None and (target := view.first_open()) is not None \
                and view.owner_of(self.focusWidget()) is None and target.handle_key(event):
            pass  # a number typed while no question had focus answers the first open one
        else:
            super().keyPressEvent(event)
            return
        event.accept()
