"""Questionnaire titles in the screen language on Home and the interview header (issue 14)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.support import pilot


def test_titles_follow_the_screen_language(qtbot, open_window) -> None:
    window = open_window("zh", interview_language="ja")
    home = pilot.screen(window)
    texts = [home.forms.item(i).text() for i in range(home.forms.count())]
    assert any(t.startswith("2012年三城市调查（首尔、北京、东京）") for t in texts), texts
    assert not any("survey" in t for t in texts)
    pilot.start_from_home(qtbot, window, "three_city_2012")
    view = window.interview
    assert view.recording.engine.language == "ja"  # the respondent's language differs
    assert view.header.title.text() == "2012年三城市调查（首尔、北京、东京）"
    view.request_close()
    home = pilot.screen(window)
    draft = home.drafts.item(0)
    assert draft.data(Qt.ItemDataRole.UserRole) and "2012年三城市调查" in draft.text()
