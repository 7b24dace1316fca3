"""Render the app icon (``linux/fieldapp.svg``) to PNG, ICO and ICNS with Qt's SVG renderer.

Runs in a child process (offscreen Qt) so the build script itself never creates a
QGuiApplication: ``python packaging/icons.py OUT_DIR``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SVG = Path(__file__).resolve().parent / "linux" / "fieldapp.svg"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)


def render(out: Path) -> list[Path]:
    """fieldapp-<size>.png for every size, fieldapp.ico (256) and fieldapp.icns (512)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"icons: cannot read {SVG}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    images = {}
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        images[size] = image
        path = out / f"fieldapp-{size}.png"
        if not image.save(str(path)):
            raise SystemExit(f"icons: cannot write {path}")
        written.append(path)
    for name, size in (("fieldapp.ico", 256), ("fieldapp.icns", 512)):
        if not images[size].save(str(out / name)):
            raise SystemExit(f"icons: cannot write {out / name}")
        written.append(out / name)
    del app
    return written


if __name__ == "__main__":
    render(Path(sys.argv[1]))
