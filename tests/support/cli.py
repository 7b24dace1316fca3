"""Run the fieldapp command line as a script would (subprocess, test passphrases)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
    """Run ``fieldapp`` with the test passphrases and the fast test KDF."""
    full_env = {**os.environ, "FIELDAPP_PASSPHRASE": PASS, "FIELDAPP_KEY_PASSPHRASE": KEYPASS,
                "FIELDAPP_KDF": "floor", **(env or {})}
    return subprocess.run([sys.executable, "-m", "fieldapp", *args], capture_output=True,
                          text=True, cwd=ROOT, env=full_env, timeout=120)


def fieldapp_bare(*args: str) -> subprocess.CompletedProcess:
    """Run ``fieldapp`` with the environment as it is (no test passphrases)."""
    return subprocess.run([sys.executable, "-m", "fieldapp", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def write_answers(folder: Path, answers: dict, language: str = "ko") -> Path:
    """Write an ANSWERS.json file (numbered) into ``folder``."""
    path = folder / f"answers-{len(list(folder.glob('answers-*')))}.json"
    path.write_text(json.dumps({"language": language, "answers": answers}, ensure_ascii=False),
                    encoding="utf-8")
    return path
