"""Hostile or mistyped hub database URLs and text fields: one-line errors, never a crash, and
never a password echoed back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldapp.sync.jsonfields import Fields, ManifestError
from tests.support.devices import ROOT


def fails(*args: str | Path) -> str:
    result = subprocess.run([sys.executable, "-m", "fieldapp", *map(str, args)],
                            capture_output=True, text=True, cwd=ROOT, env=dict(os.environ),
                            timeout=120)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_a_malformed_database_url_is_a_one_line_error(tmp_path: Path) -> None:
    err = fails("hub", "intake", "--hub", "postgresql+psycopg://kim:s3cret@db:port/seoul",
                "--once")
    assert "not a PostgreSQL database URL" in err and "s3cret" not in err
    assert "not a PostgreSQL database URL" in fails("hub", "setup", "--hub", tmp_path / "hub")
    assert "not a PostgreSQL database URL" in fails(
        "sync", "pull", "--hub", "postgresql+psycopg://db:5432x/seoul", "--from", tmp_path)


@pytest.mark.parametrize("value", ["E01\x00", "E01\ud800"])
def test_manifest_text_never_holds_what_no_database_stores(value: str) -> None:
    with pytest.raises(ManifestError, match="must not contain NUL"):
        Fields({"enumerator": value}, "manifest").text("enumerator")
    assert Fields({"enumerator": "김 E01"}, "manifest").text("enumerator") == "김 E01"
