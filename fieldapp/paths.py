"""Where fieldapp keeps data and finds bundled resources (source tree or frozen app).

A frozen app (PyInstaller) finds its own files — catalogs, migrations, questionnaires, the
team preset — inside its bundle, and keeps the user's data in the platform's user data
directory. A *portable* copy (a file :data:`PORTABLE_MARKER` beside the executable, e.g. on a
USB stick) keeps its data in :data:`PORTABLE_DATA` beside the executable instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from fieldapp import APP_NAME
from fieldapp.prefs import PRESET_DIR

#: A file with this name beside a frozen app's executable makes the app portable.
PORTABLE_MARKER = "fieldapp-portable.txt"
#: The data directory of a portable app, beside its executable.
PORTABLE_DATA = "fieldapp-data"


def is_url(target: str | os.PathLike[str]) -> bool:
    """True for a database URL (``postgresql+psycopg://…``), False for a folder: the one test
    every command, screen and hub opener uses to tell the two kinds of target apart."""
    return "://" in str(target)


def is_frozen() -> bool:
    """True in an app built by PyInstaller."""
    return bool(getattr(sys, "frozen", False))


def portable_data_dir() -> Path | None:
    """The data directory of a portable frozen app, or None when this copy is not portable."""
    if not is_frozen():
        return None
    folder = Path(sys.executable).resolve().parent
    return folder / PORTABLE_DATA if (folder / PORTABLE_MARKER).is_file() else None


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The device's data directory: ``--data DIR``, else ``FIELDAPP_HOME``, else beside a
    portable app, else the user's platform data directory (never a network share: SQLite's
    WAL needs a local disk)."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("FIELDAPP_HOME")
    if env:
        return Path(env).expanduser()
    portable = portable_data_dir()
    if portable is not None:
        return portable
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def resource_root() -> Path:
    """Root of bundled resources: PyInstaller's unpack dir when frozen, else the repo."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def bundled_questionnaires() -> list[Path]:
    """The questionnaires shipped with the app (``questionnaires/*.xlsx``)."""
    folder = resource_root() / "questionnaires"
    return sorted(folder.glob("*.xlsx")) if folder.is_dir() else []


def preset_dir() -> Path:
    """Where a team build puts its preset (``project.pub``, ``defaults.json``)."""
    return resource_root() / PRESET_DIR


def preset_project_key() -> Path | None:
    """The project public key this build ships (a team installer), if any."""
    for candidate in (preset_dir() / "project.pub",
                      resource_root() / "questionnaires" / "project.pub"):
        if candidate.is_file():
            return candidate
    return None


def preset_value(name: str) -> str:
    """A text setting of this build's team preset (``defaults.json``: e.g. ``city``,
    ``ui_language``), or "" when there is none or the file cannot be read."""
    import json

    try:
        data = json.loads((preset_dir() / "defaults.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    value = data.get(name, "") if isinstance(data, dict) else ""
    return value if isinstance(value, str) else ""
