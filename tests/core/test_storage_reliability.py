"""Storage refuses network folders and survives a full disk without losing saved answers."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fieldapp.storage import Store, db
from fieldapp.storage.errors import DiskFull, NetworkPathRefused

MOUNTS = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
/dev/vda / ext4 rw,relatime 0 0
server:/export/field {share} nfs4 rw,relatime,vers=4.2 0 0
//nas/survey\\040data {smb} cifs rw,relatime 0 0
me@host:/srv {sshfs} fuse.sshfs rw,nosuid,nodev 0 0
tmpfs {local} tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    "path",
    [r"\\server\share\fieldapp.db", r"\\?\UNC\server\share\x.db", "//server/share/x.db"],
)
def test_unc_paths_are_refused(path: str) -> None:
    with pytest.raises(NetworkPathRefused, match="not on a network folder") as info:
        Store.open(Path(path))
    assert info.value.path == path


def test_network_mounts_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    share, smb, sshfs, local = (tmp_path / n for n in ("share", "smb data", "sshfs", "local"))
    text = MOUNTS.format(share=share, smb=str(smb).replace(" ", "\\040"), sshfs=sshfs, local=local)
    monkeypatch.setattr(db, "_proc_mounts_text", lambda: text)
    for mount_point in (share, smb, sshfs, local):
        mount_point.mkdir()
    for folder, fstype in ((share, "nfs4"), (smb, "cifs"), (sshfs, "fuse.sshfs")):
        with pytest.raises(NetworkPathRefused, match=f"filesystem type {fstype}"):
            Store.open(folder / "sub" / "fieldapp.db")
        assert not (folder / "sub").exists()  # refused before creating anything
    Store.open(local / "fieldapp.db").close()  # a local filesystem nested in the same tree
    Store.open(tmp_path / "fieldapp.db").close()  # ext4 root


def test_unreadable_mount_table_does_not_block_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable() -> str:
        raise OSError("no /proc")

    monkeypatch.setattr(db, "_proc_mounts_text", unreadable)
    Store.open(tmp_path / "fieldapp.db").close()


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 400 KB tmpfs (needs root and mount); skipped where that is impossible."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("disk-full test needs root to mount a small tmpfs")
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_disk_full_raises_and_loses_nothing_saved(small_disk: Path) -> None:
    path = small_disk / "fieldapp.db"
    filler = small_disk / "filler"
    saved: list[tuple[int, bytes]] = []
    with Store.open(path) as store:
        iid = str(uuid.uuid4())
        store.create_interview(
            interview_id=iid,
            form_id="hh",
            form_version="1",
            key_id="k",
            created_utc=datetime.now(UTC),
        )
        filler.write_bytes(b"\0" * 32 * 1024)
        with pytest.raises(DiskFull, match="the disk is full: the last answer was NOT saved"):
            for i in range(1000):
                blob = os.urandom(2048)
                seq = store.append_event(
                    interview_id=iid, kind="answer", question=f"Q{i}", revision=1, blob=blob
                )
                saved.append((seq, blob))
        assert saved
        # after freeing space the same store saves again
        filler.unlink()
        blob = b"after"
        saved.append(
            (
                store.append_event(
                    interview_id=iid, kind="answer", question="again", revision=1, blob=blob
                ),
                blob,
            )
        )
    with Store.open(path) as store:
        assert store.integrity_check() == "ok"
        assert [(e.seq, e.blob) for e in store.events(iid)] == saved


CHILD = """
import os, sys, uuid
from datetime import UTC, datetime
from pathlib import Path
from fieldapp.storage import Store
store = Store.open(Path(sys.argv[1]))
iid = str(uuid.uuid4())
store.create_interview(interview_id=iid, form_id="hh", form_version="1", key_id="k",
                       created_utc=datetime.now(UTC))
print(iid, flush=True)
for i in range(100000):
    seq = store.append_event(interview_id=iid, kind="answer", question=f"Q{i}", revision=1,
                             blob=i.to_bytes(4, "big") * 512)
    print(seq, flush=True)  # acknowledged only after append_event returned
"""


@pytest.mark.parametrize("kill_after", [1, 37, 150])
def test_kill_9_loses_no_acknowledged_event(tmp_path: Path, kill_after: int) -> None:
    path = tmp_path / "fieldapp.db"
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert child.stdout is not None
    iid = child.stdout.readline().strip()
    acknowledged = [int(child.stdout.readline()) for _ in range(kill_after)]
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    with Store.open(path) as store:
        assert store.integrity_check() == "ok"
        stored = {e.seq: e.blob for e in store.events(iid)}
    for n, seq in enumerate(acknowledged):
        assert stored[seq] == n.to_bytes(4, "big") * 512
