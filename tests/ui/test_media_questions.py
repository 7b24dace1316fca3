"""The new question widgets driven like an enumerator would: a label image from the form's
media folder, choices read from a file, range, rank, acknowledge, typed coordinates and an
attached file (stored encrypted, previewed from memory)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from fieldapp.ui.interview.attach import FileWidget
from fieldapp.ui.interview.range_rank import RangeWidget, RankWidget
from fieldapp.ui.interview.simple import AcknowledgeWidget, GeoWidget
from fieldapp.ui.screenshots_media import draw_house, write_showcase
from tests.support import pilot
from tests.support.devices import open_session
from tests.support.formtools import md_to_xlsx

MORE = """
| survey |
| | type | name | label | parameters | required |
| | range | rate | Rate the street | start=0 end=10 step=2 | yes |
| | rank rk | order | Order the problems | | |
| | acknowledge | ok | Consent read out | | yes |
| | geopoint | gps | Where is the house? | | |
| | image | photo | Photo of the entrance | | |
| choices |
| | list_name | name | label |
| | rk | a | Noise |
| | rk | b | Traffic |
| settings |
| | form_id | version |
| | more_types | 1 |
"""


def install(data: Path, path: Path) -> None:
    with open_session(data) as session:
        session.install_form(path)


def test_image_label_and_choices_from_a_file(qtbot, open_window, device, tmp_path) -> None:
    install(device[0], write_showcase(tmp_path))
    window = open_window("ko")
    pilot.start_from_home(qtbot, window, "media_showcase")
    page = window.interview.page_view
    widget = page.widgets["housing"]
    image = widget.findChild(QLabel, "label-image")
    assert image is not None and not image.pixmap().isNull()
    assert image.pixmap().width() <= 560
    assert widget.findChild(QPushButton, "big-image").text() == "원래 크기로 보기"
    assert widget.label.text() == "귀하의 집과 가장 비슷한 것은 무엇입니까?"
    pilot.keys(qtbot, window, "2")
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    page = window.interview.page_view
    districts = page.widgets["district"]
    assert [b.text().split()[-1] for b in districts.buttons.values()] == [
        "종로구", "마포구", "강남구", "노원구", "송파구"]
    pilot.keys(qtbot, window, "2")
    assert window.interview.recording.engine.answers["district"] == "seoul_mapo"


def test_range_rank_acknowledge_geopoint_and_attached_image(qtbot, open_window, device,
                                                             tmp_path) -> None:
    install(device[0], md_to_xlsx(MORE, tmp_path / "more_types.xlsx"))
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "more_types")
    view = window.interview
    engine = view.recording.engine
    rate = view.page_view.widgets["rate"]
    assert isinstance(rate, RangeWidget) and rate.shown.text() == "—"
    assert pilot.focus(window) is rate.slider
    pilot.press(qtbot, window, Qt.Key.Key_Right)
    pilot.press(qtbot, window, Qt.Key.Key_Right)
    assert engine.answers["rate"] == 4 and rate.shown.text() == "4"
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    order = view.page_view.widgets["order"]
    assert isinstance(order, RankWidget) and order.order() == ["a", "b"]
    order.list.setCurrentRow(1)
    pilot.press(qtbot, window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert engine.answers["order"] == ("b", "a")
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    ack = view.page_view.widgets["ok"]
    assert isinstance(ack, AcknowledgeWidget)
    pilot.press(qtbot, window, Qt.Key.Key_Return)  # required: stays
    assert view.nav.current().id == "ok" and ack.problem.isVisible()
    pilot.keys(qtbot, window, "1")
    assert engine.answers["ok"] == "OK"
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    gps = view.page_view.widgets["gps"]
    assert isinstance(gps, GeoWidget)
    pilot.type_text(qtbot, window, "95 127")
    gps.flush()
    assert gps.problem.isVisible() and "gps" not in engine.answers
    pilot.press(qtbot, window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    pilot.type_text(qtbot, window, "37.5665 126.978")
    gps.flush()
    assert engine.answers["gps"] == "37.5665 126.978 0 0"
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    photo = view.page_view.widgets["photo"]
    assert isinstance(photo, FileWidget) and photo.status.text() == "No file attached."
    picture = tmp_path / "entrance.png"
    picture.write_bytes(draw_house())
    photo.answered.emit("photo", str(picture))  # what the file dialog's choice does
    photo = view.page_view.widgets["photo"]
    name = engine.answers["photo"]
    assert photo.status.text().startswith(f"Attached: {name}")
    assert not photo.preview.pixmap().isNull()  # decoded from the encrypted copy
    picture.unlink()  # the interview no longer needs the original
    assert view.recording.attachment_bytes(name) == draw_house()


def test_first_pages_of_every_accepted_corpus_form_render(qtbot) -> None:
    """The widgets of the real-forms corpus (when its files are present) build and show the
    stored answers: no type, appearance or media reference breaks a page."""
    from fieldapp.interview.engine import Interview
    from fieldapp.interview.errors import AnswerError
    from fieldapp.interview.navigation import Navigator
    from fieldapp.questionnaire import load_questionnaire
    from fieldapp.ui.interview.base import Ctx
    from fieldapp.ui.interview.page import PageView
    from tests.support.corpus import ENTRIES, FOLDER
    from tests.support.corpus import value_for_corpus as _value

    present = [e for e in ENTRIES if e["fieldapp"] == "accepted"
               and (FOLDER / e["file"]).exists()]
    if not present:
        pytest.skip(f"corpus files not present in {FOLDER}")
    for entry in present:
        engine = Interview(load_questionnaire(FOLDER / entry["file"]))
        nav = Navigator(engine)
        page = nav.current()
        for _ in range(12):
            if page is None:
                break
            view = PageView(Ctx(engine), page)
            qtbot.addWidget(view)
            for key, widget in view.widgets.items():
                question = engine.slot(key).element
                if question.is_input:
                    try:
                        engine.answer(key, _value(engine, key, question))
                    except AnswerError:
                        pass
                    widget.set_value(engine.answers.get(key))
            page = nav.next(validate=False)


SOUND = """
| survey |
| | type | name | label | audio | video |
| | text | q | Listen, then answer | question.ogg | clip.mp4 |
| settings |
| | form_id | version |
| | sound | 1 |
"""


def test_audio_and_video_labels_open_in_the_systems_player(qtbot, tmp_path, monkeypatch) -> None:
    """The Play buttons hand a copy of the form's media file (never answer data) to the
    system's player, from the user's cache folder."""
    from PySide6.QtCore import QObject, QUrl, Slot
    from PySide6.QtGui import QDesktopServices

    from fieldapp.interview.engine import Interview
    from fieldapp.interview.navigation import Navigator
    from fieldapp.questionnaire import load_questionnaire
    from fieldapp.ui.interview.base import Ctx
    from fieldapp.ui.interview.page import PageView

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    form_path = md_to_xlsx(SOUND, tmp_path / "sound.xlsx")
    media = tmp_path / "sound-media"
    media.mkdir()
    (media / "question.ogg").write_bytes(b"OggS audio of the question")
    (media / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 video clip")

    class Player(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.opened: list[Path] = []

        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            self.opened.append(Path(url.toLocalFile()))

    player = Player()
    QDesktopServices.setUrlHandler("file", player, "open")
    try:
        engine = Interview(load_questionnaire(form_path))
        view = PageView(Ctx(engine), Navigator(engine).current())
        qtbot.addWidget(view)
        widget = view.widgets["q"]
        for kind in ("audio", "video"):
            qtbot.mouseClick(widget.findChild(QPushButton, f"play-{kind}"),
                             Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [p.name for p in player.opened] == ["question.ogg", "clip.mp4"]
    assert all(p.is_relative_to(tmp_path / "cache" / "fieldapp") for p in player.opened)
    assert player.opened[0].read_bytes() == b"OggS audio of the question"


FROM_DATA = """
| survey |
| | type | name | label | appearance | calculation | choice_filter |
| | select_one_from_file villages.csv | village | Village | | | |
| | text | hh | Household id | | | |
| | calculate | head | | | pulldata('households', 'head', 'hh_id', ${hh}) | |
| | note | shown | Head of household: ${head} | | | |
| | select_one hhsearch | pick | Pick the household | search('households', 'matches', 'village', ${village}) | | |
| | select_one_external street | street | Street | | | village = ${village} |
| | barcode | code | Meter number | | | |
| | geoshape | plot | Plot outline | | | |
| choices |
| | list_name | name | label |
| | hhsearch | hh_id | head |
| external_choices |
| | list_name | name | label | village |
| | street | s1 | Main street | v1 |
| | street | s2 | Side street | v2 |
| | street | s3 | River road | v1 |
| settings |
| | form_id | version | instance_name |
| | from_data | 1 | concat(${village}, '/', ${hh}) |
"""


def test_pulldata_search_external_barcode_and_shape_by_keyboard(qtbot, open_window, device,
                                                                 tmp_path) -> None:
    """A form whose choices and values come from its media folder, answered by keyboard
    alone in the GUI: pulldata() fills the note, search() and external_choices offer the
    rows of the village answered first; typed code and shape are stored as ODK stores them."""
    form = md_to_xlsx(FROM_DATA, tmp_path / "from_data.xlsx")
    media = tmp_path / "from_data-media"
    media.mkdir()
    (media / "villages.csv").write_text("name,label\nv1,Seongsan\nv2,Mangwon\n",
                                        encoding="utf-8")
    (media / "households.csv").write_text("hh_id,head,village\nh1,Kim Minsu,v1\n"
                                          "h2,Lee Jiyoung,v2\nh3,Park Sora,v1\n",
                                          encoding="utf-8")
    install(device[0], form)
    window = open_window("en")
    pilot.start_from_home(qtbot, window, "from_data")
    view = window.interview
    engine = view.recording.engine
    pilot.answer_page(qtbot, window, {"village": "v1"})
    pilot.answer_page(qtbot, window, {"hh": "h3"})
    note = view.page_view.widgets["shown"]
    assert note.label.text() == "Head of household: Park Sora"
    pilot.press(qtbot, window, Qt.Key.Key_Return)
    pick = view.page_view.widgets["pick"]
    assert [b.text().split(maxsplit=1)[1] for b in pick.buttons.values()] == ["Kim Minsu",
                                                                              "Park Sora"]
    pilot.answer_page(qtbot, window, {"pick": "h3"})
    street = view.page_view.widgets["street"]
    assert [c.name for c in street.points] == ["s1", "s3"]
    pilot.answer_page(qtbot, window, {"street": "s3"})
    pilot.answer_page(qtbot, window, {"code": "4006381333931"})
    pilot.answer_page(qtbot, window, {"plot": "37.5 127; 37.5 127.001; 37.501 127.001"})
    assert engine.answers["village"] == "v1" and engine.answers["head"] == "Park Sora"
    assert engine.answers["pick"] == "h3" and engine.answers["street"] == "s3"
    assert engine.answers["code"] == "4006381333931"
    assert engine.answers["plot"].count(";") == 3  # the shape is closed
    assert view.stack.currentWidget() is not view.page_view  # on to the review
