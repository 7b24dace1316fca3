"""The headless commands as a script would run them: keys, device, record, list, show."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.devices import QUESTIONNAIRES, ROOT

PASS = "device passphrase one"
KEYPASS = "project key passphrase"
THREE_CITY = QUESTIONNAIRES / "three_city_2012.xlsx"
ANSWERS = {
    "CONSENT": 1, "city": "seoul", "wave": "2012", "district": "seoul_mapo", "dong": "성산1동",
    "DEM01": 2, "DEM02": 44, "DEM03": 3, "DEM04": 3, "DEM05": 2, "DEM06": 1, "DEM07": 3000,
    "DEM08": 2, "ANX1": 3, "ANX2": 4, "ANX3": 2, "ANX4": 98, "FAM1": 1, "FAM2": 2, "FAM3": 3,
    "FAM4": 4, "FAM5": 1, "FAM6": 2, "FAM7": 3, "CITY1": 9, "CITY2": 5, "CITY3": 1, "CITY4": 99,
}


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "FIELDAPP_PASSPHRASE": PASS, "FIELDAPP_KEY_PASSPHRASE": KEYPASS,
                "FIELDAPP_KDF": "floor", **(env or {})}
    return subprocess.run([sys.executable, "-m", "fieldapp", *args], capture_output=True,
                          text=True, cwd=ROOT, env=full_env, timeout=120)


@pytest.fixture(scope="module")
def device(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cli")
    assert run("keys", "create", "--out", str(root / "keys")).returncode == 0
    result = run("device", "init", "--data", str(root / "dev"), "--project-key",
                 str(root / "keys" / "project.pub"), "--enumerator", "E07", "--city", "seoul")
    assert result.returncode == 0, result.stderr
    assert "3 questionnaire(s) installed" in result.stdout
    return root / "dev", root / "keys"


def write_answers(folder: Path, answers: dict, language: str = "ko") -> Path:
    path = folder / f"answers-{len(list(folder.glob('answers-*')))}.json"
    path.write_text(json.dumps({"language": language, "answers": answers}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def test_record_finalize_list_show(device) -> None:
    data, keys = device
    answers = write_answers(data.parent, ANSWERS)
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(answers), "--finalize")
    assert result.returncode == 0, result.stderr
    interview = result.stdout.strip()
    listing = run("list", "--data", str(data)).stdout
    assert f"{interview}  three_city_2012 v" in listing and "finalised" in listing
    sealed = run("show", "--data", str(data), interview)
    assert sealed.returncode == 1 and "only a supervisor can open it" in sealed.stderr
    opened = run("show", "--data", str(data), interview, "--key", str(keys / "project.key"))
    assert opened.returncode == 0, opened.stderr
    assert "language ko" in opened.stdout and "  dong = 성산1동" in opened.stdout
    assert "  CITY4 = 99" in opened.stdout


def test_constraint_violation_names_question_and_message(device) -> None:
    data, _ = device
    answers = write_answers(data.parent, {**ANSWERS, "DEM02": 12}, language="ja")
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(answers), "--finalize")
    assert result.returncode == 1
    assert "question DEM02:" in result.stderr and "18" in result.stderr
    assert "kept as a draft" in result.stderr and "Traceback" not in result.stderr


def test_relevance_applies_and_draft_resumes(device) -> None:
    data, _ = device
    partial = {k: v for k, v in ANSWERS.items() if not k.startswith(("FAM", "CITY"))}
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(write_answers(data.parent, {**partial, "DEM09": 1})))
    assert result.returncode == 1 and "question DEM09" in result.stderr  # Beijing only
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(write_answers(data.parent, partial)), "--finalize")
    assert result.returncode == 1 and "FAM1" in result.stderr  # required, missing
    draft = result.stderr.split("(interview ")[1].split()[0]
    rest = {k: v for k, v in ANSWERS.items() if k.startswith(("FAM", "CITY"))}
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(write_answers(data.parent, rest)), "--interview", draft, "--finalize")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == draft


def test_wrong_passphrase_exit_and_no_change(device) -> None:
    data, _ = device
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    result = run("list", "--data", str(data), env={"FIELDAPP_PASSPHRASE": "wrong one"})
    assert result.returncode != 0 and "wrong passphrase" in result.stderr
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_bad_answers_file(device, tmp_path: Path) -> None:
    data, _ = device
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers", str(bad))
    assert result.returncode == 1 and "not valid UTF-8 JSON (line 1)" in result.stderr
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(write_answers(tmp_path, {"NOPE": 1})))
    assert result.returncode == 1 and "unknown question 'NOPE'" in result.stderr


def test_passwd_and_supervisor_recovery(tmp_path: Path, device) -> None:
    _, keys = device
    data = tmp_path / "dev2"
    assert run("device", "init", "--data", str(data), "--project-key",
               str(keys / "project.pub"), "--enumerator", "E09", "--form",
               str(THREE_CITY)).returncode == 0
    changed = run("device", "passwd", "--data", str(data),
                  env={"FIELDAPP_NEW_PASSPHRASE": "second passphrase"})
    assert changed.returncode == 0, changed.stderr
    assert run("list", "--data", str(data)).returncode != 0  # old one no longer works
    ok = run("list", "--data", str(data), env={"FIELDAPP_PASSPHRASE": "second passphrase"})
    assert ok.returncode == 0
    # forgotten: the supervisor resets it with the project private key
    recovered = run("device", "recover", "--data", str(data), "--key",
                    str(keys / "project.key"), env={"FIELDAPP_NEW_PASSPHRASE": "third phrase"})
    assert recovered.returncode == 0, recovered.stderr
    assert run("list", "--data", str(data),
               env={"FIELDAPP_PASSPHRASE": "third phrase"}).returncode == 0
