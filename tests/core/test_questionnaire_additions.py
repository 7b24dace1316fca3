"""The items issue 13 added to the shipped questionnaires, the ``bands`` column, and the
example roster form the README's ANSWERS.json example records."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fieldapp.errors import FormError
from fieldapp.questionnaire import load_questionnaire
from fieldapp.questionnaire.bands import Band, parse_bands
from tests.support.devices import QUESTIONNAIRES, ROOT
from tests.support.formtools import md_to_xlsx

LANGS = ("en", "ko", "zh", "ja")
NEW_ITEMS = {
    "neighbourhood_panel": ("JPL1", "JPL2", "JPV1"),
    "risk_governance_2015": ("SE1", "SE2", "SE3", "SE4", "SE5", "SE6", "SE7"),
}


def _form(form_id: str):
    return load_questionnaire(QUESTIONNAIRES / f"{form_id}.xlsx")


@pytest.mark.parametrize("form_id", sorted(NEW_ITEMS))
def test_new_items_in_four_languages_with_their_seed_source(form_id) -> None:
    form = _form(form_id)
    for name in NEW_ITEMS[form_id]:
        question = form.question(name)
        assert set(question.label) == set(LANGS) and all(question.label.values()), name
        assert re.search(r"000:L\d+", question.extra["source"]), name
        assert question.extra["inferred"], name  # what is authored is said
        for choice in form.choice_list(question).choices:
            assert all(choice.label.get(lang) for lang in LANGS), (name, choice.name)


def test_seed_wording_of_the_japanese_add_on() -> None:
    form = _form("neighbourhood_panel")
    labels = {q: [c.label["en"] for c in form.choice_list(form.question(q)).choices]
              for q in ("JPL1", "JPL2", "JPV1")}
    assert labels["JPL1"][:2] == ["non-participation", "several times a year"]  # JP-10/11
    assert labels["JPL2"][0] == "want to participate"  # JP-13
    assert labels["JPV1"][:2] == ["life, health, myself", "the family"]  # JP-1..6
    assert form.question("JPV1").label["en"] == "What is the most important thing in your life?"


def test_sewol_emotion_domains_and_govcit_bands() -> None:
    form = _form("risk_governance_2015")
    domains = {form.question(f"SE{i}").extra["domain"] for i in range(1, 8)}
    assert domains == {"solidarity", "action_solidarity", "anger"}  # SEWOL-1..3
    assert all(form.question(f"SE{i}").extra["score"] == "scale" for i in range(1, 8))
    assert [form.question(f"GOVCIT{i}").bands for i in (1, 2, 3)] == ["1-4|5|6-9"] * 3
    mb1 = form.question("MB1").label
    assert "friends or medical doctors" in mb1["en"] and " and " not in mb1["en"]


@pytest.mark.parametrize("form_id", ["three_city_2012", "neighbourhood_panel",
                                     "risk_governance_2015"])
def test_age_accepts_dont_know_and_refused(form_id) -> None:
    question = _form(form_id).question("DEM02")
    assert question.extra["missing"] == "998 999"
    assert ". = 998" in question.constraint and ". = 999" in question.constraint
    assert question.bands == "18-29|30-39|40-49|50-59|60+"


def test_parse_bands() -> None:
    assert parse_bands("1-4|5|6-9") == (Band(1, 4), Band(5, 5), Band(6, 9))
    assert [b.label for b in parse_bands("0 | 1–2 | 11+")] == ["0", "1–2", "11+"]
    assert parse_bands("") == ()
    for bad in ("1-4|4-9", "5-1", "a|b", "11+|12", "1-4||5"):
        with pytest.raises(ValueError):
            parse_bands(bad)


def test_bad_bands_are_a_row_cited_error(tmp_path: Path) -> None:
    md = """
| survey |
| | type | name | label::English (en) | bands |
| | integer | age | Age | 18-29¦30-x |
| | text | name | Name | 1-2 |
| settings |
| | form_id | version |
| | t | 1 |
"""
    path = md_to_xlsx(md, tmp_path / "bands.xlsx")
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["survey"]["D2"] = "18-29|30-x"
    book.save(path)
    with pytest.raises(FormError) as info:
        load_questionnaire(path)
    issues = sorted((i.row, i.column, i.message) for i in info.value.issues)
    assert [(row, column) for row, column, _ in issues] == [(2, "bands"), (3, "bands")]
    assert "'30-x' is not a band" in issues[0][2]
    assert "only allowed on select_one, integer and decimal" in issues[1][2]


def _readme_answers() -> dict:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"`ANSWERS\.json` for the example roster form[^`]*`([^`]+)`[^`]*"
                      r"is\s*`(\{.*?\})`:", text, re.S)
    assert match, "README's ANSWERS.json example not found"
    assert match.group(1) == "questionnaires/examples/example_household_roster.xlsx"
    return json.loads(match.group(2))


def test_readme_answers_example_records_the_example_roster(tmp_path: Path) -> None:
    """The README's example, run as written: record, finalise, export; the roster sheet
    holds one row per household member."""
    example = _readme_answers()
    env = {**os.environ, "FIELDAPP_PASSPHRASE": "device pass one",
           "FIELDAPP_KEY_PASSPHRASE": "key pass one", "FIELDAPP_KDF": "floor"}

    def run(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "fieldapp", *args], capture_output=True,
                                text=True, cwd=ROOT, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        return result

    run("keys", "create", "--out", str(tmp_path / "keys"))
    run("device", "init", "--data", str(tmp_path / "dev"), "--project-key",
        str(tmp_path / "keys" / "project.pub"), "--enumerator", "E01", "--city", "seoul")
    answers = tmp_path / "ANSWERS.json"
    answers.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    form = QUESTIONNAIRES / "examples" / "example_household_roster.xlsx"
    run("record", "--data", str(tmp_path / "dev"), "--form", str(form), "--answers",
        str(answers), "--finalize")
    run("export", "--data", str(tmp_path / "dev"), "--key", str(tmp_path / "keys/project.key"),
        "--out", str(tmp_path / "roster.xlsx"), "--lang", "ko")
    from tests.support.exports import calamine_sheet

    members = calamine_sheet(tmp_path / "roster.xlsx", "hh")
    assert [(m["_index"], m["name"], m["age"]) for m in members] == [
        (i, e["name"], e["age"]) for i, e in enumerate(example["answers"]["hh"], start=1)]
    (data,) = calamine_sheet(tmp_path / "roster.xlsx", "data")
    assert data["form_id"] == "example_household_roster" and data["status"] == "finalised"


def test_missing_codes_must_be_whole_numbers(tmp_path: Path) -> None:
    """The export declares a form's ``missing`` codes as SPSS/Stata missing values and leaves
    them out of the summary; a code it cannot read (``998,`` or ``99.8``) was silently a
    valid answer there while the codebook called it missing. Now the form is refused."""
    md = """
| survey |
| | type | name | label::English (en) | missing |
| | integer | kids | Children | 998, 999 |
| | decimal | hours | Hours | 99.8 99.9 |
| | integer | age | Age | 998 999 |
| settings |
| | form_id | version |
| | t | 1 |
"""
    with pytest.raises(FormError) as info:
        load_questionnaire(md_to_xlsx(md, tmp_path / "missing.xlsx"))
    assert sorted((i.row, i.column, i.message) for i in info.value.issues) == [
        (2, "missing", "missing code '998,' is not a whole number"),
        (3, "missing", "missing code '99.8' is not a whole number"),
        (3, "missing", "missing code '99.9' is not a whole number")]


def test_bad_bands_reason_is_in_the_users_language(tmp_path: Path) -> None:
    """The reason inside "invalid bands: …" is a translated template too, not English."""
    from fieldapp.questionnaire.bands import BandError

    with pytest.raises(BandError) as bad:
        parse_bands("5-1")
    assert bad.value.code == "form.bands-backwards"
    path = md_to_xlsx("""
| survey |
| | type | name | label::English (en) | bands |
| | integer | age | Age | 5-1 |
| settings |
| | form_id | version |
| | t | 1 |
""", tmp_path / "bands.xlsx")
    with pytest.raises(FormError) as info:
        load_questionnaire(path)
    english = info.value.render("en")
    assert "band '5-1' ends before it starts" in english
    for lang in ("ko", "zh_Hans", "ja"):
        shown = info.value.render(lang)
        assert "'5-1'" in shown and "ends before it starts" not in shown, shown
