"""Choices that do not come from the choices sheet, each checked against pinned pyxform's
reading of the same form and then answered in the interview: ``select_*_from_file`` over XML
and GeoJSON attachments (CSV is in test_media_forms), ``parameters value=/label=``, the
``external_choices`` sheet (ODK's ``itemsets.csv``) with a cascading filter, and duplicate
choice names under ``allow_choice_duplicates``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldapp.errors import FormError
from fieldapp.interview.engine import Interview
from fieldapp.interview.errors import InvalidAnswer
from fieldapp.questionnaire import load_questionnaire
from tests.support.formtools import md_to_xlsx
from tools.forms_corpus import pyxform_verdict

XML = """<?xml version="1.0" encoding="UTF-8"?>
<root>
  <item><name>jongno</name><label>Jongno-gu</label><label_ko>종로구</label_ko><city>seoul</city></item>
  <item><name>mapo</name><label>Mapo-gu</label><label_ko>마포구</label_ko><city>seoul</city></item>
  <item><name>pudong</name><label>Pudong</label><label_ko>푸둥</label_ko><city>shanghai</city></item>
</root>
"""
GEOJSON = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": "w1", "properties": {"title": "Well by the school", "depth": 12},
     "geometry": {"type": "Point", "coordinates": [126.978, 37.5665]}},
    {"type": "Feature", "id": "w2", "properties": {"title": "Market pump", "depth": 30},
     "geometry": {"type": "Point", "coordinates": [126.99, 37.57, 40]}},
]}
FORM = """
| survey |
| | type | name | label | choice_filter | parameters | calculation |
| | select_one cities | city | City | | | |
| | select_one_from_file districts.xml | district | District | city = ${city} | | |
| | select_multiple_from_file districts.xml | visited | Visited | | value=name label=label_ko | |
| | select_one_from_file wells.geojson | well | Well | | | |
| | calculate | depth | | | | instance('wells')/root/item[id = ${well}]/depth |
| | select_one_external street | street | Street | district = ${district} | | |
| choices |
| | list_name | name | label |
| | cities | seoul | Seoul |
| | cities | shanghai | Shanghai |
| external_choices |
| | list_name | name | label | district |
| | street | 1 | Jahamun-ro | jongno |
| | street | 2 | Yanghwa-ro | mapo |
| | street | 1 | Worldcup-ro | mapo |
| settings |
| | form_id | version |
| | choice_sources | 1 |
"""


def _pyxform_accepts(path: Path) -> bool:
    return pyxform_verdict(path) == "ok"  # pinned pyxform's verdict (tools/forms_corpus.py)


def write(folder: Path, md: str = FORM) -> Path:
    path = md_to_xlsx(md, folder / "choice_sources.xlsx")
    media = folder / "choice_sources-media"
    media.mkdir(exist_ok=True)
    (media / "districts.xml").write_text(XML, encoding="utf-8")
    (media / "wells.geojson").write_text(json.dumps(GEOJSON), encoding="utf-8")
    return path


def test_xml_geojson_and_external_choices_load_as_pyxform_reads_them(tmp_path: Path) -> None:
    path = write(tmp_path)
    assert _pyxform_accepts(path)
    form = load_questionnaire(path)
    assert form.notices == ()
    assert [c.name for c in form.choices["districts.xml"].choices] == ["jongno", "mapo",
                                                                        "pudong"]
    wells = form.choices["wells.geojson"].choices
    assert [(c.name, c.label["default"]) for c in wells] == [("w1", "Well by the school"),
                                                             ("w2", "Market pump")]
    assert wells[1].properties["geometry"] == "37.57 126.99 40 0"


def test_choices_from_files_are_answered_and_filtered(tmp_path: Path) -> None:
    engine = Interview(load_questionnaire(write(tmp_path)))
    engine.answer("city", "seoul")
    assert [c.name for c in engine.choices_for("district")] == ["jongno", "mapo"]
    with pytest.raises(InvalidAnswer):
        engine.answer("district", "pudong")  # in another city
    engine.answer("district", "mapo")
    visited = engine.choices_for("visited")
    assert [c.label["default"] for c in visited] == ["종로구", "마포구", "푸둥"]  # label=
    engine.answer("visited", "jongno pudong")
    assert engine.answers["visited"] == ("jongno", "pudong")
    engine.answer("well", "w2")
    assert engine.answers["depth"] == "30"  # instance() over the GeoJSON's properties
    # external_choices: the street codes repeat across districts, the filter picks one set
    assert [(c.name, c.label["default"]) for c in engine.choices_for("street")] == [
        ("2", "Yanghwa-ro"), ("1", "Worldcup-ro")]
    engine.answer("street", "1")
    assert engine.answers["street"] == "1"


def test_external_list_missing_from_the_sheet_is_a_row_cited_error(tmp_path: Path) -> None:
    md = FORM.replace("select_one_external street", "select_one_external streets")
    path = write(tmp_path, md)
    assert not _pyxform_accepts(path)
    with pytest.raises(FormError) as info:
        load_questionnaire(path)
    [issue] = info.value.issues
    assert (issue.sheet, issue.row, issue.column) == ("survey", 7, "type")
    assert "streets" in str(issue)


DUPLICATES = """
| survey |
| | type | name | label |
| | select_one ans | q | Q |
| choices |
| | list_name | name | label |
| | ans | 1 | Agree |
| | ans | 2 | Disagree |
| | ans | 1 | Agree (again) |
"""


@pytest.mark.parametrize("setting", [None, "yes", "no"])
def test_duplicate_choice_names_follow_allow_choice_duplicates(setting: str | None,
                                                               tmp_path: Path) -> None:
    md = DUPLICATES + ("" if setting is None else
                       f"| settings |\n| | allow_choice_duplicates |\n| | {setting} |\n")
    path = tmp_path / "dup.md"
    path.write_text(md, encoding="utf-8")
    assert _pyxform_accepts(path) == (setting == "yes")
    if setting != "yes":
        with pytest.raises(FormError) as info:
            load_questionnaire(path)
        [issue] = info.value.issues
        assert (issue.sheet, issue.row) == ("choices", 4)
        assert "allow_choice_duplicates" in str(issue)
        return
    engine = Interview(load_questionnaire(path))
    assert [c.name for c in engine.choices_for("q")] == ["1", "2", "1"]
    engine.answer("q", "1")
    assert engine.answers["q"] == "1"


@pytest.mark.parametrize(("content", "said"), [
    ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     "<root><item><name>&b;</name><label>x</label></item></root>", "declares XML entities"),
    ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     "<root><item><name>&x;</name><label>x</label></item></root>", "declares XML entities"),
    ("<root><item><name>a</name>\n<label>b</item></root>", "is not readable XML (line 2)"),
])
def test_hostile_xml_choice_file_is_one_row_cited_error(content: str, said: str,
                                                        tmp_path: Path) -> None:
    path = write(tmp_path)
    (tmp_path / "choice_sources-media" / "districts.xml").write_text(content, encoding="utf-8")
    with pytest.raises(FormError) as info:
        load_questionnaire(path)
    # one line for each of the two questions that read the file
    assert [(i.row, i.column) for i in info.value.issues] == [(3, "type"), (4, "type")]
    for issue in map(str, info.value.issues):
        assert said in issue and "\n" not in issue
        assert "root:" not in issue and "Error" not in issue  # nothing of /etc/passwd


def test_csv_choice_file_with_an_oversized_field_is_one_translated_line(tmp_path: Path) -> None:
    path = md_to_xlsx("| survey |\n| | type | name | label |\n"
                      "| | select_one_from_file towns.csv | town | Town |\n", tmp_path / "t.xlsx")
    (tmp_path / "t-media").mkdir()
    (tmp_path / "t-media" / "towns.csv").write_text(
        "name,label\na,Anyang\nb,\"" + "x" * 200_000 + "\"\n", encoding="utf-8")
    with pytest.raises(FormError) as info:
        load_questionnaire(path)
    [issue] = info.value.issues
    assert (issue.row, issue.column) == (2, "type")
    assert "is not a readable CSV file (line 3)" in str(issue)
    assert "field limit" not in issue.render("en") and "line 3" not in issue.render("ko")
