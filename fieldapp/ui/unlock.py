"""Unlock screen: the passphrase opens the device keys (the KDF runs in the background)."""

from __future__ import annotations

from pathlib import Path

from fieldapp.i18n import _
from fieldapp.ui import fonts, ops, style
from fieldapp.ui.qt import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget, Signal
from fieldapp.ui.widgets import button, card, label, tab_ring_step


def _open(data_dir: Path, passphrase: str) -> object:
    from fieldapp.session import FieldSession  # heavy imports stay off the start-up path

    return FieldSession.open(data_dir, passphrase, program="fieldapp desktop")


def unlock_error(exc: BaseException) -> str:
    """A user-facing message for a failed unlock."""
    from fieldapp.crypto.errors import WrongPassphrase
    from fieldapp.errors import FieldAppError

    if isinstance(exc, WrongPassphrase):
        return _("That passphrase is not correct. Check the keyboard layout and Caps Lock, "
                 "then try again.")
    if isinstance(exc, FieldAppError):
        return _("The device could not be opened: {reason}").format(reason=str(exc))
    return _("The device could not be opened because of an unexpected error: {reason}").format(
        reason=type(exc).__name__)


class UnlockView(QWidget):
    """Passphrase entry; emits ``unlocked(session)`` once the keys are open."""

    unlocked = Signal(object)
    supervise = Signal()  # open the supervisor's desk

    def __init__(self, data_dir: Path, *, enumerator: str = "", lang: str = "en",
                 message: str = "") -> None:
        super().__init__()
        self.data_dir = data_dir
        self.setStyleSheet(style.stylesheet())
        outer = QVBoxLayout(self)

        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        panel, layout = card()
        panel.setFixedWidth(480)
        row.addWidget(panel)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        layout.addWidget(label("fieldapp", font=fonts.font(lang, "title", bold=True)))
        if enumerator:
            layout.addWidget(label(_("Enumerator {id}").format(id=enumerator), name="muted"))
        layout.addWidget(label(_("This laptop is locked. Enter your passphrase to continue.")))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.passphrase.setPlaceholderText(_("Passphrase"))
        self.passphrase.returnPressed.connect(self.submit)
        layout.addWidget(self.passphrase)
        self.message = label(message, name="muted")  # information (locked, saved); errors
        layout.addWidget(self.message)                # switch it to the error style
        if not message:
            self.message.hide()
        self.button = button(_("Unlock"), name="primary")
        self.button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        self.supervise_button = button(_("Supervisor's desk…"))
        self.supervise_button.clicked.connect(self.supervise.emit)
        buttons.addWidget(self.supervise_button)
        buttons.addStretch(1)
        buttons.addWidget(self.button)
        layout.addLayout(buttons)
        self.setFocusProxy(self.passphrase)
        self.tab_ring: list[QWidget] = [self.passphrase, self.supervise_button, self.button]
        for widget in (self.supervise_button, self.button):
            widget.setAutoDefault(True)  # Enter on a focused button presses it

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab / Shift+Tab walk :attr:`tab_ring`, wrapping round."""
        moved = tab_ring_step(self.tab_ring, next)
        return super().focusNextPrevChild(next) if moved is None else moved

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.passphrase.setFocus()

    def submit(self) -> None:
        """Unlock in the background; the screen stays responsive during the KDF."""
        secret = self.passphrase.text()
        if not secret or not self.button.isEnabled():
            return
        self._busy(True)
        self.message.setObjectName("muted")
        self._show(_("Unlocking…"))
        ops.run_op(self, lambda: _open(self.data_dir, secret), self._done, self._failed)

    def _done(self, session: object) -> None:
        self.passphrase.clear()
        self._busy(False)
        self.unlocked.emit(session)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.message.setObjectName("error")
        self._show(unlock_error(exc))
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _show(self, text: str) -> None:
        from fieldapp.ui.widgets import repolish

        self.message.setText(text)
        self.message.setVisible(True)
        repolish(self.message)

    def _busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.passphrase.setReadOnly(busy)
