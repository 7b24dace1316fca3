"""Build a city team's installers: ``python packaging/build.py --team seoul``.

Steps: check and stage the team preset (``packaging/teams/<team>.toml``), freeze the app with
PyInstaller (``packaging/fieldapp.spec``), then package for this OS — Linux: a tarball and a
``.deb``; Windows: an NSIS installer (``makensis``); macOS: the ``.app`` in a ``.dmg``. Work
files go to ``build/``, artifacts to ``dist/`` (both git-ignored). PyInstaller cannot
cross-build: run this on each OS (``.github/workflows/package.yml`` does).

Replacing the placeholder project key (the supervisor keeps project.key):
    fieldapp keys create --out ~/seoul-keys
    python packaging/build.py --team seoul --project-key ~/seoul-keys/project.pub --release
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from team import Team, TeamError, linux_fonts, load_team, stage, team_names  # noqa: E402

from fieldapp import __version__  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--team", action="append", required=True,
                        help=f"team preset ({', '.join(team_names())}, or all); repeatable")
    parser.add_argument("--project-key", type=Path, metavar="project.pub",
                        help="the team's real project public key (replaces the placeholder)")
    parser.add_argument("--expect-fingerprint", metavar="FP",
                        help="refuse unless the project key has this fingerprint")
    parser.add_argument("--release", action="store_true",
                        help="refuse to build with a placeholder project key")
    parser.add_argument("--portable", action="store_true",
                        help="also make a portable archive (data beside the executable)")
    parser.add_argument("--fast", action="store_true",
                        help="quick compression (smoke tests): gzip -1 instead of gzip -6 / xz")
    parser.add_argument("--no-installer", action="store_true",
                        help="freeze only (skip the .deb / setup.exe / .dmg)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="artifacts (dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="work files (build/)")
    return parser.parse_args(argv)


def freeze(team: Team, staged: Path, work: Path) -> Path:
    """Run PyInstaller on the spec for one team; returns the bundle folder."""
    dist = work / "frozen" / team.team
    env = {**os.environ, "FIELDAPP_STAGE": str(staged), "FIELDAPP_TITLE": team.title,
           "FIELDAPP_LANG": team.language}
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm",
                    "--log-level", "WARN", "--workpath", str(work / "pyinstaller" / team.team),
                    "--distpath", str(dist), str(HERE / "fieldapp.spec")], check=True, env=env)
    if sys.platform == "darwin":
        return dist / "fieldapp.app"
    return dist / "fieldapp"


def render_icons(folder: Path) -> Path:
    subprocess.run([sys.executable, str(HERE / "icons.py"), str(folder)], check=True)
    return folder


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def package(team: Team, bundle: Path, icons: Path, out: Path, portable: bool,
            fast: bool) -> list[Path]:
    """This OS's artifacts for a frozen bundle."""
    if sys.platform.startswith("linux"):
        import linux_pkg

        made = [linux_pkg.tarball(team, bundle, icons, out, __version__, fast=fast)]
        if portable:
            made.append(linux_pkg.tarball(team, bundle, icons, out, __version__, portable=True,
                                          fast=fast))
        if shutil.which("dpkg-deb"):
            made.append(linux_pkg.deb(team, bundle, icons, out, __version__, fast=fast))
        else:
            print("build: dpkg-deb not found; no .deb")
        return made
    if sys.platform == "win32":
        import windows_pkg

        return windows_pkg.build(team, bundle, icons, out, __version__, portable=portable)
    if sys.platform == "darwin":
        import macos_pkg

        return macos_pkg.build(team, bundle, out, __version__)
    raise SystemExit(f"build: no installer recipe for {sys.platform}")


def build_team(name: str, args: argparse.Namespace) -> dict:
    """Stage, freeze and package one team; returns what was made and how long it took."""
    team = load_team(name, args.project_key)
    key_note = _check_key(team, args)
    with work_lock(args.work, team.team):
        return _build(team, args, key_note)


@contextmanager
def work_lock(work: Path, team: str) -> Iterator[None]:
    """Hold ``build/<team>.lock``: a second build of the team into the same work folder
    (both would write build/stage/<team> and build/frozen/<team>) stops with an error."""
    from filelock import FileLock, Timeout

    work.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(work / f"{team}.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise TeamError(f"another build of {team} is using {work}; wait for it to finish") \
            from None
    try:
        yield
    finally:
        lock.release()


def _build(team: Team, args: argparse.Namespace, key_note: str) -> dict:
    started = time.monotonic()
    # Linux bundles carry Noto Sans CJK (a tarball may land where no CJK font is installed);
    # Windows and macOS have their own CJK fonts (ui/fonts.py names them).
    fonts = linux_fonts() if sys.platform.startswith("linux") else None
    staged = stage(team, args.work / "stage" / team.team, __version__, fonts)
    icons = render_icons(staged / "icons")
    bundle = freeze(team, staged, args.work)
    frozen_s = time.monotonic() - started
    args.out.mkdir(parents=True, exist_ok=True)
    made = [] if args.no_installer else package(team, bundle, icons, args.out, args.portable,
                                                args.fast)
    record = {
        "team": team.team, "version": __version__, "platform": sys.platform,
        "bundle": str(bundle), "bundle_bytes": size_of(bundle),
        "freeze_seconds": round(frozen_s, 1), "fast_compression": args.fast,
        "total_seconds": round(time.monotonic() - started, 1), "project_key": key_note,
        "artifacts": {p.name: size_of(p) for p in made},
    }
    (args.out / f"{team.name}-{__version__}-{sys.platform}.json").write_text(
        json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return record


def _check_key(team: Team, args: argparse.Namespace) -> str:
    from fieldapp.crypto import fingerprint, load_project_public_key

    found = fingerprint(load_project_public_key(team.project_key))
    if args.expect_fingerprint and found != args.expect_fingerprint:
        raise TeamError(f"project key {team.project_key} has fingerprint {found}, expected "
                        f"{args.expect_fingerprint}")
    if team.placeholder_key:
        if args.release:
            raise TeamError(f"{team.team}: --release needs the team's own key "
                            "(--project-key project.pub); the placeholder cannot be decrypted")
        print(f"build: WARNING {team.team} uses the development placeholder key {found}: "
              "nobody can decrypt data sealed to it. Field builds need --project-key.")
        return f"{found} (placeholder)"
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = team_names() if "all" in args.team else args.team
    try:
        for name in names:
            record = build_team(name, args)
            print(f"build: {name}: bundle {record['bundle_bytes'] / 2**20:.0f} MiB, frozen in "
                  f"{record['freeze_seconds']:.0f} s, all in {record['total_seconds']:.0f} s; "
                  f"key {record['project_key']}")
            for artifact, size in record["artifacts"].items():
                print(f"  {args.out / artifact}  {size / 2**20:.1f} MiB")
    except TeamError as exc:
        print(f"build: error: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(f"build: error: {exc.cmd[0]} failed (exit {exc.returncode})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
