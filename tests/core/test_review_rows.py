"""What a reviewer reads: times in the reviewer's chosen language at the interview's own
wall time and offset (not raw ISO), choices as labels with their codes."""

from __future__ import annotations

from pathlib import Path

from fieldapp.questionnaire import load_questionnaire
from fieldapp.review_rows import answer_rows
from tests.support.formtools import md_to_xlsx

FORM = """
| survey |
| | type | name | label::English (en) | label::Korean (ko) |
| | start | started | | |
| | end | ended | | |
| | date | visit | Visit date | 방문 날짜 |
| | select_one yn | ok | OK? | 괜찮습니까? |
| | text | note | Note | 메모 |
| choices |
| | list_name | name | label::English (en) | label::Korean (ko) |
| | yn | 1 | Yes | 예 |
| | yn | 2 | No | 아니요 |
| settings |
| | form_id | version |
| | review_rows | 1 |
"""


def test_times_dates_and_choices_read_as_a_person_would(tmp_path: Path) -> None:
    form = load_questionnaire(md_to_xlsx(FORM, tmp_path / "f.xlsx"))
    answers = {"started": "2026-05-01T10:02:03.123456+09:00",
               "ended": "2026-05-01T10:31:09.000001+09:00", "visit": {"date": "2026-05-01"},
               "ok": "1", "note": "2026-05-01T10:02:03+09:00 is text here"}
    rows = {r.key: r.answer for r in answer_rows(form, answers, "ko")}
    assert rows["started"] == "2026. 5. 1. 10:02:03 (UTC+09:00)"
    assert rows["ended"] == "2026. 5. 1. 10:31:09 (UTC+09:00)"
    assert rows["visit"] == "2026. 5. 1."
    assert rows["ok"] == "예 [1]"
    assert rows["note"] == answers["note"]  # a text answer stays as typed
    english = {r.key: r.answer for r in answer_rows(form, answers, "en")}
    assert english["started"] == "1 May 2026 10:02:03 (UTC+09:00)"
    broken = {r.key: r.answer for r in answer_rows(form, {"started": "not a time"}, "en")}
    assert broken["started"] == "not a time"
