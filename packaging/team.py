"""A city team's installer preset (``packaging/teams/<team>.toml``): load, check, stage.

The staged folder holds what the spec bundles for the team: ``preset/project.pub``,
``preset/defaults.json`` (read by the app under the user's own settings), ``preset/team.json``
(what was built, for support), the questionnaires and the icons.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEAMS_DIR = ROOT / "packaging" / "teams"
PLACEHOLDER_KEYS = TEAMS_DIR / "keys"
_NOTO = Path("/usr/share/fonts/opentype/noto")
#: Shipped in Linux bundles (SIL Open Font License; Debian's copyright file goes beside them).
LINUX_FONTS = (_NOTO / "NotoSansCJK-Regular.ttc", _NOTO / "NotoSansCJK-Bold.ttc")
FONT_LICENCE = Path("/usr/share/doc/fonts-noto-cjk/copyright")


class TeamError(Exception):
    """A team preset that cannot be built; the message names the file and the field."""


@dataclass(frozen=True)
class Team:
    """One team's installer settings."""

    team: str
    name: str
    title: str
    title_local: str
    language: str
    maintainer: str
    ui_language: str
    interview_language: str
    city: str
    time_zone: str
    project_key: Path
    questionnaires: list[Path]
    recommends: list[str] = field(default_factory=list)

    @property
    def placeholder_key(self) -> bool:
        """True while the build uses the development placeholder key (nobody can decrypt)."""
        return self.project_key.resolve().parent == PLACEHOLDER_KEYS.resolve()


def team_names() -> list[str]:
    """The teams with a preset file."""
    return sorted(path.stem for path in TEAMS_DIR.glob("*.toml"))


def _get(table: dict, key: str, where: str, kind: type = str) -> object:
    if key not in table:
        raise TeamError(f"{where}: missing '{key}'")
    value = table[key]
    if not isinstance(value, kind):
        raise TeamError(f"{where}: '{key}' must be a {kind.__name__}")
    return value


def load_team(team: str, project_key: Path | None = None) -> Team:
    """Read and check ``teams/<team>.toml``; ``project_key`` replaces the preset's key."""
    path = TEAMS_DIR / f"{team}.toml"
    if not path.is_file():
        raise TeamError(f"no team '{team}' (known: {', '.join(team_names())})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TeamError(f"{path}: {exc}") from None
    inst = _get(data, "installer", str(path), dict)
    preset = _get(data, "preset", str(path), dict)
    where_i, where_p = f"{path} [installer]", f"{path} [preset]"
    assert isinstance(inst, dict) and isinstance(preset, dict)
    key = project_key or (path.parent / str(_get(preset, "project_key", where_p)))
    forms = _get(preset, "questionnaires", where_p, list)
    assert isinstance(forms, list)
    result = Team(
        team=team, name=str(_get(inst, "name", where_i)), title=str(_get(inst, "title", where_i)),
        title_local=str(_get(inst, "title_local", where_i)),
        language=str(_get(inst, "language", where_i)),
        maintainer=str(_get(inst, "maintainer", where_i)),
        recommends=[str(r) for r in inst.get("recommends", [])],
        ui_language=str(_get(preset, "ui_language", where_p)),
        interview_language=str(_get(preset, "interview_language", where_p)),
        city=str(_get(preset, "city", where_p)), time_zone=str(_get(preset, "time_zone", where_p)),
        project_key=Path(key).expanduser(),
        questionnaires=[ROOT / "questionnaires" / str(name) for name in forms])
    check(result, path)
    return result


def check(team: Team, path: Path) -> None:
    """The preset's values against what the app accepts (languages, cities, key, forms)."""
    from fieldapp.commands.device import CITIES
    from fieldapp.crypto import load_project_public_key
    from fieldapp.errors import FieldAppError
    from fieldapp.export.rows import CITY_ZONES
    from fieldapp.prefs import LANGUAGES
    from fieldapp.questionnaire import load_questionnaire

    for key in ("ui_language", "interview_language", "language"):
        if getattr(team, key) not in LANGUAGES:
            raise TeamError(f"{path}: {key} must be one of {', '.join(LANGUAGES)}")
    if team.city not in CITIES:
        raise TeamError(f"{path}: city must be one of {', '.join(CITIES)}")
    if CITY_ZONES[team.city][0] != team.time_zone:
        raise TeamError(f"{path}: time_zone {team.time_zone} differs from the zone exports use "
                        f"for {team.city} ({CITY_ZONES[team.city][0]})")
    if not team.name.replace("-", "").isalnum() or team.name != team.name.lower():
        raise TeamError(f"{path}: installer name must be lower-case letters, digits and '-'")
    try:
        load_project_public_key(team.project_key)
    except (FieldAppError, OSError) as exc:
        raise TeamError(f"project key {team.project_key}: {exc}") from None
    if not team.questionnaires:
        raise TeamError(f"{path}: no questionnaires")
    for form in team.questionnaires:
        try:
            load_questionnaire(form)
        except (FieldAppError, OSError) as exc:
            raise TeamError(f"{path}: questionnaire {form.name}: {exc}") from None


def linux_fonts() -> list[Path]:
    """The font files a Linux bundle ships (Noto Sans CJK from Debian's fonts-noto-cjk,
    regular and bold: Korean, Chinese, Japanese and Latin), with their licence."""
    found = [path for path in LINUX_FONTS if path.is_file()]
    if len(found) != len(LINUX_FONTS):
        raise TeamError("Noto Sans CJK not found (" + ", ".join(str(p) for p in LINUX_FONTS)
                        + "): apt-get install fonts-noto-cjk")
    return found


def stage(team: Team, folder: Path, version: str, fonts: list[Path] | None = None) -> Path:
    """Write the team's bundled files into ``folder`` (emptied first); returns it.
    ``fonts`` are shipped in ``fonts/`` (the app registers them at start)."""
    from fieldapp.crypto import fingerprint, load_project_public_key

    if folder.exists():
        shutil.rmtree(folder)
    (folder / "preset").mkdir(parents=True)
    (folder / "questionnaires").mkdir()
    if fonts:
        (folder / "fonts").mkdir()
        for font in fonts:
            shutil.copyfile(font, folder / "fonts" / font.name)
        if FONT_LICENCE.is_file():
            shutil.copyfile(FONT_LICENCE, folder / "fonts" / "LICENSE-noto-cjk.txt")
    shutil.copyfile(team.project_key, folder / "preset" / "project.pub")
    defaults = {"ui_language": team.ui_language, "interview_language": team.interview_language,
                "city": team.city}
    _write_json(folder / "preset" / "defaults.json", defaults)
    _write_json(folder / "preset" / "team.json", {
        "team": team.team, "installer": team.name, "version": version, "city": team.city,
        "time_zone": team.time_zone,
        "project_key": fingerprint(load_project_public_key(team.project_key)),
        "placeholder_key": team.placeholder_key,
        "questionnaires": [form.name for form in team.questionnaires],
        "fonts": [font.name for font in fonts or []]})
    for form in team.questionnaires:
        shutil.copyfile(form, folder / "questionnaires" / form.name)
    return folder


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
