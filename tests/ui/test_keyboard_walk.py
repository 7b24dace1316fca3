"""Every enumerator screen by keyboard alone (issue 14): first run, unlock, Home, an
interview with a language switch and a roster, review, finalise, settings, the sync folder
dialog and lock. Tab must reach every control; Enter or Space must activate it. No mouse
event is sent anywhere in this file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit, QWidget

from fieldapp.ui.first_run import FirstRunView
from fieldapp.ui.home import HomeView
from fieldapp.ui.settings_dialog import SettingsDialog
from fieldapp.ui.unlock import UnlockView
from tests.support import pilot
from tests.support.devices import PASSPHRASE, make_project
from tests.support.ui_forms import install_household


def tab_until(qtbot, window, target: QWidget, limit: int = 30,
              key: Qt.Key = Qt.Key.Key_Tab) -> list[QWidget]:
    """Press Tab until ``target`` has the focus; the widgets passed on the way."""
    seen = []
    for _ in range(limit):
        if pilot.focus(window) is target:
            return seen
        seen.append(pilot.focus(window))
        pilot.press(qtbot, window, key)
    raise AssertionError(f"Tab never reached {target.accessibleName() or target}")


def in_modal(qtbot, action: Callable[[QDialog], None], kind: type = QDialog) -> None:
    """Run ``action`` on the next modal dialog once it is up and has the keyboard focus
    (from inside its event loop). A failing action closes the dialog, so nothing hangs."""
    tries = [0]

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        tries[0] += 1
        focus = QApplication.focusWidget()
        if isinstance(dialog, kind) and focus is not None and dialog.isAncestorOf(focus):
            try:
                action(dialog)
            except BaseException:
                dialog.reject()
                raise
            return
        if isinstance(dialog, kind) and tries[0] % 10 == 0:
            dialog.activateWindow()  # what a window manager does for a new dialog
        QTimer.singleShot(20, attempt)

    QTimer.singleShot(20, attempt)


def reactivate(qtbot, window) -> None:
    """After a dialog closed: offscreen Qt does not give the window its activation back (a
    window manager does), so do it here; the window's own focus widget is kept."""
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    if QApplication.activeWindow() is not window:
        with qtbot.waitActive(window):
            window.activateWindow()


def type_into_file_dialog(qtbot, path: Path) -> Callable[[QDialog], None]:
    def action(dialog: QDialog) -> None:
        edit = QApplication.focusWidget()  # the dialog opens in its file-name field
        assert isinstance(edit, QLineEdit) and dialog.isAncestorOf(edit)
        edit.clear()
        qtbot.keyClicks(edit, str(path))
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    return action


def test_first_run_by_keyboard(qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FIELDAPP_KDF", "floor")
    project = make_project(tmp_path / "project")
    window = pilot.make_window(qtbot, tmp_path / "fresh", "en")
    view = pilot.screen(window)
    assert isinstance(view, FirstRunView)
    assert pilot.focus(window) is view.enumerator
    controls = [view.language, view.enumerator, view.city, view.passphrase, view.repeat,
                view.choose, view.supervise_button, view.create_button]
    seen = {pilot.focus(window)}
    for _ in range(len(controls) + 1):
        pilot.press(qtbot, window, Qt.Key.Key_Tab)
        seen.add(pilot.focus(window))
    assert set(controls) <= seen
    tab_until(qtbot, window, view.enumerator)
    pilot.type_text(qtbot, window, "E07")
    pilot.press(qtbot, window, Qt.Key.Key_Tab)
    assert pilot.focus(window) is view.city
    pilot.press(qtbot, window, Qt.Key.Key_Down)  # the first city after "Choose your city"
    assert view.city.currentData()
    for field in (view.passphrase, view.repeat):
        pilot.press(qtbot, window, Qt.Key.Key_Tab)
        assert pilot.focus(window) is field
        pilot.type_text(qtbot, window, "long enough passphrase")
    pilot.press(qtbot, window, Qt.Key.Key_Tab)
    assert pilot.focus(window) is view.choose
    in_modal(qtbot, type_into_file_dialog(qtbot, project.public), QFileDialog)
    pilot.press(qtbot, window, Qt.Key.Key_Space)  # opens the file dialog; typed path, Enter
    reactivate(qtbot, window)
    assert view.key_path == project.public
    tab_until(qtbot, window, view.create_button)
    pilot.press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: isinstance(pilot.screen(window), HomeView), timeout=pilot.WAIT_MS)
    window.close()


def test_every_screen_by_keyboard_alone(qtbot, open_window, device, tmp_path) -> None:
    install_household(device[0], tmp_path)
    window = open_window("en", unlock=False)
    # ----- unlock: passphrase, supervisor's desk, unlock
    unlock = pilot.screen(window)
    assert isinstance(unlock, UnlockView) and pilot.focus(window) is unlock.passphrase
    pilot.type_text(qtbot, window, PASSPHRASE)
    tab_until(qtbot, window, unlock.supervise_button)
    tab_until(qtbot, window, unlock.button)
    pilot.press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: isinstance(pilot.screen(window), HomeView), timeout=pilot.WAIT_MS)
    home = pilot.screen(window)
    # ----- Home: every control in the Tab ring
    seen = tab_until(qtbot, window, home.lock_button)
    seen += tab_until(qtbot, window, home.settings_button)  # wraps round
    for widget in home.tab_ring:
        assert widget in seen or not widget.isEnabled(), widget.accessibleName()
    # ----- an interview: questions, F2, a roster entry added and named, review, finalise
    tab_until(qtbot, window, home.forms)
    ids = [home.forms.item(i).data(Qt.ItemDataRole.UserRole) for i in range(home.forms.count())]
    while home.forms.currentRow() < ids.index("household_test"):
        pilot.press(qtbot, window, Qt.Key.Key_Down)
    tab_until(qtbot, window, home.start_button)
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.interview is not None, timeout=pilot.WAIT_MS)
    view = window.interview
    pilot.press(qtbot, window, Qt.Key.Key_F2)
    assert view.recording.engine.language == "ko"
    assert view.page_view.widgets["pets"].label.text() == "반려동물이 있습니까?"
    pilot.press(qtbot, window, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)
    assert view.recording.engine.language == "en"
    pilot.keys(qtbot, window, "2")
    seen = tab_until(qtbot, window, view.header.language)
    footer = {view.back_button, view.close_button, view.review_button, view.next_button}
    assert {w for w in footer if w.isEnabled()} <= set(seen)
    tab_until(qtbot, window, view.next_button)
    pilot.press(qtbot, window, Qt.Key.Key_Space)
    assert view.page_view.prompt is not None and pilot.focus(window) is view.page_view.prompt
    pilot.press(qtbot, window, Qt.Key.Key_A)
    pilot.type_text(qtbot, window, "Ana")
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    tab_until(qtbot, window, view.review_button)
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    review = view.review
    assert view.stack.currentWidget() is review and pilot.focus(window) is review.list
    tab_until(qtbot, window, review.back_button)
    interview_id = view.recording.interview_id
    pilot.finalise_by_keyboard(qtbot, window)
    home = pilot.screen(window)
    assert home.finalised.item(0).data(Qt.ItemDataRole.UserRole) == interview_id
    # ----- settings: every field, then Escape keeps everything as it was
    tab_until(qtbot, window, home.settings_button)

    def walk_settings(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        fields = {dialog.ui_language, dialog.interview_language, dialog.font_scale,
                  dialog.idle}
        met = set()
        for _ in range(8):
            met.add(QApplication.focusWidget())
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert fields <= met | {w.parentWidget() for w in met if w is not None}
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)

    in_modal(qtbot, walk_settings, SettingsDialog)
    pilot.press(qtbot, window, Qt.Key.Key_Space)
    reactivate(qtbot, window)
    assert isinstance(pilot.screen(window), HomeView)
    # ----- sync: the folder dialog answered by typing, Enter
    home = pilot.screen(window)
    home.settings_button.setFocus()
    tab_until(qtbot, window, home.sync_button, key=Qt.Key.Key_Backtab)
    folder = tmp_path / "stick"
    folder.mkdir()
    in_modal(qtbot, type_into_file_dialog(qtbot, folder), QFileDialog)
    pilot.press(qtbot, window, Qt.Key.Key_Space)
    reactivate(qtbot, window)
    qtbot.waitUntil(lambda: "Sync finished" in pilot.screen(window).status.text(),
                    timeout=pilot.WAIT_MS)
    assert list(folder.glob("*.fieldsync"))
    # ----- lock
    home = pilot.screen(window)
    home.forms.setFocus()
    tab_until(qtbot, window, home.lock_button)
    pilot.press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: isinstance(pilot.screen(window), UnlockView), timeout=5000)
    assert pilot.focus(window) is pilot.screen(window).passphrase
