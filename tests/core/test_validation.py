"""Validation: every authoring mistake gives a row-cited, actionable error."""

from __future__ import annotations

import pytest

from fieldapp.errors import FormError
from fieldapp.questionnaire import load_markdown, load_questionnaire
from tests.support.formtools import md_to_xlsx

CHOICES = """
| choices |
| | list_name | name | label::English (en) | label::Korean (ko) |
| | yn | 1 | Yes | 예 |
| | yn | 2 | No | 아니요 |
"""


def issues_of(md: str) -> list:
    with pytest.raises(FormError) as info:
        load_markdown(md)
    return info.value.issues


def survey(rows: str, choices: str = CHOICES) -> str:
    header = ("| survey |\n| | type | name | label::English (en) | label::Korean (ko) "
              "| relevant | constraint | calculation |\n")
    return header + rows + choices


def test_unknown_reference_suggests_the_name() -> None:
    [issue] = issues_of(survey(
        "| | integer | age | Age | 나이 | | | |\n"
        "| | text | job | Job | 직업 | ${agee} > 15 | | |\n"))
    assert issue.sheet == "survey" and issue.row == 3 and issue.column == "relevant"
    assert "unknown question '${agee}'" in issue.message
    assert "did you mean '${age}'" in str(issue)


def test_duplicate_names() -> None:
    [issue] = issues_of(survey(
        "| | integer | age | Age | 나이 | | | |\n"
        "| | integer | age | Age again | 나이 | | | |\n"))
    assert issue.row == 3 and "duplicate name 'age' (first used on row 2)" in issue.message


def test_missing_choice_list() -> None:
    [issue] = issues_of(survey("| | select_one yesno | q | Q | 질문 | | | |\n"))
    assert issue.row == 2 and issue.column == "type"
    assert "choice list 'yesno' not found" in issue.message and "'yn'" in str(issue)


def test_unmatched_end_group() -> None:
    [issue] = issues_of(survey(
        "| | integer | age | Age | 나이 | | | |\n| | end group | | | | | | |\n"))
    assert issue.row == 3 and "'end group' without a matching 'begin group'" in issue.message


def test_unclosed_group() -> None:
    issues = issues_of(survey(
        "| | begin group | g | G | 그룹 | | | |\n| | integer | age | Age | 나이 | | | |\n"))
    assert any(i.row == 2 and "is never closed" in i.message for i in issues)


def test_end_repeat_closing_a_group() -> None:
    issues = issues_of(survey(
        "| | begin group | g | G | 그룹 | | | |\n| | integer | age | Age | 나이 | | | |\n"
        "| | end repeat | | | | | | |\n"))
    assert any(i.row == 4 and "'end repeat' without" in i.message
               and "group from row 2" in str(i) for i in issues)


def test_bad_type() -> None:
    [issue] = issues_of(survey("| | integr | age | Age | 나이 | | | |\n"))
    assert issue.row == 2 and "unknown question type 'integr'" in issue.message


def test_label_missing_for_declared_language_is_a_notice() -> None:
    # pyxform accepts a missing translation (the default language's text is shown): so do we,
    # and forms check lists it once
    form = load_markdown(survey("| | integer | age | Age | | | | |\n"
                                "| | integer | height | Height | | | | |\n"))
    [notice] = form.notices
    assert (notice.sheet, notice.row, notice.column) == ("survey", 2, "label::ko")
    assert "2 label(s) have no 'ko' text" in notice.message


def test_choice_label_missing_for_language_is_a_notice() -> None:
    choices = ("| choices |\n| | list_name | name | label::English (en) | label::Korean (ko) |\n"
               "| | yn | 1 | Yes | |\n")
    form = load_markdown(survey("| | select_one yn | q | Q | 질문 | | | |\n", choices))
    [notice] = form.notices
    assert notice.sheet == "choices" and notice.row == 2 and notice.column == "label::ko"


def test_cyclic_calculations() -> None:
    issues = issues_of(survey(
        "| | calculate | a | | | | | ${b} + 1 |\n"
        "| | calculate | b | | | | | ${c} * 2 |\n"
        "| | calculate | c | | | | | ${a} |\n"
        "| | calculate | d | | | | | ${d} |\n"))
    messages = [i.message for i in issues]
    assert "cyclic calculation: ${a} → ${b} → ${c} → ${a}" in messages
    assert "cyclic calculation: ${d} → ${d}" in messages
    assert len(issues) == 2


def test_malformed_expression() -> None:
    [issue] = issues_of(survey("| | integer | age | Age | 나이 | | . >= and 3 | |\n"))
    assert issue.column == "constraint" and issue.row == 2
    assert issue.message.startswith("invalid expression")


def test_feature_a_laptop_cannot_record_is_refused_with_its_reason() -> None:
    [issue] = issues_of(survey("| | background-audio | rec | Recording | 녹음 | | | |\n"))
    assert issue.row == 2 and issue.column == "type"
    assert issue.message.startswith("not recordable on a laptop: background audio")


def test_ignored_column_is_a_notice_once() -> None:
    md = ("| survey |\n| | type | name | label | instance::tag | media::image |\n"
          "| | note | n | Look | x | pic.png |\n| | text | t | Say | y | |\n")
    form = load_markdown(md)
    notice, media = form.notices
    assert media.column == "media" and "(first: 'pic.png')" in media.message
    assert notice.column == "instance::tag" and notice.row == 2
    assert notice.message == "column 'instance::tag' is ignored (2 rows)"
    assert dict(form.question("n").media["image"]) == {"default": "pic.png"}


def test_duplicate_choice() -> None:
    choices = ("| choices |\n| | list_name | name | label::English (en) | label::Korean (ko) |\n"
               "| | yn | 1 | Yes | 예 |\n| | yn | 1 | No | 아니요 |\n")
    [issue] = issues_of(survey("| | select_one yn | q | Q | 질문 | | | |\n", choices))
    assert issue.sheet == "choices" and issue.row == 3 and "duplicate choice '1'" in issue.message


def test_all_problems_reported_at_once() -> None:
    issues = issues_of(survey(
        "| | integr | a | A | 가 | | | |\n"
        "| | text | b | B | | ${zz} | | |\n"
        "| | select_one nope | c | C | 다 | | | |\n"))
    assert {i.row for i in issues} == {2, 3, 4}


def test_not_a_workbook(tmp_path) -> None:
    bad = tmp_path / "form.xlsx"
    bad.write_bytes(b"this is not a zip")
    with pytest.raises(FormError) as info:
        load_questionnaire(bad)
    assert "not a readable .xlsx workbook" in str(info.value)


def test_missing_survey_sheet(tmp_path) -> None:
    path = md_to_xlsx("| choices |\n| | list_name | name | label |\n| | a | 1 | A |\n",
                      tmp_path / "nosurvey.xlsx")
    with pytest.raises(FormError) as info:
        load_questionnaire(path)
    assert "no 'survey' sheet" in str(info.value)
