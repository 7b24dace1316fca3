"""Settings: UI language (separate from the interview language), font size, idle-lock time."""

from __future__ import annotations

from dataclasses import replace

from fieldapp import prefs
from fieldapp.i18n import UI_LANGUAGES, _, format_percent
from fieldapp.ui.qt import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget


class SettingsDialog(QDialog):
    """Edits a copy of the preferences; :meth:`result_prefs` returns the new ones."""

    def __init__(self, current: prefs.Preferences, *, lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.current = current
        layout = QFormLayout(self)
        self.ui_language = QComboBox()
        self.interview_language = QComboBox()
        for code, name in UI_LANGUAGES.items():
            self.ui_language.addItem(name, code)
            self.interview_language.addItem(name, code)
        self.ui_language.setCurrentIndex(max(0, self.ui_language.findData(lang)))
        interview = current.interview_language or lang
        self.interview_language.setCurrentIndex(
            max(0, self.interview_language.findData(interview)))
        self.font_scale = QComboBox()
        for scale in prefs.FONT_SCALES:
            self.font_scale.addItem(format_percent(scale), scale)
        nearest = min(prefs.FONT_SCALES, key=lambda s: abs(s - current.font_scale))
        self.font_scale.setCurrentIndex(self.font_scale.findData(nearest))
        self.idle = QSpinBox()
        self.idle.setRange(*prefs.IDLE_MINUTES)
        self.idle.setValue(current.idle_minutes)
        self.idle.setSuffix(_(" min"))
        rows = [(_("Screen language"), self.ui_language),
                (_("Default interview language"), self.interview_language),
                (_("Interview text size"), self.font_scale),
                (_("Lock after this many idle minutes"), self.idle)]
        for text, widget in rows:
            widget.setAccessibleName(text)
            layout.addRow(text, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def result_prefs(self) -> prefs.Preferences:
        """The preferences as edited."""
        return replace(self.current, ui_language=str(self.ui_language.currentData()),
                       interview_language=str(self.interview_language.currentData()),
                       font_scale=float(self.font_scale.currentData()),
                       idle_minutes=int(self.idle.value())).cleaned()
