"""Merge: three city exports with deliberate mismatches → merge_report lists exactly those;
hostile and non-fieldapp inputs are refused before anything is written."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import pytest

from fieldapp.export.errors import MergeError
from fieldapp.export.merge import merge
from fieldapp.export.run import ExportOptions, export
from fieldapp.export.source import DeviceSource
from fieldapp.export.summary import SummaryOptions
from fieldapp.session import DATABASE_FILE
from fieldapp.storage.store import Store
from tests.support.devices import QUESTIONNAIRES, make_project
from tests.support.exports import (
    BASE,
    calamine_sheet,
    device_with,
    export_device,
    make_form,
    sheet_xml,
)


class TwoDevices:
    """An export source over two devices' stores (a hub that received some Seoul interviews
    too), with some interviews approved."""

    def __init__(self, stores: list[Store], approved: set[str]) -> None:
        self.sources = [DeviceSource(s) for s in stores]
        self.approved = approved

    def forms(self):
        return self.sources[0].forms()

    def copies(self, status=None):
        for source in self.sources:
            for record in source.copies(status):
                if record.interview_id in self.approved:
                    record = dataclasses.replace(record, status="approved")
                yield record


@pytest.fixture(scope="module")
def cities(tmp_path_factory):
    root = tmp_path_factory.mktemp("merge")
    project = make_project(root / "keys")
    form = make_form(root / "forms")
    seoul, (a, b) = device_with(root, project, form, [BASE, {**BASE, "ANX1": 1}],
                                name="seoul")
    beijing, (c,) = device_with(root, project, make_form(root / "forms", paper=True),
                                [{**BASE, "city": "beijing", "MEDIA": ["paper"]}],
                                city="beijing", name="beijing")
    tokyo, (d,) = device_with(root, project, form, [{**BASE, "city": "tokyo", "ANX1": 4}],
                              city="tokyo", name="tokyo")
    export_device(seoul, project, root / "seoul.xlsx")
    export_device(beijing, project, root / "beijing.xlsx")
    with Store.open(tokyo / DATABASE_FILE) as t, Store.open(seoul / DATABASE_FILE) as s:
        export(TwoDevices([t, s], approved={b}), project.private_key,
               ExportOptions(out=root / "tokyo.xlsx", workers=0))
    inputs = [root / "seoul.xlsx", root / "beijing.xlsx", root / "tokyo.xlsx"]
    result = merge(inputs, root / "merged.xlsx")
    return root, result, (a, b, c, d)


def test_report_lists_exactly_the_mismatches(cities) -> None:
    root, result, (a, b, _, _) = cities
    report = sorted((r["kind"], r["file"], r["sheet"], r["variable"], r["interview_id"])
                    for r in calamine_sheet(root / "merged.xlsx", "merge_report"))
    expected = sorted([
        ("codebook mismatch", "beijing.xlsx", "data", "MEDIA", ""),
        ("variable not in every file", "seoul.xlsx, tokyo.xlsx", "data", "MEDIA__paper", ""),
        ("duplicate (identical, dropped)", "tokyo.xlsx", "data", "", a),
        ("conflict (differs, dropped)", "tokyo.xlsx", "data", "", b),
        *[("dropped row", "tokyo.xlsx", "hh", "", iid) for iid in (a, a, b, b)],
        *[("dropped row", "tokyo.xlsx", "meds", "", iid) for iid in (a, a, b, b)],
    ])
    assert report == expected
    details = {r["kind"]: r["detail"] for r in calamine_sheet(root / "merged.xlsx",
                                                                "merge_report")}
    assert details["codebook mismatch"] == "codes only here: paper"
    mismatch = next(x for x in result.report if x.kind == "codebook mismatch")
    assert mismatch.shown("en") == \
        "codebook mismatch · beijing.xlsx · data · MEDIA · codes only here: paper"
    assert mismatch.shown("ko") == "코드북 불일치 · beijing.xlsx · data · MEDIA · 이 파일에만 있는 코드: paper"
    assert (result.duplicates, result.conflicts, result.mismatches) == (1, 1, 1)


def test_merged_rows_sources_and_codebook(cities) -> None:
    root, result, (a, b, c, d) = cities
    rows = {r["interview_id"]: r for r in calamine_sheet(root / "merged.xlsx", "data")}
    assert set(rows) == {a, b, c, d} and result.rows == 4
    assert {iid: (rows[iid]["source_file"], rows[iid]["city"]) for iid in rows} == {
        a: ("seoul.xlsx", "seoul"), b: ("seoul.xlsx", "seoul"),
        c: ("beijing.xlsx", "beijing"), d: ("tokyo.xlsx", "tokyo")}
    assert rows[b]["status"] == "finalised"  # the first file's copy is kept
    assert rows[c]["MEDIA__paper"] == 1 and rows[a]["MEDIA__paper"] == ""
    assert rows[a]["NOTE"] == BASE["NOTE"] and rows[a]["BORN"] == BASE_DATE
    hh = calamine_sheet(root / "merged.xlsx", "hh")
    assert sorted({r["_parent_id"] for r in hh}) == sorted({a, b, c, d})
    codebook = [r for r in calamine_sheet(root / "merged.xlsx", "codebook")
                if r["variable"] == "MEDIA" and r["code"]]
    assert [(r["code"], r["code_label::ja"]) for r in codebook] == [
        ("tv", "テレビ"), ("radio", "ラジオ"), ("web", "ネット"), ("paper", "新聞")]
    summary = calamine_sheet(root / "merged.xlsx", "summary")
    assert summary  # cross-city tables and one chart per module
    with zipfile.ZipFile(root / "merged.xlsx") as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    # series: the cities by name, in the papers' order; no pooled series unless asked
    series = re.findall(r"<c:tx><c:strRef><c:f>[^<]*</c:f><c:strCache><c:ptCount val=\"1\"/>"
                        r"<c:pt idx=\"0\"><c:v>([^<]*)</c:v>", chart)
    assert series == ["Seoul", "Tokyo", "Beijing"]


def test_merged_about_keeps_title_and_key_fingerprint(cities, tmp_path: Path) -> None:
    root, _, _ = cities
    about = {r["key"]: r["value"] for r in calamine_sheet(root / "merged.xlsx", "about")}
    seoul = {r["key"]: r["value"] for r in calamine_sheet(root / "seoul.xlsx", "about")}
    assert about["kind"] == "merge" and about["form_title"] == "Export test"
    assert about["project_key_fingerprint"] == seoul["project_key_fingerprint"] != ""
    # exports made with another project key: both fingerprints kept, and a warning
    other = make_project(tmp_path / "other")
    data, _ = device_with(tmp_path, other, make_form(tmp_path / "forms"),
                          [{**BASE, "city": "tokyo"}], city="tokyo", name="tokyo")
    export_device(data, other, tmp_path / "tokyo.xlsx")
    merge([root / "seoul.xlsx", tmp_path / "tokyo.xlsx"], tmp_path / "two.xlsx",
          summary=SummaryOptions(pooled=True))
    rows = calamine_sheet(tmp_path / "two.xlsx", "about")
    about = {r["key"]: r["value"] for r in rows}
    assert len(about["project_key_fingerprint"].split()) == 2
    assert any("different project keys" in r["value"] for r in rows if r["key"] == "warning")
    chart = zipfile.ZipFile(tmp_path / "two.xlsx").read("xl/charts/chart1.xml").decode()
    assert "<c:v>all cities</c:v>" in chart  # pooled only when asked


BASE_DATE = __import__("datetime").date(1980, 5, 6)


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _replace(source: Path, target: Path, part: str, transform) -> Path:
    with zipfile.ZipFile(source) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts[part] = transform(parts[part])
    return _zip(target, parts)


def test_hostile_and_foreign_inputs_refused(cities, tmp_path: Path) -> None:
    root = cities[0]
    good = root / "seoul.xlsx"
    out = tmp_path / "out.xlsx"
    cases = {
        "not an .xlsx workbook (not a ZIP": tmp_path.joinpath("notes.xlsx"),
        "not a fieldapp export": QUESTIONNAIRES / "three_city_2012.xlsx",
        "zip bomb": _zip(tmp_path / "bomb.xlsx", {"[Content_Types].xml": b"x",
                                                  "xl/workbook.xml": b"\0" * (60 << 20)}),
        "declares a DTD": _replace(good, tmp_path / "laughs.xlsx", "xl/workbook.xml",
                                   lambda d: d.replace(b"?>", b'?><!DOCTYPE l [<!ENTITY a '
                                                       b'"aaaa"><!ENTITY b "&a;&a;&a;">]>', 1)),
        "contains macros": _zip(tmp_path / "macro.xlsx", {"[Content_Types].xml": b"x",
                                                          "xl/workbook.xml": b"x",
                                                          "xl/vbaProject.bin": b"x"}),
        "corrupted": tmp_path / "truncated.xlsx",
    }
    cases["not an .xlsx workbook (not a ZIP"].write_text("hello", encoding="utf-8")
    (tmp_path / "truncated.xlsx").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    for message, path in cases.items():
        with pytest.raises(MergeError, match=re.escape(message) if message != "corrupted"
                           else "not an .xlsx workbook|corrupted"):
            merge([good, path], out)
        assert not out.exists() and not [p for p in tmp_path.iterdir()
                                         if p.name.startswith(".")]


def test_huge_dimension_is_ignored_and_formulas_never_evaluated(cities, tmp_path: Path) -> None:
    root = cities[0]

    def tamper(data: bytes) -> bytes:
        data = data.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>', 1)
        return re.sub(rb'<c t="inlineStr"><is><t>seoul</t></is></c>',
                      b'<c t="str"><f>1+1</f><v>2</v></c>', data, count=1)

    edited = _replace(root / "seoul.xlsx", tmp_path / "edited.xlsx",
                      "xl/worksheets/sheet1.xml", tamper)
    result = merge([edited], tmp_path / "out.xlsx")
    assert result.rows == 2
    assert any(r.row()[0] == "formula cell" for r in result.report)
    cities_read = {r["city"] for r in calamine_sheet(tmp_path / "out.xlsx", "data")}
    assert "=1+1" in cities_read  # the formula's text, stored as text
    assert not any(re.search(r"<f[ >]", x) for x in sheet_xml(tmp_path / "out.xlsx").values())


def test_zip_limits_on_the_central_directory(tmp_path: Path) -> None:
    from fieldapp.export.merge.safety import Limits, check_entries

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(5):
            archive.writestr(f"x{i}", b"abc")
    infos = zipfile.ZipFile(buffer).infolist()
    with pytest.raises(MergeError, match="5 parts"):
        check_entries(tmp_path / "a.xlsx", infos, Limits(max_entries=4))
    with pytest.raises(MergeError, match="15 bytes when unpacked"):
        check_entries(tmp_path / "a.xlsx", infos, Limits(max_total=10))


def test_defusedxml_protects_openpyxl() -> None:
    import defusedxml  # noqa: F401
    import openpyxl

    from fieldapp.export.merge.safety import require_defusedxml

    assert openpyxl.DEFUSEDXML is True
    require_defusedxml()
