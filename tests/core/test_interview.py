"""Interview engine: relevance hides and clears, constraints, repeats, language, pages."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldapp.interview.engine import Interview
from fieldapp.interview.errors import (
    ConstraintViolation,
    InvalidAnswer,
    NotRelevant,
    RequiredMissing,
    UnknownQuestion,
)
from fieldapp.interview.navigation import Navigator
from fieldapp.questionnaire import load_markdown

FORM = """
| survey |
| | type | name | label::English (en) | label::Korean (ko) | required | relevant | constraint | constraint_message::English (en) | constraint_message::Korean (ko) | appearance | choice_filter | repeat_count | calculation |
| | today | today | | | | | | | | | | | |
| | select_one city | city | City | 도시 | yes | | | | | | | | |
| | select_one district | district | District | 구 | yes | | | | | | city=${city} | | |
| | integer | age | Age | 나이 | yes | | . >= 18 and . <= 110 | Age must be 18 to 110 | 나이는 18세에서 110세 사이여야 합니다 | | | | |
| | select_one yn | married | Married? | 결혼? | yes | | | | | | | | |
| | integer | years_married | Years married | 결혼 기간 | yes | ${married} = '1' | . <= ${age} | Not longer than age | 나이보다 길 수 없음 | | | | |
| | integer | hh | Household size | 가구원 수 | yes | | . >= 1 and . <= 10 | 1-10 | 1-10 | | | | |
| | begin repeat | member | Member | 가구원 | | | | | | | | ${hh} | |
| | text | m_name | Name of member ${member_no} | 가구원 이름 | yes | | | | | | | | |
| | calculate | member_no | | | | | | | | | | | position(..) |
| | integer | m_age | Age of ${m_name} | 나이 | | | . < 120 | too old | 너무 많음 | | | | |
| | end repeat | | | | | | | | | | | | |
| | begin group | anx | Anxiety | 불안 | | ${age} >= 20 | | | | field-list | | | |
| | select_one l4 | ANX1 | Competition | 경쟁 | yes | | | | | likert | | | |
| | select_one l4 | ANX2 | Family | 가족 | yes | | | | | likert | | | |
| | end group | | | | | | | | | | | | |
| | calculate | total_age | | | | | | | | | | | sum(${m_age}) |
| | begin repeat | pet | Pet | 반려동물 | | | | | | | | | |
| | text | pet_name | Pet name | 이름 | | | | | | | | | |
| | end repeat | | | | | | | | | | | | |
| | note | bye | Done: ${total_age} | 끝: ${total_age} | | | | | | | | | |
| choices |
| | list_name | name | label::English (en) | label::Korean (ko) | city |
| | city | seoul | Seoul | 서울 | |
| | city | tokyo | Tokyo | 도쿄 | |
| | district | mapo | Mapo | 마포구 | seoul |
| | district | jongno | Jongno | 종로구 | seoul |
| | district | setagaya | Setagaya | 세타가야구 | tokyo |
| | yn | 1 | Yes | 예 | |
| | yn | 2 | No | 아니요 | |
| | l4 | 1 | Not at all | 전혀 | |
| | l4 | 2 | A little | 조금 | |
| | l4 | 3 | Somewhat | 어느 정도 | |
| | l4 | 4 | Very | 매우 | |
| | l4 | 98 | Don't know | 모름 | |
| settings |
| | form_id | version | default_language |
| | test_form | 1 | English (en) |
"""


@pytest.fixture(scope="module")
def form():
    return load_markdown(FORM)


@pytest.fixture
def iv(form):
    return Interview(form, language="en", now=dt.datetime(2026, 11, 22, 10, 0,
                                                          tzinfo=dt.UTC))


def test_relevance_hides_and_clears(iv) -> None:
    iv.answer("age", 40)
    iv.answer("married", "1")
    assert iv.answer("years_married", 10) == {"years_married": 10}
    changes = iv.answer("married", "2")
    assert changes == {"married": "2", "years_married": None}
    assert "years_married" not in iv.answers
    with pytest.raises(NotRelevant):
        iv.answer("years_married", 3)


def test_group_relevance_clears_children(iv) -> None:
    iv.answer("age", 40)
    iv.answer("ANX1", 3)
    assert iv.answers["ANX1"] == "3"
    changes = iv.answer("age", 19)
    assert changes["ANX1"] is None


def test_constraint_message_in_interview_language(iv) -> None:
    with pytest.raises(ConstraintViolation) as info:
        iv.answer("age", 12)
    assert info.value.reason == "Age must be 18 to 110"
    iv.set_language("ko")
    with pytest.raises(ConstraintViolation) as info:
        iv.answer("age", 200)
    assert info.value.reason == "나이는 18세에서 110세 사이여야 합니다"
    assert "200" not in str(info.value)  # errors never carry the value
    assert "age" not in iv.answers


def test_constraint_referencing_other_answer(iv) -> None:
    iv.answer("age", 30)
    iv.answer("married", "1")
    with pytest.raises(ConstraintViolation):
        iv.answer("years_married", 31)


def test_type_conversion_errors(iv) -> None:
    with pytest.raises(InvalidAnswer):
        iv.answer("age", "forty")
    with pytest.raises(InvalidAnswer):
        iv.answer("age", 40.5)
    with pytest.raises(InvalidAnswer):
        iv.answer("married", "3")
    with pytest.raises(UnknownQuestion):
        iv.answer("nope", 1)
    with pytest.raises(InvalidAnswer):
        iv.answer("total_age", 5)


def test_choice_filter_cascades(iv) -> None:
    iv.answer("city", "tokyo")
    assert [c.name for c in iv.choices_for("district")] == ["setagaya"]
    with pytest.raises(InvalidAnswer):
        iv.answer("district", "mapo")
    iv.answer("city", "seoul")
    assert [c.name for c in iv.choices_for("district")] == ["mapo", "jongno"]
    iv.answer("district", "mapo")


def test_repeat_count_and_calculations(iv) -> None:
    iv.answer("hh", 2)
    assert iv.instance_count("member") == 2
    iv.answer("m_name[1]", "Kim")
    iv.answer("m_age[1]", 40)
    iv.answer("m_age[2]", 12)
    assert iv.answers["total_age"] == 52
    assert iv.answers["member_no[2]"] == 2
    slot = iv.slot("m_age[1]")
    assert iv.text(slot.element.label, slot) == "Age of Kim"
    changes = iv.answer("hh", 1)  # shrinking the roster drops the second member
    assert changes["m_age[2]"] is None and changes["total_age"] == 40
    with pytest.raises(UnknownQuestion):
        iv.answer("m_age[2]", 3)
    with pytest.raises(InvalidAnswer):
        iv.add_instance("member")  # governed by repeat_count


def test_user_managed_repeat_add_remove(iv) -> None:
    assert iv.add_instance("pet") == 1
    assert iv.add_instance("pet") == 2
    iv.answer("pet_name[1]", "Nabi")
    iv.answer("pet_name[2]", "Bori")
    changes = iv.remove_instance("pet", 1)
    assert iv.answers["pet_name[1]"] == "Bori"
    assert changes == {"pet_name[1]": "Bori", "pet_name[2]": None}
    assert iv.instance_count("pet") == 1


def test_language_switch_keeps_answers(iv) -> None:
    iv.answer("age", 33)
    assert iv.set_language("ko") == "en"
    assert iv.language == "ko" and iv.answers["age"] == 33
    with pytest.raises(InvalidAnswer):
        iv.set_language("fr")


def test_pages_and_navigation(iv) -> None:
    nav = Navigator(iv)
    ids = [p.id for p in nav.pages()]
    assert ids[:4] == ["city", "district", "age", "married"]
    assert "years_married" not in ids and "+pet" in ids
    with pytest.raises(RequiredMissing):
        nav.next()
    iv.answer("city", "seoul")
    assert nav.next().id == "district"
    assert nav.previous().id == "city"
    iv.answer("age", 40)
    iv.answer("hh", 1)
    pages = {p.id: p for p in nav.pages()}
    assert pages["anx"].keys == ("ANX1", "ANX2")  # field-list group: one page
    assert pages["m_name[1]"].repeat == ("member", (1,))
    assert nav.jump("ANX2").id == "anx"
    with pytest.raises(RequiredMissing):
        nav.next()
    iv.answer("ANX1", 1)
    iv.answer("ANX2", 98)
    assert nav.next().id == "+pet"
    assert nav.next().id == "bye"
    assert nav.next() is None  # end: time to review


def test_check_complete(iv) -> None:
    with pytest.raises(RequiredMissing) as info:
        iv.check_complete()
    assert info.value.key == "city"
    for key, value in [("city", "seoul"), ("district", "mapo"), ("age", 19), ("married", "2"),
                       ("hh", 1), ("m_name[1]", "Lee")]:
        iv.answer(key, value)
    iv.check_complete()
