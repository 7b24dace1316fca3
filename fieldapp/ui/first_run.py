"""First run: create this laptop's device (enumerator, city, passphrase, project key).

The project public key comes from a file the supervisor hands out, or from the installer:
a team build puts it at ``<resource root>/preset/project.pub`` (``questionnaires/project.pub``
is accepted too). When a preset exists it is used unless another file is chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fieldapp import paths
from fieldapp.i18n import N_, UI_LANGUAGES, _
from fieldapp.ui import fonts, ops, style
from fieldapp.ui.qt import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from fieldapp.ui.widgets import button, card, label, repolish, tab_ring_step

CITIES = {"seoul": N_("Seoul"), "beijing": N_("Beijing"), "tokyo": N_("Tokyo")}
MIN_LENGTH = 8


def preset_key() -> Path | None:
    """The installer's project public key, if this build ships one."""
    return paths.preset_project_key()


def key_fingerprint(path: Path) -> str:
    """The project key's fingerprint, as the supervisor's ``keys create`` printed it (or a
    short reason when the file is not a project public key)."""
    from fieldapp.crypto import fingerprint, load_project_public_key
    from fieldapp.errors import FieldAppError

    try:
        return str(fingerprint(load_project_public_key(path)))
    except (FieldAppError, OSError):
        return _("not a project key")


def strength(passphrase: str) -> tuple[int, str]:
    """A rough strength level 0–3 and a hint in the UI language."""
    if len(passphrase) < MIN_LENGTH:
        return 0, _("Too short: use at least {n} characters. Several words are easiest to "
                    "remember.").format(n=MIN_LENGTH)
    kinds = sum([any(c.islower() for c in passphrase), any(c.isupper() for c in passphrase),
                 any(c.isdigit() for c in passphrase), any(not c.isascii() for c in passphrase),
                 any(not c.isalnum() and c.isascii() for c in passphrase)])
    score = (len(passphrase) >= 12) + (len(passphrase) >= 16) + (kinds >= 3) + (" " in passphrase)
    if score <= 1:
        return 1, _("Weak: make it longer, for example three or four words.")
    if score == 2:
        return 2, _("Fair: a longer passphrase would be safer.")
    return 3, _("Strong passphrase.")


def _create(data_dir: Path, key: Path | None, enumerator: str, city: str,
            secret: str) -> object:
    from fieldapp.crypto import params_for_new_keys
    from fieldapp.session import FieldSession, init_device

    if key is None:
        raise ValueError("no project key chosen")  # problems() refuses this before
    kdf = params_for_new_keys()
    init_device(data_dir, project_key=key, enumerator=enumerator, city=city,
                passphrase=secret, kdf_params=kdf, forms=paths.bundled_questionnaires())
    return FieldSession.open(data_dir, secret)


class FirstRunView(QWidget):
    """Device creation form; emits ``created(session)`` or ``language_changed(code)``."""

    created = Signal(object)
    language_changed = Signal(str)
    supervise = Signal()  # "I supervise a city": the supervisor's desk instead

    def __init__(self, data_dir: Path, *, lang: str = "en", city: str = "",
                 typed: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.key_path: Path | None = preset_key()
        self._preset = self.key_path is not None
        self.setStyleSheet(style.stylesheet())
        outer = QVBoxLayout(self)

        row = QHBoxLayout()
        row.addStretch(1)
        panel, layout = card()
        panel.setFixedWidth(620)
        row.addWidget(panel)
        row.addStretch(1)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)

        layout.addWidget(label(_("Set up this laptop"), font=fonts.font(lang, "title", bold=True)))
        layout.addWidget(label(_("Do this once, before your first interview. The passphrase "
                                 "protects every answer on this laptop."), name="muted"))
        layout.addWidget(label(_("Supervisors and coordinators: choose \"I supervise a city\" "
                                 "below to open a hub instead."), name="muted"))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.language = QComboBox()
        for code, name in UI_LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(lang)))
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_changed.emit(self.language.currentData()))
        self.enumerator = QLineEdit()
        self.city = QComboBox()
        self.city.addItem(_("Choose your city"), "")  # none preselected: no Seoul by accident
        for code, name in CITIES.items():
            self.city.addItem(_(name), code)
        self.city.setCurrentIndex(max(0, self.city.findData(city)))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = label("", name="muted")
        self.key_label = label("", name="muted")
        self.choose = button(_("Choose file…"))
        self.choose.clicked.connect(self.choose_key)
        key_row = QVBoxLayout()
        key_row.addWidget(self.key_label)
        key_row.addWidget(self.choose, alignment=Qt.AlignmentFlag.AlignLeft)
        rows = [(_("Language"), self.language), (_("Enumerator ID"), self.enumerator),
                (_("City"), self.city), (_("Passphrase"), self.passphrase),
                (_("Repeat passphrase"), self.repeat)]
        for text, widget in rows:
            widget.setAccessibleName(text)
            form.addRow(text, widget)
        form.addRow("", self.hint)
        form.addRow(_("Project key"), key_row)
        layout.addLayout(form)
        self.message = label("", name="error")
        self.message.hide()
        layout.addWidget(self.message)
        self.create_button = button(_("Create device"), name="primary")
        self.create_button.clicked.connect(self.submit)
        actions = QHBoxLayout()
        self.supervise_button = button(_("I supervise a city (hub)…"))
        self.supervise_button.clicked.connect(self.supervise.emit)
        actions.addWidget(self.supervise_button)
        actions.addStretch(1)
        actions.addWidget(self.create_button)
        layout.addLayout(actions)
        self.passphrase.textChanged.connect(self._update_hint)
        self.repeat.returnPressed.connect(self.submit)
        if typed:  # the form again after a language change: nothing typed is lost
            self.enumerator.setText(typed.get("enumerator", ""))
            self.city.setCurrentIndex(max(0, self.city.findData(typed.get("city", ""))))
            self.passphrase.setText(typed.get("passphrase", ""))
            self.repeat.setText(typed.get("repeat", ""))
            if typed.get("key_path") is not None:
                self.key_path, self._preset = typed["key_path"], typed.get("preset", False)
        self._update_hint()
        self._update_key()
        self.setFocusProxy(self.enumerator)
        #: Tab order, top to bottom, wrapping round (see :func:`tab_ring_step`)
        self.tab_ring: list[QWidget] = [
            self.language, self.enumerator, self.city, self.passphrase, self.repeat,
            self.choose, self.supervise_button, self.create_button]
        for widget in (self.choose, self.supervise_button, self.create_button):
            widget.setAutoDefault(True)  # Enter on a focused button presses it

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab / Shift+Tab walk :attr:`tab_ring`."""
        moved = tab_ring_step(self.tab_ring, next)
        return super().focusNextPrevChild(next) if moved is None else moved

    def typed(self) -> dict[str, Any]:
        """What has been entered so far (carried over when the language changes)."""
        return {"enumerator": self.enumerator.text(), "city": self.city.currentData(),
                "passphrase": self.passphrase.text(), "repeat": self.repeat.text(),
                "key_path": self.key_path, "preset": self._preset}

    def _update_hint(self) -> None:
        level, text = strength(self.passphrase.text())
        self.hint.setText(text if self.passphrase.text() else
                          _("Use at least {n} characters; a few words are best.").format(
                              n=MIN_LENGTH))
        self.hint.setProperty("level", level)

    def _update_key(self) -> None:
        if self.key_path is None:
            self.key_label.setText(_("No key chosen yet: ask your supervisor for project.pub."))
        elif self._preset:
            self.key_label.setText(_("Preset from the installer ({name})").format(
                name=self.key_path.name))
        else:
            self.key_label.setText(_("{name} · fingerprint {fingerprint}").format(
                name=self.key_path.name, fingerprint=key_fingerprint(self.key_path)))

    def choose_key(self) -> None:
        """Pick a project public key file."""
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Project public key"), str(Path.home()),
            _("Project public key (*.pub);;All files (*)"))
        if path:
            self.set_key(Path(path))

    def set_key(self, path: Path) -> None:
        """Use ``path`` as the project key."""
        self.key_path, self._preset = path, False
        self._update_key()

    def problems(self) -> str | None:
        """The first reason the form cannot be submitted, or None."""
        if not self.enumerator.text().strip():
            return _("Enter your enumerator ID.")
        if not self.city.currentData():
            return _("Choose your city.")
        if len(self.passphrase.text()) < MIN_LENGTH:
            return _("The passphrase needs at least {n} characters.").format(n=MIN_LENGTH)
        if self.passphrase.text() != self.repeat.text():
            return _("The two passphrases are not the same.")
        if self.key_path is None:
            return _("Choose the project key file (project.pub).")
        return None

    def submit(self) -> None:
        """Create the device in the background (key derivation takes a moment)."""
        problem = self.problems()
        if problem:
            self._show(problem, error=True)
            return
        self.create_button.setEnabled(False)
        self._show(_("Creating the device…"), error=False)
        args = (self.data_dir, self.key_path, self.enumerator.text().strip(),
                str(self.city.currentData()), self.passphrase.text())
        ops.run_op(self, lambda: _create(*args), self._done, self._failed)

    def _done(self, session: object) -> None:
        self.created.emit(session)

    def _failed(self, exc: BaseException) -> None:
        from fieldapp.errors import FieldAppError

        self.create_button.setEnabled(True)
        reason = str(exc) if isinstance(exc, FieldAppError) else type(exc).__name__
        self._show(_("The device could not be created: {reason}").format(reason=reason),
                   error=True)

    def _show(self, text: str, *, error: bool) -> None:
        self.message.setObjectName("error" if error else "muted")
        self.message.setText(text)
        self.message.show()
        repolish(self.message)
