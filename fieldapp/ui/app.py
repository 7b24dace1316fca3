"""Application set-up: UI language (our gettext catalog + Qt's qtbase_*.qm), fonts, style.

Qt requires its translator to be installed before any widget is created, or standard
buttons and dialogs keep their English text; :func:`apply_language` is therefore called
right after the QApplication exists and again when the enumerator changes the UI language.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from fieldapp import APP_NAME, i18n, paths, prefs
from fieldapp.i18n import _
from fieldapp.ui import fonts, style
from fieldapp.ui.qt import QApplication, QLibraryInfo, QLocale, QTranslator

#: Qt's own catalogs for our UI languages (shipped in the PySide6 wheel).
QT_CATALOGS = {"ko": "qtbase_ko", "zh": "qtbase_zh_CN", "ja": "qtbase_ja"}
QT_LOCALES = {"en": "en_GB", "ko": "ko_KR", "zh": "zh_CN", "ja": "ja_JP"}

GC_INTERVAL_MS = 20_000

_qt_translator: QTranslator | None = None


def preset_dir() -> Path:
    """Where a team installer puts ``project.pub`` and ``defaults.json``."""
    return paths.resource_root() / prefs.PRESET_DIR


def load_prefs(data_dir: Path) -> prefs.Preferences:
    """Device preferences with the installer's defaults underneath."""
    return prefs.load(data_dir, preset_dir())


def ui_language(settings: prefs.Preferences) -> str:
    """The configured UI language, else the system locale's (if we have it), else English."""
    return settings.ui_language or prefs.language_from_locale(QLocale.system().name())


def apply_language(app: QApplication, lang: str) -> bool:
    """Switch gettext, Qt's translator, the default QLocale and the app font to ``lang``.

    Returns True when Qt's own catalog was loaded (always True for English).
    """
    global _qt_translator
    i18n.setup(lang)
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    loaded = lang not in QT_CATALOGS
    if not loaded:
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(QT_CATALOGS[lang], folder):
            app.installTranslator(translator)
            _qt_translator = translator
            loaded = True
    QLocale.setDefault(QLocale(QT_LOCALES.get(lang, "en_GB")))
    app.setFont(fonts.font(lang, "ui"))
    return loaded


def collect_garbage() -> None:
    """Run Python's cycle collector now, on the GUI thread."""
    gc.collect()


def freeze_long_lived() -> None:
    """Collect once, then exempt everything alive now (modules, questionnaires, the core)
    from later collections, so those stay a few milliseconds long."""
    gc.collect()
    gc.freeze()


def gui_thread_gc() -> None:
    """Collect garbage only on the GUI thread.

    Left automatic, Python's collector can run inside a worker (unlock, finalise, sync) and
    free Qt wrappers there, which crashes Qt; so it is switched off, and the main window
    runs it when the user pauses (and every ``GC_INTERVAL_MS`` at the latest).
    """
    if gc.isenabled():
        gc.disable()
        gc.freeze()  # what start-up loaded lives as long as the process


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused when one exists, e.g. under pytest-qt)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv)
        fonts.add_bundled(paths.resource_root() / "fonts")  # a build's own fonts, if any
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("fieldapp")
    app.setStyle("Fusion")  # the same look on Windows, macOS and Linux
    app.setPalette(style.palette())  # style sheets are set per screen (see style.py)
    gui_thread_gc()
    return app


def run(argv: list[str] | None = None) -> int:
    """Start the GUI: app, translators, then the first window; returns the exit code.

    One desktop app per device: if another one runs, it is brought to the front instead.
    """
    from fieldapp.writer_lock import DeviceBusy, WriterLock

    app = create_app(argv)
    data = paths.data_dir()
    settings = load_prefs(data)
    apply_language(app, ui_language(settings))  # before the first widget
    lock = WriterLock(data, "fieldapp desktop")
    try:
        lock.acquire()
    except DeviceBusy as busy:
        return _already_running(data, busy)
    from fieldapp.ui.main_window import MainWindow
    from fieldapp.ui.single_instance import InstanceServer

    window = MainWindow(data, settings)
    server = InstanceServer(data, window)
    server.activate.connect(window.bring_to_front)
    if os.environ.get("FIELDAPP_EXIT_AFTER_SHOW") == "1":
        window.first_paint.connect(app.quit)  # for the cold-start benchmark
    shot = os.environ.get("FIELDAPP_SCREENSHOT")
    if shot:  # packaging smoke test: save the first screen as painted, then quit
        window.first_paint.connect(lambda: (window.grab().save(shot), app.quit()))
    window.showMaximized()  # the whole available screen: a 1366×768 laptop needs every row
    try:
        return int(app.exec())
    finally:
        lock.release()


def _already_running(data: Path, busy: Exception) -> int:
    """A second start: bring the running desktop app forward, or say who holds the data."""
    from fieldapp.ui.single_instance import ask_running_app

    if ask_running_app(data):
        return 0
    from fieldapp.ui.qt import QMessageBox

    QMessageBox.warning(None, "fieldapp", already_running_text(busy))
    return 1


def already_running_text(busy: Exception) -> str:
    """What a second start says when no desktop app answered (a command holds the data)."""
    return _("fieldapp cannot start now: {reason}").format(reason=str(busy))
