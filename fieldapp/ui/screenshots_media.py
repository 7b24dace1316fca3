"""Screenshots of a question with an image label and of a select-from-file question.

    python -m fieldapp.ui.screenshots_media --out docs/screenshots

A small showcase XLSForm is written to a temporary folder with its media folder (an image
drawn here with QPainter and a CSV of districts), installed on a throw-away device, and the
two pages are rendered offscreen in English and Korean.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

LANGS = ("en", "ko")
SIZE = (1366, 768)
DISTRICTS = (("seoul_jongno", "Jongno-gu", "종로구"), ("seoul_mapo", "Mapo-gu", "마포구"),
             ("seoul_gangnam", "Gangnam-gu", "강남구"), ("seoul_nowon", "Nowon-gu", "노원구"),
             ("seoul_songpa", "Songpa-gu", "송파구"))
SURVEY = (
    ("type", "name", "label::English (en)", "label::Korean (ko)", "image", "big-image",
     "required"),
    ("select_one housing", "housing", "Which of these is closest to your home?",
     "귀하의 집과 가장 비슷한 것은 무엇입니까?", "house.png", "house.png", "yes"),
    ("select_one_from_file districts.csv", "district", "Which district do you live in?",
     "어느 구에 사십니까?", "", "", "yes"),
    ("range", "rooms", "How many rooms does your home have?", "집에 방이 몇 개 있습니까?",
     "", "", ""),
)
CHOICES = (
    ("list_name", "name", "label::English (en)", "label::Korean (ko)"),
    ("housing", "1", "Detached house", "단독주택"),
    ("housing", "2", "Apartment", "아파트"),
    ("housing", "3", "Row house or villa", "연립·다세대 주택"),
)
SETTINGS = (("form_id", "version", "form_title", "title_translated::Korean (ko)",
             "default_language"),
            ("media_showcase", "1", "Home and neighbourhood", "집과 동네", "English (en)"))


def draw_house() -> bytes:
    """A small drawing of a house and an apartment block (PNG bytes)."""
    from fieldapp.ui.qt import QColor, QImage, QPainter, QPen, Qt

    image = QImage(480, 260, QImage.Format.Format_RGB32)
    image.fill(QColor("#dcecf7"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(0, 210, 480, 50, QColor("#9cc58a"))
    painter.setPen(QPen(QColor("#4b3b2b"), 3))
    painter.setBrush(QColor("#f3d9a4"))
    painter.drawRect(60, 120, 150, 100)
    painter.setBrush(QColor("#b5523b"))
    from fieldapp.ui.qt import QPolygon

    painter.drawPolygon(QPolygon([*_points((45, 125), (135, 60), (225, 125))]))
    painter.setBrush(QColor("#7a5230"))
    painter.drawRect(118, 165, 34, 55)
    painter.setBrush(QColor("#cfe8ff"))
    painter.drawRect(78, 140, 28, 24)
    painter.drawRect(164, 140, 28, 24)
    painter.setBrush(QColor("#c8ccd2"))
    painter.drawRect(280, 50, 130, 170)
    painter.setBrush(QColor("#6f8fb3"))
    for row in range(5):
        for column in range(3):
            painter.drawRect(295 + column * 38, 65 + row * 30, 24, 18)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#f6c945"))
    painter.drawEllipse(400, 14, 40, 40)
    painter.end()
    from fieldapp.ui.qt import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def _points(*pairs: tuple[int, int]) -> list:
    from fieldapp.ui.qt import QPoint

    return [QPoint(x, y) for x, y in pairs]


def write_showcase(folder: Path) -> Path:
    """The showcase form and its media folder in ``folder``; returns the form's path."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in (("survey", SURVEY), ("choices", CHOICES), ("settings", SETTINGS)):
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    path = folder / "media_showcase.xlsx"
    workbook.save(path)
    media = folder / "media_showcase-media"
    media.mkdir(exist_ok=True)
    (media / "house.png").write_bytes(draw_house())
    lines = ["name,label::English (en),label::Korean (ko)"]
    lines += [",".join(d) for d in DISTRICTS]
    (media / "districts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def shoot(out: Path, lang: str) -> list[Path]:
    """Both screens in ``lang``."""
    from fieldapp.ui.qt import QApplication
    from fieldapp.ui.screenshots import Shooter, indexed, make_device

    saved = []
    with tempfile.TemporaryDirectory(prefix="fieldapp-media-shots-") as tmp:
        root = Path(tmp)
        data = make_device(root, lang)
        form = write_showcase(root)
        from fieldapp.session import FieldSession
        from fieldapp.ui.screenshots import PASSPHRASE

        with FieldSession.open(data, PASSPHRASE) as session:
            session.install_form(form)
        shooter = Shooter(data, lang, out)
        shooter.unlock()
        for page, name, answers in (("housing", "image-label", {"housing": "2"}),
                                    ("district", "select-from-file",
                                     {"housing": "2", "district": "seoul_mapo"})):
            view = shooter.interview("media_showcase", answers, page)
            QApplication.processEvents()
            shooter.window.resize(*SIZE)
            for _ in range(3):
                QApplication.processEvents()
            path = out / f"{lang}-{name}-{SIZE[0]}x{SIZE[1]}.png"
            indexed(shooter.window.grab().toImage()).save(str(path), "PNG", 0)
            saved.append(path)
            view.request_close()
        shooter.window.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args.out.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        for path in shoot(args.out, lang):
            print(f"{path}  {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
