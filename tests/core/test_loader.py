"""Loader: real XLSForm workbooks in the styles ODK and KoboToolbox users write."""

from __future__ import annotations

import pytest

from fieldapp.questionnaire import Group, Repeat, load_markdown, load_questionnaire
from fieldapp.questionnaire.parse import language_code, normalize_type
from tests.support.formtools import md_to_xlsx
from tests.support.sample_forms import HOUSEHOLD, KOBO_STYLE, NESTED


def test_markdown_form_builds_full_model() -> None:
    form = load_markdown(HOUSEHOLD)
    assert form.form_id == "household"
    assert form.version == "2024010101"
    assert form.languages == ("en", "ko")
    assert form.default_language == "en"
    member = form.children[5]
    assert isinstance(member, Repeat) and member.repeat_count == "${hh_size}"
    assert [c.name for c in member.children] == ["m_name", "m_age"]
    anx = form.children[6]
    assert isinstance(anx, Group) and not isinstance(anx, Repeat)
    assert "field-list" in anx.appearances and anx.relevant == "${hh_size} > 0"
    q = form.question("ANX1")
    assert q.type == "select_one" and q.list_name == "likert4" and "likert" in q.appearances
    assert q.required == "true()"
    worries = form.question("worries")
    assert worries.type == "select_multiple" and worries.or_other
    district = form.question("district")
    assert district.choice_filter == "city=${city}"
    assert form.choices["district"].get("mapo").properties["city"] == "seoul"
    hh = form.question("hh_size")
    assert hh.constraint_message["ko"] == "1에서 20 사이" and hh.hint["en"] == "Count everyone"
    assert form.enclosing("m_age") == (member,)
    assert form.input_count == 8  # worries_other added for or_other, as pyxform does


def test_xlsx_and_markdown_readers_agree(tmp_path) -> None:
    path = md_to_xlsx(HOUSEHOLD, tmp_path / "household.xlsx")
    from_xlsx = load_questionnaire(path)
    from_md = load_markdown(HOUSEHOLD)
    assert from_xlsx.children == from_md.children
    assert from_xlsx.choices == from_md.choices


def test_kobo_aliases_and_unlabelled_language(tmp_path) -> None:
    form = load_questionnaire(md_to_xlsx(KOBO_STYLE, tmp_path / "kobo_form.xlsx"))
    assert form.form_id == "kobo_form"  # no settings sheet: the file name, as pyxform does
    assert form.languages == ("default",)
    assert form.question("consent").type == "select_one"
    assert form.question("consent").required == "true()"
    assert form.question("dob").required is None
    assert form.question("weight").constraint_message["default"] == "Must be positive"
    assert form.children[2].relevant == "${consent} = 'yes'"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("select_one likert4", ("select_one", "likert4", False)),
        ("select one  yn", ("select_one", "yn", False)),
        ("select_multiple opts or_other", ("select_multiple", "opts", True)),
        ("begin_repeat", ("begin repeat", None, False)),
        ("dateTime", ("datetime", None, False)),
        ("int", ("integer", None, False)),
        ("Integer", ("integer", None, False)),
    ],
)
def test_type_aliases(raw: str, expected: tuple) -> None:
    assert normalize_type(raw) == expected


@pytest.mark.parametrize(
    ("spec", "code"),
    [("English (en)", "en"), ("Korean (ko)", "ko"), ("Chinese (zh)", "zh"),
     ("Chinese (zh-Hans)", "zh-Hans"), ("Japanese", "ja"), ("Français (fr)", "fr")],
)
def test_language_codes(spec: str, code: str) -> None:
    assert language_code(spec) == code


def test_numeric_cells_become_codes(tmp_path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["select_one scale", "q", "Q"])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    choices.append(["scale", 1, "One"])
    choices.append(["scale", 2.0, "Two"])
    wb.save(tmp_path / "n.xlsx")
    form = load_questionnaire(tmp_path / "n.xlsx")
    assert [c.name for c in form.choices["scale"].choices] == ["1", "2"]


def test_or_other_matches_pyxform() -> None:
    form = load_markdown(HOUSEHOLD)
    assert [c.name for c in form.choices["worry"].choices] == ["a", "b", "other"]
    other = form.question("worries_other")
    assert other.type == "text" and other.relevant == "selected(${worries}, 'other')"
    assert [c.name for c in form.children[6].children] == ["ANX1", "worries", "worries_other"]


def test_nested_repeats_and_groups_in_repeats(tmp_path) -> None:
    from fieldapp.interview.engine import Interview

    form = load_questionnaire(md_to_xlsx(NESTED, tmp_path / "nested.xlsx"))
    hh = form.children[1]
    assert isinstance(hh, Repeat) and isinstance(hh.children[3], Repeat)
    iv = Interview(form)
    iv.answer("n_hh", 2)
    iv.answer("assets[1]", ["car", "tv"])
    iv.answer("cars[1]", 2)
    iv.answer("assets[2]", "car")
    iv.answer("cars[2]", 1)
    assert iv.answers["total_cars"] == 3 and iv.answers["n_assets[1]"] == 2
    assert iv.add_instance("child", (1,)) == 1
    iv.answer("child_name[1][1]", "Mina")
    changes = iv.answer("assets[2]", "tv")  # car group hidden: its answers are cleared
    assert changes["cars[2]"] is None
    assert "total_cars" not in iv.answers  # XPath: sum() over an empty value is NaN → empty
