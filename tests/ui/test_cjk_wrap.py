"""Chinese and Japanese question labels never end on a line of one character (判 / 断)."""

from __future__ import annotations

from PySide6.QtGui import QTextLayout, QTextOption

from fieldapp.interview.engine import Interview
from fieldapp.questionnaire import load_questionnaire
from fieldapp.ui.interview.base import WORD_JOINER, Ctx, no_orphan
from fieldapp.ui.interview.factory import create
from tests.support.devices import QUESTIONNAIRES


def last_line(text: str, font, width: int) -> str:
    """The last line of ``text`` word-wrapped at ``width`` px as a QLabel wraps it."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(text[line.textStart():line.textStart() + line.textLength()])
    layout.endLayout()
    return lines[-1].replace(WORD_JOINER, "").strip()


def test_no_one_character_last_line(qtbot) -> None:
    form = load_questionnaire(QUESTIONNAIRES / "three_city_2012.xlsx")
    orphans_before = 0
    for lang, keys in (("zh", ("ANX1", "ANX2", "FAM1", "FAM3")), ("ja", ("ANX1", "FAM2"))):
        engine = Interview(form, language=lang)
        for key in keys:
            widget = create(Ctx(engine), key)
            qtbot.addWidget(widget)
            shown, raw = widget.label.text(), widget.text()
            assert shown.replace(WORD_JOINER, "") == raw
            font = widget.label.font()
            for width in range(80, 700, 3):
                assert len(last_line(shown, font, width)) > 1, (key, width)
                orphans_before += len(last_line(raw, font, width)) == 1
    assert orphans_before > 0  # the raw labels do leave orphans at some widths


def test_only_cjk_endings_are_joined() -> None:
    assert no_orphan("问题时的判断") == "问题时的判" + WORD_JOINER + "断"
    assert no_orphan("有多强烈？") == "有多强" + WORD_JOINER + "烈？"
    assert no_orphan("How strong?") == "How strong?"
    assert no_orphan("감사합니다.") == "감사합니다."  # Korean breaks at its spaces
    assert no_orphan("서울 A") == "서울 A" and no_orphan("") == ""
