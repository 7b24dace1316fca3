"""The export's helper processes (a spawned ProcessPoolExecutor reading the hub itself):
the same workbook as an in-process export, no blob through the exporting process, and no
helper outliving an export killed with -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldapp.crypto import load_project_private_key
from fieldapp.export.run import ExportOptions, export
from fieldapp.storage.hub_store import HubStore
from tests.support.devices import KEY_PASSPHRASE, ROOT
from tests.support.exports import calamine_sheet
from tests.support.sync import synthetic_hub


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> tuple[Path, Path]:
    return synthetic_hub(tmp_path_factory.mktemp("helpers"), 3000)


def test_helpers_read_the_hub_and_write_what_an_in_process_export_writes(
        hub, tmp_path: Path) -> None:
    hub_dir, key_path = hub
    key = load_project_private_key(key_path, KEY_PASSPHRASE)
    with HubStore.open(hub_dir) as opened:
        alone = export(opened, key, ExportOptions(out=tmp_path / "here.xlsx", workers=0))
        headers = list(opened.copies("all", blobs=False))
        helped = export(opened, key, ExportOptions(out=tmp_path / "helped.xlsx", workers=2))
    assert headers and all(h.sealed_blob == b"" for h in headers)  # what the helpers get
    assert alone.interviews == helped.interviews == 3000
    assert calamine_sheet(tmp_path / "helped.xlsx", "data") == \
        calamine_sheet(tmp_path / "here.xlsx", "data")


def children(pid: int) -> set[int]:
    """Child process ids of ``pid`` (Linux /proc)."""
    found: set[int] = set()
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.update(int(p) for p in (task / "children").read_text().split())
    except OSError:
        pass
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_helpers_end_when_the_export_is_killed(hub, tmp_path: Path) -> None:
    hub_dir, key = hub
    env = {**os.environ, "FIELDAPP_KEY_PASSPHRASE": KEY_PASSPHRASE, "PYTHONPATH": str(ROOT),
           "FIELDAPP_EXPORT_WORKERS": "2"}
    process = subprocess.Popen([sys.executable, "-m", "fieldapp", "export", "--hub",
                                str(hub_dir), "--key", str(key), "--out",
                                str(tmp_path / "x.xlsx"), "--status", "all"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    helpers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(helpers) < 2 and process.poll() is None and time.monotonic() < deadline:
        helpers |= {c for c in children(process.pid) if "spawn_main" in cmdline(c)}
        time.sleep(0.02)
    assert len(helpers) >= 2, "the export started no helper processes"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(alive(p) for p in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p in helpers if alive(p)]
    for pid in left:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left
    assert [p.name for p in tmp_path.iterdir()] == []
