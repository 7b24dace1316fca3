"""Misuse on the desktop: a second start, a damaged draft, a draft changed while locked,
questionnaire errors, removing a roster entry, discarding a draft."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldapp import prefs
from fieldapp.ui import app as ui_app
from fieldapp.ui.home import HomeView
from fieldapp.ui.single_instance import InstanceServer, ask_running_app
from fieldapp.ui.unlock import UnlockView
from fieldapp.writer_lock import OWNER_FILE
from tests.support import pilot
from tests.support.devices import PASSPHRASE, ROOT, open_session
from tests.support.formtools import md_to_xlsx
from tests.support.ui_forms import install_household

BROKEN = """
| survey |
| | type | name | label::English (en) | relevant |
| | text | born | Born (YYYY-MM-DD) | |
| | integer | since | Years in the Dong | date(${born}) < today() |
| settings |
| | form_id | version | default_language | form_title |
| | broken_test | 1 | English (en) | Broken test |
"""


def on_modal(handler) -> None:  # type: ignore[no-untyped-def]
    """Run ``handler(dialog)`` once the next modal dialog is open."""
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
        else:
            handler(dialog)
    QTimer.singleShot(20, poll)



def test_roster_removal_defaults_to_no_and_names_the_person(qtbot, open_window, device,
                                                            tmp_path) -> None:
    install_household(device[0], tmp_path)
    window = open_window("en")
    pilot.household_with_two(qtbot, window)
    view = window.interview
    view.jump("m_name[1]")
    seen: list[str] = []

    def press_enter(box) -> None:  # type: ignore[no-untyped-def]
        seen.append(box.text())
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
        qtbot.keyClick(box, Qt.Key.Key_Return)

    on_modal(press_enter)
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    assert seen == ["Remove “Ana” and 1 answer?"]
    assert view.recording.engine.instance_count("member") == 2  # Enter kept her

    on_modal(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    engine = view.recording.engine
    assert engine.instance_count("member") == 1 and engine.answers["m_name[1]"] == "Bo"


@pytest.mark.parametrize(("lang", "ask_again", "question"), [
    ("en", "must be asked again", "“Name of member” (m_name[1])"),
    ("ko", "다시 물어봐야 합니다", "“가구원 이름” (m_name[1])")])
def test_a_damaged_draft_opens_and_says_what_to_ask_again(qtbot, open_window, device,
                                                          tmp_path, lang: str, ask_again: str,
                                                          question: str) -> None:
    install_household(device[0], tmp_path)
    window = open_window(lang)
    pilot.household_with_two(qtbot, window)
    interview = window.interview.recording.interview_id
    window.close_interview()
    window.session.close()
    window.session = None
    with sqlite3.connect(device[0] / "fieldapp.db") as conn:
        seq, blob = conn.execute("SELECT seq, blob FROM events WHERE question='m_name[1]' AND "
                                 "kind='answer'").fetchone()
        conn.execute("UPDATE events SET blob=? WHERE seq=?", (blob[:-1] + b"\x00", seq))
    window.show_unlock()
    pilot.unlock(qtbot, window)
    home = pilot.screen(window)
    home.drafts.setCurrentRow(0)
    qtbot.mouseClick(home.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.interview is not None, timeout=pilot.WAIT_MS)
    view = window.interview
    assert view.recording.interview_id == interview
    assert view.notice.isVisible() and "m_name[1]" in view.notice.text()
    assert ask_again in view.notice.text()  # in the enumerator's language
    assert question in view.notice.text()  # named as the enumerator reads it out
    assert view.nav.current().keys == ("m_name[1]",)  # opens where the answer is missing
    assert view.recording.engine.answers["m_name[2]"] == "Bo"


def test_a_draft_changed_while_locked_returns_home_with_the_reason(qtbot, open_window,
                                                                   device) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    interview = window.interview.recording.interview_id
    pilot.press(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(pilot.screen(window), UnlockView), timeout=5000)
    with open_session(device[0]) as session:  # e.g. the draft was discarded meanwhile
        session.discard(interview, "test")
    pilot.unlock(qtbot, window)
    home = pilot.screen(window)
    assert isinstance(home, HomeView) and "could not be opened" in home.status.text()


def test_questionnaire_errors_are_shown_and_keep_the_answer(qtbot, open_window, device,
                                                            tmp_path) -> None:
    with open_session(device[0]) as session:
        session.install_form(md_to_xlsx(BROKEN, tmp_path / "broken.xlsx"))
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "broken_test")
    view = window.interview
    assert view.commit("born", "1990-04-01") and view.commit("since", 12)
    assert not view.notice.isVisible()
    assert view.commit("born", "1990-13-45")
    assert view.notice.isVisible() and "question since (relevant)" in view.notice.text()
    assert view.recording.engine.answers["since"] == 12


def test_discard_a_draft_from_home(qtbot, open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    interview = window.interview.recording.interview_id
    window.close_interview()
    home = pilot.screen(window)
    home.drafts.setCurrentRow(0)
    seen: list[bool] = []

    def enter_keeps(dialog) -> None:  # type: ignore[no-untyped-def]
        seen.append(dialog.keep.isDefault() and not dialog.discard.isEnabled())
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)

    on_modal(enter_keeps)
    qtbot.mouseClick(home.discard_button, Qt.MouseButton.LeftButton)
    assert seen == [True] and window.session.store.interview(interview).status == "draft"

    def discard(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(dialog.reason_edit, "wrong household")
        dialog.discard.click()

    on_modal(discard)
    qtbot.mouseClick(pilot.screen(window).discard_button, Qt.MouseButton.LeftButton)
    pilot.wait_ops(qtbot)
    assert window.session.store.interview(interview).status == "discarded"
    assert "discarded" in pilot.screen(window).status.text()


def test_a_later_start_asks_the_running_app_to_come_forward(qtbot, tmp_path: Path) -> None:
    server = InstanceServer(tmp_path)
    with qtbot.waitSignal(server.activate, timeout=5000):
        assert ask_running_app(tmp_path)
    assert not ask_running_app(tmp_path / "other device")


def test_a_second_desktop_app_exits_and_the_first_stays(tmp_path: Path, device) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FIELDAPP_HOME": str(device[0]),
           "PYTHONPATH": str(ROOT)}
    env.pop("FIELDAPP_EXIT_AFTER_SHOW", None)
    first = subprocess.Popen([sys.executable, "main.py"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        owner = device[0] / OWNER_FILE
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
                owner.exists() and f'"pid": {first.pid}' in owner.read_text()):
            time.sleep(0.1)
        time.sleep(1.0)  # its window and socket are up shortly after the lock
        second = subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env,
                                capture_output=True, timeout=60)
        assert second.returncode == 0, second.stderr
        assert first.poll() is None  # still running, brought to the front
    finally:
        first.kill()
        first.wait()
    assert PASSPHRASE  # the device stays lockable by its own passphrase


HOLD = """import sys, time
from fieldapp.writer_lock import WriterLock
WriterLock(sys.argv[1], "fieldapp record").acquire()
print("held", flush=True)
time.sleep(120)
"""


def test_a_start_while_a_command_writes_says_why_in_the_ui_language(qtbot, device,
                                                                   monkeypatch) -> None:
    # no desktop app to bring forward: a command holds the device, so the start is refused
    # with a message in the UI language naming the holder, and nothing is opened
    data = device[0]
    prefs.save(data, replace(prefs.load(data), ui_language="ko"))
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(data)], cwd=ROOT, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.PIPE)
    seen: list[str] = []

    def close(box) -> None:  # type: ignore[no-untyped-def]
        seen.append(box.text())
        box.accept()

    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("FIELDAPP_HOME", str(data))
        on_modal(close)
        assert ui_app.run([]) == 1
    finally:
        holder.kill()
        holder.wait()
        ui_app.apply_language(QApplication.instance(), "en")  # type: ignore[arg-type]
    assert len(seen) == 1 and seen[0].startswith("지금은 fieldapp을 시작할 수 없습니다")
    assert f"fieldapp record (프로세스 {holder.pid})" in seen[0]
    assert "another fieldapp" not in seen[0]
