"""A questionnaire expression that fails while interviewing is visible and never deletes an
answer; regular expressions run in linear time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldapp.errors import FormError
from fieldapp.interview.engine import Interview
from fieldapp.questionnaire import load_markdown
from tests.support.devices import ROOT, make_device, make_project, open_session
from tests.support.formtools import md_to_xlsx

# "mode" switches each expression into a failing one on demand (date('bad') fails).
FORM = """
| survey |
| | type | name | label | relevant | calculation | repeat_count | choice_filter | constraint |
| | text | mode | Mode | | | | | |
| | text | born | Born (YYYY-MM-DD) | | | | | |
| | integer | since | Years since | date(${born}) < today() | | | | |
| | integer | n | People | | | | | |
| | calculate | double | | | if(${mode} = 'calc', date('bad'), ${n} * 2) | | | |
| | begin repeat | person | Person | | | if(${mode} = 'count', date('bad'), ${n}) | | |
| | text | pname | Name | | | | | |
| | end repeat | | | | | | | |
| | select_one yn | pick | Pick | | | | if(${mode} = 'filter', date('bad'), name = 'y') | |
| | text | code | Code | | | | | regex(., '(a+)+$') |
| choices |
| | list_name | name | label |
| | yn | y | Yes |
| | yn | n | No |
| settings |
| | form_id | version |
| | broken | 1 |
"""


def engine() -> Interview:
    return Interview(load_markdown(FORM))


def test_failing_relevance_keeps_the_answer_and_is_reported() -> None:
    e = engine()
    e.answer("born", "1990-04-01")
    e.answer("since", 12)
    changes = e.answer("born", "1990-13-45")  # mistyped: date() now fails
    assert "since" not in changes and e.answers["since"] == 12
    (problem,) = e.take_new_problems()
    assert (problem.element, problem.column) == ("since", "relevant")
    assert "date()" in problem.reason
    assert e.take_new_problems() == []  # handed out once


def test_failing_repeat_count_keeps_every_roster_answer() -> None:
    e = engine()
    e.answer("n", 3)
    for i in (1, 2, 3):
        e.answer(f"pname[{i}]", f"member {i}")
    e.answer("mode", "count")
    assert [e.answers.get(f"pname[{i}]") for i in (1, 2, 3)] == ["member 1", "member 2",
                                                                  "member 3"]
    assert e.instance_count("person") == 3
    assert ("person", "repeat_count") in {(p.element, p.column) for p in e.take_new_problems()}


def test_failing_calculation_keeps_its_last_value() -> None:
    e = engine()
    e.answer("n", 4)
    assert e.answers["double"] == 8
    e.answer("mode", "calc")
    assert e.answers["double"] == 8
    assert ("double", "calculation") in {(p.element, p.column) for p in e.take_new_problems()}


def test_failing_choice_filter_offers_the_choice() -> None:
    e = engine()
    assert [c.name for c in e.choices_for("pick")] == ["y"]
    e.answer("pick", "y")
    e.answer("mode", "filter")
    assert [c.name for c in e.choices_for("pick")] == ["y", "n"]
    assert e.answers["pick"] == "y"


def test_problems_go_to_the_paradata_once(tmp_path: Path) -> None:
    project = make_project(tmp_path / "keys")
    form = md_to_xlsx(FORM, tmp_path / "broken.xlsx")
    data = make_device(tmp_path / "device", project, forms=[form])
    with open_session(data) as session:
        recording = session.start_interview(session.form("broken"))
        recording.answer("born", "1990-04-01")
        recording.answer("since", 3)
        recording.answer("born", "nonsense")
        recording.answer("born", "still nonsense")
        interview = recording.interview_id
    with open_session(data) as session:
        resumed = session.resume(interview)
        assert resumed.engine.answers["since"] == 3
        problems = [(q, p["column"]) for kind, q, p in
                    session.read_events(resumed.record).readable if kind == "problem"]
        assert problems == [("since", "relevant")]


def test_catastrophic_regex_answers_at_once_and_stays_correct() -> None:
    # With a backtracking engine, 5,000 'a' and a 'b' never finish; RE2 is linear. Run in a
    # child so that a regression fails the test instead of hanging the suite.
    code = (
        "from fieldapp.interview.engine import Interview\n"
        "from fieldapp.interview.errors import ConstraintViolation\n"
        "from fieldapp.questionnaire import load_markdown\n"
        "import sys\n"
        "e = Interview(load_markdown(sys.stdin.read()))\n"
        "e.answer('code', 'a' * 100_000)\n"
        "try:\n"
        "    e.answer('code', 'a' * 5_000 + 'b')\n"
        "except ConstraintViolation:\n"
        "    print('refused')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], input=FORM, capture_output=True,
                            text=True, cwd=ROOT, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "refused" and result.stderr == ""


@pytest.mark.parametrize("pattern", [r"(a)\1", "(?=a)b", "(?<!x)y"])
def test_patterns_that_need_backtracking_are_refused_at_authoring(pattern: str) -> None:
    form = FORM.replace("regex(., '(a+)+$')", f"regex(., '{pattern}')")
    with pytest.raises(FormError) as info:
        load_markdown(form)
    text = str(info.value)
    assert "row 11, column 'constraint'" in text and "regex() pattern cannot be used" in text
