"""The message catalogs: every extracted message translated, fields kept, catalogs compiled."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from fieldapp import i18n
from fieldapp.errors import FieldAppError, FormError, FormIssue

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("ko", "zh_Hans", "ja")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The msgids pybabel extracts from the source today (not the committed .pot)."""
    pot = tmp_path_factory.mktemp("pot") / "fieldapp.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "translations/babel.cfg", "-o", str(pot), "."],
                   check=True, capture_output=True, cwd=ROOT)
    with pot.open("rb") as handle:
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert len(ids) > 500  # the extraction itself worked (core errors and GUI strings)
    return ids


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated_with_its_fields(locale: str, extracted: set[str]) -> None:
    with (ROOT / "translations" / f"{locale}.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        translated[ids[0]] = strings
        for text in strings:
            if text:
                assert _fields(text) == _fields(ids[0]), (locale, ids[0], text)
    missing = sorted(m for m in extracted if not any(translated.get(m) or [""]))
    assert not missing, f"{len(missing)} untranslated in {locale}.po, e.g. {missing[:5]}"


def test_core_errors_render_in_the_chosen_language() -> None:
    error = FieldAppError(i18n.N_("{file}: no database here"), code="store.no-database",
                          file="/data")
    english = error.render("en")
    korean = error.render("ko")
    assert english == "/data: no database here"
    assert korean != english and "/data" in korean
    assert error.code == "store.no-database"
    issue = FormIssue(i18n.N_("duplicate name '{name}' (first used on row {seen})"),
                      "survey", 3, "name", fields={"name": "age", "seen": 2})
    japanese = FormError("form.xlsx", [issue]).render("ja")
    assert "age" in japanese and "form.xlsx" in japanese
    assert "duplicate name" not in japanese


def test_cli_errors_follow_the_locale(tmp_path: Path) -> None:
    env_ko = {"PATH": "/usr/bin:/bin", "LANG": "ko_KR.UTF-8", "HOME": str(tmp_path),
              "FIELDAPP_PASSPHRASE": "not used"}
    env_en = {**env_ko, "LANG": "C.UTF-8"}
    args = [sys.executable, "-m", "fieldapp", "list", "--data", str(tmp_path / "nowhere")]
    korean = subprocess.run(args, env=env_ko, capture_output=True, text=True, cwd=ROOT)
    english = subprocess.run(args, env=env_en, capture_output=True, text=True, cwd=ROOT)
    assert korean.returncode != 0 and english.returncode != 0
    assert korean.stderr.startswith("error: ") and english.stderr.startswith("error: ")
    assert korean.stderr != english.stderr
    assert str(tmp_path / "nowhere") in korean.stderr
