"""Label media of a question or choice: the image under the text, a full-size view for
``big-image``, and Play buttons for audio and video.

The files come from the form's media folder (installed with the form). PySide6-Essentials
has no Qt Multimedia, so audio and video open in the system's player, from a copy in the
user's cache folder (form media, never answer data). Images are decoded in memory.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from fieldapp.i18n import _
from fieldapp.questionnaire.model import text_for
from fieldapp.ui.interview.base import Ctx, plain_label
from fieldapp.ui.qt import (
    QDesktopServices,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPixmap,
    QPushButton,
    QScrollArea,
    Qt,
    QUrl,
    QVBoxLayout,
    QWidget,
)

MAX_IMAGE = (560, 320)  # px at 100 %: the picture never pushes the answers off screen


def media_name(ctx: Ctx, media: Any, kind: str) -> str:
    """The file for ``kind`` in the interview language (else the default language)."""
    files = media.get(kind) if media else None
    if not files:
        return ""
    engine = ctx.engine
    return text_for(files, engine.language, engine.form.default_language)


def pixmap(data: bytes | None) -> QPixmap | None:
    """An image decoded in memory, or None when it is not an image Qt reads."""
    if not data:
        return None
    picture = QPixmap()
    return picture if picture.loadFromData(data) else None


def scaled(picture: QPixmap, ctx: Ctx, limit: tuple[int, int] = MAX_IMAGE) -> QPixmap:
    """``picture`` fitted into ``limit`` (scaled by the text size), never enlarged."""
    width, height = round(limit[0] * ctx.scale), round(limit[1] * ctx.scale)
    if picture.width() <= width and picture.height() <= height:
        return picture
    return picture.scaled(width, height, Qt.AspectRatioMode.KeepAspectRatio,
                          Qt.TransformationMode.SmoothTransformation)


def open_in_player(name: str, data: bytes) -> bool:
    """Copy form media to the cache folder and open it in the system's player."""
    import platformdirs

    digest = hashlib.sha256(data).hexdigest()[:16]
    folder = Path(platformdirs.user_cache_dir("fieldapp")) / "form-media" / digest
    target = folder / Path(name).name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.write_bytes(data)
    except OSError:
        return False
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))))


class LargeImage(QDialog):
    """A ``big-image`` at full size, scrollable."""

    def __init__(self, picture: QPixmap, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        area = QScrollArea()
        image = QLabel()
        image.setPixmap(picture)
        area.setWidget(image)
        layout.addWidget(area)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(min(picture.width() + 40, 1200), min(picture.height() + 80, 900))


def media_area(ctx: Ctx, media: Any, title: str) -> QWidget | None:
    """The image and media buttons of a label, or None when it has none."""
    form = ctx.engine.form
    names = {kind: media_name(ctx, media, kind) for kind in ("image", "big-image", "audio",
                                                               "video")}
    if not any(names.values()):
        return None
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(round(6 * ctx.scale))
    image_name = names["image"] or names["big-image"]
    if image_name:
        picture = pixmap(form.media_file(image_name))
        if picture is None:
            missing = plain_label(_("(image {name} is not available)").format(name=image_name),
                                  ctx.font("hint"), name="media-missing")
            layout.addWidget(missing)
        else:
            image = QLabel()
            image.setObjectName("label-image")
            image.setPixmap(scaled(picture, ctx))
            image.setAccessibleName(_("Image: {name}").format(name=image_name))
            layout.addWidget(image, 0, Qt.AlignmentFlag.AlignLeft)
    buttons = QHBoxLayout()
    buttons.setSpacing(round(8 * ctx.scale))
    if names["big-image"]:
        large = pixmap(form.media_file(names["big-image"]))
        if large is not None:
            show = QPushButton(_("Show full size"))
            show.setObjectName("big-image")
            show.clicked.connect(lambda _c=False: LargeImage(large, title, holder).exec())
            buttons.addWidget(show)
    for kind, text in (("audio", _("Play audio")), ("video", _("Play video"))):
        name = names[kind]
        data = form.media_file(name) if name else None
        if data:
            play = QPushButton(text)
            play.setObjectName(f"play-{kind}")
            play.setToolTip(_("Opens {name} in the system's player").format(name=name))
            play.clicked.connect(lambda _c=False, n=name, d=data: open_in_player(n, d))
            buttons.addWidget(play)
    if buttons.count():
        buttons.addStretch(1)
        layout.addLayout(buttons)
    return holder
