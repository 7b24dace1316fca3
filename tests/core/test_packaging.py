"""Packaging support in the app (frozen helper dispatch, data folders) and the team presets.

The frozen build itself is exercised by ``packaging/smoke.sh``; these tests cover the parts
that run from source too: a frozen executable re-entered as the export helper (simulated by a
launcher that runs the same entry scripts), portable mode, '%' in the install path, and the
three team presets as the build script checks and stages them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

from fieldapp import entry, paths, prefs, processes
from tests.support.devices import make_project
from tests.support.exports import (
    BASE,
    calamine_sheet,
    device_with,
    export_device,
    make_form,
)

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="launchers are shell scripts")


def load_team_module() -> ModuleType:
    """packaging/team.py, loaded by path (packaging/ is not a Python package)."""
    name = "fieldapp_packaging_team"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / "team.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def launcher(path: Path, *args: str) -> Path:
    """An executable standing in for a frozen one: runs an entry script with its arguments."""
    quoted = " ".join(f'"{a}"' for a in args)
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" {quoted} "$@"\n', encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture(scope="module")
def device(tmp_path_factory):
    root = tmp_path_factory.mktemp("frozen-export")
    project = make_project(root / "keys")
    data, _ids = device_with(root, project, make_form(root / "forms"), [BASE, BASE])
    export_device(data, project, root / "in-process.xlsx", lang="ko")
    return root, data, project


@posix_only
def test_frozen_export_helpers_run_through_the_entry_script(
        device, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Frozen, ``multiprocessing`` starts each export helper as the app's own executable
    with ``--multiprocessing-fork``: the entry script must hand it over before the GUI
    starts, and the workbook must be the one an in-process export writes."""
    root, data, project = device
    gui = launcher(tmp_path / processes.GUI_NAME, str(ROOT / "main.py"))
    from multiprocessing import resource_tracker, spawn

    resource_tracker.ensure_running()  # a frozen app's own freeze support runs it
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(gui))
    monkeypatch.setattr(spawn, "_python_exe", os.fsencode(gui))  # as set when frozen
    # A GUI started by mistake must not hang the test: it quits after its first frame.
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("FIELDAPP_EXIT_AFTER_SHOW", "1")
    out = tmp_path / "helper.xlsx"
    export_device(data, project, out, workers=2, lang="ko")
    for sheet in ("data", "labels", "hh"):
        assert calamine_sheet(out, sheet) == calamine_sheet(root / "in-process.xlsx", sheet)


def test_only_helper_starts_dispatch() -> None:
    assert entry.dispatch_helper(["fieldapp", "forms", "check"]) is None
    assert entry.dispatch_helper(["fieldapp", "-m", "os"]) is None
    assert entry.dispatch_helper(["fieldapp", "export", processes.FORK_FLAG]) is None


def test_forced_helper_count(monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldapp.export.parallel import auto_workers

    monkeypatch.setenv("FIELDAPP_EXPORT_WORKERS", "2")
    assert auto_workers(3) == 2
    monkeypatch.setenv("FIELDAPP_EXPORT_WORKERS", "0")
    assert auto_workers(None) == 0


def test_portable_app_keeps_data_beside_the_executable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = tmp_path / "app" / "fieldapp"
    exe.parent.mkdir()
    exe.write_text("")
    monkeypatch.delenv("FIELDAPP_HOME", raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    (exe.parent / paths.PORTABLE_MARKER).write_text("")
    assert paths.portable_data_dir() is None  # from source: never portable
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert paths.data_dir() == exe.parent / paths.PORTABLE_DATA
    assert paths.data_dir(tmp_path / "x") == tmp_path / "x"  # --data still wins
    monkeypatch.setenv("FIELDAPP_HOME", str(tmp_path / "home"))
    assert paths.data_dir() == tmp_path / "home"
    monkeypatch.delenv("FIELDAPP_HOME")
    (exe.parent / paths.PORTABLE_MARKER).unlink()
    assert paths.data_dir() != exe.parent / paths.PORTABLE_DATA  # the user data directory


def test_percent_sign_in_the_install_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Installers let users choose the folder; Alembic's config interpolation must not see
    a bare '%' in the migrations path."""
    from fieldapp.storage import migrate as migrate_module
    from fieldapp.storage.db import open_engine

    copy = tmp_path / "50% 현장" / "migrations"
    shutil.copytree(migrate_module.MIGRATIONS_DIR, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate_module, "MIGRATIONS_DIR", copy)
    engine = open_engine(tmp_path / "db.sqlite")
    try:
        assert migrate_module.migrate(engine) is True
        assert migrate_module.current_revision(engine) == migrate_module.HEAD_REVISION
    finally:
        engine.dispose()


@pytest.mark.parametrize("name", ["seoul", "beijing", "tokyo"])
def test_team_preset_stages_what_the_app_reads(name: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    team_module = load_team_module()
    team = team_module.load_team(name)
    assert team.placeholder_key  # the repository only holds placeholders
    staged = team_module.stage(team, tmp_path / "stage", "0.0")
    settings = prefs.load(tmp_path / "no-user-settings", staged / "preset")
    assert (settings.ui_language, settings.city) == (team.ui_language, team.city)
    assert settings.interview_language == team.interview_language
    info = json.loads((staged / "preset" / "team.json").read_text(encoding="utf-8"))
    assert info["placeholder_key"] is True and info["time_zone"] == team.time_zone
    assert sorted(p.name for p in (staged / "questionnaires").iterdir()) == sorted(
        p.name for p in team.questionnaires)
    monkeypatch.setattr(sys, "_MEIPASS", str(staged), raising=False)
    assert paths.preset_project_key() == staged / "preset" / "project.pub"
    assert len(paths.bundled_questionnaires()) == len(team.questionnaires)


def test_team_preset_errors_name_the_field(tmp_path: Path) -> None:
    team_module = load_team_module()
    team = team_module.load_team("seoul")
    bad_zone = team_module.Team(**{**team.__dict__, "time_zone": "Asia/Tokyo"})
    with pytest.raises(team_module.TeamError, match="time_zone Asia/Tokyo"):
        team_module.check(bad_zone, Path("seoul.toml"))
    bad_lang = team_module.Team(**{**team.__dict__, "ui_language": "kr"})
    with pytest.raises(team_module.TeamError, match="ui_language"):
        team_module.check(bad_lang, Path("seoul.toml"))
    (tmp_path / "project.pub").write_text("not a key")
    with pytest.raises(team_module.TeamError, match="project key"):
        team_module.load_team("seoul", tmp_path / "project.pub")
    with pytest.raises(team_module.TeamError, match="no team 'paris'"):
        team_module.load_team("paris")


def load_packaging_module(name: str) -> ModuleType:
    """A build module from packaging/ (they import team.py by its plain name)."""
    team = load_team_module()
    sys.modules.setdefault("team", team)
    spec = importlib.util.spec_from_file_location(f"fieldapp_packaging_{name}",
                                                  ROOT / "packaging" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (shutil.which("dpkg") and shutil.which("objdump")
                         and Path("/usr/bin/xz").is_file()),
                    reason="needs a Debian system with binutils")
def test_deb_depends_come_from_the_libraries_a_bundle_needs(tmp_path: Path) -> None:
    """A 'bundle' holding a copy of xz (needs liblzma.so.5 and libc) and of liblzma itself:
    the bundled library is not a dependency; libc is, versioned by GLIBC symbols."""
    linux_pkg = load_packaging_module("linux_pkg")
    shutil.copy("/usr/bin/xz", tmp_path / "xz")
    assert any(d.startswith("liblzma5") for d in linux_pkg.depends(tmp_path))
    lzma = linux_pkg._ldconfig()["liblzma.so.5"]
    shutil.copy(lzma, tmp_path / "liblzma.so.5")
    found = linux_pkg.depends(tmp_path)
    assert not any(d.startswith("liblzma5") for d in found)
    assert found[0].startswith("libc6 (>= 2.") and "fonts-noto-cjk" in found[-1]


def desktop_exec_path(value: str) -> str:
    """The program of an ``Exec`` value that is one quoted argument (Desktop Entry spec:
    string escapes first, then the quoting rule, then ``%%`` is a literal ``%``)."""
    value = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(
        m.group(1), m.group(1)), value)
    assert value.startswith('"') and value.endswith('"'), value
    inner = re.sub(r'\\([\\"`$])', r"\1", value[1:-1])
    assert "%" not in inner.replace("%%", ""), "a lone % is a field code"
    return inner.replace("%%", "%")


needs_validator = pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                                     reason="needs desktop-file-utils (bootstrap --dev)")


@needs_validator
def test_deb_menu_entry_is_valid(tmp_path: Path) -> None:
    linux_pkg = load_packaging_module("linux_pkg")
    team = load_team_module().load_team("beijing")
    entry = tmp_path / "org.fieldapp.FieldApp.desktop"
    entry.write_text(linux_pkg.desktop_entry(team, "/opt/fieldapp-beijing/fieldapp-gui",
                                             linux_pkg.APP_ICON), encoding="utf-8")
    result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True,
                            text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout
    assert "Name[zh_CN]=fieldapp 北京" in entry.read_text(encoding="utf-8")


@needs_validator
@posix_only
def test_tarball_menu_entry_works_from_any_folder(tmp_path: Path) -> None:
    """``install-user.sh`` from a folder whose name holds a space, Hangul, '%', '$', quotes,
    a backtick and a backslash: the menu entry is valid and starts that folder's program."""
    linux_pkg = load_packaging_module("linux_pkg")
    team = load_team_module().load_team("seoul")
    bundle, icons = tmp_path / "bundle", tmp_path / "icons"
    bundle.mkdir()
    (bundle / "fieldapp-gui").write_text("#!/bin/sh\n")
    icons.mkdir()
    (icons / "fieldapp-256.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    archive = linux_pkg.tarball(team, bundle, icons, tmp_path / "dist", "0.0", fast=True)
    place = tmp_path / 'USB 50% $HOME "a" `b` c\\d 현장'
    place.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(place, filter="data")
    app = place / f"{team.name}-0.0"
    home = tmp_path / "home"
    subprocess.run(["sh", str(app / "install-user.sh")], check=True, capture_output=True,
                   env={"HOME": str(home), "PATH": os.environ["PATH"]})
    entry = home / ".local/share/applications" / f"{linux_pkg.APP_ICON}.seoul.desktop"
    result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True,
                            text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout
    line = next(v for v in entry.read_text(encoding="utf-8").splitlines()
                if v.startswith("Exec="))
    assert desktop_exec_path(line[len("Exec="):]) == str(app / "fieldapp-gui")


HOLD_BUILD_LOCK = """
import sys
from filelock import FileLock
lock = FileLock(sys.argv[1], timeout=0)
lock.acquire()
print("held", flush=True)
sys.stdin.readline()
"""


def test_second_build_of_a_team_stops_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Two builds of one team into one work folder would overwrite each other's stage and
    bundle: the second stops with a one-line error before it touches anything."""
    build = load_packaging_module("build")
    work = tmp_path / "build"
    work.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_BUILD_LOCK, str(work / "seoul.lock")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"

        def no_freeze(*_args: object) -> Path:
            raise AssertionError("the second build froze the app")

        monkeypatch.setattr(build, "freeze", no_freeze)
        code = build.main(["--team", "seoul", "--work", str(work), "--out", str(tmp_path / "d")])
    finally:
        holder.communicate("\n", timeout=60)
    assert code == 1
    assert "another build of seoul" in capsys.readouterr().err
    assert not (work / "stage").exists()


@pytest.mark.skipif(not (shutil.which("dpkg-deb") and shutil.which("objdump")),
                    reason="needs dpkg-deb and binutils")
def test_fonts_ship_in_the_bundle_but_not_twice_in_the_deb(tmp_path: Path) -> None:
    """Linux bundles carry the CJK fonts (for the tarball); the .deb leaves them out: it
    depends on fonts-noto-cjk."""
    team_module = load_team_module()
    linux_pkg = load_packaging_module("linux_pkg")
    team = team_module.load_team("tokyo")
    font = tmp_path / "NotoSansCJK-Regular.ttc"
    font.write_bytes(b"ttcf")
    staged = team_module.stage(team, tmp_path / "stage", "0.0", [font])
    assert (staged / "fonts" / font.name).read_bytes() == b"ttcf"
    info = json.loads((staged / "preset" / "team.json").read_text(encoding="utf-8"))
    assert info["fonts"] == [font.name]
    bundle = tmp_path / "bundle"
    shutil.copytree(staged / "fonts", bundle / "_internal" / "fonts")
    (bundle / "fieldapp-gui").write_text("#!/bin/sh\n")
    (bundle / "fieldapp").write_text("#!/bin/sh\n")
    icons = tmp_path / "icons"
    icons.mkdir()
    for size in (48, 64, 128, 256, 512):
        (icons / f"fieldapp-{size}.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    deb = linux_pkg.deb(team, bundle, icons, tmp_path / "dist", "0.0", fast=True)
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout
    assert "/opt/fieldapp-tokyo/fieldapp-gui" in listing and "fonts/" not in listing
    assert not list((tmp_path / "dist").glob("*.part"))
    control = subprocess.run(["dpkg-deb", "-f", str(deb), "Depends"], capture_output=True,
                             text=True, check=True).stdout
    assert "fonts-noto-cjk" in control
