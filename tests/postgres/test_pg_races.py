"""Races and interruptions against PostgreSQL: parallel imports, a push killed mid-way (T19, T24).

Real processes: imports race from 2 × 5 children; ``fieldapp sync push --to postgresql://…``
is SIGKILLed after its first committed bundle and at random moments, then run again: every
interview must be in the hub exactly once and acknowledged on the device.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from fieldapp.storage.hub_store import HubStore
from fieldapp.sync.device import push_to_folder
from fieldapp.sync.hub_import import import_bundle
from tests.support.devices import PASSPHRASE, ROOT, make_device, make_project, open_session
from tests.support.sync import build_world, make_form, race, record

pytestmark = pytest.mark.postgres


def duplicates_and_count(url: str) -> tuple[list, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            dups = conn.execute(text(
                "SELECT interview_id, revision, count(*) FROM hub_records "
                "GROUP BY interview_id, revision HAVING count(*) > 1")).all()
            count = conn.execute(text("SELECT count(*) FROM hub_records")).scalar_one()
        return list(dups), int(count)
    finally:
        engine.dispose()


def test_two_workers_five_parallel_submits_no_duplicates(tmp_path: Path, pg_url: str) -> None:
    world = build_world(tmp_path / "w", per_device=4)
    with open_session(world.devices["a"]) as session:  # re-send: overlaps the first bundle
        record(session, world.form)
        out = tmp_path / "resend"
        out.mkdir()
        resent = push_to_folder(session, out).path
    with HubStore.open(pg_url) as hub:
        import_bundle(hub, world.registrations["a"], trust=True)
    results = race(pg_url, [world.bundles["a"]] * 5 + [resent] * 5)  # type: ignore[list-item]
    for bundle in {r["bundle"] for r in results}:
        outcome = sorted(r["already"] for r in results if r["bundle"] == bundle)
        assert outcome == [False] + [True] * 4
    assert sum(r["new"] for r in results) == 5
    dups, count = duplicates_and_count(pg_url)
    assert dups == [] and count == 5
    with HubStore.open(pg_url) as hub:
        assert hub.conflicts() == [] and len(list(hub.copies())) == 5


def push_cli(data: Path, url: str, batch: int) -> subprocess.Popen:
    env = {**os.environ, "FIELDAPP_PASSPHRASE": PASSPHRASE}
    return subprocess.Popen([sys.executable, "-m", "fieldapp", "sync", "push", "--data",
                             str(data), "--to", url, "--batch", str(batch)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_push_killed_midway_then_rerun_delivers_exactly_once(tmp_path: Path,
                                                             pg_url: str) -> None:
    project, form = make_project(tmp_path / "keys"), make_form(tmp_path / "forms")
    data = make_device(tmp_path / "dev", project, enumerator="E11")
    box = tmp_path / "reg"
    box.mkdir()
    with open_session(data) as session:
        registration = push_to_folder(session, box, register=True).path
        ids = [record(session, form, q1=i % 5 + 1) for i in range(12)]
    with HubStore.open(pg_url) as hub:
        import_bundle(hub, registration, trust=True)  # type: ignore[arg-type]

    child = push_cli(data, pg_url, batch=2)
    assert child.stdout is not None
    line = child.stdout.readline()  # the first bundle is committed…
    child.send_signal(signal.SIGKILL)  # …and the network (process) dies mid-push
    child.wait(timeout=30)
    assert line.startswith("committed bundle"), child.stderr.read() if child.stderr else ""
    _, partial = duplicates_and_count(pg_url)
    assert 2 <= partial < 12

    rng = random.Random(4)
    for _ in range(3):  # more kills at random moments, inside transactions too
        with open_session(data) as session:
            ids += [record(session, form) for _ in range(3)]
        before = duplicates_and_count(pg_url)[1]
        child = push_cli(data, pg_url, batch=1)
        assert child.stdout is not None and child.stdout.readline()  # under way
        time.sleep(rng.uniform(0.0, 0.05))  # then somewhere in the middle of a bundle
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        dups, count = duplicates_and_count(pg_url)
        assert dups == [] and before <= count < len(ids)

    rerun = push_cli(data, pg_url, batch=2)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert "all acknowledged by the hub" in out
    dups, count = duplicates_and_count(pg_url)
    assert dups == [] and count == len(ids) == 21
    with HubStore.open(pg_url) as hub:
        assert sorted(r.interview_id for r in hub.copies()) == sorted(ids)
        assert hub.conflicts() == []
    with open_session(data) as session:
        assert all(s.acked for s in session.store.sealed_records())
        assert session.store.integrity_check() == "ok"
