"""Several versions of one questionnaire export as one column set; a changed type is refused
unless mapped (``--map Q=text``)."""

from __future__ import annotations

import pytest

from fieldapp.export.errors import ExportError
from tests.support.devices import make_device, make_project
from tests.support.exports import (
    calamine_sheet,
    export_device,
    make_form,
    record_all,
)

ANSWERS = {"city": "seoul", "wave": "2015", "NBR01": 12, "NOTE": "v"}


@pytest.fixture(scope="module")
def device(tmp_path_factory):
    root = tmp_path_factory.mktemp("versions")
    project = make_project(root / "keys")
    v1 = make_form(root / "forms", "1")
    data = make_device(root / "dev", project, forms=[v1])
    first = record_all(data, v1, [ANSWERS])[0]
    second = record_all(data, make_form(root / "forms", "2", v2=True),
                        [{**ANSWERS, "NEW2": 5}])[0]
    return root, project, data, first, second


def test_added_question_is_empty_for_old_rows(device) -> None:
    root, project, data, first, second = device
    result = export_device(data, project, root / "both.xlsx")
    assert result.info.versions == ("1", "2")
    rows = {r["interview_id"]: r for r in calamine_sheet(root / "both.xlsx", "data")}
    assert rows[first]["NEW2"] == "" and rows[second]["NEW2"] == 5
    assert rows[first]["form_version"] == "1" and rows[second]["form_version"] == "2"
    assert rows[first]["NBR01"] == rows[second]["NBR01"] == 12
    header = list(rows[first])
    assert header.index("NEW2") == header.index("NOTE") + 1  # v2's position
    codebook = [r for r in calamine_sheet(root / "both.xlsx", "codebook")
                if r["variable"] == "NEW2"]
    assert codebook[0]["versions"] == "2"


def test_type_change_refused_unless_mapped(device, tmp_path) -> None:
    root, project, data, first, _ = device
    third = record_all(data, make_form(root / "forms", "3", nbr_text=True),
                       [{**ANSWERS, "NBR01": "about twelve"}])[0]
    with pytest.raises(ExportError, match=r"question NBR01 is integer in export_test v2 but "
                                          r"text in v3: .*--map NBR01=text"):
        export_device(data, project, tmp_path / "x.xlsx")
    assert not list(tmp_path.iterdir())
    export_device(data, project, tmp_path / "x.xlsx", mapping={"NBR01": "text"})
    rows = {r["interview_id"]: r for r in calamine_sheet(tmp_path / "x.xlsx", "data")}
    assert rows[first]["NBR01"] == "12" and rows[third]["NBR01"] == "about twelve"
    with pytest.raises(ExportError, match="--map names unknown question"):
        export_device(data, project, tmp_path / "y.xlsx", mapping={"NBR01": "text", "NOPE": "text"})


def test_versions_are_listed_newest_last_by_the_one_version_order(tmp_path) -> None:
    """The about sheet lists versions 9 before 10 (versions.version_key), not as text."""
    project = make_project(tmp_path / "keys")
    v9 = make_form(tmp_path / "forms9", "9")
    data = make_device(tmp_path / "dev", project, forms=[v9])
    record_all(data, v9, [ANSWERS])
    record_all(data, make_form(tmp_path / "forms10", "10", v2=True), [{**ANSWERS, "NEW2": 5}])
    result = export_device(data, project, tmp_path / "both.xlsx")
    assert result.info.versions == ("9", "10")
