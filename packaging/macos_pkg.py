"""macOS artifacts: the ``.app`` (made by the spec's BUNDLE) in a drag-to-Applications ``.dmg``.

Recipe (on a Mac, see packaging/macos/README.md): ``python packaging/build.py --team tokyo``
freezes ``fieldapp.app``, renames it to the team's title, signs it (ad hoc, or with
``FIELDAPP_CODESIGN_IDENTITY``), and ``hdiutil`` writes ``<name>-<version>.dmg``. Notarising
needs an Apple developer account: ``packaging/macos/notarize.sh`` after the build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from team import Team


def build(team: Team, app: Path, out: Path, version: str) -> list[Path]:
    """``<name>-<version>.dmg`` holding ``<title>.app`` and a link to /Applications."""
    identity = os.environ.get("FIELDAPP_CODESIGN_IDENTITY", "-")
    dmg = out / f"{team.name}-{version}.dmg"
    with tempfile.TemporaryDirectory(prefix="fieldapp-dmg-") as tmp:
        folder = Path(tmp) / team.title
        folder.mkdir()
        target = folder / f"{team.title}.app"
        shutil.copytree(app, target, symlinks=True)
        sign = ["codesign", "--force", "--deep", "--timestamp", "--options", "runtime",
                "--sign", identity, str(target)]
        if identity == "-":  # ad hoc: runs on the building Mac and after "Open" elsewhere
            sign = ["codesign", "--force", "--deep", "--sign", "-", str(target)]
        subprocess.run(sign, check=True)
        (folder / "Applications").symlink_to("/Applications")
        if dmg.exists():
            dmg.unlink()
        subprocess.run(["hdiutil", "create", "-volname", team.title, "-srcfolder", str(folder),
                        "-fs", "HFS+", "-format", "UDZO", "-ov", str(dmg)], check=True)
    return [dmg]
