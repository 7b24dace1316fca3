"""Where fieldapp keeps data and finds bundled resources (source tree or frozen app)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from fieldapp import APP_NAME


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The device's data directory: ``--data DIR``, else ``FIELDAPP_HOME``, else the user's
    platform data directory (never a network share: SQLite's WAL needs a local disk)."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("FIELDAPP_HOME")
    if env:
        return Path(env).expanduser()
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
