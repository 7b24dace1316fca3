"""``device init`` refused because another process holds the data folder (the desktop app on
its first-run screen, say) must leave the holder's lock alone: deleting the lock file let a
third process lock a fresh one, and two writers ran at once (found with the frozen app)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldapp.device_setup import init_device
from fieldapp.writer_lock import LOCK_FILE, DeviceBusy
from tests.support.devices import PASSPHRASE, ROOT, make_project

HOLD = """
import sys
from pathlib import Path
from fieldapp.writer_lock import WriterLock
WriterLock(Path(sys.argv[1]), "fieldapp desktop").acquire()
print("held", flush=True)
sys.stdin.readline()
"""

TRY = """
import sys
from pathlib import Path
from fieldapp.writer_lock import DeviceBusy, WriterLock
try:
    WriterLock(Path(sys.argv[1]), "third").acquire()
except DeviceBusy:
    print("refused")
else:
    print("locked")
"""


def python(code: str, data: Path, **kwargs: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, str(data)], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, **kwargs)


def test_refused_device_init_leaves_the_holders_lock(tmp_path: Path) -> None:
    project = make_project(tmp_path / "keys")
    data = tmp_path / "device"
    holder = python(HOLD, data)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        lock_inode = (data / LOCK_FILE).stat().st_ino
        with pytest.raises(DeviceBusy):
            init_device(data, project_key=project.public, enumerator="E01", city="seoul",
                        passphrase=PASSPHRASE, forms=[])
        assert (data / LOCK_FILE).stat().st_ino == lock_inode
        third, _ = python(TRY, data).communicate(timeout=60)
        assert third.strip() == "refused"
    finally:
        holder.communicate("\n", timeout=60)
    assert sorted(p.name for p in data.iterdir()) == [LOCK_FILE, "writer.owner.json"]
