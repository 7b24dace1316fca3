"""Fits the laptop (issue 14): batteries as compact grids, the focused question always in
view at 100 % and 150 % text on a 1366×768 window, a header that does not move when "saved"
appears, and a review that says 100 % and numbers roster entries."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from fieldapp.ui.interview.matrix import MatrixRow
from tests.support import pilot
from tests.support.ui_forms import install_household


def open_page(qtbot, window, form: str, page: str, answers: dict | None = None) -> None:
    pilot.start_from_home(qtbot, window, form)
    view = window.interview
    for key, value in (answers or {}).items():
        view.recording.answer(key, value)
    view.nav.jump(page)
    view.render()
    QApplication.processEvents()


def in_view(page, widget) -> bool:
    """True when the whole of ``widget`` is inside the page's visible area."""
    top = widget.mapTo(page.viewport(), QPoint(0, 0)).y()
    return top >= 0 and top + widget.height() <= page.viewport().height()


def test_a_yes_no_battery_is_a_grid_that_fits_and_answers_row_by_row(qtbot,
                                                                     open_window) -> None:
    window = open_window("en")
    open_page(qtbot, window, "neighbourhood_panel", "PAR", {"wave": "201509"})
    page = window.interview.page_view
    rows = list(page.widgets.values())
    assert len(rows) == 7 and all(isinstance(r, MatrixRow) for r in rows)
    assert all(in_view(page, row) for row in rows)  # the whole battery on one screen
    header = page.grid_headers[0]
    for row in rows:  # the answer buttons stand in the header's columns
        for label, button in zip(header.labels, [*row.buttons.values()], strict=True):
            left = label.mapTo(page.content, QPoint(0, 0)).x()
            assert abs(left - button.mapTo(page.content, QPoint(0, 0)).x()) <= 1
            assert label.width() == button.width()
    assert header.labels[0].text() == "1\nYes" and header.labels[2].text() == "Don't know"
    assert rows[0].buttons["1"].accessibleName() == "Yes"
    pilot.keys(qtbot, window, "12D21R1")  # one key per row, nothing else
    answers = window.interview.recording.engine.answers
    assert [answers[r.key] for r in rows] == ["1", "2", "98", "2", "1", "99", "1"]


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_the_focused_question_stays_in_view(qtbot, open_window, scale) -> None:
    window = open_window("ja", font_scale=scale, interview_language="ja")
    open_page(qtbot, window, "risk_governance_2015", "RGOV_SEWOL")
    page = window.interview.page_view
    rows = list(page.widgets.values())
    assert len(rows) == 10
    pinned = page._sticky[0][2]  # the grid's header copy, pinned while scrolled away
    pinned_seen = False
    for row in rows:
        owner = page.owner_of(pilot.focus(window))
        assert owner is row and in_view(page, row), row.key
        if pinned.isVisible():  # the focused row is never under the pinned header
            pinned_seen = True
            assert row.mapTo(page.viewport(), QPoint(0, 0)).y() >= pinned.height(), row.key
            for label, button in zip(pinned.labels, row.buttons.values(), strict=True):
                assert abs(label.mapTo(page.viewport(), QPoint(0, 0)).x()
                           - button.mapTo(page.viewport(), QPoint(0, 0)).x()) <= 1
        pilot.keys(qtbot, window, "3")
    assert pinned_seen == (scale > 1.0)  # 10 rows fit at 100 %; at 150 % the page scrolls
    # back up by keyboard: the first row scrolls into view again
    for _ in range(9):
        pilot.press(qtbot, window, Qt.Key.Key_Up)
    assert page.owner_of(pilot.focus(window)) is rows[0] and in_view(page, rows[0])
    # a draft resumed on the last row of a long page opens with that row in view
    view = window.interview
    view.render(focus_key="RGS10")
    QApplication.processEvents()
    last = view.page_view.widgets["RGS10"]
    assert in_view(view.page_view, last)
    assert window.width() <= 1366 and window.height() <= 768


def test_the_header_does_not_move_when_saved_appears(qtbot, open_window) -> None:
    window = open_window("en")
    open_page(qtbot, window, "three_city_2012", "CONSENT")
    header = window.interview.header
    watched = (header.title, header.section, header.progress_text, header.bar,
               header.language)
    qtbot.wait(20)
    before = [w.geometry() for w in watched]
    pilot.keys(qtbot, window, "1")
    qtbot.wait(20)
    assert header.saved.isVisible()
    assert [w.geometry() for w in watched] == before


def test_review_says_100_percent_and_numbers_roster_entries(qtbot, open_window, device,
                                                             tmp_path) -> None:
    install_household(device[0], tmp_path)
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "household_test")
    view = window.interview
    pilot.answer_page(qtbot, window, {"pets": "2"})
    for name in ("Ana", "Bo"):
        pilot.press(qtbot, window, Qt.Key.Key_A)
        assert view.header.section.text() == f"Household member {('Ana', 'Bo').index(name) + 1}"
        pilot.type_text(qtbot, window, name)
        pilot.press(qtbot, window, Qt.Key.Key_Return)
    view.show_review()
    texts = [view.review.list.item(i).text() for i in range(view.review.list.count())]
    assert "Household member 1" in texts and "Household member 2" in texts
    assert texts.index("Household member 1") < texts.index("Household member 2")
    assert view.header.progress_text.text().endswith("100% done")


def test_review_percentage_is_never_rounded_up(qtbot, open_window) -> None:
    window = open_window("en")
    open_page(qtbot, window, "three_city_2012", "CONSENT")
    view = window.interview
    view.show_review()
    text = view.header.progress_text.text()
    assert "100%" not in text and "%" in text
