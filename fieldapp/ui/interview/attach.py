"""Image, audio, video and file questions: a file chosen on the laptop is attached.

The file is read and stored encrypted with the interview the moment it is chosen (the view
calls ``RecordingInterview.answer`` with its path). The question shows the attached file's
name and size and, for images, a preview decoded in memory from the stored (decrypted) copy
— an attached answer is never written back to disk as a plain file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fieldapp.i18n import N_, _
from fieldapp.ui import style
from fieldapp.ui.interview.base import QuestionWidget, plain_label, tinted
from fieldapp.ui.interview.media import pixmap, scaled
from fieldapp.ui.qt import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

FILTERS = {
    "image": (N_("Images"), "*.jpg *.jpeg *.png *.gif *.bmp *.webp *.tif *.tiff *.heic"),
    "audio": (N_("Audio"), "*.mp3 *.m4a *.aac *.wav *.ogg *.oga *.flac *.amr *.3gp"),
    "video": (N_("Video"), "*.mp4 *.mov *.m4v *.avi *.mkv *.webm *.3gp"),
}


class FileWidget(QuestionWidget):
    """"Choose file…" and the attached file (with a preview for images)."""

    def build_body(self) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.choose = QPushButton({"image": _("Choose image…"), "audio": _("Choose audio…"),
                                   "video": _("Choose video…")}.get(self.question.type,
                                                                     _("Choose file…")))
        self.choose.setFont(self.ctx.font("choice"))
        self.choose.setObjectName("attach-choose")
        self.choose.clicked.connect(self.pick)
        row.addWidget(self.choose)
        self.remove = QPushButton(_("Remove"))
        self.remove.clicked.connect(lambda _c=False: self.answered.emit(self.key, None))
        row.addWidget(self.remove)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = tinted(plain_label("", self.ctx.font("hint"), name="attach-status"),
                             style.MUTED)
        layout.addWidget(self.status)
        self.preview = QLabel()
        self.preview.setObjectName("attach-preview")
        layout.addWidget(self.preview)
        return holder

    def file_filter(self) -> str:
        """The dialog's filter: the form's ``body::accept``, else by question type."""
        accept = self.question.body.get("accept", "")
        patterns = [f"*{p.strip()}" for p in accept.split(",") if p.strip().startswith(".")]
        if patterns:
            return f"{_('Accepted files')} ({' '.join(patterns)})"
        name, patterns_ = FILTERS.get(self.question.type, (N_("All files"), "*"))
        return f"{_(name)} ({patterns_})"

    def pick(self) -> None:
        """Ask for a file and attach it."""
        path, _selected = QFileDialog.getOpenFileName(self, self.text(), str(Path.home()),
                                                      self.file_filter())
        if path:
            self.answered.emit(self.key, path)

    def set_value(self, value: Any) -> None:
        self.remove.setVisible(value is not None)
        self.preview.clear()
        self.preview.hide()
        if value is None:
            self.status.setText(_("No file attached."))
            return
        loader = self.ctx.attachment
        data = loader(str(value)) if loader is not None else None
        size = f" ({len(data) / 1024:,.0f} KB)" if data else ""
        self.status.setText(_("Attached: {name}").format(name=value) + size)
        if self.question.type == "image":
            picture = pixmap(data)
            if picture is not None:
                self.preview.setPixmap(scaled(picture, self.ctx, (320, 240)))
                self.preview.show()

    def focus_target(self) -> QWidget:
        return self.choose
