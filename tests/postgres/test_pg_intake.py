"""The supervisor-side intake: hostile rows rejected and kept, kill -9 and two processes.

Real processes run ``fieldapp hub intake`` as the supervisor role; devices insert through
their own roles over TCP with the password from their keyrings.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import psycopg
import pytest

from fieldapp.storage.hub_intake import submit_bundle, with_login
from fieldapp.sync.device import push_to_folder
from fieldapp.sync.hub_import import import_bundle
from tests.support.devices import ROOT, open_session
from tests.support.pg_city import City, device_login, enrol
from tests.support.sync import World, record

pytestmark = pytest.mark.postgres


def as_device(city: City, data: Path) -> str:
    """The hub URL with the device's own role and password (from its keyring)."""
    role, password = device_login(data)
    return with_login(city.device_url, role, password)


def counts(city: City) -> dict[str, int]:
    """Rows of the tables an import writes, and intake rows by status (as the owner)."""
    out: dict[str, int] = {}
    with psycopg.connect(_plain(city.owner_url)) as conn:
        for table in ("hub_receipts", "hub_records", "hub_interviews", "hub_history",
                      "hub_conflicts", "hub_devices"):
            out[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
        for status, n in conn.execute("SELECT status, count(*) FROM hub_intake "
                                      "GROUP BY status").fetchall():
            out[f"intake_{status}"] = n
        out["duplicates"] = len(conn.execute(
            "SELECT interview_id, revision FROM hub_records GROUP BY interview_id, revision "
            "HAVING count(*) > 1").fetchall())
        out["received_twice"] = len(conn.execute(
            "SELECT record_id FROM hub_history WHERE event = 'received' GROUP BY record_id "
            "HAVING count(*) > 1").fetchall())
    return out


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg", "postgresql")


def tampered(path: Path, out: Path, member: str) -> bytes:
    """The bundle with one byte of ``member`` flipped (zip otherwise intact)."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = bytearray(src.read(info))
            if info.filename == member:
                data[len(data) // 2] ^= 0x01
            dst.writestr(info, bytes(data))
    return out.read_bytes()


def test_tampered_or_foreign_rows_are_rejected_kept_and_never_applied(
        city: City, world: World, tmp_path: Path) -> None:
    enrol(city, world, "a", tmp_path / "usb_a")
    enrol(city, world, "b", tmp_path / "usb_b")
    before = counts(city)
    good = world.bundles["a"].read_bytes()
    submit_bundle(as_device(city, world.devices["a"]),
                  tampered(world.bundles["a"], tmp_path / "t1.fieldsync", "records/sealed.bin"))
    submit_bundle(as_device(city, world.devices["a"]),
                  tampered(world.bundles["a"], tmp_path / "t2.fieldsync", "manifest.json"))
    submit_bundle(as_device(city, world.devices["b"]), good)  # a's bundle, sent by b's role
    submit_bundle(as_device(city, world.devices["a"]), good[: len(good) // 2])  # cut off
    with city.supervisor() as hub:
        report = hub.process_intake()
        assert report.applied == [] and len(report.rejected) == 4
        reasons = [r.reason or "" for r in hub.intake("rejected")]
    assert "does not match the manifest" in reasons[0]
    assert "bad signature" in reasons[1] or "manifest" in reasons[1]
    assert "belongs to device" in reasons[2]
    assert "not a readable bundle" in reasons[3]
    after = counts(city)
    assert after["intake_rejected"] == 4
    assert {k: v for k, v in after.items() if k.startswith("hub_")} == \
        {k: v for k, v in before.items() if k.startswith("hub_")}  # nothing applied
    with city.supervisor() as hub:  # a re-run leaves rejected rows alone
        assert hub.process_intake().processed == 0
    submit_bundle(as_device(city, world.devices["a"]), good)  # the genuine bundle
    with city.supervisor() as hub:
        report = hub.process_intake()
        assert [r.new for r in report.applied] == [3]


def test_untrusted_device_bundle_is_rejected_with_its_reason(city: City, world: World,
                                                             tmp_path: Path) -> None:
    device_id = enrol(city, world, "a", tmp_path / "usb")
    with psycopg.connect(_plain(city.owner_url), autocommit=True) as conn:
        # the DBA removes the device's trust but its role lingers: still refused
        conn.execute("DELETE FROM hub_devices WHERE device_id = %s", (device_id,))
    submit_bundle(as_device(city, world.devices["a"]), world.bundles["a"].read_bytes())
    with city.supervisor() as hub:
        report = hub.process_intake()
        assert report.applied == []
        (row,) = hub.intake("rejected")
    assert "not trusted" in (row.reason or "")
    assert counts(city)["hub_records"] == 0


def test_apply_committed_but_row_not_marked_then_rerun_applies_once(
        city: City, world: World, tmp_path: Path) -> None:
    """The window a kill -9 can hit: the bundle's apply committed, its row still pending."""
    enrol(city, world, "a", tmp_path / "usb")
    submit_bundle(as_device(city, world.devices["a"]), world.bundles["a"].read_bytes())
    with city.supervisor() as hub:
        import_bundle(hub.hub, world.bundles["a"])  # = what the killed process committed
        report = hub.process_intake()
        assert [r.already_imported for r in report.applied] == [True]
    c = counts(city)
    assert c["hub_records"] == 3 and c["hub_receipts"] == 2 and c["intake_applied"] == 1
    assert c["duplicates"] == 0 and c["received_twice"] == 0


def intake_cli(city: City, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "fieldapp", "hub", "intake", "--hub",
                             city.supervisor_url, *args], cwd=ROOT, env=dict(os.environ),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def many_rows(city: City, world: World, tmp_path: Path, count: int) -> list[str]:
    """``count`` more interviews on device a, pushed one bundle (intake row) each, plus
    every bundle inserted a second time (a device re-sending)."""
    enrol(city, world, "a", tmp_path / "usb")
    data = world.devices["a"]
    with open_session(data) as session:
        ids = world.ids["a"] + [record(session, world.form, q1=i % 5 + 1)
                                for i in range(count)]
        session.push(city.device_url, batch=1)
    with psycopg.connect(_plain(city.owner_url), autocommit=True) as conn:
        conn.execute("INSERT INTO hub_intake (device_role, bundle) "
                     "SELECT device_role, bundle FROM hub_intake ORDER BY id")
    return ids


def test_intake_killed_mid_batch_then_rerun_applies_each_bundle_once(
        city: City, world: World, tmp_path: Path) -> None:
    # 24 bundles, each inserted twice: enough rows that a kill soon after the first one is
    # applied lands mid-way even on a fast, quiet machine (with 12 a CI run once finished
    # them all between three kills)
    ids = many_rows(city, world, tmp_path, 21)
    rng = random.Random(17)
    for _ in range(3):
        child = intake_cli(city, "--interval", "0.2")
        deadline = time.monotonic() + 60
        start = counts(city).get("intake_applied", 0)
        while counts(city).get("intake_applied", 0) == start and time.monotonic() < deadline:
            time.sleep(0.005)  # under way…
        time.sleep(rng.uniform(0.0, 0.03))  # …then somewhere inside a bundle
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        c = counts(city)
        assert c["duplicates"] == 0 and c["received_twice"] == 0
    assert counts(city).get("intake_pending", 0) > 0  # really killed mid-way
    rerun = intake_cli(city, "--once")
    _out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    c = counts(city)
    assert c["intake_applied"] == 48 and c.get("intake_pending", 0) == 0
    assert c["hub_records"] == len(ids) == 24 and c["duplicates"] == 0
    assert c["hub_receipts"] == 1 + 24  # registration + each bundle once
    assert c["received_twice"] == 0 and c["hub_conflicts"] == 0


def test_two_intake_processes_apply_nothing_twice(city: City, world: World,
                                                  tmp_path: Path) -> None:
    ids = many_rows(city, world, tmp_path, 21)  # 24 bundles, each inserted twice
    children = [intake_cli(city, "--once") for _ in range(2)]
    outputs = [child.communicate(timeout=300) for child in children]
    assert [child.returncode for child in children] == [0, 0], outputs
    c = counts(city)
    assert c["intake_applied"] == 48 and c.get("intake_pending", 0) == 0
    assert c["hub_records"] == len(ids) == 24 and c["duplicates"] == 0
    assert c["hub_receipts"] == 1 + 24 and c["received_twice"] == 0
    imported = [line for out, _ in outputs for line in out.splitlines() if ": imported " in line]
    assert len(imported) == 24  # every bundle applied by exactly one of the two
    with city.supervisor() as hub:
        applied = hub.intake("applied")
    assert len({r.bundle_id for r in applied}) == 24


def test_folder_bundle_from_a_device_with_a_role_still_imports(city: City, world: World,
                                                               tmp_path: Path) -> None:
    """USB keeps working next to the database (same checks, same idempotency)."""
    enrol(city, world, "a", tmp_path / "usb")
    with open_session(world.devices["a"]) as session:
        record(session, world.form)
        out = tmp_path / "out"
        out.mkdir()
        path = push_to_folder(session, out).path
    with city.supervisor() as hub:
        results, errors, _ = hub.import_bundles(path)  # type: ignore[arg-type]
    assert errors == [] and results[0].new == 4


def test_intake_service_acknowledges_online_and_stops_on_sigterm(
        city: City, world: World, tmp_path: Path) -> None:
    from tests.support.devices import KEY_PASSPHRASE

    enrol(city, world, "a", tmp_path / "usb")
    env = {**os.environ, "FIELDAPP_KEY_PASSPHRASE": KEY_PASSPHRASE}
    service = subprocess.Popen([sys.executable, "-m", "fieldapp", "hub", "intake", "--hub",
                                city.supervisor_url, "--key", str(world.project.private),
                                "--interval", "0.2"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with open_session(world.devices["a"]) as session:
            session.push(city.device_url)
            deadline, acked = time.monotonic() + 60, 0
            while acked < 3 and time.monotonic() < deadline:  # the service answers by itself
                time.sleep(0.2)
                applied, errors_ = session.pull(city.device_url)
                assert errors_ == []
                acked += sum(a.acked for a in applied)
            assert acked == 3 and session.store.sealed_index(only_unacked=True) == []
    finally:
        service.send_signal(signal.SIGTERM)
        out, err = service.communicate(timeout=30)
    assert service.returncode == 0, err
    assert ": imported 3 interview record(s)" in out


def test_a_signed_bundle_the_database_cannot_store_is_rejected_and_the_intake_goes_on(
        city: City, world: World, tmp_path: Path) -> None:
    """A dishonest enumerator holds the device's signing key: a bundle signed by it with a NUL
    in a text field (PostgreSQL text cannot hold one) used to stop every intake run on that
    row, so no device's uploads were applied. It is rejected, kept, and the rows behind it
    are applied."""
    import io

    from fieldapp.sync.device import _forms, _records, registration, write_device_bundle

    enrol(city, world, "a", tmp_path / "usb")
    with open_session(world.devices["a"]) as session:
        index = session.store.sealed_index()
        forms = [(fid, version, "title\x00", xlsx)
                 for fid, version, _title, xlsx in _forms(session, index)]
        hostile = io.BytesIO()
        write_device_bundle(hostile, device=registration(session),
                            signing_key=session.keys.signing_key,
                            records=_records(session, index), forms=forms)
    submit_bundle(as_device(city, world.devices["a"]), hostile.getvalue())
    submit_bundle(as_device(city, world.devices["a"]), world.bundles["a"].read_bytes())
    with city.supervisor() as hub:
        report = hub.process_intake()
        assert [r.new for r in report.applied] == [3] and len(report.rejected) == 1
        (row,) = hub.intake("rejected")
    assert "title must not contain NUL" in (row.reason or "")
    assert counts(city)["hub_records"] == 3


def test_a_rejection_reason_is_shown_in_the_readers_language(city: City, world: World,
                                                             tmp_path: Path) -> None:
    """The office service runs in one language; the supervisor's desk (and `hub intake
    --list`) shows each kept reason in the reader's own."""
    from fieldapp import i18n

    enrol(city, world, "a", tmp_path / "usb")
    submit_bundle(as_device(city, world.devices["a"]), b"PK\x03\x04 not a bundle")
    with city.supervisor() as hub:
        assert len(hub.process_intake().rejected) == 1  # processed in English
        try:
            i18n.setup("ko")
            (row,) = hub.intake("rejected")
        finally:
            i18n.setup("en")
        assert row.reason == "읽을 수 있는 번들이 아닙니다 (잘렸거나 손상된 zip 파일)"
        (row,) = hub.intake("rejected")
        assert row.reason == "not a readable bundle (truncated or damaged zip file)"


def test_intake_service_rides_out_a_lost_database_connection(city: City, world: World,
                                                            tmp_path: Path) -> None:
    """A database restart or fail-over used to end the office service (exit 1, nothing
    applied until someone restarted it): it says so on stderr and tries again."""
    enrol(city, world, "a", tmp_path / "usb")
    service = intake_cli(city, "--interval", "0.2")
    try:
        assert service.stdout is not None and "processing the intake" in service.stdout.readline()
        city.server.admin(f"ALTER DATABASE {city.database} ALLOW_CONNECTIONS false")
        city.server.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          f"WHERE datname = '{city.database}'")
        time.sleep(1.5)  # the service's connection is gone and no new one is allowed
        city.server.admin(f"ALTER DATABASE {city.database} ALLOW_CONNECTIONS true")
        submit_bundle(as_device(city, world.devices["a"]), world.bundles["a"].read_bytes())
        deadline = time.monotonic() + 60
        while counts(city).get("intake_applied", 0) == 0 and time.monotonic() < deadline:
            assert service.poll() is None, service.stderr.read() if service.stderr else ""
            time.sleep(0.2)
        assert counts(city)["hub_records"] == 3
    finally:
        city.server.admin(f"ALTER DATABASE {city.database} ALLOW_CONNECTIONS true")
        service.send_signal(signal.SIGTERM)
        _out, err = service.communicate(timeout=30)
    assert service.returncode == 0, err
    assert "trying again in 0.2 s" in err


def test_an_oversized_row_is_set_aside_unread(city: City, world: World, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A device may insert a row up to PostgreSQL's 1 GB: the intake must not read such a
    row into memory (an out-of-memory kill would leave it pending and stop the intake on
    every restart). The limit is lowered here so the test stays small."""
    from fieldapp.sync import intake

    enrol(city, world, "a", tmp_path / "usb")
    genuine = world.bundles["a"].read_bytes()
    submit_bundle(as_device(city, world.devices["a"]), genuine + b"\x00" * 4096)
    submit_bundle(as_device(city, world.devices["a"]), genuine)
    monkeypatch.setattr(intake, "MAX_INTAKE_BUNDLE", len(genuine) + 1024)
    with city.supervisor() as hub:
        report = hub.process_intake()
        assert [r.new for r in report.applied] == [3] and len(report.rejected) == 1
        (row,) = hub.intake("rejected")
    assert f"the bundle is {len(genuine) + 4096} bytes" in (row.reason or "")
