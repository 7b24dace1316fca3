"""The hub on a real PostgreSQL server: same rules as SQLite (T19, T21, T22), central pull."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from fieldapp.storage.hub_store import HubStore
from fieldapp.storage.tables import metadata
from fieldapp.sync.central import pull_from_hub
from fieldapp.sync.decisions import decide, resolve
from fieldapp.sync.device import push_to_folder, push_to_hub
from fieldapp.sync.device_pull import pull_returns
from fieldapp.sync.errors import BundleRejected, UntrustedDevice
from fieldapp.sync.hub_import import import_bundle
from fieldapp.sync.progress import count_hub
from fieldapp.sync.returns import write_return_bundles
from tests.support.devices import make_device, make_project, open_session
from tests.support.sync import World, make_form, record

pytestmark = pytest.mark.postgres


def pg_snapshot(url: str) -> list[tuple]:
    """Every row of every table, in primary-key order (a canonical dump)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows: list[tuple] = []
            for table in metadata.sorted_tables:
                stmt = select(table).order_by(*table.primary_key.columns)
                rows += [(table.name, *r) for r in conn.execute(stmt)]
            return rows
    finally:
        engine.dispose()


def test_two_devices_into_postgres_idempotent_and_damage_rejected(world: World, pg_url: str,
                                                                  tmp_path: Path) -> None:
    with HubStore.open(pg_url) as hub:
        with pytest.raises(UntrustedDevice):
            import_bundle(hub, world.bundles["a"])
        assert [import_bundle(hub, world.bundles[n], trust=True).new for n in "ab"] == [3, 3]
        assert import_bundle(hub, world.bundles["a"]).already_imported
        counts = count_hub(hub, world.project.private_key)
        assert counts.totals == {"finalised": 6}
        assert set(counts.by["city"]) == {"seoul", "tokyo"}
        assert counts.by["district"]["seoul_mapo"]["finalised"] == 3
        records = list(hub.copies())
        assert len(records) == 6 and records == sorted(records, key=lambda r: r.interview_id)
        assert [(f, v) for f, v, _ in hub.forms()] == [("sync_test", "1")]
    before = pg_snapshot(pg_url)
    data = world.bundles["b"].read_bytes()
    with zipfile.ZipFile(world.bundles["b"]) as z:
        info = next(i for i in z.infolist() if i.filename.startswith("records/"))
    flipped = bytearray(data)
    flipped[info.header_offset + 30 + len(info.filename) + 50] ^= 0x04
    cases = {"flipped.fieldsync": bytes(flipped), "cut.fieldsync": data[: len(data) // 2]}
    with HubStore.open(pg_url) as hub:
        for name, content in cases.items():
            bad = tmp_path / name
            bad.write_bytes(content)
            with pytest.raises(BundleRejected, match=rf"{name}: rejected: "):
                import_bundle(hub, bad)
    assert pg_snapshot(pg_url) == before


def test_send_back_and_conflicts_on_postgres(world: World, pg_url: str, tmp_path: Path
                                            ) -> None:
    target = world.ids["a"][0]
    with HubStore.open(pg_url) as hub:
        for name in "ab":
            import_bundle(hub, world.bundles[name], trust=True)
        decide(hub, target, "send_back", "please re-check q1")
        returns = tmp_path / "returns"
        returns.mkdir()
        write_return_bundles(hub, world.project.private_key, returns)
    with open_session(world.devices["a"]) as session:
        applied, errors = pull_returns(session, returns)
        assert errors == [] and applied[0].reopened == [(target, 2, "please re-check q1")]
        recording = session.resume(target)
        recording.answer("q1", 5)
        recording.finalise()
        pushed = push_to_hub(session, pg_url)
        assert (pushed.count, pushed.new) == (1, 1)
    # the same interview id, finalised on the other laptop: a flagged conflict
    with open_session(world.devices["b"]) as session:
        record(session, world.form, interview_id=world.ids["a"][1])
        push_to_hub(session, pg_url)
    with HubStore.open(pg_url) as hub:
        state = hub.interview(target)
        assert (state.status, state.revision) == ("finalised", 2)
        assert [h.event for h in hub.history(target)] == [
            "received", "sent_back", "returned", "received"]
        (conflict,) = hub.conflicts()
        assert conflict.interview_id == world.ids["a"][1] and "two devices" in conflict.reason
        resolve(hub, conflict.interview_id, conflict.record_a, "original laptop")
        assert hub.interview(conflict.interview_id).status == "finalised"


def test_pull_from_central_database_into_a_local_hub(world: World, pg_url: str,
                                                     tmp_path: Path) -> None:
    with HubStore.open(pg_url) as central:
        for name in "ab":
            import_bundle(central, world.bundles[name], trust=True)
    local = tmp_path / "local"
    with HubStore.open(local, create=True) as hub, HubStore.open(pg_url) as central:
        results, errors, _ = pull_from_hub(hub, central)
        assert errors and all("not trusted" in e for e in errors) and results == []
        results, errors, _ = pull_from_hub(hub, central, trust=True)
        assert errors == [] and sorted(r.new for r in results) == [3, 3]
        assert len(list(hub.copies())) == 6
        assert pull_from_hub(hub, central)[2] == 2  # everything already here
    # a record altered in the central database fails the device signature's hash check
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE hub_records SET sealed_blob = sealed_blob || '\\x00'::bytea "
                          "WHERE id = (SELECT min(id) FROM hub_records)"))
    engine.dispose()
    with HubStore.open(tmp_path / "other", create=True) as hub, HubStore.open(pg_url) as central:
        results, errors, _ = pull_from_hub(hub, central, trust=True)
    assert len(errors) == 1 and "does not match the manifest (sha256)" in errors[0]


def test_device_unknown_to_the_database_is_told_how_to_register(tmp_path: Path,
                                                                pg_url: str) -> None:
    project, form = make_project(tmp_path / "keys"), make_form(tmp_path / "forms")
    data = make_device(tmp_path / "dev", project, enumerator="E09")
    with open_session(data) as session:
        record(session, form)
        with pytest.raises(Exception, match=r"not trusted by this hub.*--trust"):
            push_to_hub(session, pg_url)
        assert not session.store.sealed_records()[0].acked
        box = tmp_path / "reg"
        box.mkdir()
        registration = push_to_folder(session, box, register=True).path
    with HubStore.open(pg_url) as hub:  # the supervisor trusts it (the bundle carries the record)
        result = import_bundle(hub, registration, trust=True)  # type: ignore[arg-type]
        assert result.trusted_now and result.new == 1
    with open_session(data) as session:
        pushed = push_to_hub(session, pg_url)
        assert (pushed.count, pushed.new) == (1, 0)  # already there: exactly once
        assert all(s.acked for s in session.store.sealed_records())
