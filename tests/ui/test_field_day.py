"""A day in the field (issue 14): Home tells cases apart and lists sent-back work on its own
(comment or "no comment given"); the first-run form keeps what was typed across a language
change and preselects no city; "Locked" is information, not an error; the window fits the
screen."""

from __future__ import annotations

from pathlib import Path

from fieldapp.dashboard import home_summary
from fieldapp.storage.hub_store import HubStore
from fieldapp.sync.decisions import decide
from fieldapp.sync.device_pull import pull_returns
from fieldapp.sync.hub_import import import_bundle
from fieldapp.sync.returns import write_return_bundles
from fieldapp.ui.first_run import FirstRunView
from fieldapp.ui.home import HomeView
from fieldapp.ui.main_window import fitting_size
from fieldapp.ui.qt import Qt
from fieldapp.ui.unlock import UnlockView
from tests.support import pilot
from tests.support.devices import make_project, open_session
from tests.support.sync import build_world


def test_home_lists_sent_back_work_with_or_without_a_comment(qtbot, tmp_path: Path) -> None:
    world = build_world(tmp_path / "world", per_device=3)
    first, second, kept = world.ids["a"]
    with HubStore.open(tmp_path / "hub", create=True) as hub:
        import_bundle(hub, world.bundles["a"], trust=True)
        decide(hub, first, "send_back", "동 이름 확인")
        decide(hub, second, "send_back", None)  # no comment at all
        (tmp_path / "returns").mkdir()
        write_return_bundles(hub, world.project.private_key, tmp_path / "returns")
    with open_session(world.devices["a"]) as session:
        pull_returns(session, tmp_path / "returns")
        summary = home_summary(session)
        assert {i.interview_id for i in summary.sent_back} == {first, second}
        assert all(i.status == "sent_back" for i in summary.sent_back)
        assert [i.interview_id for i in summary.finalised] == [kept]
        by_id = {i.interview_id: i for i in summary.sent_back}
        assert by_id[first].dong == "E01-동0" and by_id[second].dong == "E01-동1"
        assert by_id[first].language == "ko"
        assert [r.interview_id for r in session.list_interviews("sent_back")] != []
        view = HomeView(session, lang="en")
        qtbot.addWidget(view)
        texts = {view.sent_back.item(i).data(Qt.ItemDataRole.UserRole):
                 view.sent_back.item(i).text() for i in range(view.sent_back.count())}
        assert "Supervisor: 동 이름 확인" in texts[first]
        assert "Supervisor: no comment given" in texts[second]
        assert "E01-동1" in texts[second] and "한국어" in texts[second]
        assert view.drafts.count() == 1 and not view.drafts.item(0).data(
            Qt.ItemDataRole.UserRole)  # the placeholder: sent-back work is not a plain draft


def test_first_run_keeps_what_was_typed_when_the_language_changes(qtbot, tmp_path,
                                                                  monkeypatch) -> None:
    monkeypatch.setenv("FIELDAPP_KDF", "floor")
    project = make_project(tmp_path / "project")
    window = pilot.make_window(qtbot, tmp_path / "fresh", "en")
    view = pilot.screen(window)
    assert isinstance(view, FirstRunView)
    assert view.city.currentData() == ""  # no city preselected
    pilot.type_text(qtbot, window, "E07")
    view.set_key(project.public)
    assert "fingerprint" in view.key_label.text()
    view.passphrase.setText("long enough passphrase")
    view.repeat.setText("long enough passphrase")
    assert view.problems() == "Choose your city."
    view.city.setCurrentIndex(view.city.findData("tokyo"))
    view.language.setCurrentIndex(view.language.findData("ko"))
    again = pilot.screen(window)
    assert again is not view and isinstance(again, FirstRunView)
    assert again.enumerator.text() == "E07" and again.city.currentData() == "tokyo"
    assert again.key_path == project.public and again.problems() is None
    assert "지문" in again.key_label.text() or "fingerprint" in again.key_label.text()
    window.close()


def test_locked_is_information_and_the_window_fits(qtbot, open_window) -> None:
    window = open_window("en")
    qtbot.mouseClick(pilot.screen(window).lock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(pilot.screen(window), UnlockView), timeout=5000)
    unlock = pilot.screen(window)
    assert unlock.message.text() == "Locked. Everything is saved."
    assert unlock.message.objectName() == "muted"
    screen = window.screen().availableGeometry()
    size = fitting_size(window)
    assert size.width() <= screen.width() and size.height() <= screen.height() - 32


def _hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def test_a_chinese_interview_in_a_korean_ui_speaks_only_chinese(qtbot) -> None:
    from fieldapp.interview.engine import Interview
    from fieldapp.questionnaire import load_questionnaire
    from fieldapp.ui.app import apply_language, create_app
    from fieldapp.ui.interview.base import Ctx
    from fieldapp.ui.interview.number import NumberWidget
    from fieldapp.ui.qt import QAbstractButton, QLabel, QLineEdit
    from tests.support.devices import QUESTIONNAIRES

    apply_language(create_app([]), "ko")  # the enumerator's UI is Korean
    engine = Interview(load_questionnaire(QUESTIONNAIRES / "three_city_2012.xlsx"),
                       language="zh")
    widget = NumberWidget(Ctx(engine), "DEM02")
    qtbot.addWidget(widget)
    texts = [w.text() for w in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton)]
    texts.append(widget.findChild(QLineEdit).placeholderText())
    assert any("不知道" in t for t in texts) and "数字" in texts
    assert not [t for t in texts if _hangul(t)], texts


def test_f2_switches_the_interview_language_again_and_again(qtbot, open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    view = window.interview
    languages = [view.header.language.itemData(i) for i in range(view.header.language.count())]
    start = view.recording.engine.language
    seen = [start]
    for _ in range(len(languages)):
        pilot.press(qtbot, window, Qt.Key.Key_F2)
        seen.append(view.recording.engine.language)
    assert sorted(set(seen)) == sorted(languages) and seen[-1] == start  # a full cycle
    pilot.press(qtbot, window, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)
    assert view.recording.engine.language == languages[languages.index(start) - 1]
    assert view.header.language.currentData() == view.recording.engine.language
    view.request_close()


def _tab_walk(qtbot, window, steps: int = 40) -> list:
    from fieldapp.ui.qt import QApplication

    seen = []
    for _ in range(steps):
        pilot.press(qtbot, window, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_every_screen_is_reachable_by_tab_alone(qtbot, open_window) -> None:
    window = open_window("en", unlock=False)
    unlock = pilot.screen(window)
    assert unlock.button in _tab_walk(qtbot, window, 4) or not unlock.button.isEnabled()
    unlock.passphrase.setFocus()
    pilot.unlock(qtbot, window)
    home = pilot.screen(window)
    home.forms.setFocus()
    seen = _tab_walk(qtbot, window)
    for widget in (home.start_button, home.drafts, home.finalised, home.sent_back,
                   home.sync_button, home.settings_button, home.lock_button):
        assert widget in seen or not widget.isEnabled(), widget.accessibleName()
    order = [w for w in seen if w in (home.forms, home.sync_button, home.lock_button)]
    assert order[:3] == [home.sync_button, home.lock_button, home.forms]  # wraps around
    home.forms.setFocus()
    pilot.start_from_home(qtbot, window, "three_city_2012")
    view = window.interview
    seen = _tab_walk(qtbot, window, 30)
    assert view.header.language in seen and view.next_button in seen
    view.request_close()


def test_typed_text_and_its_message_survive_a_language_switch(qtbot, open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    view = window.interview
    view.nav.jump("DEM02")
    view.render(focus_key="DEM02")
    widget = view.page_view.widgets["DEM02"]
    widget.editor.setText("5")
    widget._edited("5")  # as typed: under 18, not stored
    assert widget.problem.text() and "DEM02" not in view.recording.engine.answers
    view.set_language("zh")
    again = view.page_view.widgets["DEM02"]
    assert again is not widget and again.editor.text() == "5"
    assert again.problem.isVisibleTo(again) and again.problem.text() != widget.problem.text()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in again.problem.text())
    view.request_close()
