"""Export warnings and reasons for leaving interviews out are kept in English in the file
(the about sheet, for scripts) and shown in the user's language on screen (CLI, desk)."""

from __future__ import annotations

import pickle

from fieldapp import i18n
from fieldapp.errors import Note, shown
from fieldapp.export.about import ExportInfo
from fieldapp.i18n import N_


def test_a_note_is_english_text_shown_translated() -> None:
    note = Note(N_("{n} interview(s) could not be decrypted and are not in this export: {ids}"),
                {"n": 2, "ids": "a, b"})
    assert note == "2 interview(s) could not be decrypted and are not in this export: a, b"
    assert "could not be decrypted" in note and isinstance(note, str)
    assert note.shown("ko") == "면접 2건은 복호화할 수 없어 이번 내보내기에 없습니다: a, b"
    assert pickle.loads(pickle.dumps(note)).shown("ja").startswith("調査 2 件は復号できず")
    i18n.setup("zh")
    try:
        assert shown(note).startswith("2 份访问无法解密") and shown("plain") == "plain"
    finally:
        i18n.setup("en")


def test_the_about_sheet_keeps_english() -> None:
    info = ExportInfo(form_id="f")
    info.skipped[Note(N_("questionnaire version {version} not in the source"),
                      {"version": "3"})] = 4
    info.warnings.append(Note(N_("{n} bytes"), {"n": 5}))
    i18n.setup("ko")
    try:
        rows = info.rows()
    finally:
        i18n.setup("en")
    assert ["skipped:questionnaire version 3 not in the source", 4] in rows
    assert ["warning", "5 bytes"] in rows
    assert all(type(cell) is not Note for row in rows for cell in row)  # plain text cells
