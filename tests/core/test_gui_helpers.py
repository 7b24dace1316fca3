"""The Qt-free helpers the GUI relies on: preferences, review items, Home summary."""

from __future__ import annotations

import json

import pytest

from fieldapp import prefs
from fieldapp.dashboard import home_summary
from fieldapp.interview.review_items import first_open_page, review_items
from tests.support.devices import QUESTIONNAIRES, Project, make_device, make_project, open_session


@pytest.fixture
def device(tmp_path) -> tuple:
    """A device with the shipped questionnaires."""
    project: Project = make_project(tmp_path / "project")
    data = tmp_path / "data"
    make_device(data, project, forms=sorted(QUESTIONNAIRES.glob("*.xlsx")))
    return data, project


def test_preferences_preset_then_device_and_bad_values(tmp_path) -> None:
    preset, data = tmp_path / "preset", tmp_path / "data"
    preset.mkdir()
    (preset / prefs.PRESET_DEFAULTS).write_text(json.dumps({"ui_language": "ja", "city": "tokyo"}))
    assert prefs.load(data, preset) == prefs.Preferences(ui_language="ja", city="tokyo")
    prefs.save(data, prefs.Preferences(ui_language="ko", font_scale=9, idle_minutes=0))
    loaded = prefs.load(data, preset)
    assert (loaded.ui_language, loaded.city) == ("ko", "tokyo")
    assert loaded.font_scale == prefs.FONT_SCALES[-1] and loaded.idle_minutes == 1
    (data / prefs.PREFS_FILE).write_text("{not json")
    assert prefs.load(data) == prefs.Preferences()
    assert prefs.language_from_locale("zh_Hans_CN") == "zh"
    assert prefs.language_from_locale("de_DE") == "en"


def test_review_items_and_home_summary(device) -> None:
    with open_session(device[0]) as session:
        recording = session.start_interview(session.form("three_city_2012"), language="ko")
        recording.answer("CONSENT", "1")
        recording.answer("city", "seoul")
        items = {item.key: item for item in review_items(recording.engine)}
        assert items["CONSENT"].answer == "1. 예, 동의함"
        assert items["city"].answer == "서울" and not items["city"].missing
        assert items["district"].missing and items["district"].problem
        assert first_open_page(recording.engine) == "district"
        summary = home_summary(session)
        assert [d.interview_id for d in summary.drafts] == [recording.interview_id]
        assert summary.started_today == 1 and summary.last_sync is None
        assert {f.form_id for f in summary.forms} == {
            "three_city_2012", "neighbourhood_panel", "risk_governance_2015"}
