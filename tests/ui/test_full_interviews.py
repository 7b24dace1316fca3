"""From Home to a sealed interview of each shipped questionnaire, keyboard only.

Each form runs in a different interview/UI language; the sealed record is opened with the
project private key and must hold exactly what was typed.
"""

from __future__ import annotations

import pytest

from fieldapp.recording import open_sealed
from tests.support.devices import open_session
from tests.ui import pilot

THREE_CITY = {
    "CONSENT": "1", "city": "seoul", "wave": "2012", "district": "seoul_eunpyeong",
    "dong": "녹번동", "DEM01": "2", "DEM02": "35", "DEM03": "4", "DEM04": "3", "DEM05": "1",
    "DEM06": "99", "DEM07": "D", "DEM08": "2",
    "ANX1": "1", "ANX2": "2", "ANX3": "3", "ANX4": "4",
    "FAM1": "4", "FAM2": "3", "FAM3": "2", "FAM4": "1", "FAM5": "98", "FAM6": "2", "FAM7": "3",
    "CITY1": "1", "CITY2": "5", "CITY3": "9", "CITY4": "99",
}
NEIGHBOURHOOD = {
    "CONSENT": "1", "city": "beijing", "wave": "201608", "district": "beijing_chaoyang",
    "dong": "呼家楼街道", "DEM02": "61", "DEM07": "4200", "DEM09": "1",
    "NBR01": "12", "NBR02": "R", "NBR03": "3", "NBR03_OTH": "远亲", "NBR04": "2",
    "PAR1": "1", "PAR2": "2", "PAR3": "98", "CID1": "5", "CID2": "4", "CID4": "99",
    "SC1": "0", "SC3": "150", "SC7": "1", "SC8": "2",
}
RISK = {
    "CONSENT": "1", "city": "seoul", "wave": "201510", "district": "seoul_mapo",
    "dong": "合井洞", "DEM02": "47", "RGS01": "4", "RGS10": "98", "SG2": "3", "MB1": "2",
    "RGM05": "2", "MA4": "99", "GOVCIT1": "9", "GOVCIT2": "5", "GOVCIT3": "1",
}
MISSING_CODES = {"NBR02": 999, "DEM07": 9999998}


def expected(plan: dict[str, str]) -> dict[str, object]:
    """Stored values for a plan: digits become numbers for integer questions."""
    out: dict[str, object] = {}
    for key, value in plan.items():
        if value in ("D", "R"):
            out[key] = MISSING_CODES[key]
        else:
            out[key] = value
    return out


@pytest.mark.parametrize(("form_id", "lang", "plan"), [
    ("three_city_2012", "ko", THREE_CITY),
    ("neighbourhood_panel", "zh", NEIGHBOURHOOD),
    ("risk_governance_2015", "ja", RISK),
])
def test_full_interview_by_keyboard(qtbot, open_window, device, form_id, lang, plan) -> None:
    window = open_window(lang, interview_language=lang)
    pilot.start_from_home(qtbot, window, form_id)
    view = window.interview
    assert view.recording.engine.language == lang
    pages = pilot.complete(qtbot, window, plan)
    assert len(pages) > 10 and view.review is not None
    interview_id = view.recording.interview_id
    pilot.finalise_by_keyboard(qtbot, window)
    window.close()

    with open_session(device[0]) as session:
        record = session.store.interview(interview_id)
        assert record.status == "finalised"
        sealed = session.store.sealed_records(interview_id)[0]
    payload = open_sealed(device[1].private_key, sealed, record.form_id, record.form_version)
    answers = payload["answers"]
    for key, value in expected(plan).items():
        stored = answers[key]
        assert str(stored) == str(value), (key, stored, value)
    assert payload["language"] == lang
    shown = {p["question"] for p in payload["paradata"] if p["kind"] == "shown"}
    assert {"CONSENT", "district"} <= shown
