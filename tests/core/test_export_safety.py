"""Export safety: formula injection (T27), illegal XML characters (T28), Excel limits (T29),
atomic replacement when the target is locked or the disk is full (T05/T31), cancel, and
LibreOffice opening an export."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from fieldapp.export.errors import ExportCancelled, ExportError
from fieldapp.export.merge import merge
from tests.support.devices import make_project
from tests.support.exports import (
    calamine_sheet,
    device_with,
    export_device,
    make_form,
    sheet_xml,
)

RISKY = ["=1+1", '=HYPERLINK("http://x","y")', "+82-10-1234-5678", "-2+3", "@SUM(1)",
         "\t=1", "\r=1"]
ILLEGAL = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]]
LONG = "가나다라마바사 北京東京 " * 3_000 + "끝"  # 40,001 characters


@pytest.fixture(scope="module")
def device(tmp_path_factory):
    root = tmp_path_factory.mktemp("safety")
    project = make_project(root / "keys")
    form = make_form(root / "forms")
    notes = RISKY + [f"a{ch}b" for ch in ILLEGAL] + [LONG, "_x0041_ literal"]
    data, ids = device_with(root, project, form, [
        {"city": "seoul", "wave": "2015", "NOTE": note, "dong": note if i < 7 else "동"}
        for i, note in enumerate(notes)])
    return root, project, data, dict(zip(notes, ids, strict=True))


@pytest.fixture(scope="module")
def exported(device):
    root, project, data, ids = device
    result = export_device(data, project, root / "out.xlsx")
    return root / "out.xlsx", result, ids


def test_no_formula_anywhere_and_values_identical(exported, tmp_path: Path) -> None:
    path, _, ids = exported
    for name, xml in sheet_xml(path).items():
        assert not re.search(r"<f[ >]", xml), name
    data = sheet_xml(path)["xl/worksheets/sheet1.xml"]
    assert '<c t="inlineStr" s="1"><is><t>=1+1</t></is></c>' in data  # quotePrefix style
    assert 'quotePrefix="1"' in zipfile.ZipFile(path).read("xl/styles.xml").decode()
    rows = {r["interview_id"]: r for r in calamine_sheet(path, "data")}
    for text in RISKY:
        assert rows[ids[text]]["NOTE"] == text and rows[ids[text]]["dong"] == text
    labels = {r["interview_id"]: r for r in calamine_sheet(path, "labels")}
    assert all(labels[ids[t]]["NOTE"] == t for t in RISKY)
    # the merge tool must not turn them back into formulas either (T27)
    merged = tmp_path / "merged.xlsx"
    merge([path], merged)
    for name, xml in sheet_xml(merged).items():
        assert not re.search(r"<f[ >]", xml), name
    again = {r["interview_id"]: r for r in calamine_sheet(merged, "data")}
    assert all(again[ids[t]]["NOTE"] == t for t in RISKY)
    parts = [r for r in calamine_sheet(merged, "overflow") if r["row_id"] == ids[LONG]
             and r["sheet"] == "data"]  # the long text survives the merge too
    assert "".join(p["text"] for p in sorted(parts, key=lambda p: p["part"])) == LONG


def test_illegal_characters_escaped_with_warning(exported) -> None:
    path, result, ids = exported
    data = sheet_xml(path)["xl/worksheets/sheet1.xml"]
    assert "<t>a_x0001_b</t>" in data and "<t>a_x001F_b</t>" in data
    assert "_x005F_x0041_ literal" in data  # a literal escape-lookalike is itself escaped
    rows = {r["interview_id"]: r for r in calamine_sheet(path, "data")}
    for ch in ILLEGAL:  # a reader that decodes the escapes gets the recorded text back
        assert rows[ids[f"a{ch}b"]]["NOTE"] == f"a{ch}b"
    assert rows[ids["_x0041_ literal"]]["NOTE"] == "_x0041_ literal"
    warning = next(w for w in result.info.warnings if "_xHHHH_" in w)
    assert f"{len(ILLEGAL)} interview(s)" in warning
    assert all(ids[f"a{ch}b"] in warning for ch in ILLEGAL)


def test_long_text_split_visibly_never_truncated(exported) -> None:
    path, result, ids = exported
    iid = ids[LONG]
    cell = {r["interview_id"]: r for r in calamine_sheet(path, "data")}[iid]["NOTE"]
    assert len(cell) <= 32_767 and cell.endswith("[…continued in sheet 'overflow']")
    parts = [r for r in calamine_sheet(path, "overflow")
             if r["row_id"] == iid and r["sheet"] == "data" and r["variable"] == "NOTE"]
    assert "".join(p["text"] for p in sorted(parts, key=lambda p: p["part"])) == LONG
    assert any(f"{iid} NOTE" in w for w in result.info.warnings)


def test_column_and_row_limits_are_clear_errors(tmp_path: Path) -> None:
    from fieldapp.export.layout import Layout, Table
    from fieldapp.export.schema import Variable
    from fieldapp.export.xlsx.workbook import XlsxWorkbook

    wide = [Variable(name=f"q{i}", kind="int", qtype="integer") for i in range(16_385)]
    with pytest.raises(ExportError, match="variable q16384 is the first beyond it"):
        XlsxWorkbook(tmp_path / "wide.xlsx", Layout(Table("data", wide), []), "en")
    out = XlsxWorkbook(tmp_path / "long.xlsx", Layout(Table("data", wide[:3]), []), "en")
    out.streams["data"].rows = 1_048_576
    with pytest.raises(ExportError, match="interview X-1: more than 1048575"):
        out.add_main(["X-1", 1, 2])
    out.abort()
    assert not list(tmp_path.iterdir())


def _no_temp_files(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_locked_target_keeps_previous_and_saves_new_elsewhere(device, tmp_path, monkeypatch):
    _, project, data, _ = device
    target = tmp_path / "city.xlsx"
    export_device(data, project, target, status="approved")  # the previous export
    before = target.read_bytes()
    real = os.replace

    def locked(src, dst, *a, **k):
        if Path(dst) == target:
            raise PermissionError(13, "Permission denied")
        return real(src, dst, *a, **k)

    monkeypatch.setattr("fieldapp.export.atomic.os.replace", locked)
    with pytest.raises(ExportError) as caught:
        export_device(data, project, target)
    message = str(caught.value)
    assert "close it in Excel" in message and "previous file is unchanged" in message
    assert target.read_bytes() == before
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("city (new ")]
    assert len(kept) == 1 and str(kept[0]) in message
    assert len(calamine_sheet(kept[0], "data")) == len(calamine_sheet(target, "data")) + 38
    _no_temp_files(tmp_path)


def test_cancel_leaves_nothing(device, tmp_path: Path) -> None:
    from fieldapp.export.run import ExportOptions, export
    from fieldapp.export.source import DeviceSource
    from fieldapp.session import DATABASE_FILE
    from fieldapp.storage.store import Store

    _, project, data, _ = device
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return done < 1

    with Store.open(data / DATABASE_FILE) as store, pytest.raises(ExportCancelled):
        export(DeviceSource(store), project.private_key,
               ExportOptions(out=tmp_path / "x.xlsx", progress=progress, workers=0))
    assert calls[0] == (0, 38) and not list(tmp_path.iterdir())


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("mount") is None,
                    reason="needs root to mount a small tmpfs")
def test_disk_full_keeps_previous_export(device, tmp_path: Path) -> None:
    _, project, data, _ = device
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(small)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount tmpfs here")
    try:
        target = small / "city.xlsx"
        export_device(data, project, target, status="approved")
        before = target.read_bytes()
        stat = os.statvfs(small)
        (small / "filler").write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize - 8192))
        with pytest.raises(ExportError, match=r"disk is full.*previous file is unchanged") as info:
            export_device(data, project, target)
        assert "disk is full" not in info.value.render("ko")
        assert target.read_bytes() == before
        _no_temp_files(small)
        assert sorted(p.name for p in small.iterdir()) == ["city.xlsx", "filler"]
    finally:
        subprocess.run(["umount", str(small)], check=False)


@pytest.mark.skipif(shutil.which("libreoffice") is None,
                    reason="LibreOffice not installed (apt-get install libreoffice-calc-nogui)")
def test_libreoffice_opens_export(exported, tmp_path: Path) -> None:
    path, _, ids = exported
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True,
                   timeout=180)
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert ids["=1+1"] in text and ',"=1+1",' in text  # text, not a computed 2
    assert "+82-10-1234-5678" in text and "seoul" in text


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"),
                                   PermissionError(errno.EACCES, "Permission denied")])
def test_os_error_causes_are_in_the_users_language(error: OSError) -> None:
    """The cause inside an export error is translated, not an English phrase in a Korean,
    Chinese or Japanese sentence."""
    from fieldapp.export.atomic import os_error_text
    from fieldapp.i18n import N_

    failure = ExportError(N_("{target}: {value} while writing; the previous file is unchanged"),
                          target="city.xlsx", value=os_error_text(error))
    english = failure.render("en")
    assert "disk is full" in english or "permission denied" in english
    for lang in ("ko", "zh_Hans", "ja"):
        shown = failure.render(lang)
        assert "city.xlsx" in shown
        assert "disk is full" not in shown and "permission denied" not in shown, shown
