"""Batched import (storage/hub_batch.py) stores exactly what the per-record rules store.

The same sequence of bundles goes into two fresh hubs, one record at a time (the per-record
path, ``_store_copy``) and batched with several chunk sizes; every hub table must come out
identical, row ids included: new interviews, two revisions of one interview in one bundle
(also split over a chunk boundary), a twin revision from another device in the middle of a
batch, a re-sent copy, a revision older than the current one, one arriving after approval,
a discarded draft, and a revision listed twice in one bundle (identical, then with other
content: verification refuses such bundles, storage must not depend on it). Then a real
bundle whose import is killed with SIGKILL in the middle of its batches leaves the hub's
content (its full SQL dump) unchanged.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import update

from fieldapp.storage import hub_batch
from fieldapp.storage.hub_notes import shown
from fieldapp.storage.hub_store import HUB_FILE, HubStore
from fieldapp.storage.hub_writes import _store_copy
from fieldapp.storage.tables import hub_interviews
from fieldapp.sync.device import push_to_folder
from fieldapp.sync.hub_import import import_bundle
from tests.support.devices import ROOT, make_device, make_project, open_session
from tests.support.sync import hub_snapshot, make_form, synthetic_bundle

NOW = "2026-05-02T03:04:05.000006+00:00"
TABLES = ("hub_interviews", "hub_records", "hub_conflicts", "hub_history")


@dataclass(frozen=True)
class Dev:
    device_id: str
    enumerator: str


@dataclass(frozen=True)
class E:
    interview_id: str
    revision: int
    sha256: str
    status: str = "finalised"
    form_id: str = "f"
    form_version: str = "1"
    sealed_utc: str = "2026-05-01T01:00:00.000000+00:00"
    day: str = "2026-05-01"


A = Dev("aaaaaaaa-0000-4000-8000-000000000001", "E01")
B = Dev("bbbbbbbb-0000-4000-8000-000000000002", "E02")


def iid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def rec(n: int, rev: int, content: str = "", status: str = "finalised") -> tuple[E, bytes]:
    blob = f"{n}/{rev}/{content}".encode()
    return E(iid(n), rev, hashlib.sha256(blob).hexdigest(), status), blob


#: (device, bundle id, records) in import order; "approve" approves interview 3 in between.
SCENARIO: list[tuple[Dev, str, list[tuple[E, bytes]]] | str] = [
    (A, "bundle-a1", [rec(1, 1), rec(2, 1), rec(2, 2), rec(3, 1), rec(4, 1), rec(5, 1),
                      rec(5, 3), rec(6, 1, status="discarded")]),
    "approve",
    # B: new ones around a twin of 2/1 (other content, other device) in the middle of a
    # batch, a new revision of approved 3, and new interviews after them
    (B, "bundle-b1", [rec(7, 1), rec(8, 1), rec(2, 1, "edited on B"), rec(9, 1),
                      rec(3, 2), rec(10, 1), rec(10, 2), rec(11, 1)]),
    # A again: a re-send (nothing new), revision 1 of 4 with other content, a revision
    # older than the current one (kept for the history), a newer one, a new interview
    (A, "bundle-a2", [rec(1, 1), rec(4, 1, "different"), rec(5, 2), rec(5, 4),
                      rec(12, 1), rec(12, 2)]),
    # what verification never lets through (entries strictly sorted): a new interview's
    # revision listed twice, identical and with other content, among new ones
    (B, "bundle-b2", [rec(13, 1), rec(14, 1), rec(14, 1), rec(14, 1, "twin"), rec(15, 1)]),
]


def _apply(engine: object, batched: bool) -> list[tuple[int, int]]:
    counts = []
    for step in SCENARIO:
        with engine.begin() as conn:  # type: ignore[attr-defined]
            if step == "approve":
                conn.execute(update(hub_interviews).where(
                    hub_interviews.c.interview_id == iid(3)).values(status="approved"))
                continue
            assert not isinstance(step, str)
            dev, bundle_id, records = step
            if batched:
                counts.append(hub_batch.store_batched(conn, iter(records), dev, bundle_id,
                                                      NOW, _store_copy))
            else:
                new = conflicts = 0
                for entry, blob in records:
                    stored, conflict = _store_copy(conn, entry, blob, dev,  # type: ignore[arg-type]
                                                   bundle_id, NOW)
                    new, conflicts = new + stored, conflicts + conflict
                counts.append((new, conflicts))
    return counts


def _dump(folder: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(folder / HUB_FILE)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
    finally:
        conn.close()


@pytest.mark.parametrize("chunk", [1, 2, 3, 500])
def test_batched_equals_per_record(chunk: int, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    got = {}
    for batched in (False, True):
        folder = tmp_path / f"hub-{batched}"
        monkeypatch.setattr(hub_batch, "CHUNK", chunk if batched else 500)
        with HubStore.open(folder, create=True) as hub:
            counts = _apply(hub.engine, batched)
        got[batched] = counts, _dump(folder)
    assert got[True] == got[False]
    counts, tables = got[True]
    # conflicts: twin 2/1 from B, 3/2 after approval, 4/1 with other content
    assert counts == [(8, 0), (8, 2), (5, 1), (4, 1)]
    assert len(tables["hub_conflicts"]) == 4
    current = {row[0]: row[1:4] for row in tables["hub_interviews"]}
    assert current[iid(5)][:2] == ("finalised", 4) and current[iid(6)][0] == "discarded"
    assert current[iid(2)][0] == current[iid(3)][0] == current[iid(4)][0] == "conflict"
    assert current[iid(10)][1] == 2 and current[iid(12)][1] == 2
    assert sum("older than revision 3" in shown(row[5]) for row in tables["hub_history"]) == 1


def test_import_killed_mid_batch_leaves_hub_unchanged(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGKILL while the batches are being written (the hub's WAL growing inside the one
    transaction): the hub holds what it held (full SQL dump); the import then runs once."""
    project, form = make_project(tmp_path / "keys"), make_form(tmp_path / "forms")
    data = make_device(tmp_path / "dev", project)
    with open_session(data) as session:
        registration = push_to_folder(session, tmp_path, register=True).path
        bundle = synthetic_bundle(tmp_path, session, form, 3000)
    hub_dir = tmp_path / "hub"
    with HubStore.open(hub_dir, create=True) as hub:
        import_bundle(hub, registration, trust=True)  # type: ignore[arg-type]
    before = hub_snapshot(hub_dir)
    wal = hub_dir / f"{HUB_FILE}-wal"
    base = wal.stat().st_size if wal.exists() else 0
    child = subprocess.Popen([sys.executable, "-m", "tests.support.sync_child", str(hub_dir),
                              str(bundle), "0"], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while child.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > base + (1 << 20):  # inside the batches
            break
        time.sleep(0.002)
    assert child.poll() is None, "the import finished before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    with HubStore.open(hub_dir) as hub:
        assert list(hub.copies()) == []
    assert hub_snapshot(hub_dir)[1] == before[1]
    with HubStore.open(hub_dir) as hub:
        assert import_bundle(hub, bundle).new == 3000
        assert len(list(hub.copies())) == 3000
    conn = sqlite3.connect(hub_dir / HUB_FILE)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
