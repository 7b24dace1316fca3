"""Round trip: answers recorded on a real device → export → read back by an independent
reader (python-calamine, csv, pyreadstat) → every value equals what was recorded."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from tests.support.devices import make_project
from tests.support.exports import (
    BASE,
    calamine_sheet,
    device_with,
    export_device,
    make_form,
)

SECOND = {**BASE, "city": "tokyo", "wave": "2016", "dong": "=HYPERLINK(\"http://x\",\"y\")",
          "ANX1": 1, "ANX2": 2, "ANX3": 99, "PAR1": 2, "MEDIA": ["radio"], "NBR01": 0,
          "BORN": "2001-12-31", "NOTE": "東京の住民 ＝ full width; tab\there", "hh": [
              {"m_name": "さくら", "m_age": 30}]}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("roundtrip")
    project = make_project(root / "keys")
    form = make_form(root / "forms")
    data, ids = device_with(root, project, form, [BASE, SECOND])
    files = {}
    for fmt in ("xlsx", "csv"):
        files[fmt] = export_device(data, project, root / f"out.{fmt}", fmt=fmt, lang="ko")
    return root, ids, files, (data, project)


def test_xlsx_data_sheet_equals_recorded(exported) -> None:
    root, ids, _, _ = exported
    rows = {r["interview_id"]: r for r in calamine_sheet(root / "out.xlsx", "data")}
    first, second = rows[ids[0]], rows[ids[1]]
    assert first["city"] == "seoul" and first["wave"] == 2015 and first["dong"] == "성산1동"
    assert (first["ANX1"], first["ANX2"], first["ANX3"], first["PAR1"]) == (3, 4, 98, 1)
    assert first["MEDIA"] == "tv web"
    assert (first["MEDIA__tv"], first["MEDIA__radio"], first["MEDIA__web"]) == (1, 0, 1)
    assert first["NBR01"] == 12 and first["BORN"] == dt.date(1980, 5, 6)
    assert first["NOTE"] == "안녕 北京 東京 😀"
    assert second["dong"] == '=HYPERLINK("http://x","y")'
    assert second["NOTE"] == "東京の住民 ＝ full width; tab\there"
    assert (second["ANX3"], second["NBR01"], second["MEDIA"]) == (99, 0, "radio")
    assert second["BORN"] == dt.date(2001, 12, 31)
    assert first["form_id"] == "export_test" and first["status"] == "finalised"
    assert first["enumerator"] == "E01" and first["revision"] == 1
    assert first["time_zone"] == "Asia/Seoul" and second["time_zone"] == "Asia/Tokyo"
    assert first["start_local"] - first["start_utc"] == dt.timedelta(hours=9)


def test_xlsx_labels_and_repeats(exported) -> None:
    root, ids, _, _ = exported
    labels = {r["interview_id"]: r for r in calamine_sheet(root / "out.xlsx", "labels")}
    assert labels[ids[0]]["ANX1"] == "다소" and labels[ids[0]]["ANX3"] == "모름"
    assert labels[ids[0]]["MEDIA"] == "텔레비전; 인터넷" and labels[ids[0]]["city"] == "서울"
    assert labels[ids[1]]["PAR1"] == "아니요"
    hh = calamine_sheet(root / "out.xlsx", "hh")
    assert [(r["_parent_id"], r["_index"], r["m_name"], r["m_age"]) for r in hh] == [
        (ids[0], 1, "김철수", 44), (ids[0], 2, "李明", 12), (ids[1], 1, "さくら", 30)]
    meds = calamine_sheet(root / "out.xlsx", "meds")
    assert [(r["_parent_id"], r["_index"], r["med"]) for r in meds] == [
        (f"{ids[0]}/hh[1]", 1, "아스피린"), (f"{ids[0]}/hh[1]", 2, "薬")]
    assert [r["_row_id"] for r in hh][:1] == [f"{ids[0]}/hh[1]"]


def test_xlsx_codebook_and_about(exported) -> None:
    root, _, result, _ = exported
    codebook = calamine_sheet(root / "out.xlsx", "codebook")
    anx1 = [r for r in codebook if r["variable"] == "ANX1"]
    assert anx1[0]["label::ja"] == "競争" and anx1[0]["source"] == "seed L508"
    assert anx1[0]["score"] == "scale" and anx1[0]["domain"] == "work"
    assert {(r["code"], r["code_label::ko"], r["missing"]) for r in anx1[1:]} >= {
        ("98", "모름", "yes"), ("1", "전혀", "")}
    about = {r["key"]: r["value"] for r in calamine_sheet(root / "out.xlsx", "about")}
    assert about["fieldapp_export"] == 1 and about["form_versions"] == "1"
    assert about["app_version"].startswith("fieldapp ") and about["interviews"] == 2
    assert "(mean − 1) / (k − 1) × 100" in about["score_formula"]
    assert about["project_key_fingerprint"] == result["xlsx"].info.key_fingerprint


def test_csv_equals_recorded_with_owasp_prefix(exported) -> None:
    root, ids, _, _ = exported
    raw = (root / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(root / "out.csv", encoding="utf-8-sig", newline="") as f:
        rows = {r["interview_id"]: r for r in csv.DictReader(f)}
    assert rows[ids[0]]["NOTE"] == "안녕 北京 東京 😀" and rows[ids[0]]["ANX1"] == "3"
    assert rows[ids[0]]["BORN"] == "1980-05-06" and rows[ids[0]]["MEDIA"] == "tv web"
    assert rows[ids[1]]["dong"] == "'=HYPERLINK(\"http://x\",\"y\")"  # OWASP prefix
    with open(root / "out_hh.csv", encoding="utf-8-sig", newline="") as f:
        hh = list(csv.DictReader(f))
    assert [r["m_name"] for r in hh] == ["김철수", "李明", "さくら"]


@pytest.mark.parametrize("fmt", ["sav", "dta"])
def test_spss_stata_values_and_labels(exported, fmt) -> None:
    import pyreadstat

    root, ids, _, (data, project) = exported
    export_device(data, project, root / f"out.{fmt}", fmt=fmt, lang="ko")
    read = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    # 98/99 are SPSS user-missing values, Stata extended missing values .a/.b
    values, meta = read(str(root / f"out.{fmt}"), output_format="dict", user_missing=True)
    if fmt == "sav":
        assert meta.missing_ranges["ANX1"] == [{"lo": 98.0, "hi": 98.0}, {"lo": 99.0, "hi": 99.0}]
        assert meta.missing_ranges["NBR01"] == [{"lo": 998.0, "hi": 998.0},
                                                {"lo": 999.0, "hi": 999.0}]
    index = values["interview_id"].index(ids[0])
    assert values["ANX1"][index] == 3 and values["ANX3"][index] == (98 if fmt == "sav" else "a")
    if fmt == "dta":
        assert meta.variable_value_labels["ANX1"]["a"] == "모름 (98)"
    assert values["NOTE"][index] == "안녕 北京 東京 😀" and values["dong"][index] == "성산1동"
    assert values["BORN"][index] == dt.date(1980, 5, 6) and values["MEDIA"][index] == "tv web"
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["ANX1"] == "경쟁"
    assert meta.variable_value_labels["ANX1"][3] == "다소"
    other = values["interview_id"].index(ids[1])
    assert values["dong"][other] == '=HYPERLINK("http://x","y")'
    hh, _ = read(str(root / f"out_hh.{fmt}"), output_format="dict")
    assert hh["m_name"] == ["김철수", "李明", "さくら"]


def test_multibyte_labels_cut_on_character_boundaries() -> None:
    from fieldapp.export.spss_stata import cut, valid_names

    text = "가" * 100 + "a"
    assert cut(text, 120) == "가" * 40 and cut("a가", 2) == "a"
    assert cut(text, 320, 80) == "가" * 80
    assert valid_names(["_parent_id", "a.b", "q-1", "x" * 70, "A", "a"], "dta") == [
        "v_parent_id", "a_b", "q_1", "x" * 32, "A", "a_2"]


def test_device_source_status_filter(exported, tmp_path: Path) -> None:
    _, _, _, (data, project) = exported
    result = export_device(data, project, tmp_path / "approved.xlsx", status="approved")
    assert result.interviews == 0 and (tmp_path / "approved.xlsx").exists()
    result = export_device(data, project, tmp_path / "fin.xlsx", status="finalised")
    assert result.interviews == 2


def test_helper_process_builds_the_same_workbook(exported, tmp_path: Path) -> None:
    """Large exports decrypt in a helper process: same rows as in-process."""
    root, _, _, (data, project) = exported
    export_device(data, project, tmp_path / "helper.xlsx", workers=1, lang="ko")
    for sheet in ("data", "labels", "hh", "meds"):
        assert calamine_sheet(tmp_path / "helper.xlsx", sheet) == calamine_sheet(
            root / "out.xlsx", sheet)
