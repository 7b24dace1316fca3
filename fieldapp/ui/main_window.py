"""The main window: routes between first run, unlock, home and interview; owns the session.

Only the first screen's module is imported at start; the others load when first shown.
Locking (on demand with Ctrl+L, or after the idle time) stores what is being typed,
records a suspend, closes the store and drops the keys; unlocking returns to the same page.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from fieldapp import i18n, prefs
from fieldapp.i18n import _
from fieldapp.ui import ops
from fieldapp.ui.app import GC_INTERVAL_MS, collect_garbage, freeze_long_lived
from fieldapp.ui.idle import IdleLock
from fieldapp.ui.qt import (
    QApplication,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QMainWindow,
    QPaintEvent,
    QShortcut,
    QSize,
    QStackedWidget,
    QTimer,
    QWidget,
    Signal,
)

KEYRING_FILE = "keyring.json"  # = fieldapp.session.KEYRING_FILE (not imported: start-up time)


def _import_core() -> None:
    import fieldapp.session  # noqa: F401 - SQLAlchemy, cryptography: ~0.3 s, off the GUI thread


def fitting_size(widget: QWidget, wanted: tuple[int, int] = (1280, 760)) -> QSize:
    """``wanted``, shrunk to the screen's available geometry (taskbar and title bar
    excluded): a window never opens larger than the laptop shows."""
    size = QSize(*wanted)
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return size
    room = screen.availableGeometry().size()
    frame = QSize(0, 32)  # a window manager's title bar
    return size.boundedTo(room - frame)


class MainWindow(QMainWindow):
    """One window, one screen at a time."""

    first_paint = Signal()

    def __init__(self, data_dir: Path, settings: prefs.Preferences) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.prefs = settings
        self.lang = i18n.current_language()
        self.session: Any = None
        self.interview: Any = None  # the InterviewView on screen, if any
        self._resume: tuple[str, str | None] | None = None
        self._painted = False
        self.setWindowTitle("fieldapp")
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.idle = IdleLock(self._idle_timeout, settings.idle_minutes)
        self._gc_timer = QTimer(self)
        self._gc_timer.setInterval(GC_INTERVAL_MS)
        self._gc_timer.timeout.connect(lambda: self.idle.when_quiet(collect_garbage))
        self._gc_timer.start()
        QShortcut(QKeySequence("Ctrl+L"), self, activated=self.lock)
        self.resize(fitting_size(self))
        if (data_dir / KEYRING_FILE).exists():
            self.show_unlock()
        else:
            self.show_first_run()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_paint.emit)  # after this frame is flushed
            QTimer.singleShot(200, self._warm_up)

    def _warm_up(self) -> None:
        """While the passphrase is typed: build Qt's enums here, import the core in the
        background, so unlocking costs only the key derivation."""
        from fieldapp.ui.qt import Qt

        Qt.AlignmentFlag.AlignLeft  # noqa: B018 - creates the Qt namespace's enums now
        ops.run_op(self, _import_core, lambda _r: None, lambda _e: None)

    # ----- screens ----------------------------------------------------------------------
    def _set_screen(self, widget: QWidget) -> None:
        old = self.stack.currentWidget()
        self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        widget.setFocus()
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
            self.idle.when_quiet(collect_garbage)  # the old screen's objects, on a pause

    def show_first_run(self, typed: dict[str, Any] | None = None) -> None:
        """Device creation (``typed``: what was entered before a language change)."""
        from fieldapp.ui.first_run import FirstRunView

        view = FirstRunView(self.data_dir, lang=self.lang, city=self.prefs.city, typed=typed)
        view.created.connect(self._unlocked)
        view.language_changed.connect(self._first_run_language)
        view.supervise.connect(self.open_supervisor)
        self._set_screen(view)

    def _first_run_language(self, lang: str) -> None:
        from fieldapp.ui.first_run import FirstRunView

        current = self.stack.currentWidget()
        typed = current.typed() if isinstance(current, FirstRunView) else None
        self.set_ui_language(lang)
        self.show_first_run(typed)

    def show_unlock(self, message: str = "") -> None:
        """Passphrase entry."""
        from fieldapp.ui.unlock import UnlockView

        view = UnlockView(self.data_dir, enumerator=self.prefs.enumerator, lang=self.lang,
                          message=message)
        view.unlocked.connect(self._unlocked)
        view.supervise.connect(self.open_supervisor)
        self._set_screen(view)

    def open_supervisor(self) -> None:
        """The supervisor's desk in its own window (see :mod:`fieldapp.ui.supervisor`)."""
        from fieldapp.ui.supervisor.window import open_from

        open_from(self)

    def _unlocked(self, session: Any) -> None:
        self.session = session
        keyring = session.keyring
        self.update_prefs(enumerator=keyring.enumerator, city=keyring.city)
        self.idle.arm()
        ops.run_op(self, self._preload, lambda _r: freeze_long_lived(), lambda _e: None)
        resume, self._resume = self._resume, None
        if resume is not None:
            self.resume_interview(resume[0], resume[1])  # falls back to Home on any problem
        else:
            self.show_home()

    def _preload(self) -> None:
        """Parse the installed questionnaires in the background (first start is quicker)."""
        session = self.session
        if session is None:
            return
        for record in session.installed_forms():
            session.form(record.form_id, record.version)

    def show_home(self, message: str = "", *, error: bool = False) -> None:
        """The enumerator's day."""
        from fieldapp.ui.home import HomeView

        self.interview = None
        view = HomeView(self.session, lang=self.lang)
        view.start.connect(self.start_interview)
        view.resume.connect(self.resume_interview)
        view.settings.connect(self.open_settings)
        view.sync.connect(self.start_sync)
        view.lock.connect(self.lock)
        view.discard.connect(self.discard_draft)
        if message:
            view.show_message(message, error=error)
        self._set_screen(view)

    # ----- interviews -------------------------------------------------------------------
    def interview_language(self, languages: tuple[str, ...]) -> str | None:
        """The language a new interview starts in."""
        wanted = self.prefs.interview_language or self.lang
        return wanted if wanted in languages else None

    def start_interview(self, form_id: str) -> None:
        """A new draft of the newest version of ``form_id``."""
        form = self.session.form(form_id)
        recording = self.session.start_interview(
            form, language=self.interview_language(form.languages))
        self.open_interview(recording)

    def resume_interview(self, interview_id: str, page_id: str | None = None) -> None:
        """Re-open a draft where it needs attention (or on ``page_id``).

        A draft that cannot be opened never leaves the window stuck: Home says why.
        """
        from fieldapp.errors import FieldAppError
        from fieldapp.interview.review_items import first_open_page

        try:
            recording = self.session.resume(interview_id)
        except FieldAppError as exc:
            self.show_home(_("The draft could not be opened: {reason}").format(
                reason=str(exc)), error=True)
            return
        if recording.lost:
            page_id = recording.lost[0]  # the first answer to ask again
        self.open_interview(recording, page_id or first_open_page(recording.engine))

    def discard_draft(self, interview_id: str) -> None:
        """Ask for a reason (No is the default), then seal the draft as discarded."""
        from fieldapp.ui.discard_dialog import DiscardDialog

        dialog = DiscardDialog(self.session, interview_id, parent=self)
        if not dialog.exec():
            return
        reason = dialog.reason()
        ops.run_op(self, lambda: self.session.discard(interview_id, reason),
                   lambda _r: self.show_home(_(
                       "The draft was discarded. It is kept sealed and your supervisor will "
                       "see it as discarded.")),
                   lambda exc: self.show_home(_("The draft could not be discarded: {reason}")
                                              .format(reason=str(exc)), error=True))

    def open_interview(self, recording: Any, page_id: str | None = None) -> None:
        """Show the interview screen."""
        from fieldapp.ui.interview.view import InterviewView

        view = InterviewView(recording, scale=self.prefs.font_scale, ui_lang=self.lang,
                             title=recording.engine.form.title_in(self.lang))
        view.close_requested.connect(self.close_interview)
        view.finalise_requested.connect(self.finalise)
        self._set_screen(view)
        self.interview = view
        view.start(page_id)

    def close_interview(self) -> None:
        """Back to Home; the draft keeps every answer."""
        if self.interview is not None:
            self.interview.recording.suspend()
        self.show_home(_("The draft is saved. You can resume it from Home."))

    def finalise(self) -> None:
        """Seal the interview in the background, then go Home."""
        view = self.interview
        if view is None:
            return
        view.setEnabled(False)

        def failed(exc: BaseException) -> None:
            view.setEnabled(True)
            view.show_review()
            view.review.summary.setText(_("The interview could not be finalised: {reason}")
                                        .format(reason=str(exc)))

        ops.run_op(view, view.recording.finalise, lambda _iid: self.show_home(
            _("The interview is finalised and sealed.")), failed)

    # ----- lock, settings, sync ---------------------------------------------------------
    def _idle_timeout(self) -> None:
        if ops.pending():
            self.idle.arm()  # never lock in the middle of an operation
            return
        self.lock()

    def lock(self) -> None:
        """Save what is being typed, drop the keys and show the unlock screen."""
        if self.session is None:
            return
        if ops.pending():
            QTimer.singleShot(300, self.lock)
            return
        view = self.interview
        if view is not None:
            view.flush()
            page = view.nav.current() if view.stack.currentWidget() is view.page_view else None
            self._resume = (view.recording.interview_id, page.id if page else None)
            view.recording.suspend()
        self.interview = None
        self.idle.disarm()
        session, self.session = self.session, None
        session.close()
        self.show_unlock(_("Locked. Everything is saved."))

    def update_prefs(self, **changes: Any) -> None:
        """Change and persist preferences (never answers)."""
        new = replace(self.prefs, **changes).cleaned()
        if new != self.prefs:
            self.prefs = new
            prefs.save(self.data_dir, new)

    def set_ui_language(self, lang: str) -> None:
        """Switch the screen language (catalogs, Qt's translator, fonts)."""
        from fieldapp.ui.app import apply_language

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_language(app, lang)
        self.lang = lang
        self.update_prefs(ui_language=lang)

    def open_settings(self) -> None:
        """The settings dialog; Home is rebuilt in the new language."""
        from fieldapp.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.prefs, lang=self.lang, parent=self)
        if not dialog.exec():
            return
        new = dialog.result_prefs()
        if new.ui_language != self.lang:
            self.set_ui_language(new.ui_language)
        self.update_prefs(interview_language=new.interview_language,
                          font_scale=new.font_scale, idle_minutes=new.idle_minutes)
        self.idle.set_minutes(self.prefs.idle_minutes)
        self.show_home(_("Settings saved."))

    def start_sync(self) -> None:
        """Run sync in the background (see :mod:`fieldapp.ui.sync_action`)."""
        from fieldapp.ui import sync_action

        home = self.stack.currentWidget()
        target = self.prefs.sync_target
        if sync_action.needs_target(target):
            target = sync_action.choose_target(self)
        if not target:
            return
        self.update_prefs(sync_target=target)
        home.show_message(_("Syncing…"))
        session = self.session
        ops.run_op(home, lambda: sync_action.sync_now(session, target),
                   lambda text: self.show_home(text),
                   lambda exc: self.show_home(_("Sync failed: {reason}").format(
                       reason=str(exc)), error=True))

    def bring_to_front(self) -> None:
        """Another start of the app asked for this window (see :mod:`.single_instance`)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.interview is not None:
            self.interview.flush()
            self.interview.recording.suspend()
            self.interview = None
        if self.session is not None:
            self.session.close()
            self.session = None
        self.idle.close()
        super().closeEvent(event)
