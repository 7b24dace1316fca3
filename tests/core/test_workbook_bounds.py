"""Bounded input: every questionnaire workbook read is refused clearly when it is too big or
hostile, alone (``forms check``) or inside a signed bundle (before the import commits)."""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from fieldapp.errors import FormError
from fieldapp.questionnaire import load_questionnaire, load_questionnaire_bytes
from fieldapp.storage.hub_store import HubStore
from fieldapp.sync.device import push_to_folder
from fieldapp.sync.hub_import import import_files
from tests.support import hostile_workbooks as hostile
from tests.support.devices import ROOT, make_device, make_project, open_session
from tests.support.formtools import md_to_xlsx
from tests.support.sync import fill, hub_snapshot, make_form

FORM = """
| survey |
| | type | name | label |
| | text | name | Name |
| settings |
| | form_id | version |
| | bounded | 1 |
"""


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> bytes:
    return md_to_xlsx(FORM, tmp_path_factory.mktemp("wb") / "good.xlsx").read_bytes()


@pytest.fixture(scope="module")
def bomb(good: bytes) -> bytes:
    return hostile.zip_bomb(good)


@pytest.mark.parametrize(("make", "reason"), [
    (hostile.zip_bomb, "would unpack to 25"),
    (hostile.many_rows, "has more than 20,000 rows"),
    (hostile.far_cell, "has cells beyond column 1,024"),
    (lambda good: hostile.with_sheet_rows(good, hostile.survey_part(good), (
        '<row r="9">' + '<c t="inlineStr"><is><t>x</t></is></c>' * 1000 + "</row>").encode(),
        260), "has more than 250,000 cells"),
    (hostile.lying_size, "the workbook is damaged (a part cannot be unpacked)"),
])
def test_hostile_workbook_is_refused_in_one_issue(good: bytes, make, reason: str) -> None:
    with pytest.raises(FormError) as info:
        load_questionnaire_bytes(make(good), "hostile.xlsx")
    assert len(info.value.issues) == 1 and reason in str(info.value)


def test_a_declared_sheet_size_is_not_trusted(good: bytes) -> None:
    part = hostile.survey_part(good)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                data = data.replace(b'<dimension ref="A1:C2"/>',
                                    b'<dimension ref="A1:XFD1048576"/>')
            dst.writestr(info, data)
    assert load_questionnaire_bytes(out.getvalue(), "wide.xlsx").form_id == "bounded"


def test_forms_check_refuses_the_bomb_in_one_line(bomb: bytes, tmp_path: Path) -> None:
    path = hostile.write(tmp_path / "bomb.xlsx", bomb)
    assert path.stat().st_size < 4 << 20
    result = subprocess.run([sys.executable, "-m", "fieldapp", "forms", "check", str(path)],
                            capture_output=True, text=True, cwd=ROOT, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1 and "internal error" not in result.stderr
    assert "refused: the workbook would unpack to 256 MB" in result.stderr
    assert len(result.stderr.splitlines()) == 1  # "FAIL path: the problem", one line


def test_forms_check_lists_at_most_50_problems(tmp_path: Path) -> None:
    rows = "".join(f"| | integr | q{i} | Q{i} |\n" for i in range(120))
    form = "| survey |\n| | type | name | label |\n" + rows
    path = md_to_xlsx(form, tmp_path / "many.xlsx")
    with pytest.raises(FormError) as info:
        load_questionnaire(path)
    text = str(info.value)
    assert len(info.value.issues) >= 120
    assert text.count("\n  [") == 50 and "more problem(s) not listed" in text


def test_bomb_in_a_signed_bundle_is_rejected_before_the_import(good: bytes,
                                                               tmp_path: Path) -> None:
    project = make_project(tmp_path / "keys")
    form_path = make_form(tmp_path / "forms")
    data = make_device(tmp_path / "device", project)
    hub_dir = tmp_path / "hub"
    with open_session(data) as session:
        form = session.install_form(form_path)
        registration = push_to_folder(session, _box(tmp_path / "reg"), register=True).path
    with HubStore.open(hub_dir, create=True) as hub:
        import_files(hub, registration, trust=True)
    before = hub_snapshot(hub_dir)
    # a tampered laptop: the store holds a zip bomb under the form's id and version, and the
    # app signs and sends it as usual
    bomb = hostile.zip_bomb(open(form_path, "rb").read())
    with sqlite3.connect(data / "fieldapp.db") as conn:
        conn.execute("UPDATE forms SET content = ?, sha256 = ? WHERE form_id = ?",
                     (bomb, hashlib.sha256(bomb).hexdigest(), form.form_id))
    with open_session(data) as session:
        session._forms[(form.form_id, form.version)] = form  # the parsed copy in memory
        recording = session.start_interview(form, language="ko")
        fill(recording)
        recording.finalise()
        bundle = push_to_folder(session, _box(tmp_path / "out")).path
    with HubStore.open(hub_dir) as hub:
        results, errors, _ = import_files(hub, bundle)
    assert results == [] and len(errors) == 1
    assert "is not a valid questionnaire" in errors[0] and "would unpack to" in errors[0]
    assert hub_snapshot(hub_dir) == before


def _box(folder: Path) -> Path:
    folder.mkdir()
    return folder


ODD_ZIPS = [(6, b"\x40\x00"), (8, b"\x01\x00"), (10, b"\x63\x00")]  # v6.4, encrypted, AES


@pytest.mark.parametrize(("offset", "value"), ODD_ZIPS, ids=["version", "encrypted", "method"])
def test_zip_features_python_cannot_read_are_a_form_error(good: bytes, offset: int,
                                                         value: bytes) -> None:
    # zipfile raises NotImplementedError / RuntimeError here, not BadZipFile (found by CI's
    # property test: a flipped byte made "zip file version 6.4")
    odd = hostile.patched_directory(good, offset, value)
    for name in ("odd.xlsx", "odd"):
        with pytest.raises(FormError) as info:
            load_questionnaire_bytes(odd, name)
        assert len(info.value.issues) == 1
        assert "damaged" in str(info.value) or "password-protected" in str(info.value)


@pytest.mark.parametrize(("offset", "value"), ODD_ZIPS, ids=["version", "encrypted", "method"])
def test_zip_features_python_cannot_read_are_a_merge_error(good: bytes, tmp_path: Path,
                                                          offset: int, value: bytes) -> None:
    from fieldapp.export.errors import MergeError
    from fieldapp.export.merge import merge

    path = hostile.write(tmp_path / "odd.xlsx", hostile.patched_directory(good, offset, value))
    with pytest.raises(MergeError):
        merge([path, path], tmp_path / "merged.xlsx")
    assert not (tmp_path / "merged.xlsx").exists()


@pytest.mark.parametrize(("rows", "columns", "reason"), [
    (1_000, 256, "more than 250,000 cells"), (21_000, 2, "has more than 20,000 rows")])
def test_xls_cell_bomb_is_refused_before_xlrd_builds_the_sheet(monkeypatch, rows: int,
                                                              columns: int,
                                                              reason: str) -> None:
    # xlrd builds a whole sheet in memory when asked for it: a 30 MB .xls took 4.5 s and
    # 165 MB before the cell budget refused it; the records are counted first now
    import xlrd

    from fieldapp.questionnaire.read_xls import read_xls

    built: list[int] = []
    real = xlrd.book.Book.sheet_by_index
    monkeypatch.setattr(xlrd.book.Book, "sheet_by_index",
                        lambda book, index: built.append(index) or real(book, index))
    with pytest.raises(FormError, match=reason):
        read_xls("bomb.xls", hostile.biff_workbook(rows, columns))
    assert built == []
    small = hostile.biff_workbook(3, 3)  # the same layout, small, is read as usual
    assert read_xls("small.xls", small).rows["survey"] and built == [0]


def test_an_xls_bigger_than_its_bound_is_not_opened() -> None:
    oversized = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(13 << 20)
    with pytest.raises(FormError, match="larger than 12 MB"):
        load_questionnaire_bytes(oversized, "form.xls")
