"""`fieldapp forms check|show` as a user runs them: real processes, real workbooks."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import fieldapp_bare as fieldapp
from tests.support.formtools import md_to_xlsx
from tests.support.sample_forms import HOUSEHOLD

ROOT = Path(__file__).resolve().parents[2]


def test_check_ok_and_invalid(tmp_path) -> None:
    good = md_to_xlsx(HOUSEHOLD, tmp_path / "household.xlsx")
    bad = md_to_xlsx(HOUSEHOLD.replace("${hh_size} > 0", "${hh_sise} > 0"), tmp_path / "bad.xlsx")
    result = fieldapp("forms", "check", str(good))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OK household v2024010101: 8 questions, languages en, ko"
    result = fieldapp("forms", "check", str(good), str(bad))
    assert result.returncode == 1
    assert "OK household" in result.stdout
    assert "[sheet 'survey', row 11, column 'relevant'] unknown question '${hh_sise}'" in \
        result.stderr
    assert "Traceback" not in result.stderr


def test_check_garbage_file_no_traceback(tmp_path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00" * 100)
    result = fieldapp("forms", "check", str(junk), str(tmp_path / "missing.xlsx"))
    assert result.returncode == 1
    assert "not a readable .xlsx workbook" in result.stderr
    assert "file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_in_korean(tmp_path) -> None:
    path = md_to_xlsx(HOUSEHOLD, tmp_path / "household.xlsx")
    result = fieldapp("forms", "show", str(path), "--lang", "ko")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[hh_size] 가구원 수 *" in out and "(모두 세십시오)" in out
    assert "98  모름" in out
    assert "Must satisfy: . >= 1 and . <= 20 — 1에서 20 사이" in out
    assert "Shown only if: ${hh_size} > 0" in out
    result = fieldapp("forms", "show", str(path), "--lang", "fr")
    assert result.returncode == 1 and "language 'fr' is not in this form" in result.stderr
