"""Linux artifacts from a frozen bundle: a tarball and a ``.deb`` built with ``dpkg-deb``.

The ``.deb``'s Depends are computed from the bundle itself: every shared library some bundled
ELF file needs (``DT_NEEDED``) that is not inside the bundle is looked up on the build machine
(``ldconfig -p``), mapped to its Debian package (``dpkg -S``) and versioned from that
package's ``shlibs`` file; libc6 gets the newest ``GLIBC_x.y`` symbol version the bundle
references. The fonts and input methods the app needs are added by name.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path
from string import Template

from team import Team

HERE = Path(__file__).resolve().parent
APP_ICON = "org.fieldapp.FieldApp"
#: Packages the app needs that no library names: CJK fonts for ko/zh/ja text.
#: fontconfig-config: the bundled libfontconfig reads the system's /etc/fonts.
EXTRA_DEPENDS = ["fontconfig-config", "fonts-noto-cjk | fonts-noto-cjk-extra"]
#: The city in each UI language, for the menu entry's Name[xx].
CITY_NAMES = {"seoul": {"en": "Seoul", "ko": "서울", "zh": "首尔", "ja": "ソウル"},
              "beijing": {"en": "Beijing", "ko": "베이징", "zh": "北京", "ja": "北京"},
              "tokyo": {"en": "Tokyo", "ko": "도쿄", "zh": "东京", "ja": "東京"}}
_LIBC_SONAMES = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
                 "libutil.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}


def is_elf(path: Path) -> bool:
    """Whether ``path`` is an ELF file (executable or shared object)."""
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"\x7fELF"
    except OSError:
        return False


def _objdump(path: Path) -> str:
    return subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True,
                          check=False).stdout


def system_libraries(bundle: Path) -> tuple[dict[str, str], str]:
    """({soname: path on this machine} the bundle needs from the system, newest GLIBC)."""
    inside, needed, glibc = set(), set(), (2, 17)
    elves = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p)]
    for path in elves:
        inside.add(path.name)
        text = _objdump(path)
        for line in text.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "NEEDED":
                needed.add(parts[1])
            for match in re.finditer(r"GLIBC_(\d+)\.(\d+)", line):
                glibc = max(glibc, (int(match.group(1)), int(match.group(2))))
    cache = _ldconfig()
    found = {name: cache[name] for name in sorted(needed - inside) if name in cache}
    missing = sorted(needed - inside - set(found))
    if missing:
        print(f"deb: not on this machine, left out of Depends: {' '.join(missing)}")
    return found, f"{glibc[0]}.{glibc[1]}"


def _ldconfig() -> dict[str, str]:
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    # ldconfig tags 64-bit libraries with the machine ("libc6,x86-64"); skip other ABIs.
    tag = {"x86_64": "x86-64", "aarch64": "AArch64"}.get(os.uname().machine)
    table: dict[str, str] = {}
    for line in out.splitlines()[1:]:
        name, _, rest = line.strip().partition(" (")
        arch, _, path = rest.partition(") => ")
        if path and (tag is None or tag in arch.split(",")) and name not in table:
            table[name] = path
    return table


def _owner(path: str) -> str | None:
    candidates = [path, os.path.realpath(path)]
    candidates += [p[4:] if p.startswith("/usr/") else "/usr" + p for p in list(candidates)]
    for candidate in candidates:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True,
                                check=False)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def _shlibs(package: str, soname: str) -> str | None:
    """The dependency the package's shlibs file declares for ``soname`` (e.g. 'libxcb1 (>=
    1.11.1)')."""
    match = re.match(r"^(.*)\.so\.(\S+)$", soname) or re.match(r"^(.*)-(\S+)\.so$", soname)
    if not match:
        return None
    name, version = match.groups()
    for info in Path("/var/lib/dpkg/info").glob(f"{package}*.shlibs"):
        if info.name.split(".shlibs")[0].split(":")[0] != package:
            continue
        for line in info.read_text(encoding="utf-8", errors="replace").splitlines():
            fields = line.split(None, 2)
            if len(fields) == 3 and not fields[0].endswith(":") and fields[:2] == [name, version]:
                return fields[2].split(",")[0].strip()
    return None


def depends(bundle: Path) -> list[str]:
    """The Depends line's entries for a bundle, from the libraries it needs."""
    libraries, glibc = system_libraries(bundle)
    entries: dict[str, str] = {"libc6": f"libc6 (>= {glibc})"}
    for soname, path in libraries.items():
        if soname in _LIBC_SONAMES:
            continue
        package = _owner(path)
        if package is None:
            print(f"deb: {path} belongs to no package; left out of Depends")
            continue
        entries.setdefault(package, _shlibs(package, soname) or package)
    return [entries[name] for name in sorted(entries)] + EXTRA_DEPENDS


def desktop_entry(team: Team, exec_line: str, icon: str) -> str:
    """The freedesktop menu entry, named for the team in all four languages."""
    names = CITY_NAMES.get(team.city, {})
    text = (HERE / "linux" / "fieldapp.desktop.in").read_text(encoding="utf-8")
    return Template(text).substitute(
        title=team.title, exec=exec_line, icon=icon,
        title_ko=f"fieldapp {names.get('ko', team.city)}",
        title_zh=f"fieldapp {names.get('zh', team.city)}",
        title_ja=f"fieldapp {names.get('ja', team.city)}")


def tarball(team: Team, bundle: Path, icons: Path, out: Path, version: str, *,
            portable: bool = False, fast: bool = False) -> Path:
    """``<name>-<version>-linux-<arch>[-portable].tar.gz`` with the bundle, a menu-entry
    installer script and, if portable, the marker that keeps data beside the executable."""
    from fieldapp.paths import PORTABLE_MARKER

    arch = os.uname().machine
    top = f"{team.name}-{version}"
    path = out / f"{top}-linux-{arch}{'-portable' if portable else ''}.tar.gz"
    desktop_id = f"{APP_ICON}.{team.team}.desktop"
    staging = out / f".{top}-extra"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "share").mkdir(parents=True)
    (staging / "share" / desktop_id).write_text(
        desktop_entry(team, '"@HERE@/fieldapp-gui"', APP_ICON), encoding="utf-8")
    shutil.copyfile(icons / "fieldapp-256.png", staging / "share" / f"{APP_ICON}.png")
    script = (HERE / "linux" / "install-user.sh").read_text(encoding="utf-8")
    (staging / "install-user.sh").write_text(
        script.replace("@DESKTOP_ID@", desktop_id).replace("@ICON@", APP_ICON),
        encoding="utf-8")
    (staging / "install-user.sh").chmod(0o755)
    if portable:
        (staging / PORTABLE_MARKER).write_text(
            "This copy of fieldapp is portable: it keeps its data in the fieldapp-data "
            "folder here.\nDelete this file to use the user data folder instead.\n",
            encoding="utf-8")
    tmp = path.with_name(path.name + ".part")

    def reset(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(tmp, "w:gz", compresslevel=1 if fast else 6) as tar:
        tar.add(bundle, arcname=top, filter=reset)
        for item in sorted(staging.iterdir()):
            tar.add(item, arcname=f"{top}/{item.name}", filter=reset)
    os.replace(tmp, path)
    shutil.rmtree(staging)
    return path


def deb(team: Team, bundle: Path, icons: Path, out: Path, version: str, *,
        fast: bool = False) -> Path:
    """``<name>_<version>_<arch>.deb``: the bundle in /opt/<name>, commands in /usr/bin, a
    menu entry and icons; Depends computed from the bundle."""
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    root = out / f".{team.name}-deb-root"
    shutil.rmtree(root, ignore_errors=True)
    opt = root / "opt" / team.name
    shutil.copytree(bundle, opt, symlinks=True)
    # The package depends on fonts-noto-cjk: the bundle's own copy would be a second one.
    shutil.rmtree(opt / "_internal" / "fonts", ignore_errors=True)
    (root / "usr" / "bin").mkdir(parents=True)
    for name in ("fieldapp", "fieldapp-gui"):
        (root / "usr" / "bin" / name).symlink_to(f"/opt/{team.name}/{name}")
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / f"{APP_ICON}.desktop").write_text(
        desktop_entry(team, f"/opt/{team.name}/fieldapp-gui", APP_ICON), encoding="utf-8")
    for size in (48, 64, 128, 256, 512):
        folder = root / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copyfile(icons / f"fieldapp-{size}.png", folder / f"{APP_ICON}.png")
    scalable = root / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copyfile(HERE / "linux" / "fieldapp.svg", scalable / f"{APP_ICON}.svg")
    doc = root / "usr" / "share" / "doc" / team.name
    doc.mkdir(parents=True)
    (doc / "README").write_text(
        f"{team.title} {version}: the fieldapp desktop (fieldapp-gui) and command line "
        f"(fieldapp), installed in /opt/{team.name}.\n", encoding="utf-8")
    size_kb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()
                  and not p.is_symlink()) // 1024
    control = {
        "Package": team.name, "Version": version, "Architecture": arch,
        "Maintainer": team.maintainer, "Installed-Size": str(size_kb), "Section": "science",
        "Priority": "optional", "Depends": ", ".join(depends(bundle)),
        "Recommends": ", ".join(team.recommends), "Provides": "fieldapp",
        "Conflicts": "fieldapp", "Replaces": "fieldapp",
        "Description": f"{team.title}: offline, encrypted survey fieldwork\n"
                       " The fieldapp desktop for the network's interviewers and supervisors,\n"
                       f" preset for {team.city}: questionnaires, project key and language.",
    }
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(
        "".join(f"{k}: {v}\n" for k, v in control.items() if v), encoding="utf-8")
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod(0o755 if path.is_dir() or mode & 0o111 else 0o644)
    path = out / f"{team.name}_{version}_{arch}.deb"
    tmp = path.with_name(path.name + ".part")  # a build killed midway leaves no broken .deb
    compression = ["-Zgzip", "-z1"] if fast else ["-Zxz", f"--threads-max={os.cpu_count() or 1}"]
    subprocess.run(["dpkg-deb", "--build", "--root-owner-group", *compression, str(root),
                    str(tmp)],
                   check=True, stdout=subprocess.DEVNULL)
    os.replace(tmp, path)
    shutil.rmtree(root)
    return path
