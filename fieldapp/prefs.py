"""Device preferences: a small JSON file in the data directory (no Qt, never any answers).

The GUI needs its UI language, font scale and idle-lock time *before* the store is unlocked,
so they cannot live in the encrypted store. Team installers may ship defaults in
``<resource_root>/preset/defaults.json`` (same keys); the user's file wins over them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from fieldapp.atomic import atomic_output

PREFS_FILE = "settings.json"
PRESET_DIR = "preset"
PRESET_DEFAULTS = "defaults.json"
LANGUAGES = ("en", "ko", "zh", "ja")
FONT_SCALES = (0.9, 1.0, 1.15, 1.3, 1.5)
IDLE_MINUTES = (1, 120)


@dataclass(frozen=True)
class Preferences:
    """What the enumerator can set; all plain values, safe to keep unencrypted."""

    ui_language: str = ""  # '' = follow the system locale
    interview_language: str = ""  # '' = same as the UI language
    font_scale: float = 1.0
    idle_minutes: int = 5
    sync_target: str = ""  # folder or database URL last used for sync
    enumerator: str = ""  # shown on the unlock screen (not secret)
    city: str = ""

    def cleaned(self) -> Preferences:
        """Clamp out-of-range values (a hand-edited file must not break the app)."""
        lang = self.ui_language if self.ui_language in LANGUAGES else ""
        ilang = self.interview_language if self.interview_language in LANGUAGES else ""
        scale = min(max(float(self.font_scale), FONT_SCALES[0]), FONT_SCALES[-1])
        idle = min(max(int(self.idle_minutes), IDLE_MINUTES[0]), IDLE_MINUTES[1])
        return replace(self, ui_language=lang, interview_language=ilang, font_scale=scale,
                       idle_minutes=idle)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _known(data: dict[str, Any]) -> dict[str, Any]:
    """Only our keys with plain values (a hand-edited or newer file may hold others)."""
    names = {f.name for f in fields(Preferences)}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in names and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            out[key] = value
    return out


def load(data_dir: Path, preset_dir: Path | None = None) -> Preferences:
    """Preset defaults, then the device's own settings file; bad values fall back."""
    merged: dict[str, Any] = {}
    if preset_dir is not None:
        merged.update(_known(_read(preset_dir / PRESET_DEFAULTS)))
    own = _known(_read(data_dir / PREFS_FILE))
    merged.update({k: v for k, v in own.items() if v != ""})  # '' = unset: the preset shows
    try:
        return Preferences(**merged).cleaned()
    except (TypeError, ValueError):
        return Preferences()


def save(data_dir: Path, prefs: Preferences) -> None:
    """Write the settings atomically (fieldapp.atomic: temp file, fsync, rename, directory
    fsync) so a crash never leaves half a file."""
    data_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asdict(prefs.cleaned()), ensure_ascii=False, indent=2, sort_keys=True)
    with atomic_output(data_dir / PREFS_FILE) as handle:
        handle.write((text + "\n").encode("utf-8"))


def language_from_locale(name: str) -> str:
    """Our UI language for a locale name such as ``ko_KR`` or ``zh-Hans-CN`` (else 'en')."""
    code = name.replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else "en"
