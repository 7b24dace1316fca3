"""Merging city exports made in different label languages (each city's supervisor exports in
their own): ``city_label`` — a ``jr:choice-name`` calculation — is shown in the merge's
language, not as 서울, 東京 and 北京 in one column (issue 13, finding 7)."""

from __future__ import annotations

import pytest

from fieldapp.export.errors import MergeError
from fieldapp.export.merge import merge
from tests.support.devices import make_device, make_project
from tests.support.exports import calamine_sheet, export_device, record_all
from tests.support.shipped_answers import answers_for, form_path

LANGUAGE = {"seoul": "ko", "tokyo": "ja", "beijing": "zh"}


@pytest.fixture(scope="module")
def city_exports(tmp_path_factory):
    """Two interviews per city on the city's own device, recorded and exported in the
    city's language."""
    root = tmp_path_factory.mktemp("merge_languages")
    project = make_project(root / "keys")
    form = form_path("three_city_2012")
    paths = []
    for city, lang in LANGUAGE.items():
        data = make_device(root / city, project, city=city, forms=[form])
        record_all(data, form, [answers_for("three_city_2012", city, i) for i in range(2)],
                   language=lang)
        paths.append(root / f"{city}.xlsx")
        export_device(data, project, paths[-1], lang=lang)
    return root, project, paths


def test_each_export_holds_its_own_language(city_exports) -> None:
    _, _, paths = city_exports
    assert [{r["city_label"] for r in calamine_sheet(p, "data")} for p in paths] == [
        {"서울"}, {"東京"}, {"北京"}]
    codebook = calamine_sheet(paths[0], "codebook")
    assert [r["choice_name_of"] for r in codebook if r["variable"] == "city_label"] == ["city"]


@pytest.mark.parametrize(("lang", "names"), [
    ("en", {"seoul": "Seoul", "tokyo": "Tokyo", "beijing": "Beijing"}),
    ("ja", {"seoul": "ソウル", "tokyo": "東京", "beijing": "北京"}),
])
def test_merged_city_label_is_in_the_merge_language(city_exports, lang, names) -> None:
    root, _, paths = city_exports
    out = root / f"merged_{lang}.xlsx"
    result = merge(paths, out, lang=lang, labels=True)
    assert (result.rows, result.conflicts) == (6, 0)
    data = {(r["city"], r["city_label"]) for r in calamine_sheet(out, "data")}
    assert data == set(names.items())
    labels = {(r["city"], r["city_label"]) for r in calamine_sheet(out, "labels")}
    assert labels == {(name, name) for name in names.values()}


def test_one_export_in_two_languages_merges_as_duplicates(city_exports, tmp_path) -> None:
    """Seoul's interviews exported in Korean and again in English differ only in the
    language of city_label: merged, they are identical duplicates, not conflicts."""
    root, project, paths = city_exports
    english = tmp_path / "seoul_en.xlsx"
    export_device(root / "seoul", project, english, lang="en")
    result = merge([paths[0], english], tmp_path / "merged.xlsx", lang="en")
    assert (result.rows, result.duplicates, result.conflicts) == (2, 2, 0)


def test_a_language_the_exports_do_not_have_is_refused(city_exports, tmp_path) -> None:
    """``--lang fr`` was accepted and silently gave English labels (export refuses it)."""
    _, _, paths = city_exports
    with pytest.raises(MergeError) as info:
        merge(paths, tmp_path / "merged.xlsx", lang="fr")
    assert str(info.value) == "language fr is not in three_city_2012 (en, ko, zh, ja)"
    assert not list(tmp_path.iterdir())


def test_a_merged_file_merges_again(city_exports, tmp_path) -> None:
    """Seoul + Tokyo merged, then Beijing added (and Tokyo again): one source_file column
    (it came twice, shifting every value of the second file into conflicts), each row with
    the export it first came from, and Tokyo's rows identical duplicates."""
    _, _, (seoul, tokyo, beijing) = city_exports
    both = tmp_path / "seoul_tokyo.xlsx"
    merge([seoul, tokyo], both, lang="en")
    result = merge([both, beijing, tokyo], tmp_path / "all.xlsx", lang="en")
    assert (result.rows, result.duplicates, result.conflicts) == (6, 2, 0)
    rows = calamine_sheet(tmp_path / "all.xlsx", "data")
    assert list(rows[0])[:3] == ["interview_id", "source_file", "form_id"]
    assert sorted((r["city"], r["source_file"]) for r in rows) == [
        ("beijing", "beijing.xlsx")] * 2 + [("seoul", "seoul.xlsx")] * 2 + [
        ("tokyo", "tokyo.xlsx")] * 2
