"""Export metadata: ZIP entry dates, and labels a format cannot hold whole (SPSS value labels
of 120 bytes) — shortened at a character boundary, listed in about, whole in the codebook."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from pathlib import Path

import pytest

from fieldapp.export.xlsx.zipwriter import BytesPart, assemble
from tests.support.devices import make_device, make_project
from tests.support.exports import export_device, record_all
from tests.support.shipped_answers import answers_for, form_path


def test_zip_entry_dates_are_the_day_written() -> None:
    for _ in range(3):  # retried if the clock passes midnight in between
        before = time.localtime()
        out = io.BytesIO()
        assemble(out, [BytesPart("a.xml", b"<a/>"), BytesPart("b.xml", b"<b/>")])
        after = time.localtime()
        if before[:3] == after[:3]:
            break
    stamps = {info.date_time[:3] for info in zipfile.ZipFile(out).infolist()}
    assert stamps == {before[:3]}  # year, month, day (the month was shifted by 4 bits)


@pytest.fixture(scope="module")
def japanese_sav(tmp_path_factory):
    root = tmp_path_factory.mktemp("labels")
    project = make_project(root / "keys")
    form = form_path("risk_governance_2015")
    data = make_device(root / "dev", project, forms=[form])
    record_all(data, form, [answers_for("risk_governance_2015", "seoul", i) for i in range(3)],
               language="ja")
    result = export_device(data, project, root / "ja.sav", fmt="sav", lang="ja")
    return root, result


def test_long_value_label_is_cut_listed_and_kept_whole(japanese_sav) -> None:
    import pyreadstat

    root, result = japanese_sav
    with open(root / "ja_codebook.csv", encoding="utf-8-sig", newline="") as f:
        pole = next(r for r in csv.DictReader(f) if r["variable"] == "GOVCIT1"
                    and r["code"] == "9")["code_label::ja"]
    assert len(pole.encode("utf-8")) > 120  # the whole Japanese pole, in the codebook
    _, meta = pyreadstat.read_sav(str(root / "ja.sav"), metadataonly=True)
    shown = meta.variable_value_labels["GOVCIT1"][9]
    assert pole.startswith(shown) and 117 < len(shown.encode("utf-8")) <= 120
    warning = next(w for w in result.info.warnings if "GOVCIT1 = 9" in w)
    assert "120 bytes" in warning and "codebook" in warning
    with open(root / "ja_about.csv", encoding="utf-8-sig", newline="") as f:
        about = list(csv.reader(f))
    assert ["warning", warning] in about
    notes = " ".join(meta.notes)  # the SPSS file's own documents
    assert "GOVCIT1 = 9" in notes and "project_key_fingerprint" in notes


def test_sav_and_companions_are_replaced_together(japanese_sav, tmp_path: Path) -> None:
    root, result = japanese_sav
    assert [p.name for p in result.paths] == ["ja.sav", "ja_codebook.csv", "ja_about.csv"]
    assert not [p for p in root.iterdir() if p.name.startswith(".")]  # no temporary files
