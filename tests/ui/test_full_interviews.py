"""From Home to a sealed interview of each shipped questionnaire, keyboard only.

Each form runs in a different interview/UI language; the sealed record is opened with the
project private key and must hold exactly what was typed.
"""

from __future__ import annotations

import pytest

from fieldapp.recording import open_sealed
from tests.support import pilot
from tests.support.devices import open_session
from tests.support.plans import MISSING_CODES, NEIGHBOURHOOD, RISK, THREE_CITY


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
