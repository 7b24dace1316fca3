"""Render the main screens to PNG in every UI/interview language (offscreen; for the docs).

    python -m fieldapp.ui.screenshots --out docs/screenshots          # the committed set
    python -m fieldapp.ui.screenshots --out /tmp/shots --all          # every screen and size

A throw-away device (fast test-strength key derivation) in a temporary directory is filled
with a few interviews so Home is not empty; nothing touches the user's data directory.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fieldapp.vocabulary import Status

SCREENS = ("unlock", "home", "likert", "bipolar", "count", "review")
LANGS = ("en", "ko", "zh", "ja")
SIZES = ((1366, 768), (1920, 1080))
LARGE_SCREENS = ("likert", "bipolar")  # the big size is committed for these only
PASSPHRASE = "screenshot passphrase"
THREE_CITY = "three_city_2012"
PANEL = "neighbourhood_panel"
FIRST_PAGES = {"CONSENT": "1", "city": "seoul", "wave": "2012", "district": "seoul_jongno",
               "DEM01": "1", "DEM02": 44, "DEM03": "4", "DEM04": "3", "DEM05": "2",
               "DEM06": "1", "DEM07": 3200, "DEM08": "2"}
COMMENT = {"en": "Please check DEM07: the income looks like yuan, not 10,000 won.",
           "ko": "DEM07 소득 단위를 확인해 주세요. 만 원 단위가 아닌 것 같습니다.",
           "zh": "请核对 DEM07：收入单位似乎不是“万韩元”。",
           "ja": "DEM07 の収入の単位を確認してください。万ウォン単位ではないようです。"}


#: The respondent's language differs from the enumerator's: a Chinese interview in a Korean
#: UI (only Chinese inside the question area), in a window that leaves room for a title bar
#: and a taskbar on a 1366×768 laptop.
MIXED = ("ko", "zh")
MIXED_SIZE = (1366, 704)


def make_device(root: Path, lang: str, interview_lang: str | None = None) -> Path:
    """A device with the bundled questionnaires, two drafts, a finalised and a sent-back one."""
    from fieldapp import paths, prefs
    from fieldapp.crypto import floor_params, generate_project_keypair, write_project_public_key
    from fieldapp.session import FieldSession, init_device

    _private, public = generate_project_keypair()
    write_project_public_key(root / "project.pub", public)
    data = root / "data"
    init_device(data, project_key=root / "project.pub", enumerator="S-014", city="seoul",
                passphrase=PASSPHRASE, kdf_params=floor_params(),
                forms=paths.bundled_questionnaires())
    prefs.save(data, prefs.Preferences(ui_language=lang,
                                       interview_language=interview_lang or lang,
                                       enumerator="S-014", city="seoul"))
    with FieldSession.open(data, PASSPHRASE) as session:
        for form_id, finish in ((THREE_CITY, True), (THREE_CITY, True), (PANEL, False)):
            recording = session.start_interview(session.form(form_id), language=lang)
            _answer_all(recording, FIRST_PAGES)
            if finish:
                _finish(recording)
            else:
                recording.shown(["DEM02"])
                recording.suspend()  # Home shows where it stopped
        sent = session.list_interviews(Status.FINALISED)[0]
        content = {"language": lang, "answers": FIRST_PAGES, "repeat_counts": {}}
        session.reopen_sent_back(sent.interview_id, sent.revision, content, COMMENT[lang])
        session.start_interview(session.form(THREE_CITY), language=lang)
    return data


def _answer_all(recording: Any, answers: dict[str, Any]) -> None:
    """Store the answers that fit this form (others are skipped)."""
    from fieldapp.interview.errors import AnswerError

    for key, value in answers.items():
        try:
            recording.answer(key, value)
        except AnswerError:
            continue


def _finish(recording: Any) -> None:
    """Answer everything still open with the first scale point, then finalise."""
    from fieldapp.interview.navigation import Navigator

    engine = recording.engine
    for _ in range(200):
        page = Navigator(engine).pages()
        open_keys = [k for p in page for k in p.keys if engine.problems(engine.slot(k))]
        if not open_keys:
            break
        key = open_keys[0]
        choices = [c for c in engine.choices_for(key) if not c.missing]
        recording.answer(key, choices[0].name if choices else 2)
    recording.finalise()


KEEP_COLOURS = ("ERROR", "OK", "ACCENT", "ACCENT_DARK", "MUTED", "BORDER", "BACKGROUND", "CARD")


def indexed(image: Any) -> Any:
    """An 8-bit copy with the screenshot's own 256 most frequent colours (a third of the
    file size; UI pixels are mostly a few flat colours). The style's colours are always in
    the table, so a small red mark does not turn grey."""
    from collections import Counter

    from fieldapp.ui import style
    from fieldapp.ui.qt import QColor, QImage, Qt

    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    counts = Counter(memoryview(bytes(rgb.constBits())).cast("I"))
    table = [QColor(getattr(style, name)).rgb() for name in KEEP_COLOURS]
    table += [c | 0xFF000000 for c, _n in counts.most_common(256)
              if c | 0xFF000000 not in table][:256 - len(table)]
    flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
    return rgb.convertToFormat(QImage.Format.Format_Indexed8, table, flags)


class Shooter:
    """One window per language; each screen is reached through the real views."""

    def __init__(self, data: Path, lang: str, out: Path) -> None:
        from fieldapp.ui.app import apply_language, create_app, load_prefs
        from fieldapp.ui.main_window import MainWindow

        self.app = create_app([])
        apply_language(self.app, lang)
        self.lang, self.data, self.out = lang, data, out
        self.window = MainWindow(data, load_prefs(data))
        self.window.show()

    def grab(self, name: str, size: tuple[int, int]) -> Path:
        """Save the window at ``size`` as an optimised PNG."""
        from fieldapp.ui.qt import QApplication

        self.window.resize(*size)
        for _ in range(3):
            QApplication.processEvents()
        image = self.window.grab().toImage()
        path = self.out / f"{self.lang}-{name}-{size[0]}x{size[1]}.png"
        indexed(image).save(str(path), "PNG", 0)  # quality 0 = strongest zlib compression
        return path

    def unlock(self) -> None:
        from fieldapp.session import FieldSession

        self.window._unlocked(FieldSession.open(self.data, PASSPHRASE))

    def interview(self, form_id: str, answers: dict[str, Any], page: str) -> Any:
        """Open a new interview, answer through the engine, show ``page``."""
        self.window.start_interview(form_id)
        view = self.window.interview
        _answer_all(view.recording, answers)
        view.nav.jump(page)
        view.render()
        return view


def shoot(data: Path, lang: str, out: Path, screens: tuple[str, ...],
          sizes: Callable[[str], list[tuple[int, int]]]) -> list[Path]:
    """Every requested screen of one language."""
    from fieldapp.ui.qt import QApplication

    shooter = Shooter(data, lang, out)
    saved: list[Path] = []

    def take(name: str) -> None:
        if name in screens:
            saved.extend(shooter.grab(name, size) for size in sizes(name))

    take("unlock")
    shooter.unlock()
    take("home")
    answers = {**FIRST_PAGES, "ANX1": "2", "ANX2": "3"}
    view = shooter.interview(THREE_CITY, answers, "ANX")
    view.page_view.show_question(view.page_view.widgets["ANX3"])
    take("likert")
    view.recording.answer("CITY1", "3")
    view.nav.jump("CITY")
    view.render(focus_key="CITY2")
    take("bipolar")
    view.show_review()
    take("review")
    view.request_close()
    view = shooter.interview(PANEL, {**FIRST_PAGES, "wave": "201509"}, "NBR01")
    widget = view.page_view.widgets["NBR01"]
    widget.editor.setFocus()
    QApplication.processEvents()
    widget.editor.setText("600")
    widget._edited("600")  # as if typed: the constraint message shows at once
    take("count")
    view.request_close()
    shooter.window.close()
    return saved


def shoot_mixed(out: Path) -> list[Path]:
    """A Chinese interview in the Korean UI: a number question with its don't know /
    refused chips, a Likert battery and a yes/no battery (both as grids)."""
    ui, respondent = MIXED
    with tempfile.TemporaryDirectory(prefix="fieldapp-shots-") as tmp:
        data = make_device(Path(tmp), ui, respondent)
        shooter = Shooter(data, ui, out)
        shooter.unlock()
        saved = []
        view = shooter.interview(THREE_CITY, {k: v for k, v in FIRST_PAGES.items()
                                              if k not in ("DEM02",)}, "DEM02")
        view.set_language(respondent)
        view.render(focus_key="DEM02")
        saved.append(shooter.grab(f"{respondent}-interview-number", MIXED_SIZE))
        view.recording.answer("ANX1", "2")
        view.nav.jump("ANX")
        view.render(focus_key="ANX2")
        saved.append(shooter.grab(f"{respondent}-interview-likert", MIXED_SIZE))
        view.request_close()
        view = shooter.interview(PANEL, {**FIRST_PAGES, "wave": "201509", "PAR1": "1",
                                         "PAR2": "2"}, "PAR")
        saved.append(shooter.grab(f"{respondent}-interview-grid", MIXED_SIZE))
        view.request_close()
        shooter.window.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--all", action="store_true", help="every screen at every size")
    parser.add_argument("--lang", action="append", choices=LANGS, help="only these languages")
    parser.add_argument("--supervisor", action="store_true",
                        help="only the supervisor's desk (its screens are taken by default too)")
    parser.add_argument("--mixed-only", action="store_true",
                        help="only the Chinese interview in the Korean UI")
    parser.add_argument("--enumerator", action="store_true",
                        help="only the enumerator's screens (not the supervisor's desk)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args.out.mkdir(parents=True, exist_ok=True)

    def sizes(screen: str) -> list[tuple[int, int]]:
        return list(SIZES) if args.all or screen in LARGE_SCREENS else [SIZES[0]]

    from fieldapp.ui.screenshots_supervisor import shoot_supervisor

    saved: list[Path] = [] if args.supervisor else shoot_mixed(args.out)
    for lang in [] if args.mixed_only else args.lang or LANGS:
        if not args.supervisor:
            with tempfile.TemporaryDirectory(prefix="fieldapp-shots-") as tmp:
                data = make_device(Path(tmp), lang)
                saved += shoot(data, lang, args.out, SCREENS, sizes)
        if args.enumerator:
            continue
        with tempfile.TemporaryDirectory(prefix="fieldapp-desk-shots-") as tmp:
            saved += shoot_supervisor(Path(tmp), lang, args.out, SIZES[0])
    for path in saved:
        print(f"{path}  {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
