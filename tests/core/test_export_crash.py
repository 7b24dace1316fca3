"""No plaintext outside the target, ever: kill -9 at any moment of an export leaves no file
from which answers can be read, and the next export removes what older versions left."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from fieldapp.crypto import load_project_private_key
from fieldapp.export.run import ExportOptions, export
from fieldapp.storage.hub_store import HubStore
from tests.support.devices import KEY_PASSPHRASE, ROOT
from tests.support.sync import synthetic_hub

CANARY = "카나리아-canary-7f3a9"


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> tuple[Path, Path]:
    return synthetic_hub(tmp_path_factory.mktemp("crash_export"), 6000, dong=CANARY)


def readable(path: Path) -> bool:
    """True if the canary can be read from the file: as text, or inside a deflate stream."""
    data = path.read_bytes()
    if CANARY.encode() in data:
        return True
    for start in range(min(len(data), 64)):  # raw deflate (old part files) or a zip member
        try:
            if CANARY.encode() in zlib.decompressobj(-15).decompress(data[start:], 1 << 26):
                return True
        except zlib.error:
            continue
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return any(CANARY.encode() in archive.read(n) for n in archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return False


def run_export(hub: Path, key: Path, out: Path, fmt: str) -> subprocess.Popen:
    env = {**os.environ, "FIELDAPP_KEY_PASSPHRASE": KEY_PASSPHRASE, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "fieldapp", "export", "--hub", str(hub),
                             "--key", str(key), "--out", str(out), "--format", fmt,
                             "--status", "all"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "sav"])
def test_kill9_at_any_moment_leaves_nothing_readable(hub, tmp_path: Path, fmt: str) -> None:
    hub_dir, key = hub
    out = tmp_path / f"city.{fmt}"
    started = time.monotonic()
    finished = run_export(hub_dir, key, out, fmt)
    _, errors = finished.communicate(timeout=300)
    assert finished.returncode == 0, errors
    duration = time.monotonic() - started
    assert readable(out)
    rng = random.Random(fmt)
    killed = 0
    for _attempt in range(20):  # until five exports were cut short at random moments
        process = run_export(hub_dir, key, out, fmt)
        time.sleep(rng.uniform(0.1, 0.9 * duration))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        killed += process.returncode == -signal.SIGKILL
        others = [p for p in tmp_path.iterdir() if p != out and p.is_file()]
        assert [p.name for p in others if readable(p)] == []
        if killed == 5:
            break
    assert killed == 5
    assert readable(out)  # the finished export of before is intact


def test_the_next_export_removes_what_older_versions_left(hub, tmp_path: Path) -> None:
    hub_dir, key = hub
    out = tmp_path / "city.xlsx"
    stale = [tmp_path / ".fieldapp-part-abc123", tmp_path / ".city.xlsx.k3j4h5g6.tmp",
             tmp_path / ".fieldapp-export-0a1b2c.tmp"]
    for path in stale:
        path.write_bytes(zlib.compress(CANARY.encode())[2:-4])  # raw deflate, as they were
    mine = tmp_path / "notes.tmp"
    mine.write_text("someone else's file", encoding="utf-8")
    assert all(readable(p) for p in stale)
    done = run_export(hub_dir, key, out, "xlsx")
    done.communicate(timeout=300)
    assert done.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city.xlsx", "notes.tmp"]


@pytest.mark.parametrize("named", [False, True], ids=["unnamed", "named-fallback"])
def test_nothing_readable_while_the_export_runs(hub, tmp_path: Path, monkeypatch,
                                                named: bool) -> None:
    hub_dir, key_path = hub
    if named:  # filesystems without unnamed files (FAT sticks), Windows, macOS
        monkeypatch.setenv("FIELDAPP_NAMED_TEMP", "1")
    key = load_project_private_key(key_path, KEY_PASSPHRASE)
    out = tmp_path / "city.xlsx"
    seen: list[list[str]] = []

    def progress(done: int, total: int | None) -> None:
        if done and len(seen) < 4:
            seen.append([p.name for p in tmp_path.iterdir() if readable(p)])

    with HubStore.open(hub_dir) as opened:
        export(opened, key, ExportOptions(out=out, progress=progress, workers=0))
    assert seen and all(names == [] for names in seen)
    assert readable(out) and [p.name for p in tmp_path.iterdir()] == ["city.xlsx"]
