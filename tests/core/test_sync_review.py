"""Review round trips and conflicts (T22, T23, T24) with a SQLite hub and real devices.

send-back → device re-opens with the comment → re-finalise → hub shows revision 2 and the
history; approve → device locked; the same interview from two laptops → conflict, listed,
resolved explicitly; return bundles only open on their own device.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from fieldapp import i18n
from fieldapp.errors import FieldAppError
from fieldapp.recording import open_sealed
from fieldapp.storage.hub_store import HubStore
from fieldapp.sync.decisions import decide, resolve
from fieldapp.sync.device import push_to_folder
from fieldapp.sync.device_pull import pull_returns
from fieldapp.sync.errors import HubError
from fieldapp.sync.hub_import import import_bundle, import_files
from fieldapp.sync.returns import install_hub_form, write_return_bundles
from tests.support.devices import make_device, make_project, open_session
from tests.support.sync import World, build_world, make_form, record

COMMENT = "동 이름을 다시 확인해 주세요 (Dong name?)"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build_world(tmp_path / "world", per_device=2)


def hub_with(world: World, folder: Path) -> HubStore:
    hub = HubStore.open(folder, create=True)
    for name in ("a", "b"):
        import_bundle(hub, world.bundles[name], trust=True)
    return hub


def returns_dir(world: World) -> Path:
    folder = world.root / "returns"
    folder.mkdir(exist_ok=True)
    return folder


def test_send_back_reopen_refinalise_revision_2(world: World, tmp_path: Path) -> None:
    target = world.ids["a"][0]
    with hub_with(world, tmp_path / "hub") as hub:
        state = decide(hub, target, "send_back", COMMENT)
        assert (state.status, state.revision) == ("sent_back", 1)
        with pytest.raises(HubError, match="already sent back"):
            decide(hub, target, "approve")
        written = write_return_bundles(hub, world.project.private_key, returns_dir(world))
        assert {w.enumerator: w.decisions for w in written} == {"E01": 1, "E02": 0}
        # nothing new since: no further return bundle
        assert write_return_bundles(hub, world.project.private_key, returns_dir(world)) == []
    with open_session(world.devices["a"]) as session:
        applied, errors = pull_returns(session, returns_dir(world))
        assert errors == [] and len(applied) == 1  # the other bundle is for device b
        assert applied[0].reopened == [(target, 2, COMMENT)] and applied[0].acked == 2
        record_ = session.store.interview(target)
        assert (record_.status, record_.revision) == ("draft", 2)
        assert session.note(target) == COMMENT
        assert all(s.acked for s in session.store.sealed_records())
        recording = session.resume(target)
        assert recording.engine.answers["dong"] == "E01-동0"
        assert recording.engine.answers["m_name[1]"] == "김민수"
        assert recording.engine.repeat_counts == {"hh": 1}
        recording.answer("dong", "성산2동")
        recording.finalise()
        again, _ = pull_returns(session, returns_dir(world))  # idempotent
        assert again[0].again and again[0].reopened == [] and again[0].skipped == 1
        outbox = tmp_path / "out2"
        outbox.mkdir()
        pushed = push_to_folder(session, outbox)
        assert pushed.count == 1  # only the new revision is unacknowledged
    with HubStore.open(tmp_path / "hub") as hub:
        assert import_bundle(hub, pushed.path).new == 1  # type: ignore[arg-type]
        state = hub.interview(target)
        assert (state.status, state.revision) == ("finalised", 2)
        events = [(h.revision, h.event) for h in hub.history(target)]
        assert events == [(1, "received"), (1, "sent_back"), (1, "returned"), (2, "received")]
        (current,) = [r for r in hub.copies() if r.interview_id == target]
        payload = open_sealed(world.project.private_key, current, current.form_id,
                              current.form_version)
        assert current.revision == 2 and payload["answers"]["dong"] == "성산2동"
        assert any(p["kind"] == "status" for p in payload["paradata"])


def test_approve_locks_the_interview_on_the_device(world: World, tmp_path: Path) -> None:
    target = world.ids["b"][1]
    with hub_with(world, tmp_path / "hub") as hub:
        decide(hub, target, "approve", "good work")
        assert [r.status for r in hub.copies("approved")] == ["approved"]
        assert len(list(hub.copies("finalised"))) == 3
        write_return_bundles(hub, world.project.private_key, returns_dir(world))
    with open_session(world.devices["b"]) as session:  # through the device façade
        applied, errors = session.pull(returns_dir(world))
        assert errors == [] and [(a.approved, len(a.reopened)) for a in applied] == [(1, 0)]
        assert session.last_synced() is not None
        assert session.store.interview(target).status == "approved"
        assert session.note(target) == "good work"
        with pytest.raises(FieldAppError, match="only drafts"):
            session.resume(target)
    with open_session(world.devices["a"]) as session:  # b's return bundle is not for a
        assert session.store.interview(world.ids["a"][0]).status == "finalised"


def test_return_bundle_damaged_or_for_another_device(world: World, tmp_path: Path) -> None:
    with hub_with(world, tmp_path / "hub") as hub:
        decide(hub, world.ids["a"][0], "send_back", COMMENT)
        (bundle, *_) = [w.path for w in write_return_bundles(
            hub, world.project.private_key, returns_dir(world)) if w.enumerator == "E01"]
    data = bytearray(bundle.read_bytes())
    data[len(data) // 3] ^= 0x01
    bad = tmp_path / "bad" / "return.fieldsync"
    bad.parent.mkdir()
    bad.write_bytes(bytes(data))
    with open_session(world.devices["a"]) as session:
        applied, errors = pull_returns(session, bad.parent)
        assert applied == [] and len(errors) == 1 and "return.fieldsync: rejected" in errors[0]
        assert session.store.interview(world.ids["a"][0]).status == "finalised"
    # a device that shares the id but not the data key (a clone with a new key) cannot open it
    clone = tmp_path / "impostor"
    shutil.copytree(world.devices["b"], clone)
    with zipfile.ZipFile(bundle) as z:
        items = [(i.filename, z.read(i)) for i in z.infolist()]
    forged = tmp_path / "forged" / "return.fieldsync"
    forged.parent.mkdir()
    manifest = dict(items)["manifest.json"].replace(
        world_device_id(world, "a").encode(), world_device_id(world, "b").encode())
    with zipfile.ZipFile(forged, "w") as z:
        for name, content in items:
            z.writestr(name, manifest if name == "manifest.json" else content)
    with open_session(clone) as session:
        applied, errors = pull_returns(session, forged.parent)
    assert applied == [] and "manifest.mac: not made for this device" in errors[0]


def world_device_id(world: World, name: str) -> str:
    with open_session(world.devices[name]) as session:
        return session.keyring.device_id


def test_cloned_laptop_same_revision_is_a_conflict(tmp_path: Path) -> None:
    project, form = make_project(tmp_path / "keys"), make_form(tmp_path / "forms")
    data = make_device(tmp_path / "laptop", project)
    with open_session(data) as session:
        draft = record(session, form, finalise=False)
    shutil.copytree(data, tmp_path / "clone")  # the disk image was copied with the draft
    bundles = []
    for folder, q1 in ((data, 1), (tmp_path / "clone", 4)):
        with open_session(folder) as session:
            recording = session.resume(draft)
            recording.answer("q1", q1)
            recording.finalise()
            out = folder / "out"
            out.mkdir()
            bundles.append(push_to_folder(session, out).path)
    with HubStore.open(tmp_path / "hub", create=True) as hub:
        first = import_bundle(hub, bundles[0], trust=True)
        second = import_bundle(hub, bundles[1])
        assert (first.conflicts, second.conflicts, second.new) == (0, 1, 1)
        (conflict,) = hub.conflicts()
        assert conflict.interview_id == draft and "arrived twice with different content" in \
            conflict.reason
        assert list(hub.copies()) == []  # never a silent winner
        assert {r.record_id for r in hub.copies("conflict")} == {conflict.record_a,
                                                                  conflict.record_b}
        assert len(list(hub.copies("all"))) == 2
        assert [hub.count(s) for s in (None, "all", "conflict", "finalised")] == [0, 2, 2, 0]
        with pytest.raises(HubError, match="in conflict"):
            decide(hub, draft, "approve")
        with pytest.raises(HubError, match="not one of the conflicting records"):
            resolve(hub, draft, 999, "typo")
        state = resolve(hub, draft, conflict.record_b, "clone's version checked by phone")
        assert (state.status, state.record_id) == ("finalised", conflict.record_b)
        assert hub.conflicts() == []
        (resolved,) = hub.conflicts(include_resolved=True)
        assert resolved.kept == conflict.record_b
        (kept,) = hub.copies()
        payload = open_sealed(project.private_key, kept, kept.form_id, kept.form_version)
        assert payload["answers"]["q1"] == 4
        assert [h.event for h in hub.history(draft)] == ["received", "conflict", "resolved"]


def test_same_interview_on_two_devices_is_a_conflict(world: World, tmp_path: Path) -> None:
    shared = world.ids["a"][0]
    with open_session(world.devices["b"]) as session:
        record(session, world.form, interview_id=shared, q1=2)
        out = tmp_path / "b2"
        out.mkdir()
        pushed = session.push(out)
        assert pushed.count == 3 and pushed.path.name.startswith("E02-")
        (bundle,) = out.iterdir()
    with hub_with(world, tmp_path / "hub") as hub:
        # either order gives the same flagged conflict
        result = import_bundle(hub, bundle)  # type: ignore[arg-type]
        assert result.conflicts == 1
        (conflict,) = hub.conflicts()
        assert "on two devices" in conflict.reason
        i18n.setup("ja")  # stored without a language, read in the reader's
        assert "2 台の端末" in hub.conflicts()[0].reason
        assert "2 台の端末" in hub.history(shared)[-1].detail
        i18n.setup("en")
        assert hub.interview(shared).status == "conflict"
        assert shared not in {r.interview_id for r in hub.copies()}


def test_new_questionnaire_version_travels_to_devices(world: World, tmp_path: Path) -> None:
    v2 = make_form(tmp_path / "v2", version="2")
    with hub_with(world, tmp_path / "hub") as hub:
        forms = [install_hub_form(hub, v2)]
        written = write_return_bundles(hub, world.project.private_key, returns_dir(world),
                                       forms=forms)
        assert [w.forms for w in written] == [1, 1]
        assert [(f, v) for f, v, _ in hub.forms()] == [("sync_test", "1"), ("sync_test", "2")]
        # later return bundles keep offering v2 to devices that still use v1
        decide(hub, world.ids["a"][0], "approve")
        (later,) = write_return_bundles(hub, world.project.private_key, returns_dir(world))
        assert (later.enumerator, later.decisions, later.forms) == ("E01", 1, 1)
    with open_session(world.devices["a"]) as session:
        applied, errors = pull_returns(session, returns_dir(world))
        assert errors == [] and sum(a.forms for a in applied) == 1  # installed once
        assert session.form("sync_test").version == "2"


def test_hub_folder_import_skips_return_bundles(world: World, tmp_path: Path) -> None:
    with hub_with(world, tmp_path / "hub") as hub:
        decide(hub, world.ids["a"][1], "approve")
        shared = tmp_path / "share"
        shared.mkdir()
        write_return_bundles(hub, world.project.private_key, shared)
        shutil.copy(world.bundles["a"], shared)
        results, errors, skipped = import_files(hub, shared)
    assert errors == [] and skipped == 2 and results[0].already_imported
