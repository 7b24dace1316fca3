"""The README's worked example runs as written (issue 14): every command in order, in one
shell, stopping at the first failure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support.devices import ROOT


def worked_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- worked-example -->\n```bash\n(.*?)```", text, re.S)
    assert found, "README.md lost its worked example"
    return found.group(1)


def test_the_readme_worked_example_runs_as_written(tmp_path: Path) -> None:
    script = worked_example()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "FIELDAPP_KDF": "floor",  # the only addition: a fast KDF for the test machine
           "TMPDIR": str(tmp_path), "LC_ALL": "C.UTF-8"}
    env = {k: v for k, v in env.items() if k not in ("FIELDAPP_PASSPHRASE",
                                                     "FIELDAPP_KEY_PASSPHRASE")}
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "device key" in out and "project key" in out
    assert "  sent_back  rev 2" in out  # list --status sent_back
    assert "supervisor's comment: Check the ages" in out
    assert "  hh[2]/name = 서연" in out or "name[2] = 서연" in out
    assert "1 interview(s) exported (status finalised+approved)" in result.stderr
    assert list(tmp_path.glob("*/seoul.xlsx"))
