"""Summary sheet: a small dataset whose 0–100 scores, domain scores, percentage tables, count
bands and collapsed bands are computed by hand here (not with the code under test)."""

from __future__ import annotations

import re
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from fieldapp.export.summary import SummaryOptions
from tests.support.devices import make_project
from tests.support.exports import device_with, export_device, make_form, sheet_xml

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
    """The default summary (cities in the papers' order, not pooled) and one with the
    cities pooled and in another order."""
    root = tmp_path_factory.mktemp("summary")
    project = make_project(root / "keys")
    form = make_form(root / "forms")
    data, _ = device_with(root, project, form, SEOUL + TOKYO)
    export_device(data, project, root / "out.xlsx", lang="en")
    export_device(data, project, root / "pooled.xlsx", lang="en",
                  summary=SummaryOptions(city_order=("tokyo", "seoul"), pooled=True))

    def rows(name):
        sheet = CalamineWorkbook.from_path(str(root / name)).get_sheet_by_name("summary")
        return [_trim(r) for r in sheet.to_python()]

    return root / "out.xlsx", rows("out.xlsx"), rows("pooled.xlsx")


def _trim(row: list) -> list:
    while row and row[-1] == "":
        row = row[:-1]
    return row


def find(rows, *prefix, table: str = ""):
    """The one row starting with ``prefix`` (in the table whose title starts with ``table``)."""
    if table:
        start = next(i for i, r in enumerate(rows) if r and str(r[0]).startswith(table))
        end = next((i for i in range(start, len(rows)) if not rows[i]), len(rows))
        rows = rows[start:end]
    hits = [r for r in rows if tuple(r[: len(prefix)]) == prefix]
    assert len(hits) == 1, (prefix, hits)
    return hits[0]


def test_scale_item_scores(summary) -> None:
    _, rows, pooled = summary
    # variable, label, module, city, wave, k, n valid, mean, score, n DK, n refused, other
    row = find(rows, "ANX1", "Competition", "ANX", "Seoul", "2015", table="Scale items")
    assert row[5:] == [4, 2, 2.0, pytest.approx((2 - 1) / 3 * 100), 1, 0, 0]  # 1, 3 (+ DK)
    row = find(rows, "ANX2", "Family", "ANX", "Seoul", "2015", table="Scale items")
    assert row[6:9] == [3, pytest.approx(10 / 3), pytest.approx((10 / 3 - 1) / 3 * 100)]
    row = find(rows, "ANX3", "Economy", "ANX", "Seoul", "2015", table="Scale items")
    assert row[6:] == [2, 2.5, pytest.approx(50.0), 0, 1, 0]  # 2, 3 (+ refused)
    row = find(rows, "ANX2", "Family", "ANX", "Tokyo", "2015", table="Scale items")
    assert row[6:9] == [1, 1.0, 0.0]
    # one wave per city: no "all waves" rows repeating it; no pooled rows unless asked
    assert not [r for r in rows if "all waves" in r or "all cities" in r]
    row = find(pooled, "ANX1", "Competition", "ANX", "all cities", "all waves",
               table="Scale items")
    assert row[6:10] == [3, pytest.approx(8 / 3), pytest.approx((8 / 3 - 1) / 3 * 100), 1]


def test_domain_scores_are_mean_of_item_scores(summary) -> None:
    _, rows, _ = summary
    family_seoul = ((10 / 3 - 1) / 3 * 100 + 50.0) / 2
    row = find(rows, "family", "ANX2 ANX3", "ANX", "Seoul", "2015")
    assert row[5:7] == [pytest.approx(family_seoul), 2]
    row = find(rows, "work", "ANX1", "ANX", "Tokyo", "2015")
    assert row[5] == pytest.approx(100.0)


def test_chart_table_cities_by_name_with_n(summary) -> None:
    _, rows, pooled = summary
    start = rows.index(next(r for r in rows if r and r[0] == "ANX: 0–100 scores by city"))
    assert rows[start + 1] == ["variable", "item", "Seoul", "n", "Tokyo", "n"]
    assert rows[start + 2] == ["ANX1", "Competition", pytest.approx(100 / 3), 2, 100.0, 1]
    # what 0 and 100 mean (the items share one list), and what n counts
    assert rows[start + 5][:2] == ["0–100", "0 = Not at all; 100 = Very"]
    assert rows[start + 6][0] == "n"
    start = pooled.index(next(r for r in pooled if r and r[0] == "ANX: 0–100 scores by city"))
    assert pooled[start + 1] == ["variable", "item", "Tokyo", "n", "Seoul", "n", "all cities", "n"]
    assert pooled[start + 2][6:] == [pytest.approx(500 / 9), 3]


def test_categorical_percentages(summary) -> None:
    _, rows, pooled = summary
    # variable, code label, module, city, wave, code, n, % of valid, % of all, valid, all
    yes = find(rows, "PAR1", "Yes", "OTHER", "Seoul", "2015", 1)
    assert yes[6:] == [2, pytest.approx(200 / 3), pytest.approx(200 / 3), 3, 3]
    no = find(pooled, "PAR1", "No", "OTHER", "all cities", "all waves", 2)  # 1, 1, 2 + one DK
    assert no[6:] == [1, pytest.approx(100 / 3), 25.0, 3, 4]
    dk = find(pooled, "PAR1", "Don't know", "OTHER", "all cities", "all waves", 98)
    assert dk[6:] == [1, "", 25.0, 3, 4]  # no % of valid: shown separately
    tv = find(rows, "MEDIA", "Television", "OTHER", "Seoul", "2015", "tv")
    assert tv[6:8] == [2, pytest.approx(200 / 3)]


def test_count_mean_median_bands_and_12_flag(summary) -> None:
    _, rows, pooled = summary
    # variable, label, module, city, wave, n, mean, median, 0, 1–2, 3–5, 6–10, 11+, 12+,
    # % 11+, % 12+, DK, refused
    row = find(rows, "NBR01", "Neighbours", "OTHER", "Seoul", "2015", table="Counts")
    assert row[5:] == [2, 6.0, 6.0, 1, 0, 0, 0, 1, 1, 50.0, 50.0, 1, 0]  # 0 and 12; 998 = DK
    row = find(pooled, "NBR01", "Neighbours", "OTHER", "all cities", "all waves",
               table="Counts")
    assert row[5:] == [3, 5.0, 3.0, 1, 0, 1, 0, 1, 1, pytest.approx(100 / 3),
                       pytest.approx(100 / 3), 1, 0]


def test_count_flag_12_separates_11_from_12() -> None:
    from collections import Counter

    from fieldapp.export.schema import INT, Variable
    from fieldapp.export.summary import count_stats

    var = Variable("NBR01", INT, "integer", missing_codes=("998", "999"), score="count")
    stats = count_stats(var, Counter({11: 3, 12: 1, 30: 1, 2: 5, 998: 2}))
    assert (stats["n"], stats["11+"], stats["12+"], stats["dont_know"]) == (10, 5, 2, 2)


def test_collapsed_bands_from_the_questionnaire(summary) -> None:
    _, rows, _ = summary
    # variable, label, module, city, wave, band, n, % of valid, valid base, DK, refused, other
    assert find(rows, "ANX1", "Competition", "ANX", "Seoul", "2015", "1–2")[6:] == [
        1, 50.0, 2, 1, 0, 0]
    assert find(rows, "ANX1", "Competition", "ANX", "Seoul", "2015", "3–4")[6:8] == [1, 50.0]
    assert find(rows, "ANX1", "Competition", "ANX", "Tokyo", "2015", "3–4")[6:9] == [
        1, 100.0, 1]
    # integer with open-ended band; 998 (don't know) outside the base
    assert find(rows, "NBR01", "Neighbours", "OTHER", "Seoul", "2015", "0")[6:10] == [
        1, 50.0, 2, 1]
    assert find(rows, "NBR01", "Neighbours", "OTHER", "Seoul", "2015", "1–10")[6] == 0
    assert find(rows, "NBR01", "Neighbours", "OTHER", "Seoul", "2015", "11+")[6:8] == [
        1, 50.0]


def test_native_bar_chart_with_fills_theme_and_print_setup(summary) -> None:
    path, rows, _ = summary
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        charts = [n for n in names if n.startswith("xl/charts/")]
        xml = archive.read(charts[0]).decode()
        drawing = archive.read("xl/drawings/drawing1.xml").decode()
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        sheets = sheet_xml(path)
    assert len(charts) == 1  # one module (ANX) has scale items
    assert "<c:barChart>" in xml and "'summary'!$C$" in xml and "'summary'!$E$" in xml
    # every series has an explicit fill (LibreOffice draws series without one as nothing)
    series = re.findall(r"<c:ser>.*?</c:ser>", xml)
    assert len(series) == 2 and all("<c:spPr><a:solidFill><a:srgbClr" in x for x in series)
    assert "xl/theme/theme1.xml" in names and "theme/theme1.xml" in rels
    assert "/xl/theme/theme1.xml" in types
    # beside its table (column H: after variable, item, two score / n pairs and a gap)
    assert "<xdr:oneCellAnchor><xdr:from><xdr:col>7</xdr:col>" in drawing
    summary_xml = next(x for x in sheets.values() if "scores by city" in x)
    assert 'orientation="landscape"' in summary_xml and 'fitToWidth="1"' in summary_xml
    block_end = rows.index(next(r for r in rows if r[:1] == ["Scale items (0–100 scores over "
                                                              "valid answers)"]))
    assert f'<brk id="{block_end}" max="16383" man="1"/>' in summary_xml
    import openpyxl

    assert len(openpyxl.load_workbook(path)["summary"]._charts) == 1


def test_city_order_named_twice_or_mistyped(tmp_path_factory) -> None:
    """``--cities tokyo,tokyo`` keeps Tokyo first (a repeated code once tied the cities
    not named with the last one, so they came alphabetically: Seoul before Tokyo); a code
    that is no city here (a typo) is a warning, not a silent reordering."""
    root = tmp_path_factory.mktemp("order")
    project = make_project(root / "keys")
    data, _ = device_with(root, project, make_form(root / "forms"), SEOUL[:1] + TOKYO)

    def head(result, name):
        rows = CalamineWorkbook.from_path(str(root / name)).get_sheet_by_name(
            "summary").to_python()
        start = next(i for i, r in enumerate(rows) if r[0] == "ANX: 0–100 scores by city")
        return _trim(rows[start + 1])[2:], result.info.warnings

    twice = export_device(data, project, root / "twice.xlsx", lang="en",
                          summary=SummaryOptions(city_order=("tokyo", "tokyo")))
    assert head(twice, "twice.xlsx") == (["Tokyo", "n", "Seoul", "n"], [])
    typo = export_device(data, project, root / "typo.xlsx", lang="en",
                         summary=SummaryOptions(city_order=("tokio", "seoul")))
    order, warnings = head(typo, "typo.xlsx")
    assert order == ["Seoul", "n", "Tokyo", "n"]
    assert [w for w in warnings if "tokio" in w] == [
        "summary: the city order names tokio, which is not a city code here (the codes are "
        "beijing, seoul, tokyo); the cities not named follow in alphabetical order"]
    about = dict(r[:2] for r in CalamineWorkbook.from_path(str(root / "typo.xlsx"))
                 .get_sheet_by_name("about").to_python() if r[0] == "warning")
    assert "tokio" in about["warning"]


def test_chart_width_fits_the_longest_word_of_each_label() -> None:
    from fieldapp.export.summary_blocks import chart_width

    assert chart_width(["Competition", "Family", "Economy"]) == 13.0  # the usual size
    ten = ["investigating responsibility"] * 10  # 14 letters: ~2.5 cm per category
    assert 25 < chart_width(ten) <= 28.0
    assert chart_width(["isolation of the elderly"] * 40) == 28.0  # at most 28 cm
    assert chart_width(["経済危機による家計の心配"] * 7) == 13.0  # CJK breaks anywhere
