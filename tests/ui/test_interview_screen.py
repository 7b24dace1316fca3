"""The interview screen as an enumerator uses it: skip logic, constraints, languages, drafts,
the saved sign, rosters, review, tab order, accessible names, text size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldapp.ui.home import HomeView
from fieldapp.ui.interview.review_page import MISSING_BG
from fieldapp.ui.unlock import UnlockView
from tests.support import pilot
from tests.support.plans import THREE_CITY
from tests.support.ui_forms import install_household


def go_to(qtbot, window, page_id: str, plan=THREE_CITY) -> None:
    """Answer pages by keyboard until ``page_id`` is on screen."""
    view = window.interview
    for _ in range(60):
        if view.nav.current().id == page_id:
            return
        pilot.answer_page(qtbot, window, plan)
    raise AssertionError(f"never reached {page_id}")


def events(window) -> int:
    view = window.interview
    return len(window.session.store.events(view.recording.interview_id))


def test_relevance_hides_a_question_live(qtbot, open_window, device, tmp_path) -> None:
    install_household(device[0], tmp_path)
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "household_test")
    page = lambda: window.interview.page_view  # noqa: E731 - the page is rebuilt
    assert list(page().widgets) == ["pets"]
    pilot.keys(qtbot, window, "1")
    assert list(page().widgets) == ["pets", "npets"]
    assert page().owner_of(pilot.focus(window)).key == "npets"  # on to the new question
    pilot.press(qtbot, window, Qt.Key.Key_Backtab)  # (↑ steps the count)
    pilot.keys(qtbot, window, "2")
    assert list(page().widgets) == ["pets"]


def test_relevance_adds_and_removes_pages(qtbot, open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    go_to(qtbot, window, "city")
    nav = window.interview.nav
    pilot.keys(qtbot, window, "2")  # Beijing: the hukou question appears
    assert "DEM09" in [p.id for p in nav.pages()]
    total = nav.progress()[1]
    pilot.keys(qtbot, window, "1")  # Seoul: gone again
    assert "DEM09" not in [p.id for p in nav.pages()]
    assert nav.progress()[1] == total - 1
    assert window.interview.header.progress_text.text().endswith("%")


def test_constraint_message_in_the_interview_language(qtbot, open_window) -> None:
    window = open_window("ja", interview_language="ja")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    go_to(qtbot, window, "DEM02")
    widget = window.interview.page_view.widgets["DEM02"]
    pilot.type_text(qtbot, window, "5")
    assert widget.problem.isVisible()  # immediately, before any Enter
    assert widget.problem.text().startswith("年齢は18～110歳の範囲で入力してください")
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    assert window.interview.nav.current().id == "DEM02"
    pilot.press(qtbot, window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    pilot.type_text(qtbot, window, "35")
    assert not widget.problem.isVisible()
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    assert window.interview.nav.current().id == "DEM03"
    assert window.interview.recording.engine.answers["DEM02"] == 35


def test_language_switch_keeps_answers(qtbot, open_window) -> None:
    window = open_window("en", interview_language="en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    go_to(qtbot, window, "ANX")
    pilot.keys(qtbot, window, "23")
    view = window.interview
    engine = view.recording.engine
    before = dict(engine.answers)
    view.header.language.setCurrentIndex(view.header.language.findData("zh"))
    assert engine.language == "zh"
    # every answer kept; only the calculated city name follows the new language
    assert {k: v for k, v in engine.answers.items() if k != "city_label"} == \
        {k: v for k, v in before.items() if k != "city_label"}
    assert (before["city_label"], engine.answers["city_label"]) == ("Seoul", "首尔")
    page = view.page_view
    assert page.widgets["ANX1"].label.text().startswith("我们社会的竞争太激烈了")
    assert page.widgets["ANX1"].buttons["2"].isChecked()
    assert page.widgets["ANX2"].buttons["3"].isChecked()
    assert page.owner_of(pilot.focus(window)).key == "ANX3"  # kept where the enumerator was
    kinds = [e.kind for e in window.session.store.events(view.recording.interview_id)]
    assert kinds.count("language") == 2  # the start language and the switch


def test_suspend_and_resume_a_draft(qtbot, open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    go_to(qtbot, window, "DEM02")
    interview_id = window.interview.recording.interview_id
    qtbot.mouseClick(window.interview.close_button, Qt.MouseButton.LeftButton)
    home = pilot.screen(window)
    assert isinstance(home, HomeView)
    assert home.drafts.item(0).data(Qt.ItemDataRole.UserRole) == interview_id
    home.drafts.setFocus()
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    view = window.interview
    assert view.recording.interview_id == interview_id
    assert view.nav.current().id == "DEM02"  # first page still needing an answer
    assert view.recording.engine.answers["district"] == "seoul_eunpyeong"
    assert view.recording.engine.answers["dong"] == "녹번동"


def test_saved_sign_appears_only_after_the_commit(qtbot, open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    go_to(qtbot, window, "CONSENT")
    saved = window.interview.header.saved
    store = window.session.store
    assert not saved.isVisible()
    seen: list[bool] = []
    original = store.append_events

    def spy(**kwargs):
        seen.append(saved.isVisible())
        return original(**kwargs)

    store.append_events = spy
    count = events(window)
    pilot.keys(qtbot, window, "1")
    assert seen == [False]  # hidden while the commit ran
    assert saved.isVisible() and events(window) == count + 1
    pilot.press(qtbot, window, Qt.Key.Key_Return)  # a new page starts without the sign
    assert not saved.isVisible()
    pilot.keys(qtbot, window, "9")  # not a choice here: nothing stored
    assert not saved.isVisible()


def test_typed_answer_is_saved_after_a_pause(qtbot, open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    go_to(qtbot, window, "DEM02")
    saved = window.interview.header.saved
    count = events(window)
    pilot.type_text(qtbot, window, "42")
    assert not saved.isVisible() and events(window) == count
    qtbot.waitUntil(saved.isVisible, timeout=3000)
    assert events(window) == count + 1
    assert window.interview.recording.engine.answers["DEM02"] == 42


def test_roster_add_and_remove(qtbot, open_window, device, tmp_path, monkeypatch) -> None:
    install_household(device[0], tmp_path)
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "household_test")
    view = window.interview
    pilot.answer_page(qtbot, window, {"pets": "2"})
    assert view.page_view.prompt is not None
    for name in ("Ana", "Bo"):
        pilot.press(qtbot, window, Qt.Key.Key_A)
        assert view.nav.current().keys[0].startswith("m_name[")
        pilot.type_text(qtbot, window, name)
        pilot.press(qtbot, window, Qt.Key.Key_Return)
        assert view.page_view.prompt is not None
    engine = view.recording.engine
    assert engine.answers["m_name[1]"] == "Ana" and engine.answers["m_name[2]"] == "Bo"
    view.jump("m_name[1]")
    assert view.remove_button.isVisible()
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    assert engine.instance_count("member") == 1 and engine.answers["m_name[1]"] == "Bo"


def test_review_highlights_missing_and_jumps_back(qtbot, open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    go_to(qtbot, window, "city")
    view = window.interview
    qtbot.mouseClick(view.review_button, Qt.MouseButton.LeftButton)
    review = view.review
    assert view.stack.currentWidget() is review
    missing = [review.list.item(i) for i in range(review.list.count())
               if review.list.item(i).background().color() == MISSING_BG]
    assert missing and missing[0].data(Qt.ItemDataRole.UserRole) == "city"
    assert not review.finalise_button.isEnabled()
    rect = review.list.visualItemRect(missing[1])
    qtbot.mouseClick(review.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.stack.currentWidget() is view.page_view
    assert view.nav.current().id == missing[1].data(Qt.ItemDataRole.UserRole)


def test_lock_during_interview_returns_to_the_same_page(qtbot, open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    go_to(qtbot, window, "DEM01")
    pilot.press(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(pilot.screen(window), UnlockView), timeout=5000)
    assert window.session is None and window.interview is None
    pilot.type_text(qtbot, window, "correct horse battery staple")
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.interview is not None, timeout=pilot.WAIT_MS)
    assert window.interview.nav.current().id == "DEM01"


def test_tab_order_and_accessible_names(qtbot, open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    go_to(qtbot, window, "ANX")
    view = window.interview
    page = view.page_view
    order = []
    for _ in range(10):
        order.append(pilot.focus(window))
        pilot.press(qtbot, window, Qt.Key.Key_Tab)
    expected = [*page.widgets.values(), view.back_button, view.close_button,
                view.review_button, view.next_button, view.header.language]
    assert order[:len(expected)] == expected
    anx1 = page.widgets["ANX1"]
    assert anx1.accessibleName() == anx1.label.text() != ""
    assert anx1.buttons["1"].accessibleName() == "Not at all strong"
    assert anx1.buttons["98"].accessibleName() == "Don't know"
    assert view.header.language.accessibleName() == "Interview language"
    assert view.header.saved.accessibleName()
    go_to(qtbot, window, "CITY")
    pole = view.page_view.widgets["CITY1"].buttons["1"]
    assert pole.accessibleName() == "1: a city with local government initiative"


def test_font_size_setting_scales_the_interview(qtbot, open_window) -> None:
    sizes = {}
    for scale in (1.0, 1.5):
        window = open_window("en", font_scale=scale)
        pilot.start_from_home(qtbot, window, "three_city_2012")
        go_to(qtbot, window, "CONSENT")
        widget = window.interview.page_view.widgets["CONSENT"]
        QApplication.processEvents()
        sizes[scale] = (widget.label.font().pixelSize(), widget.buttons["1"].height())
        window.close()
    assert sizes[1.5][0] == round(sizes[1.0][0] * 1.5)
    assert sizes[1.5][1] > sizes[1.0][1] * 1.3


def test_arrow_and_backspace_keys_navigate_but_not_inside_text(qtbot, open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    go_to(qtbot, window, "dong")
    view = window.interview
    pilot.type_text(qtbot, window, "ab")
    pilot.press(qtbot, window, Qt.Key.Key_Backspace)  # edits the text, stays on the page
    pilot.press(qtbot, window, Qt.Key.Key_Left)
    assert view.nav.current().id == "dong"
    assert view.page_view.widgets["dong"].editor.text() == "a"
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    assert view.nav.current().id == "DEM01"
    pilot.press(qtbot, window, Qt.Key.Key_Left)
    assert view.nav.current().id == "dong"
    assert view.recording.engine.answers["dong"] == "a"  # stored before leaving
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    pilot.press(qtbot, window, Qt.Key.Key_Backspace)  # on a choice page: back
    assert view.nav.current().id == "dong"
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    pilot.keys(qtbot, window, "1")
    pilot.press(qtbot, window, Qt.Key.Key_Right)
    assert view.nav.current().id == "DEM02"
    pilot.press(qtbot, window, Qt.Key.Key_Up)  # a count: arrow keys step the number
    pilot.press(qtbot, window, Qt.Key.Key_Up)
    assert view.page_view.widgets["DEM02"].editor.text() == "2"


def test_each_language_gets_its_own_cjk_font() -> None:
    from fieldapp.ui import fonts

    installed = fonts._installed()
    for lang, family in (("ko", "Noto Sans CJK KR"), ("zh", "Noto Sans CJK SC"),
                         ("ja", "Noto Sans CJK JP")):
        if family not in installed:
            pytest.skip("Noto Sans CJK is not installed (Debian: fonts-noto-cjk)")
        assert fonts.font(lang).families()[0] == family
