"""Focus after every answer, after resume and after a roster removal, and focus rings one can
see (issue 14: "focus always visible and always on the next unanswered item")."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldapp.ui.home import HomeView
from tests.support import pilot
from tests.support.ui_forms import install_household


def owner_key(window) -> str | None:
    owner = window.interview.page_view.owner_of(pilot.focus(window))
    return owner.key if owner is not None else None


def open_page(qtbot, window, form: str, page: str) -> None:
    pilot.start_from_home(qtbot, window, form)
    view = window.interview
    view.nav.jump(page)
    view.render()


def test_an_answer_moves_to_the_next_unanswered_question(qtbot, open_window) -> None:
    window = open_window("en")
    open_page(qtbot, window, "three_city_2012", "FAM")
    assert owner_key(window) == "FAM1"
    pilot.keys(qtbot, window, "21")  # one digit per item, no arrow key between
    answers = window.interview.recording.engine.answers
    assert (answers["FAM1"], answers["FAM2"]) == ("2", "1")
    assert owner_key(window) == "FAM3"
    pilot.press(qtbot, window, Qt.Key.Key_Down)  # FAM3 left open on purpose
    pilot.keys(qtbot, window, "4")
    assert answers["FAM4"] == "4" and owner_key(window) == "FAM5"
    for _ in range(4):
        pilot.press(qtbot, window, Qt.Key.Key_Up)
    assert owner_key(window) == "FAM1"
    pilot.keys(qtbot, window, "3")  # a change above: on to the open FAM3, not FAM2
    assert answers["FAM1"] == "3" and owner_key(window) == "FAM3"
    pilot.keys(qtbot, window, "D")  # don't know is an answer too
    assert answers["FAM3"] == "98" and owner_key(window) == "FAM5"
    pilot.keys(qtbot, window, "111")
    assert owner_key(window) == "FAM7" and answers["FAM7"] == "1"  # all answered: stays


def test_an_answer_that_opens_a_question_moves_to_it(qtbot, open_window, device,
                                                    tmp_path) -> None:
    install_household(device[0], tmp_path)
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "household_test")
    pilot.keys(qtbot, window, "1")  # pets: yes → "how many?" appears below
    assert owner_key(window) == "npets"
    pilot.type_text(qtbot, window, "3")
    window.interview.flush()
    assert window.interview.recording.engine.answers["npets"] == 3


def test_a_resumed_draft_and_a_page_of_notes_show_where_the_focus_is(qtbot,
                                                                     open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    view = window.interview
    assert view.page_view.focusable() == []  # the introduction: notes only
    assert pilot.focus(window) is view.next_button  # ringed; Enter goes on
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    assert view.nav.current().id == "CONSENT"
    view.nav.jump("ANX")
    view.render()
    pilot.keys(qtbot, window, "2")
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    home = pilot.screen(window)
    assert isinstance(home, HomeView)
    home.drafts.setFocus()
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    view = window.interview
    widget = view.page_view.widgets.get(owner_key(window))
    assert widget is not None and widget.focus_inside()
    assert widget.visibleRegion().boundingRect().height() == widget.height()  # in view


def test_focus_after_a_roster_entry_is_removed(qtbot, open_window, device, tmp_path) -> None:
    install_household(device[0], tmp_path)
    window = open_window("en")
    pilot.household_with_two(qtbot, window)
    view = window.interview
    view.jump("m_name[1]")
    view.remove_button.setFocus()

    def answer_yes() -> None:  # the real message box, answered by keyboard
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        qtbot.keyClick(box.button(QMessageBox.StandardButton.Yes), Qt.Key.Key_Space)

    QTimer.singleShot(50, answer_yes)
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    assert view.recording.engine.instance_count("member") == 1
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    if QApplication.activeWindow() is not window:  # offscreen Qt does not re-activate it
        with qtbot.waitActive(window):
            window.activateWindow()
    page = view.page_view
    focus = pilot.focus(window)
    owner = page.owner_of(focus)
    assert owner is not None and owner.key == "m_name[1]" and owner.focus_inside()
    assert owner.visibleRegion().boundingRect().height() == owner.height()


def _ring_pixels(widget, focused_image, plain_image) -> int:
    """Pixels on the widget's outer 3-px band that change clearly when it takes the focus."""
    changed = 0
    w, h = plain_image.width(), plain_image.height()
    for x in range(w):
        for y in range(h):
            if 3 <= x < w - 3 and 3 <= y < h - 3:
                continue
            a, b = QColor(focused_image.pixel(x, y)), QColor(plain_image.pixel(x, y))
            if abs(a.red() - b.red()) + abs(a.green() - b.green()) + \
                    abs(a.blue() - b.blue()) >= 120:
                changed += 1
    return changed


def test_focus_rings_are_clearly_visible(qtbot, open_window) -> None:
    window = open_window("en")
    open_page(qtbot, window, "three_city_2012", "ANX")
    view = window.interview
    card = view.page_view.widgets["ANX2"]
    for widget in (view.next_button, view.review_button, card):
        widget.clearFocus()
        QApplication.processEvents()
        plain = widget.grab().toImage()
        widget.setFocus()
        QApplication.processEvents()
        focused = widget.grab().toImage()
        perimeter = 2 * (plain.width() + plain.height())
        # a ring at least 2 px wide all round, in a colour clearly unlike the unfocused edge
        assert _ring_pixels(widget, focused, plain) >= 1.5 * perimeter, widget
