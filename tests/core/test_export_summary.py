"""Summary sheet: a small dataset whose 0–100 scores, domain scores, percentage tables and
count bands are computed by hand here (not with the code under test)."""

from __future__ import annotations

import zipfile

import pytest
from python_calamine import CalamineWorkbook

from tests.core.test_export_support import device_with, export_device, make_form
from tests.support.devices import make_project

COMMON = {"dong": "동", "BORN": "1990-01-01", "NOTE": "x"}
SEOUL = [
    {**COMMON, "city": "seoul", "wave": "2015", "ANX1": 1, "ANX2": 4, "ANX3": 99, "PAR1": 1,
     "NBR01": 0, "MEDIA": ["tv", "web"]},
    {**COMMON, "city": "seoul", "wave": "2015", "ANX1": 3, "ANX2": 4, "ANX3": 2, "PAR1": 1,
     "NBR01": 12, "MEDIA": ["tv"]},
    {**COMMON, "city": "seoul", "wave": "2015", "ANX1": 98, "ANX2": 2, "ANX3": 3, "PAR1": 2,
     "NBR01": 998, "MEDIA": ["radio"]},
]
TOKYO = [{**COMMON, "city": "tokyo", "wave": "2015", "ANX1": 4, "ANX2": 1, "ANX3": 1,
          "PAR1": 98, "NBR01": 3, "MEDIA": ["web"]}]


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    root = tmp_path_factory.mktemp("summary")
    project = make_project(root / "keys")
    form = make_form(root / "forms")
    data, _ = device_with(root, project, form, SEOUL + TOKYO)
    export_device(data, project, root / "out.xlsx", lang="en")
    rows = CalamineWorkbook.from_path(str(root / "out.xlsx")).get_sheet_by_name(
        "summary").to_python()
    return root / "out.xlsx", [_trim(r) for r in rows]


def _trim(row: list) -> list:
    while row and row[-1] == "":
        row = row[:-1]
    return row


def find(rows, *prefix):
    hits = [r for r in rows if tuple(r[: len(prefix)]) == prefix]
    assert len(hits) == 1, (prefix, hits)
    return hits[0]


def test_scale_item_scores(summary) -> None:
    _, rows = summary
    # module, variable, label, k, city, wave, n valid, mean, score, n DK, n refused, other
    row = find(rows, "ANX", "ANX1", "Competition", 4, "seoul", "2015")
    assert row[6:] == [2, 2.0, pytest.approx((2 - 1) / 3 * 100), 1, 0, 0]  # 1, 3 (+ DK)
    row = find(rows, "ANX", "ANX2", "Family", 4, "seoul", "(all)")
    assert row[6:9] == [3, pytest.approx(10 / 3), pytest.approx((10 / 3 - 1) / 3 * 100)]
    row = find(rows, "ANX", "ANX3", "Economy", 4, "seoul", "2015")
    assert row[6:] == [2, 2.5, pytest.approx(50.0), 0, 1, 0]  # 2, 3 (+ refused)
    row = find(rows, "ANX", "ANX1", "Competition", 4, "(all)", "(all)")
    assert row[6:10] == [3, pytest.approx(8 / 3), pytest.approx((8 / 3 - 1) / 3 * 100), 1]
    row = find(rows, "ANX", "ANX2", "Family", 4, "tokyo", "2015")
    assert row[6:9] == [1, 1.0, 0.0]


def test_domain_scores_are_mean_of_item_scores(summary) -> None:
    _, rows = summary
    family_seoul = ((10 / 3 - 1) / 3 * 100 + 50.0) / 2
    row = find(rows, "ANX", "family", "ANX2 ANX3", "seoul", "2015")
    assert row[5:7] == [pytest.approx(family_seoul), 2]
    row = find(rows, "ANX", "work", "ANX1", "tokyo", "(all)")
    assert row[5] == pytest.approx(100.0)


def test_chart_table_by_city(summary) -> None:
    _, rows = summary
    start = rows.index(next(r for r in rows if r and r[0] == "0–100 scores by city: ANX"))
    assert rows[start + 1][:5] == ["variable", "label", "seoul", "tokyo", "(all)"]
    assert rows[start + 2][:5] == ["ANX1", "Competition", pytest.approx(100 / 3), 100.0,
                                   pytest.approx(500 / 9)]


def test_categorical_percentages(summary) -> None:
    _, rows = summary
    # module, variable, city, wave, code, label, n, % of valid, % of all, valid, all
    yes = find(rows, "OTHER", "PAR1", "seoul", "2015", 1)
    assert yes[5:] == ["Yes", 2, pytest.approx(200 / 3), pytest.approx(200 / 3), 3, 3]
    no = find(rows, "OTHER", "PAR1", "(all)", "(all)", 2)  # 1, 1, 2 valid + one don't know
    assert no[6:] == [1, pytest.approx(100 / 3), 25.0, 3, 4]
    dk = find(rows, "OTHER", "PAR1", "(all)", "(all)", 98)
    assert dk[5:] == ["Don't know", 1, "", 25.0, 3, 4]  # no % of valid: shown separately
    tv = find(rows, "OTHER", "MEDIA", "seoul", "2015", "tv")
    assert tv[5:8] == ["Television", 2, pytest.approx(200 / 3)]


def test_count_mean_median_bands(summary) -> None:
    _, rows = summary
    # module, variable, city, wave, n, mean, median, 0, 1–2, 3–5, 6–10, 11+, DK, refused
    row = find(rows, "OTHER", "NBR01", "seoul", "2015")
    assert row[4:] == [2, 6.0, 6.0, 1, 0, 0, 0, 1, 1, 0]  # 0 and 12; 998 = don't know
    row = find(rows, "OTHER", "NBR01", "(all)", "(all)")
    assert row[4:] == [3, 5.0, 3.0, 1, 0, 1, 0, 1, 1, 0]


def test_native_bar_chart_per_module(summary) -> None:
    path, _ = summary
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/")]
        xml = archive.read(charts[0]).decode()
    assert len(charts) == 1  # one module (ANX) has scale items
    assert "<c:barChart>" in xml and "'summary'!$C$" in xml
    import openpyxl

    assert len(openpyxl.load_workbook(path)["summary"]._charts) == 1
