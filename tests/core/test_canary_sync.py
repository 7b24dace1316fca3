"""T13 across sync: a planted answer never appears in bundles, the hub or return bundles.

Only the export the supervisor deliberately writes may contain it.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.canaries import encoded_variants as _variants
from tests.support.cli import ANSWERS, THREE_CITY, run

CANARY = "카나리아成都カナリア-7f3a"


def _hits(folder: Path) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and any(v in path.read_bytes() for v in _variants(CANARY)):
            found.append(str(path.relative_to(folder)))
    return found


def test_canary_only_in_the_deliberate_export(tmp_path: Path) -> None:
    assert run("keys", "create", "--out", str(tmp_path / "keys")).returncode == 0
    key = tmp_path / "keys" / "project.key"
    data, hub, usb = tmp_path / "dev", tmp_path / "hub", tmp_path / "usb"
    assert run("device", "init", "--data", str(data), "--project-key",
               str(tmp_path / "keys" / "project.pub"), "--enumerator", "E01", "--city",
               "seoul").returncode == 0
    usb.mkdir()
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"language": "ko", "answers": {**ANSWERS, "dong": CANARY}},
                                  ensure_ascii=False), encoding="utf-8")
    recorded = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                   str(answers), "--finalize")
    assert recorded.returncode == 0, recorded.stderr
    interview = recorded.stdout.strip()
    assert run("sync", "push", "--data", str(data), "--to", str(usb)).returncode == 0
    pulled = run("sync", "pull", "--hub", str(hub), "--from", str(usb), "--trust")
    assert pulled.returncode == 0, pulled.stderr
    sent = run("review", "--hub", str(hub), "send-back", interview, "--comment", "check dong")
    assert sent.returncode == 0, sent.stderr
    back = run("sync", "push", "--hub", str(hub), "--key", str(key), "--to", str(usb))
    assert back.returncode == 0, back.stderr
    assert run("sync", "pull", "--data", str(data), "--from", str(usb)).returncode == 0
    for folder in (data, hub, usb):
        assert _hits(folder) == [], folder
    # the re-opened draft reads back through the app
    shown = run("show", "--data", str(data), interview)
    assert shown.returncode == 0 and CANARY in shown.stdout
    out = tmp_path / "export.xlsx"
    exported = run("export", "--hub", str(hub), "--key", str(key), "--out", str(out),
                   "--status", "all")
    assert exported.returncode == 0, exported.stderr
