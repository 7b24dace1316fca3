"""Open (or create) a hub - a folder or a PostgreSQL URL - and unlock the project key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fieldapp.i18n import _
from fieldapp.ui import fonts, ops, style
from fieldapp.ui.qt import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from fieldapp.ui.supervisor.common import error_text
from fieldapp.ui.widgets import button, card, label, repolish


def open_desk(target: str, create: bool, key_file: str, passphrase: str) -> Any:
    """Open the hub and, if a key file is given, unlock the project key (worker thread)."""
    from fieldapp.supervisor import SupervisorSession

    desk = SupervisorSession.open(target, create=create)
    try:
        if key_file:
            desk.unlock(Path(key_file), passphrase)
    except BaseException:
        desk.close()
        raise
    return desk


def unlock_text(exc: BaseException) -> str:
    """Why the project key did not open."""
    from fieldapp.crypto.errors import WrongPassphrase

    if isinstance(exc, WrongPassphrase):
        return _("That passphrase does not open the project key. Check the keyboard layout "
                 "and Caps Lock, then try again.")
    return _("The hub could not be opened: {reason}").format(reason=error_text(exc))


class KeyFields:
    """Key file chooser and passphrase (shared by the open screen and the unlock panel)."""

    def __init__(self, parent: QWidget, form: QFormLayout, key_file: str = "") -> None:
        self.parent = parent
        self.key = QLineEdit(key_file)
        self.key.setPlaceholderText("project.key")
        self.key.setAccessibleName(_("Project private key"))
        choose = button(_("Choose…"))
        choose.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.key, 1)
        row.addWidget(choose)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Key passphrase"))
        form.addRow(_("Project private key"), row)
        form.addRow(_("Key passphrase"), self.passphrase)

    def choose(self) -> None:
        """Pick the project private key file."""
        path, _f = QFileDialog.getOpenFileName(self.parent, _("Project private key"),
                                               str(Path.home()),
                                               _("Project private key (*.key);;All files (*)"))
        if path:
            self.key.setText(path)


class OpenHubView(QWidget):
    """Emits ``opened(session)``; ``back`` returns to the enumerator screens."""

    opened = Signal(object)
    back = Signal()

    def __init__(self, *, lang: str = "en", hub: str = "", key_file: str = "",
                 can_go_back: bool = True) -> None:
        super().__init__()
        self.setStyleSheet(style.stylesheet())
        outer = QVBoxLayout(self)
        row = QHBoxLayout()
        panel, layout = card()
        panel.setFixedWidth(680)
        row.addStretch(1)
        row.addWidget(panel)
        row.addStretch(1)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        layout.addWidget(label(_("Supervisor's desk"), font=fonts.font(lang, "title", bold=True)))
        layout.addWidget(label(_("Open your city's hub: the folder where you collect the "
                                 "enumerators' bundles, or the central PostgreSQL database. "
                                 "The project key stays in memory only and locks after "
                                 "a while without use, or with Ctrl+L."), name="muted"))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.target = QLineEdit(hub)
        self.target.setPlaceholderText(_("A folder, or postgresql+psycopg://user@host/db"))
        self.target.setAccessibleName(_("Hub"))
        choose = button(_("Choose folder…"))
        choose.clicked.connect(self.choose_folder)
        self.test = button(_("Test connection"))
        self.test.clicked.connect(self.test_connection)
        target_row = QVBoxLayout()
        target_row.addWidget(self.target)
        target_buttons = QHBoxLayout()
        target_buttons.addWidget(choose)
        target_buttons.addWidget(self.test)
        target_buttons.addStretch(1)
        target_row.addLayout(target_buttons)
        form.addRow(_("Hub"), target_row)
        self.create = QCheckBox(_("Create a new, empty hub here"))
        form.addRow("", self.create)
        self.keys = KeyFields(self, form, key_file)
        form.addRow("", label(_("Without the key you can import and see progress; reviewing, "
                                "quality and export need it."), name="muted"))
        layout.addLayout(form)
        self.message = label("", name="error")
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        if can_go_back:
            back = button(_("I am an enumerator"))
            back.clicked.connect(self.back.emit)
            buttons.addWidget(back)
        buttons.addStretch(1)
        self.open_button = button(_("Open hub"), name="primary")
        self.open_button.clicked.connect(self.submit)
        buttons.addWidget(self.open_button)
        layout.addLayout(buttons)
        self.keys.passphrase.returnPressed.connect(self.submit)
        self.setFocusProxy(self.target)

    def choose_folder(self) -> None:
        """Pick the hub folder."""
        path = QFileDialog.getExistingDirectory(self, _("Hub folder"), str(Path.home()))
        if path:
            self.target.setText(path)

    def test_connection(self) -> None:
        """Open the hub once in the background and say whether that worked."""
        target = self.target.text().strip()
        if not target:
            self.show_message(_("Enter a hub folder or a PostgreSQL URL."), error=True)
            return
        from fieldapp.supervisor import SupervisorSession

        self.test.setEnabled(False)
        self.show_message(_("Connecting…"), error=False)

        def done(label_text: str) -> None:
            self.test.setEnabled(True)
            self.show_message(_("Connected to {hub}.").format(hub=label_text), error=False)

        def failed(exc: BaseException) -> None:
            self.test.setEnabled(True)
            self.show_message(_("No connection: {reason}").format(reason=error_text(exc)),
                              error=True)

        ops.run_op(self, lambda: SupervisorSession.check_target(target), done, failed)

    def submit(self) -> None:
        """Open the hub (and unlock the key) in the background."""
        target = self.target.text().strip()
        if not target:
            self.show_message(_("Enter a hub folder or a PostgreSQL URL."), error=True)
            return
        key_file = self.keys.key.text().strip()
        secret = self.keys.passphrase.text()
        if key_file and not secret:
            self.show_message(_("Enter the passphrase of the project key."), error=True)
            return
        self.open_button.setEnabled(False)
        self.show_message(_("Opening…"), error=False)
        args = (target, self.create.isChecked(), key_file, secret)
        ops.run_op(self, lambda: open_desk(*args), self._done, self._failed)

    def _done(self, desk: Any) -> None:
        self.keys.passphrase.clear()
        self.open_button.setEnabled(True)
        self.opened.emit(desk)

    def _failed(self, exc: BaseException) -> None:
        self.open_button.setEnabled(True)
        self.show_message(unlock_text(exc), error=True)

    def show_message(self, text: str, *, error: bool) -> None:
        """Show a status or error line."""
        self.message.setObjectName("error" if error else "muted")
        self.message.setText(text)
        self.message.show()
        repolish(self.message)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft)
