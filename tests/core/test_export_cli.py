"""``fieldapp export`` / ``fieldapp merge`` as a script runs them: exit codes, one-line errors,
files written; and an export straight from a real supervisor hub."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from tests.support.devices import KEY_PASSPHRASE, ROOT, make_project
from tests.support.exports import BASE, calamine_sheet, device_with, make_form


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, "FIELDAPP_KEY_PASSPHRASE": KEY_PASSPHRASE, **(env or {})}
    full.pop("FIELDAPP_PASSPHRASE", None)
    return subprocess.run([sys.executable, "-m", "fieldapp", *args], capture_output=True,
                          text=True, cwd=ROOT, env=full, timeout=180)


@pytest.fixture(scope="module")
def device(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli_export")
    project = make_project(root / "keys")
    data, ids = device_with(root, project, make_form(root / "forms"),
                            [BASE, {**BASE, "city": "tokyo"}])
    return root, project, data, ids


def test_export_and_merge_commands(device, tmp_path: Path) -> None:
    _, project, data, _ = device
    out = tmp_path / "seoul.xlsx"
    result = run("export", "--data", str(data), "--key", str(project.private), "--out",
                 str(out), "--lang", "ja")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out) and "2 interview(s) exported" in result.stderr
    labels = calamine_sheet(out, "labels")
    assert {r["city"] for r in labels} == {"ソウル", "東京"}
    result = run("export", "--data", str(data), "--key", str(project.private), "--out",
                 str(tmp_path / "seoul.csv"))
    assert result.returncode == 0 and (tmp_path / "seoul_hh.csv").exists()
    merged = tmp_path / "merged.xlsx"
    result = run("merge", str(out), "--out", str(merged), "--cities", "tokyo,seoul", "--pooled")
    assert result.returncode == 0, result.stderr
    assert "2 interview(s) merged" in result.stderr and merged.exists()
    summary = CalamineWorkbook.from_path(str(merged)).get_sheet_by_name("summary").to_python()
    head = next(r for r in summary if r[:2] == ["variable", "item"])
    assert head[2:8] == ["東京", "n", "ソウル", "n", "all cities", "n"]  # the file's language


def test_errors_are_one_line_without_traceback(device, tmp_path: Path) -> None:
    _, project, data, _ = device
    out = tmp_path / "x.xlsx"
    cases = [
        (["export", "--data", str(data), "--key", str(project.private), "--out", str(out)],
         {"FIELDAPP_KEY_PASSPHRASE": "wrong passphrase"}, "wrong passphrase"),
        (["export", "--data", str(tmp_path / "nowhere"), "--key", str(project.private),
          "--out", str(out)], None, "no device data here"),
        (["export", "--data", str(data), "--key", str(project.private), "--out", str(out),
          "--map", "NBR01"], None, "expected QUESTION=text"),
        (["export", "--data", str(data), "--key", str(project.private), "--out",
          str(tmp_path / "missing" / "x.xlsx")], None, "the folder does not exist"),
        (["merge", str(project.private), "--out", str(out)], None, "not an .xlsx workbook"),
        (["merge", str(project.private), "--out", str(out), "--cities", " , "], None,
         "--cities: give city codes"),
        (["export", "--hub", str(tmp_path / "nohub"), "--key", str(project.private),
          "--out", str(out)], None, "no hub here"),
    ]
    for args, env, message in cases:
        result = run(*args, env=env)
        assert result.returncode not in (0, 70), (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_export_from_a_real_hub(tmp_path: Path) -> None:
    from fieldapp.storage.hub_store import HubStore
    from fieldapp.sync.hub_import import import_bundle
    from tests.support.sync import build_world

    world = build_world(tmp_path, per_device=2)
    with HubStore.open(tmp_path / "hub", create=True) as hub:
        for name in world.devices:
            import_bundle(hub, world.registrations[name], trust=True)
            import_bundle(hub, world.bundles[name])
    out = tmp_path / "hub.xlsx"
    result = run("export", "--hub", str(tmp_path / "hub"), "--key", str(world.project.private),
                 "--out", str(out), "--status", "all")
    assert result.returncode == 0, result.stderr
    rows = calamine_sheet(out, "data")
    assert sorted(r["interview_id"] for r in rows) == sorted(world.ids["a"] + world.ids["b"])
    assert {(r["enumerator"], r["city"]) for r in rows} == {("E01", "seoul"), ("E02", "tokyo")}
    assert len(calamine_sheet(out, "hh")) == 4
