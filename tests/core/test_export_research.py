"""What a researcher does next with a real export of a shipped questionnaire (three cities):
opens the .sav in SPSS/PSPP and the .dta in Stata (pyreadstat stands in) and gets the summary
sheet's means without recoding anything; reads the codebook for the missing codes."""

from __future__ import annotations

import csv
import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pyreadstat
import pytest
from python_calamine import CalamineWorkbook

from tests.support.devices import make_device, make_project
from tests.support.exports import calamine_sheet, export_device, record_all
from tests.support.shipped_answers import answers_for, form_path

CITIES = ("seoul", "tokyo", "beijing")
NAMES = {"seoul": "Seoul", "tokyo": "Tokyo", "beijing": "Beijing"}
PER_CITY = 10
#: Columns checked: scale items (with 98/99), and integers with 998/999 / 9999998/9999999.
SCALE = ("ANX1", "ANX4", "FAM2", "FAM7", "CITY1", "CITY3")
NUMERIC = ("DEM02", "DEM07")


@pytest.fixture(scope="module")
def three_cities(tmp_path_factory):
    """30 interviews of three_city_2012 (Tokyo recorded in Japanese, the rest in Korean),
    exported in English to xlsx, sav, dta and csv."""
    root = tmp_path_factory.mktemp("research")
    project = make_project(root / "keys")
    form = form_path("three_city_2012")
    data = make_device(root / "dev", project, forms=[form])
    for city in CITIES:
        answers = [answers_for("three_city_2012", city, i) for i in range(PER_CITY)]
        record_all(data, form, answers, language="ja" if city == "tokyo" else "ko")
    results = {fmt: export_device(data, project, root / f"out.{fmt}", fmt=fmt, lang="en")
               for fmt in ("xlsx", "sav", "dta", "csv")}
    return root, results


def summary_means(path: Path) -> dict[tuple[str, str], float]:
    """(variable, city name) → mean, as the summary sheet gives it (scale and number
    tables; the single wave's rows)."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("summary").to_python()
    out: dict[tuple[str, str], float] = {}
    table = ""
    for row in rows:
        if row and isinstance(row[0], str) and row[0].startswith(("Scale items", "Other numb")):
            table = row[0]
            continue
        if not row or row[0] in ("", "variable"):
            table = "" if not any(row) else table
            continue
        if table.startswith("Scale items"):  # variable, label, module, city, wave, k, n, mean
            out[(row[0], row[3])] = row[7]
        elif table.startswith("Other numb"):  # variable, label, module, city, wave, n, mean
            out[(row[0], row[3])] = row[6]
    return out


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("fmt", ["sav", "dta"])
def test_means_as_read_equal_the_summary_sheet(three_cities, fmt) -> None:
    root, _ = three_cities
    expected = summary_means(root / "out.xlsx")
    read = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    frame, _ = read(str(root / f"out.{fmt}"))  # the reader's defaults: missing = missing
    means = frame.groupby("city")[[*SCALE, *NUMERIC]].mean()
    checked = 0
    for city in CITIES:
        for var in (*SCALE, *NUMERIC):
            assert _close(means.loc[city, var], expected[(var, NAMES[city])]), (var, city)
            checked += 1
    assert checked == 24
    # and the raw codes really hold missing codes that a naive mean would have used
    raw = calamine_sheet(root / "out.xlsx", "data")
    assert any(r["DEM02"] in (998, 999) for r in raw) and any(r["ANX1"] in (98, 99)
                                                               for r in raw)


@pytest.mark.skipif(shutil.which("pspp") is None,
                    reason="PSPP not installed (apt-get install pspp)")
def test_pspp_means_equal_the_summary_sheet(three_cities, tmp_path: Path) -> None:
    root, _ = three_cities
    expected = summary_means(root / "out.xlsx")
    names = [*SCALE, *NUMERIC]
    syntax = tmp_path / "means.sps"
    syntax.write_text(
        f"GET FILE='{root / 'out.sav'}'.\n"
        "AGGREGATE OUTFILE=* /BREAK=city /"
        + " /".join(f"m_{v}=MEAN({v})" for v in names) + ".\n"
        f"SAVE TRANSLATE /OUTFILE='{tmp_path / 'means.csv'}' /TYPE=CSV /FIELDNAMES "
        "/REPLACE.\n", encoding="utf-8")
    result = subprocess.run(["pspp", str(syntax)], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(tmp_path / "means.csv", encoding="utf-8") as f:
        rows = {r["city"].strip(): r for r in csv.DictReader(f)}
    assert set(rows) == set(CITIES)
    for city in CITIES:
        for var in names:
            got = float(rows[city][f"m_{var}"])
            # PSPP writes means with limited precision
            assert math.isclose(got, expected[(var, NAMES[city])], rel_tol=1e-6), (var, city)


def test_sav_declares_missing_codes_levels_and_integer_formats(three_cities) -> None:
    root, _ = three_cities
    _, meta = pyreadstat.read_sav(str(root / "out.sav"), user_missing=True,
                                  metadataonly=True)
    ranges = {var: [(r["lo"], r["hi"]) for r in meta.missing_ranges.get(var, [])]
              for var in ("ANX1", "DEM02", "DEM07", "DEM01")}
    assert ranges == {"ANX1": [(98, 98), (99, 99)], "DEM02": [(998, 998), (999, 999)],
                      "DEM07": [(9999998, 9999998), (9999999, 9999999)],
                      "DEM01": [(98, 98), (99, 99)]}
    labels = meta.variable_value_labels
    assert labels["DEM02"] == {998: "Don't know", 999: "Refused"}
    assert labels["DEM07"][9999999] == "Refused" and labels["ANX1"][98] == "Don't know"
    levels = meta.variable_measure
    assert (levels["ANX1"], levels["CITY1"], levels["DEM04"]) == ("ordinal",) * 3
    assert (levels["DEM01"], levels["DEM03"], levels["city"]) == ("nominal",) * 3
    assert (levels["DEM02"], levels["DEM07"]) == ("scale", "scale")
    formats = meta.original_variable_types
    assert (formats["ANX1"], formats["CITY1"], formats["DEM07"]) == ("F2.0", "F2.0", "F7.0")
    assert any(n.startswith("project_key_fingerprint: ") for n in meta.notes)


def test_dta_extended_missing_values_are_labelled(three_cities) -> None:
    root, _ = three_cities
    frame, meta = pyreadstat.read_dta(str(root / "out.dta"), user_missing=True)
    assert set(frame["ANX1"].dropna()) <= {1, 2, 3, 4, "a", "b"}
    assert {"a", "b"} & set(frame["DEM02"].dropna())
    assert meta.variable_value_labels["DEM02"] == {"a": "Don't know (998)",
                                                   "b": "Refused (999)"}
    assert meta.variable_value_labels["ANX1"]["b"] == "Refused (99)"


def test_codebook_beside_the_stats_files_says_which_codes_are_missing(three_cities) -> None:
    root, results = three_cities
    for fmt in ("sav", "dta", "csv"):
        assert {p.name for p in results[fmt].paths} >= {f"out.{fmt}", "out_codebook.csv",
                                                       "out_about.csv"}
    with open(root / "out_codebook.csv", encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["variable"] == "DEM02"]
    assert rows[0]["missing_codes"] == "998 999" and rows[0]["bands"] == "18-29|30-39|40-49|50-59|60+"
    assert [(r["code"], r["code_label::ko"], r["missing"]) for r in rows[1:]] == [
        ("998", "모름", "yes"), ("999", "응답 거절", "yes")]
    xlsx = [r for r in calamine_sheet(root / "out.xlsx", "codebook") if r["variable"] == "DEM07"]
    assert [(r["code"], r["missing"]) for r in xlsx[1:]] == [("9999998", "yes"),
                                                           ("9999999", "yes")]


def test_city_label_in_the_export_language(three_cities) -> None:
    root, _ = three_cities
    rows = calamine_sheet(root / "out.xlsx", "data")
    pairs = {(r["city"], r["city_label"]) for r in rows}
    assert pairs == {("seoul", "Seoul"), ("tokyo", "Tokyo"), ("beijing", "Beijing")}
    frame, _ = pyreadstat.read_dta(str(root / "out.dta"))
    assert set(frame["city_label"]) == {"Seoul", "Tokyo", "Beijing"}


def test_summary_cities_in_the_papers_order_by_name(three_cities) -> None:
    root, _ = three_cities
    rows = CalamineWorkbook.from_path(str(root / "out.xlsx")).get_sheet_by_name(
        "summary").to_python()
    heads = [r for r in rows if r[:2] == ["variable", "item"]]
    assert len(heads) == 3  # ANX, FAM, CITY
    assert all(h[2:8] == ["Seoul", "n", "Tokyo", "n", "Beijing", "n"] for h in heads)
    cities = {r[0]: r for r in rows if r and r[0] in ("CITY1", "ANX3")
              and isinstance(r[2], float)}
    assert cities["CITY1"][1] == "citizens' participation"  # the short label: pole B
    assert cities["ANX3"][1] == "worries about household living due to economic crisis"
    notes = [r[1] for r in rows if r and r[0] == "CITY1" and isinstance(r[1], str)
             and r[1].startswith("0 = ")]
    assert notes == ["0 = a city with local government initiative; 100 = a city with "
                     "citizens' participation (the score runs toward the second pole)"]


def _ppm(path: Path):
    """A binary PPM (pdftoppm's output) as a height × width × 3 array."""
    import numpy as np

    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P6" and parts[3] == b"255"
    width, height = int(parts[1]), int(parts[2])
    return np.frombuffer(parts[4][: width * height * 3], dtype=np.uint8).reshape(
        height, width, 3)


def _near(image, rgb: str, tolerance: int = 12):
    import numpy as np

    target = np.array([int(rgb[i:i + 2], 16) for i in (0, 2, 4)], dtype=np.int16)
    return (np.abs(image.astype(np.int16) - target) <= tolerance).all(axis=2)


def _bars(mask) -> int:
    """Separate vertical bars in a mask: runs of adjacent columns holding the colour."""
    columns = mask.sum(axis=0) >= 2
    return int((columns[1:] & ~columns[:-1]).sum() + columns[0])


@pytest.mark.skipif(shutil.which("libreoffice") is None or shutil.which("pdftoppm") is None,
                    reason="needs LibreOffice (libreoffice-calc-nogui) and poppler-utils")
def test_libreoffice_draws_the_bars_of_every_chart(three_cities, tmp_path: Path) -> None:
    """The summary rendered by LibreOffice: each module's chart on the page of its table,
    with one bar per item and city inside the plot area."""
    from fieldapp.export.xlsx.chart import PALETTE

    root, _ = three_cities
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(root / "out.xlsx")], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "out.pdf"
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    items = {"ANX": 4, "FAM": 7, "CITY": 4}
    found = {}
    texts = {}
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        for module in items:
            # the table's title cell and the chart's title: table and chart on one page
            if text.count(f"{module}: 0–100 scores by city") == 2:
                found[module] = page
                texts[module] = text
    assert set(found) == set(items) and len(set(found.values())) == 3
    # each word of a category label whole, in the table and under its bars (a chart too
    # narrow for seven labels broke them: "individual / ist", "distributi / on")
    for word in ("individualist", "distribution", "elderly"):
        assert texts["FAM"].count(word) == 2, word
    for module, page in found.items():
        subprocess.run(["pdftoppm", "-r", "100", "-f", str(page), "-l", str(page), str(pdf),
                        str(tmp_path / module)], check=True, timeout=120)
        image = _ppm(next(tmp_path.glob(f"{module}*.ppm")))
        left, top, right, bottom = _plot_area(image)
        assert bottom - top > 80, f"{module}: plot area only {bottom - top} px high"
        plot = image[top:bottom, left:right]
        for colour in PALETTE[:3]:
            mask = _near(plot, colour)
            assert mask.sum() > 50, f"{module}: no {colour} pixels in the plot area"
            assert _bars(mask) == items[module], (module, colour, _bars(mask))


def _plot_area(image) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the plot area: the box of its background fill."""
    from fieldapp.export.xlsx.chart import PLOT_FILL

    fill = _near(image, PLOT_FILL, 3)
    # rows and columns holding a run of plot-fill pixels (below the shortest bar most of a
    # row is bars, so no share of the row is required); the longest run of such rows is the
    # plot (anti-aliased text elsewhere has no long runs)
    top, bottom = _longest_run([_run(fill[y]) >= 10 for y in range(fill.shape[0])])
    left, right = _longest_run([_run(fill[top:bottom, x]) >= 10
                                for x in range(fill.shape[1])])
    assert bottom > top and right > left, "no plot area"
    return left, top, right, bottom


def _run(line) -> int:
    """The longest run of True in a 1-d mask."""
    best = current = 0
    for value in line.tolist():
        current = current + 1 if value else 0
        best = max(best, current)
    return best


def _longest_run(flags: list[bool], gap: int = 3) -> tuple[int, int]:
    """(start, end) of the longest run of True, bridging up to ``gap`` False in a row (the
    gridlines and the bars' edges cross the plot)."""
    best, start, last = (0, 0), None, -gap - 2
    for i, flag in enumerate([*flags, *[False] * (gap + 1)]):
        if not flag:
            if start is not None and i - last > gap:
                if last + 1 - start > best[1] - best[0]:
                    best = (start, last + 1)
                start = None
            continue
        if start is None:
            start = i
        last = i
    return best


def test_long_tables_show_short_labels_whole(three_cities) -> None:
    """The long tables' label column (B) shows an item's short label whole, wrapped (it was
    cut to the column: "traditional cultural…", "worries about household living…")."""
    root, _ = three_cities
    rows = CalamineWorkbook.from_path(str(root / "out.xlsx")).get_sheet_by_name(
        "summary").to_python()
    start = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Scale items"))
    labels = {r[0]: r[1] for r in rows[start + 2:] if r[0] in ("CITY2", "ANX3", "FAM7")}
    assert labels == {"CITY2": "traditional cultural characteristics",
                      "ANX3": "worries about household living due to economic crisis",
                      "FAM7": "conflict in property distribution"}
    with zipfile.ZipFile(root / "out.xlsx") as archive:
        sheet = next(archive.read(n).decode() for n in archive.namelist()
                     if n.startswith("xl/worksheets/") and "Scale items" in
                     archive.read(n).decode())
    # the row of ANX3 grows to two lines and its label cell wraps (style 7)
    row = re.search(r'<row[^>]*ht="30[^>]*>(?:(?!</row>).)*?worries about household living'
                    r' due to economic crisis', sheet, re.S)
    assert row and 's="7"' in row.group(0)
