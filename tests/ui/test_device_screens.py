"""First run, unlock (right and wrong passphrase), idle lock, Home, settings and sync."""

from __future__ import annotations

import json

from PySide6.QtCore import QLibraryInfo, Qt, QTranslator
from PySide6.QtWidgets import QFileDialog

from fieldapp import session as core_session
from fieldapp.ui import main_window
from fieldapp.ui.first_run import FirstRunView, strength
from fieldapp.ui.home import HomeView
from fieldapp.ui.settings_dialog import SettingsDialog
from fieldapp.ui.unlock import UnlockView
from tests.support import pilot
from tests.support.devices import PASSPHRASE, make_project


def test_keyring_file_name_matches_the_core() -> None:
    assert main_window.KEYRING_FILE == core_session.KEYRING_FILE


def test_first_run_then_lock_and_unlock(qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FIELDAPP_KDF", "floor")  # test-strength key derivation
    project = make_project(tmp_path / "project")
    data = tmp_path / "fresh"
    window = pilot.make_window(qtbot, data, "en")
    view = pilot.screen(window)
    assert isinstance(view, FirstRunView)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(project.public), "*.pub"))
    pilot.type_text(qtbot, window, "E07")  # focus starts in the enumerator field
    pilot.press(qtbot, window, Qt.Key.Key_Tab)
    pilot.press(qtbot, window, Qt.Key.Key_Down)  # city: none is preselected; Seoul, then
    pilot.press(qtbot, window, Qt.Key.Key_Down)  # Beijing
    pilot.press(qtbot, window, Qt.Key.Key_Tab)
    pilot.type_text(qtbot, window, "short")
    assert view.hint.text().startswith("Too short")
    pilot.press(qtbot, window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    pilot.type_text(qtbot, window, PASSPHRASE)
    assert view.hint.text() == "Strong passphrase."
    pilot.press(qtbot, window, Qt.Key.Key_Tab)
    pilot.type_text(qtbot, window, "something else")
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    assert view.message.text() == "The two passphrases are not the same."
    pilot.press(qtbot, window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    pilot.type_text(qtbot, window, PASSPHRASE)
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    assert view.message.text().startswith("Choose the project key")
    qtbot.mouseClick(view.choose, Qt.MouseButton.LeftButton)
    view.repeat.setFocus()
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(pilot.screen(window), HomeView), timeout=pilot.WAIT_MS)
    assert window.session.keyring.enumerator == "E07"
    assert window.session.keyring.city == "beijing"
    assert pilot.screen(window).forms.count() == 3  # the bundled questionnaires
    settings = json.loads((data / "settings.json").read_text())
    assert settings["enumerator"] == "E07" and "answers" not in settings

    qtbot.mouseClick(pilot.screen(window).lock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(pilot.screen(window), UnlockView), timeout=5000)
    assert window.session is None
    pilot.type_text(qtbot, window, "wrong passphrase")
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    unlock = pilot.screen(window)
    qtbot.waitUntil(lambda: "not correct" in unlock.message.text(), timeout=pilot.WAIT_MS)
    assert isinstance(pilot.screen(window), UnlockView) and window.session is None
    pilot.press(qtbot, window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    pilot.unlock(qtbot, window)
    window.close()


def test_idle_time_locks_the_app(qtbot, open_window) -> None:
    window = open_window("en")
    assert window.idle.armed
    window.idle.set_interval_ms(100)
    qtbot.waitUntil(lambda: isinstance(pilot.screen(window), UnlockView), timeout=5000)
    assert window.session is None and not window.idle.armed


def test_unlock_screen_in_korean_and_wrong_passphrase_message(qtbot, open_window) -> None:
    window = open_window("ko", unlock=False)
    view = pilot.screen(window)
    assert view.button.text() == "잠금 해제"
    pilot.type_text(qtbot, window, "nope nope nope")
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "암호" in view.message.text(), timeout=pilot.WAIT_MS)


def test_strength_levels() -> None:
    assert strength("abc")[0] == 0
    assert strength("abcdefgh")[0] == 1
    assert strength("correct horse battery staple")[0] == 3
    assert strength("서울 종로 비밀 문장입니다")[0] >= 2


def test_home_lists_and_counts(qtbot, open_window) -> None:
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "three_city_2012")
    qtbot.mouseClick(window.interview.close_button, Qt.MouseButton.LeftButton)
    home = pilot.screen(window)
    assert home.drafts.count() == 1 and home.drafts.item(0).data(Qt.ItemDataRole.UserRole)
    assert "Three-city survey 2012" in home.drafts.item(0).text()
    assert home.today.text() == "Today: 1 interview started, 0 finalised."
    assert "Not synced yet" in home.sync_label.text()
    assert home.status.text().startswith("The draft is saved")


def test_settings_change_ui_language_and_persist(qtbot, open_window, device, monkeypatch) -> None:
    window = open_window("en")

    def accept(dialog: SettingsDialog) -> int:
        dialog.ui_language.setCurrentIndex(dialog.ui_language.findData("ja"))
        dialog.font_scale.setCurrentIndex(dialog.font_scale.findData(1.3))
        dialog.idle.setValue(12)
        return 1

    monkeypatch.setattr(SettingsDialog, "exec", accept)
    qtbot.mouseClick(pilot.screen(window).settings_button, Qt.MouseButton.LeftButton)
    home = pilot.screen(window)
    assert home.sync_button.text() == "同期"
    stored = json.loads((device[0] / "settings.json").read_text())
    assert (stored["ui_language"], stored["font_scale"], stored["idle_minutes"]) == ("ja", 1.3, 12)
    dialog = SettingsDialog(window.prefs, lang="ja", parent=window)
    qtbot.addWidget(dialog)
    translator = QTranslator()
    assert translator.load("qtbase_ja", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    from PySide6.QtWidgets import QDialogButtonBox

    box = dialog.findChild(QDialogButtonBox)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() != "Cancel"  # Qt's own catalog is installed (キャンセル)


def test_sync_button_pushes_to_the_chosen_folder(qtbot, open_window, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    window = open_window("en")
    qtbot.mouseClick(pilot.screen(window).sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pilot.screen(window).status.text().startswith("Sync finished"),
                    timeout=pilot.WAIT_MS)
    home = pilot.screen(window)
    assert "nothing new to send" in home.status.text()
    assert home.sync_label.text().startswith("Last sync: ")
    assert window.prefs.sync_target == str(folder)
