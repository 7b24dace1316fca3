"""The shipped XLSForm questionnaires convert with pyxform and follow the house conventions.

Conventions (questionnaires/README.md): four languages on every label, hint and message;
every scale/categorical list ends with 98 "don't know" and 99 "refused" marked
``missing=yes``; every question except free text is required; the workbooks are exactly
what ``tools/author_questionnaires.py`` generates.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2json import parse_file_to_json
from pyxform.xls2xform import convert

ROOT = Path(__file__).resolve().parents[2]
QDIR = ROOT / "questionnaires"
LANGS = ("English (en)", "Korean (ko)", "Chinese (zh)", "Japanese (ja)")
VERSION = "2026120302"
EXPECTED_FORMS = {"three_city_2012", "neighbourhood_panel", "risk_governance_2015"}
#: Sampling-frame and consent lists: recorded by the enumerator, no missing codes.
FRAME_LISTS = {"city", "district", "wave", "consent"}
NO_LABEL_TYPES = {"start", "end", "today", "deviceid", "calculate"}
CUSTOM_COLUMNS = ("source", "domain", "score", "missing", "inferred")

WORKBOOKS = sorted(QDIR.glob("*.xlsx"))
#: Example forms: not the network's instruments, but they must convert cleanly too.
EXAMPLES = sorted((QDIR / "examples").glob("*.xlsx"))


def _walk(children):
    for child in children:
        yield child
        yield from _walk(child.get("children", []))


def _rows(path: Path, sheet: str) -> list[dict]:
    ws = load_workbook(path, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [
        {h: ("" if v is None else str(v)) for h, v in zip(header, row, strict=False)}
        for row in rows[1:]
        if any(v not in (None, "") for v in row)
    ]


def _assert_four(texts, where: str) -> None:
    assert isinstance(texts, dict), f"{where}: not translated: {texts!r}"
    assert set(texts) == set(LANGS), f"{where}: languages {sorted(texts)}"
    empty = [lang for lang in LANGS if not str(texts[lang]).strip()]
    assert not empty, f"{where}: empty in {empty}"


def test_all_three_forms_are_shipped():
    assert {p.stem for p in WORKBOOKS} == EXPECTED_FORMS


@pytest.mark.parametrize("path", WORKBOOKS + EXAMPLES, ids=lambda p: p.stem)
def test_converts_without_error_or_warning(path):
    warnings: list[str] = []
    result = convert(xlsform=str(path), warnings=warnings)
    assert f'id="{path.stem}"' in result.xform
    assert f'version="{VERSION}"' in result.xform
    assert warnings == []


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_settings(path):
    (settings,) = _rows(path, "settings")
    assert settings["form_id"] == path.stem
    assert settings["version"] == VERSION
    assert settings["default_language"] == "English (en)"
    assert settings["form_title"]
    form = parse_file_to_json(str(path))
    assert form["id_string"] == path.stem
    assert form["version"] == VERSION


@pytest.mark.parametrize("path", WORKBOOKS + EXAMPLES, ids=lambda p: p.stem)
def test_every_label_hint_and_message_in_four_languages(path):
    form = parse_file_to_json(str(path))
    for node in _walk(form["children"]):
        where = f"{path.stem}:{node['name']}"
        if node["type"] not in NO_LABEL_TYPES and node["name"] != "meta":
            _assert_four(node.get("label"), where + " label")
        if "hint" in node:
            _assert_four(node["hint"], where + " hint")
        bind = node.get("bind", {})
        for key in ("jr:constraintMsg", "jr:requiredMsg"):
            if key in bind:
                _assert_four(bind[key], f"{where} {key}")
        if bind.get("constraint"):
            _assert_four(bind.get("jr:constraintMsg"), where + " constraint message")
        for choice in node.get("choices", []):
            _assert_four(choice.get("label"), f"{where} choice {choice['name']}")


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_choice_lists_carry_missing_codes(path):
    lists: dict[str, list[dict]] = {}
    for row in _rows(path, "choices"):
        lists.setdefault(row["list_name"], []).append(row)
    assert FRAME_LISTS <= set(lists)
    for name, rows in lists.items():
        for row in rows:
            for lang in LANGS:
                assert row[f"label::{lang}"].strip(), f"{name}/{row['name']} {lang}"
        by_code = {r["name"]: r for r in rows}
        missing = {r["name"] for r in rows if r["missing"] == "yes"}
        if name in FRAME_LISTS:
            assert not missing, name
            continue
        assert missing == {"98", "99"}, f"{name}: missing codes {sorted(missing)}"
        assert [r["name"] for r in rows][-2:] == ["98", "99"], name
        points = [r["name"] for r in rows if r["name"] not in missing]
        assert points and all(p.isdigit() for p in points), name
        assert by_code["98"]["label::English (en)"] == "Don't know"
        assert by_code["99"]["label::English (en)"] == "Refused"
        if name.endswith("_bip"):
            assert points == [str(i) for i in range(1, 10)], name


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_survey_conventions(path):
    rows = _rows(path, "survey")
    header = list(rows[0])
    for column in CUSTOM_COLUMNS:
        assert column in header
    names = [r["name"] for r in rows if r["type"] != "end group"]
    assert names[:4] == ["start", "end", "today", "deviceid"]
    assert any(r["type"] == "note" for r in rows)
    for name in ("city", "city_label", "wave", "district", "dong"):
        assert name in names, name
    by_name = {r["name"]: r for r in rows if r["type"] != "end group"}
    assert by_name["city_label"]["calculation"] == "jr:choice-name(${city}, '${city}')"
    assert by_name["district"]["choice_filter"] == "city=${city}"
    for row in rows:
        kind = row["type"].split(" ")[0]
        if kind in ("select_one", "integer"):
            assert row["required"] == "yes", row["name"]
            assert row["source"], row["name"]
        if kind == "integer" and row["missing"]:
            codes = row["missing"].split()
            for code in codes:
                assert f". = {code}" in row["constraint"], row["name"]
            assert row["hint::English (en)"], row["name"]
        if row["appearance"] == "likert":
            assert kind == "select_one", row["name"]
        if row["type"] == "begin group":
            assert row["source"], row["name"]
        if row["score"]:
            assert row["score"] in ("scale", "count"), row["name"]


def test_city_stem_substitutes_city_name():
    rows = {
        r["name"]: r
        for r in _rows(QDIR / "three_city_2012.xlsx", "survey")
        if r["type"] != "end group"
    }
    for lang in LANGS:
        assert "${city_label}" in rows["CITY"][f"label::{lang}"], lang


def test_workbooks_match_the_authoring_script(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "author_questionnaires", ROOT / "tools" / "author_questionnaires.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while executing
    try:
        spec.loader.exec_module(module)
        paths = module.write_all(tmp_path)
    finally:
        sys.modules.pop(spec.name, None)
    assert {p.relative_to(tmp_path).as_posix() for p in paths} == {
        *(f"{name}.xlsx" for name in EXPECTED_FORMS), *(f"examples/{p.name}" for p in EXAMPLES)}
    for fresh in paths:
        shipped = QDIR / fresh.relative_to(tmp_path)
        for sheet in ("survey", "choices", "settings"):
            assert _rows(fresh, sheet) == _rows(shipped, sheet), (
                f"{fresh.name}/{sheet} is stale: run .venv/bin/python "
                "tools/author_questionnaires.py")


def test_titles_in_every_language_reach_the_model_and_a_device(tmp_path) -> None:
    """``title_translated::<language>`` settings columns: pyxform accepts the forms (see the
    conversion test above) and the loader gives the title per language."""
    from fieldapp.questionnaire import load_questionnaire
    from tests.support.devices import make_device, make_project, open_session

    form = load_questionnaire(QDIR / "three_city_2012.xlsx")
    assert form.title == "Three-city survey 2012 (Seoul, Beijing, Tokyo)"
    assert form.title_in("ko") == "2012 3개 도시 조사 (서울·베이징·도쿄)"
    assert form.title_in("zh") == "2012年三城市调查（首尔、北京、东京）"
    assert form.title_in("ja") == "2012年 3都市調査（ソウル・北京・東京）"
    assert form.title_in("en") == form.title_in("fr") == form.title
    for path in sorted(QDIR.glob("*.xlsx")):
        assert set(load_questionnaire(path).titles) == {"ko", "zh", "ja"}, path.name
    project = make_project(tmp_path / "project")
    make_device(tmp_path / "data", project, forms=[QDIR / "risk_governance_2015.xlsx"])
    with open_session(tmp_path / "data") as session:
        assert [f.title for f in session.home_summary("ja").forms] == \
            ["2015年 リスク・ガバナンス調査（ソウル）"]
        assert session.home_summary().forms[0].title == "Risk governance survey 2015 (Seoul)"
        assert session.form_title("risk_governance_2015", "zh") == "2015年风险治理调查（首尔）"
