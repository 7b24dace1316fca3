"""A language switch recomputes calculations that depend on the language."""

from __future__ import annotations

from tests.support.devices import QUESTIONNAIRES, make_device, make_project, open_session


def test_choice_label_in_a_calculation_follows_the_interview_language(tmp_path) -> None:
    project = make_project(tmp_path / "project")
    data = make_device(tmp_path / "data", project,
                       forms=[QUESTIONNAIRES / "three_city_2012.xlsx"])
    with open_session(data) as session:
        recording = session.start_interview(session.form("three_city_2012"), language="ko")
        recording.answer("CONSENT", "1")
        recording.answer("city", "seoul")
        korean = recording.engine.answers["city_label"]
        recording.set_language("en")
        english = recording.engine.answers["city_label"]
        assert korean != english and english == "Seoul"
        interview_id = recording.interview_id
    with open_session(data) as session:  # the recomputed value was stored with the switch
        resumed = session.resume(interview_id)
        assert resumed.engine.language == "en"
        assert resumed.engine.answers["city_label"] == "Seoul"
        assert [e for e in session.store.events(interview_id) if e.question == "city_label"]
