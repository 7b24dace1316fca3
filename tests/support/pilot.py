"""Drive the real widgets with the keyboard only, as an enumerator would.

``qtbot.keyClicks`` aborts the process on non-ASCII text, so CJK text is committed with a
``QInputMethodEvent`` (what an input method sends).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from fieldapp.ui import ops
from fieldapp.ui.app import apply_language, create_app, load_prefs
from fieldapp.ui.home import HomeView
from fieldapp.ui.interview.choices import MISSING_LETTERS, ChoiceQuestion
from fieldapp.ui.interview.multi import SelectMultipleWidget
from fieldapp.ui.interview.note import NoteWidget
from fieldapp.ui.interview.number import NumberWidget
from fieldapp.ui.interview.typed import TypedQuestion
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.unlock import UnlockView
from tests.support.devices import PASSPHRASE

WAIT_MS = 15_000


def make_window(qtbot: Any, data: Path, lang: str = "en", **prefs: Any) -> MainWindow:
    """A shown, active main window in UI language ``lang``."""
    app = create_app([])
    apply_language(app, lang)  # before the first widget, as in run()
    settings = load_prefs(data)
    if prefs:
        settings = replace(settings, **prefs)
    window = MainWindow(data, settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def screen(window: MainWindow) -> QWidget:
    """The screen on display."""
    return window.stack.currentWidget()


def focus(window: MainWindow) -> QWidget:
    """Where key presses go (the window itself if nothing has focus)."""
    return QApplication.focusWidget() or window


def press(qtbot: Any, window: MainWindow, key: Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key press on the focused widget."""
    qtbot.keyClick(focus(window), key, modifier)


def type_text(qtbot: Any, window: MainWindow, text: str) -> None:
    """Type ``text`` into the focused widget (CJK through an input-method commit)."""
    target = focus(window)
    if text.isascii():
        qtbot.keyClicks(target, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(target, event)


def wait_ops(qtbot: Any) -> None:
    """Until every background operation has delivered its result."""
    qtbot.waitUntil(lambda: ops.pending() == 0, timeout=WAIT_MS)


def unlock(qtbot: Any, window: MainWindow, passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase on the unlock screen and wait for Home."""
    assert isinstance(screen(window), UnlockView)
    type_text(qtbot, window, passphrase)
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(screen(window), HomeView), timeout=WAIT_MS)


def start_from_home(qtbot: Any, window: MainWindow, form_id: str) -> None:
    """Pick a questionnaire in the Home list with the arrow keys and press Enter."""
    home = screen(window)
    assert isinstance(home, HomeView)
    home.forms.setFocus()
    ids = [home.forms.item(i).data(Qt.ItemDataRole.UserRole) for i in range(home.forms.count())]
    for _ in range(ids.index(form_id) - home.forms.currentRow()):
        press(qtbot, window, Qt.Key.Key_Down)
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.interview is not None, timeout=WAIT_MS)


def keys_for(widget: Any, value: Any) -> str:
    """The keystrokes that give ``value`` in a question widget."""
    if isinstance(widget, SelectMultipleWidget):
        names = [c.name for c in widget.points]
        return "".join(str(names.index(v) + 1) for v in value)
    if isinstance(widget, ChoiceQuestion):
        missing = [c.name for c in widget.missing]
        if value in missing:
            return MISSING_LETTERS[missing.index(value)]
        return str([c.name for c in widget.points].index(value) + 1)
    return str(value)


def default_for(widget: Any) -> Any:
    """An acceptable answer when the plan has none (None: leave unanswered)."""
    if isinstance(widget, ChoiceQuestion) and not isinstance(widget, SelectMultipleWidget):
        return widget.points[0].name
    if isinstance(widget, NumberWidget):
        return "3"
    return None


def answer_page(qtbot: Any, window: MainWindow, plan: dict[str, Any]) -> None:
    """Answer every question on the current page by keyboard, then press Enter."""
    view = window.interview
    page = view.page_view
    for key, widget in list(page.widgets.items()):
        if isinstance(widget, NoteWidget):
            continue
        value = plan.get(key, default_for(widget))
        if value is None:
            continue
        for _ in range(len(page.widgets)):
            if page.owner_of(focus(window)) is widget:
                break
            press(qtbot, window, Qt.Key.Key_Down)
        assert page.owner_of(focus(window)) is widget, f"cannot reach {key} by keyboard"
        if isinstance(widget, TypedQuestion):
            press(qtbot, window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            type_text(qtbot, window, keys_for(widget, value))
        else:
            qtbot.keyClicks(focus(window), keys_for(widget, value))
    before = view.nav.current().id
    press(qtbot, window, Qt.Key.Key_Return)
    if view.stack.currentWidget() is view.page_view:
        problems = [w.problem.text() for w in view.page_view.widgets.values()
                    if w.problem.isVisible()]
        assert view.nav.current().id != before, f"stuck on {before}: {problems}"


def complete(qtbot: Any, window: MainWindow, plan: dict[str, Any]) -> list[str]:
    """Answer page after page until the review shows; returns the page ids seen."""
    view = window.interview
    seen: list[str] = []
    for _ in range(300):
        if view.stack.currentWidget() is not view.page_view:
            return seen
        seen.append(view.nav.current().id)
        answer_page(qtbot, window, plan)
    raise AssertionError("the interview never reached the review")


def finalise_by_keyboard(qtbot: Any, window: MainWindow) -> None:
    """From the review: Tab to "Finalise…", Enter, Enter on "Finalise and seal"."""
    review = window.interview.review
    for _ in range(12):
        if focus(window) is review.finalise_button:
            break
        press(qtbot, window, Qt.Key.Key_Tab)
    assert focus(window) is review.finalise_button
    press(qtbot, window, Qt.Key.Key_Return)
    assert review.confirm.isVisible() and focus(window) is review.seal_button
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(screen(window), HomeView), timeout=WAIT_MS)


def keys(qtbot: Any, window: MainWindow, text: str) -> None:
    """ASCII keys one by one, each to whatever has the focus at that moment."""
    for char in text:
        qtbot.keyClicks(focus(window), char)


def household_with_two(qtbot: Any, window: MainWindow) -> None:
    """Start the household test form from Home and add two members, Ana and Bo, by keyboard."""
    start_from_home(qtbot, window, "household_test")
    view = window.interview
    answer_page(qtbot, window, {"pets": "2"})
    for name in ("Ana", "Bo"):
        press(qtbot, window, Qt.Key.Key_A)
        type_text(qtbot, window, name)
        press(qtbot, window, Qt.Key.Key_Return)
    assert view.recording.engine.instance_count("member") == 2
