"""Windows artifacts: the NSIS installer (``windows/fieldapp.nsi``) and a portable zip.

On Windows ``build.py`` calls :func:`build` with the frozen bundle. On Linux the script can be
proven valid without a Windows build — compiled by Debian's ``makensis`` (warnings are
errors) against a placeholder payload:
    python packaging/windows_pkg.py --check [--team seoul ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from team import Team

HERE = Path(__file__).resolve().parent
NSI = HERE / "windows" / "fieldapp.nsi"
#: NSIS language ids of the installer's first page, by team language.
LANG_IDS = {"en": 1033, "ko": 1042, "zh": 2052, "ja": 1041}


def makensis_command(team: Team, payload: Path, out: Path, version: str,
                     icon: Path | None) -> list[str]:
    """The makensis call (Windows' ``makensis.exe`` and Debian's ``makensis`` alike)."""
    tool = shutil.which("makensis") or "makensis"
    flag = "/" if sys.platform == "win32" else "-"
    defines = {"APP_NAME": team.name, "APP_TITLE": team.title, "APP_VERSION": version,
               "PAYLOAD": str(payload), "OUTFILE": str(out),
               "DEFAULT_LANG": str(LANG_IDS[team.language])}
    if icon is not None:
        defines["ICON"] = str(icon)
    return [tool, f"{flag}V2", f"{flag}WX", f"{flag}INPUTCHARSET", "UTF8",
            *(f"{flag}D{k}={v}" for k, v in defines.items()), str(NSI)]


def build(team: Team, bundle: Path, icons: Path, out: Path, version: str, *,
          portable: bool = False) -> list[Path]:
    """``<name>-<version>-setup.exe`` (and a portable zip) from a Windows bundle."""
    setup = out / f"{team.name}-{version}-setup.exe"
    icon = icons / "fieldapp.ico"
    # Written under a .part name and renamed when complete: a build killed midway leaves
    # no broken installer under the real name.
    subprocess.run(makensis_command(team, bundle, setup.with_name(setup.name + ".part"),
                                    version, icon if icon.is_file() else None), check=True)
    os.replace(setup.with_name(setup.name + ".part"), setup)
    made = [setup]
    if portable:
        from fieldapp.paths import PORTABLE_MARKER

        archive = out / f"{team.name}-{version}-windows-portable.zip"
        part = archive.with_name(archive.name + ".part")
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(bundle.rglob("*")):
                if path.is_file():
                    zf.write(path, f"{team.name}/{path.relative_to(bundle)}")
            zf.writestr(f"{team.name}/{PORTABLE_MARKER}",
                        "This copy keeps its data in the fieldapp-data folder here.\r\n")
        os.replace(part, archive)
        made.append(archive)
    return made


def check(teams: list[Team], version: str) -> None:
    """Compile the script for each team against a placeholder payload (proves it valid)."""
    with tempfile.TemporaryDirectory(prefix="nsis-check-") as tmp:
        payload = Path(tmp) / "payload"
        (payload / "_internal").mkdir(parents=True)
        for name in ("fieldapp-gui.exe", "fieldapp.exe", "_internal/placeholder.txt"):
            (payload / name).write_text("placeholder payload: not a Windows build\n")
        subprocess.run([sys.executable, str(HERE / "icons.py"), str(Path(tmp) / "icons")],
                       check=True)
        for team in teams:
            setup = Path(tmp) / f"{team.name}-setup.exe"
            subprocess.run(makensis_command(team, payload, setup, version,
                                            Path(tmp) / "icons" / "fieldapp.ico"),
                           check=True, stdout=subprocess.DEVNULL)
            head = setup.read_bytes()[:2]
            if head != b"MZ":
                raise SystemExit(f"nsis: {setup.name} is not a Windows executable")
            print(f"nsis: {team.team}: compiled {setup.name} ({setup.stat().st_size} bytes, "
                  f"first page in {team.language})")


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE.parent))
    from team import load_team, team_names

    from fieldapp import __version__

    parser = argparse.ArgumentParser(description="check the NSIS script with makensis")
    parser.add_argument("--check", action="store_true", required=True)
    parser.add_argument("--team", action="append", default=None)
    args = parser.parse_args(argv)
    if shutil.which("makensis") is None:
        print("nsis: makensis not found (apt-get install nsis)", file=sys.stderr)
        return 1
    check([load_team(name) for name in (args.team or team_names())], __version__)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
