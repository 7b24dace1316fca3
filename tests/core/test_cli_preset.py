"""A team build's preset (``preset/defaults.json``) is what the command line falls back to:
its language when no locale variable names one (Windows sets none), its city for
``device init`` without ``--city``. Explicit settings still win."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldapp import i18n, paths
from fieldapp.cli import main
from fieldapp.crypto import generate_project_keypair
from fieldapp.crypto.keyfiles import write_project_public_key
from fieldapp.session import FieldSession

PASS = "preset test passphrase"


@pytest.fixture()
def tokyo_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A resource root like a Tokyo team build's (preset + the repo's questionnaires)."""
    root = tmp_path / "bundle"
    (root / "preset").mkdir(parents=True)
    (root / "preset" / "defaults.json").write_text(json.dumps(
        {"ui_language": "ja", "interview_language": "ja", "city": "tokyo"}), encoding="utf-8")
    _, public = generate_project_keypair()
    write_project_public_key(root / "preset" / "project.pub", public)
    (root / "questionnaires").symlink_to(paths.resource_root() / "questionnaires")
    monkeypatch.setattr(paths, "resource_root", lambda: root)
    for name in ("FIELDAPP_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    return root


def test_language_falls_back_to_the_preset(tokyo_build: Path) -> None:
    assert paths.preset_value("ui_language") == "ja"
    assert i18n.language_from_environment({}, paths.preset_value("ui_language")) == "ja"
    assert i18n.language_from_environment({"LANG": "ko_KR.UTF-8"}, "ja") == "ko"
    assert i18n.language_from_environment({"LANG": "C.UTF-8"}, "ja") == "en"  # said so
    assert i18n.language_from_environment({}, "tlh") == "en"


def test_device_init_takes_the_preset_city(tokyo_build: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FIELDAPP_PASSPHRASE", PASS)
    monkeypatch.setenv("FIELDAPP_KDF", "floor")
    try:
        assert main(["device", "init", "--data", str(tmp_path / "dev"), "--enumerator",
                     "T01", "--form", str(paths.bundled_questionnaires()[0])]) == 0
        assert "調査員 T01 の端末" in capsys.readouterr().out  # the preset's language
    finally:
        i18n.setup("en")
    with FieldSession.open(tmp_path / "dev", PASS) as session:
        assert session.keyring.city == "tokyo"
    assert main(["device", "init", "--data", str(tmp_path / "dev2"), "--enumerator", "T02",
                 "--city", "", "--form", str(paths.bundled_questionnaires()[0])]) == 0
    i18n.setup("en")
    with FieldSession.open(tmp_path / "dev2", PASS) as session:
        assert session.keyring.city == ""  # an explicit empty city is kept
