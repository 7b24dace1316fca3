"""The command line loads only what the chosen command needs.

``fieldapp --help`` (every command's parser) imports no façade, no storage, no SQLAlchemy
and none of the heavy libraries (they load when a command runs).
"""

from __future__ import annotations

import json
import subprocess
import sys

from fieldapp.commands import export as export_command
from fieldapp.supervisor import FORMATS
from tests.support.devices import ROOT

HEAVY = ("sqlalchemy", "fieldapp.supervisor", "fieldapp.session", "fieldapp.storage",
         "fieldapp.questionnaire", "openpyxl", "numpy", "pandas", "pyreadstat", "PySide6")


def _loaded_after(code: str) -> set[str]:
    probe = (f"import json, sys\n{code}\n"
             f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
             f"{sorted({h.split('.')[0] for h in HEAVY})!r} or m in {list(HEAVY)!r})))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_help_builds_every_parser_without_heavy_imports() -> None:
    loaded = _loaded_after("from fieldapp.cli import build_parser\n"
                           "build_parser().format_help()")
    assert not {m for m in loaded if m in HEAVY or m.split(".")[0] in
                ("sqlalchemy", "openpyxl", "numpy", "pandas", "pyreadstat", "PySide6")}


def test_export_formats_match_the_facade() -> None:
    assert export_command.FORMATS == FORMATS
