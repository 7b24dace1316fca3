"""T19 on SQLite: the same bundle imported by several processes at once adds it once."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from fieldapp.storage.hub_store import HubStore
from fieldapp.sync.device import push_to_folder
from fieldapp.sync.hub_import import import_bundle
from tests.support.devices import ROOT, open_session
from tests.support.sync import build_world, hub_snapshot, race, record


def test_concurrent_imports_of_one_bundle_add_it_once(tmp_path: Path) -> None:
    world = build_world(tmp_path / "w", per_device=4)
    with open_session(world.devices["a"]) as session:  # a re-send overlapping the first bundle
        record(session, world.form)
        out = tmp_path / "resend"
        out.mkdir()
        resent = push_to_folder(session, out).path
    hub_dir = tmp_path / "hub"
    with HubStore.open(hub_dir, create=True) as hub:
        import_bundle(hub, world.registrations["a"], trust=True)
    results = race(str(hub_dir), [world.bundles["a"]] * 3 + [resent] * 2)  # type: ignore[list-item]
    first = [r for r in results if r["bundle"] == results[0]["bundle"]]
    assert sorted(r["already"] for r in first) == [False, True, True]
    assert sum(r["new"] for r in results) == 5  # 4 + 1, whoever came first
    with HubStore.open(hub_dir) as hub:
        assert len(list(hub.copies())) == 5 and hub.conflicts() == []
        ids = [r.interview_id for r in hub.copies()]
        assert len(ids) == len(set(ids))
    before = hub_snapshot(hub_dir)
    assert all(r["already"] for r in race(str(hub_dir), [world.bundles["a"], resent]))  # type: ignore[list-item]
    assert hub_snapshot(hub_dir) == before


def test_importer_killed_midway_leaves_nothing_then_imports_once(tmp_path: Path) -> None:
    """T02: SIGKILL the importer at random moments; the hub holds none or all of it."""
    import os
    import random
    import signal

    from tests.support.devices import make_device, make_project
    from tests.support.sync import make_form, synthetic_bundle

    project, form = make_project(tmp_path / "keys"), make_form(tmp_path / "forms")
    data = make_device(tmp_path / "dev", project)
    with open_session(data) as session:
        registration = push_to_folder(session, tmp_path, register=True).path
        bundle = synthetic_bundle(tmp_path, session, form, 3000)
    hub_dir = tmp_path / "hub"
    with HubStore.open(hub_dir, create=True) as hub:
        import_bundle(hub, registration, trust=True)  # type: ignore[arg-type]
    rng = random.Random(2)
    for _ in range(3):
        child = subprocess.Popen([sys.executable, "-m", "tests.support.sync_child",
                                  str(hub_dir), str(bundle), "0"], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.5, 1.0))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        with HubStore.open(hub_dir) as hub:
            held = len(list(hub.copies()))
            assert held in (0, 3000)
            if held:  # the import had committed before the kill
                break
    with HubStore.open(hub_dir) as hub:
        result = import_bundle(hub, bundle)
        assert result.already_imported or result.new == 3000
        assert len(list(hub.copies())) == 3000
    import sqlite3

    conn = sqlite3.connect(hub_dir / "hub.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
