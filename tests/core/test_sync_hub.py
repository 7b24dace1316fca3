"""Bundles into a SQLite hub (T19, T21, T24): counts, idempotency, trust, damage rejected whole.

Real devices, real crypto, real SQLite files. A rejected bundle must leave the hub
byte-identical: the hub.db hash and a canonical SQL dump are compared.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldapp.crypto import generate_signing_key, sign
from fieldapp.crypto.encoding import b64e, fingerprint_of
from fieldapp.crypto.signing import public_key_bytes
from fieldapp.recording import open_sealed
from fieldapp.storage.hub_store import HubStore
from fieldapp.sync.errors import BundleRejected, UntrustedDevice
from fieldapp.sync.hub_import import import_bundle, import_files
from fieldapp.sync.manifest import ENTRIES, MANIFEST, RECORDS, SIGNATURE, dumps
from fieldapp.sync.progress import count_hub
from fieldapp.sync.verify import signed_message
from tests.support.devices import open_session
from tests.support.sync import World, build_world, hub_snapshot, record


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("sync-hub"))


@pytest.fixture
def hub_dir(tmp_path: Path, world: World) -> Path:
    """A hub that trusts both devices and holds device a's bundle (b's is still to come)."""
    folder = tmp_path / "hub"
    with HubStore.open(folder, create=True) as hub:
        for name in ("a", "b"):
            assert import_bundle(hub, world.registrations[name], trust=True).trusted_now
        assert import_bundle(hub, world.bundles["a"]).new == 3
    return folder


def members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def rebuild(items: list[tuple[str, bytes]], target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as z:
        for name, data in items:
            z.writestr(name, data)
    return target


def test_two_devices_counts_and_forms(world: World, hub_dir: Path) -> None:
    with HubStore.open(hub_dir) as hub:
        result = import_bundle(hub, world.bundles["b"])
        assert (result.entries, result.new, result.conflicts) == (3, 3, 0)
        records = list(hub.copies())
        assert sorted(r.interview_id for r in records) == sorted(world.ids["a"] + world.ids["b"])
        assert {r.enumerator for r in records} == {"E01", "E02"}
        assert {r.status for r in records} == {"finalised"}
        assert hub.count() == hub.count("all") == hub.count("finalised") == 6
        assert [(f, v) for f, v, _ in hub.forms()] == [("sync_test", "1")]
        assert next(hub.forms())[2] == world.form.read_bytes()
        counts = count_hub(hub, world.project.private_key)
        payload = open_sealed(world.project.private_key, records[0], records[0].form_id,
                              records[0].form_version)
    assert counts.totals == {"finalised": 6}
    assert counts.by["city"]["seoul"]["finalised"] == 3
    assert counts.by["city"]["tokyo"]["finalised"] == 3
    assert counts.by["district"]["seoul_jongno"]["finalised"] == 3
    assert counts.by["dong"]["E02-동1"]["finalised"] == 1
    assert payload["answers"]["district"] in ("seoul_mapo", "seoul_jongno")


def test_a_carried_form_the_hub_holds_is_not_parsed_again(
        world: World, hub_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Device b's bundle carries the questionnaire a's bundle brought: same bytes, so it is
    not loaded again; a copy that differs from the held one still is (and is refused)."""
    from fieldapp.sync import verify
    from fieldapp.sync.bundle import ZipSource

    loaded: list[str] = []
    real = verify.load_questionnaire_bytes

    def counting(content: bytes, name: str):  # type: ignore[no-untyped-def]
        loaded.append(name)
        return real(content, name)

    monkeypatch.setattr(verify, "load_questionnaire_bytes", counting)
    with HubStore.open(hub_dir) as hub:
        assert import_bundle(hub, world.bundles["b"]).new == 3
        assert loaded == []  # held with the same sha256: checked when a's bundle came
        with zipfile.ZipFile(world.bundles["b"]) as z, ZipSource.open(
                world.bundles["b"]) as source:
            assert any(n.endswith(".xlsx") for n in z.namelist())
            verify.verify_device_bundle(source, held_form=lambda *_: "another sha256")
        assert loaded == ["sync_test.xlsx"]  # other bytes held: loaded and checked


def test_import_twice_and_resent_add_nothing(world: World, hub_dir: Path, tmp_path: Path
                                              ) -> None:
    with HubStore.open(hub_dir) as hub:
        import_bundle(hub, world.bundles["b"])
    before = hub_snapshot(hub_dir)
    with HubStore.open(hub_dir) as hub:
        for _ in range(2):
            again = import_bundle(hub, world.bundles["b"])
            assert again.already_imported and "already imported" in again.summary()
    assert hub_snapshot(hub_dir) == before  # not a single byte written
    # The device has no acknowledgement yet: its next push re-sends everything (new bundle).
    copy = tmp_path / "device_b"
    shutil.copytree(world.devices["b"], copy)
    outbox = tmp_path / "resend"
    outbox.mkdir()
    from fieldapp.sync.device import push_to_folder

    with open_session(copy) as session:
        resent = push_to_folder(session, outbox)
    assert resent.count == 3
    with HubStore.open(hub_dir) as hub:
        result = import_bundle(hub, resent.path)  # type: ignore[arg-type]
        assert (result.already_imported, result.new) == (False, 0)
        assert len(list(hub.copies())) == 6 and not hub.conflicts()


def test_unknown_device_refused_until_trusted(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "hub"
    HubStore.open(folder, create=True).close()
    before = hub_snapshot(folder)
    with HubStore.open(folder) as hub, pytest.raises(UntrustedDevice) as err:
        import_bundle(hub, world.bundles["a"])
    assert str(world.bundles["a"]) in str(err.value) and "--trust" in str(err.value)
    assert "E01" in str(err.value) and "not trusted" in str(err.value)
    assert hub_snapshot(folder) == before
    with HubStore.open(folder) as hub:
        result = import_bundle(hub, world.bundles["a"], trust=True)
        assert result.trusted_now and result.new == 3
        (device,) = hub.devices()
        assert device.enumerator == "E01" and device.trusted_utc is not None


def _flip(offset_of: Callable[[zipfile.ZipInfo], int], name: str) -> Callable[[Path, Path], Path]:
    def mutate(src: Path, target: Path) -> Path:
        data = bytearray(src.read_bytes())
        with zipfile.ZipFile(src) as z:
            info = next(i for i in z.infolist() if i.filename.startswith(name))
        local_extra = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30],
                                     "little")  # the local header's (zip64) extra field
        start = info.header_offset + 30 + len(info.filename.encode()) + local_extra
        data[start + offset_of(info)] ^= 0x01
        target.write_bytes(bytes(data))
        return target
    return mutate


def _truncate(fraction: float) -> Callable[[Path, Path], Path]:
    def mutate(src: Path, target: Path) -> Path:
        data = src.read_bytes()
        target.write_bytes(data[: int(len(data) * fraction)] if fraction < 1 else data[:-1])
        return target
    return mutate


def _edit(change: Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]]
          ) -> Callable[[Path, Path], Path]:
    def mutate(src: Path, target: Path) -> Path:
        return rebuild(change(members(src)), target)
    return mutate


def _replace(name_prefix: str, new: Callable[[bytes], bytes]
             ) -> Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]]:
    def change(items: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
        done, out = False, []
        for name, data in items:
            if not done and name.startswith(name_prefix):
                data, done = new(data), True
            out.append((name, data))
        return out
    return change


def _resign(new_device: bool) -> Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]]:
    """Re-sign the manifest with an unknown key (optionally claiming a new device id)."""
    def change(items: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
        key = generate_signing_key()
        manifest = json.loads(dict(items)[MANIFEST])
        raw = public_key_bytes(key.public_key())
        manifest["device_key"].update(public_key=b64e(raw), fingerprint=fingerprint_of(raw))
        if new_device:
            manifest["device_id"] = manifest["registration"]["device_id"] = (
                "00000000-0000-4000-8000-000000000001")
        data = dumps(manifest)
        return [(n, data if n == MANIFEST else sign(key, signed_message(data))
                 if n == SIGNATURE else d) for n, d in items]
    return change


def split_records(items: list[tuple[str, bytes]]) -> tuple[list[dict], list[bytes]]:
    """(entries.jsonl as dicts, the sealed records cut out of records/sealed.bin at their offsets)."""
    members = dict(items)
    lines = [json.loads(line) for line in members[ENTRIES].splitlines()]
    blobs = [members[RECORDS][e["offset"]:e["offset"] + e["size"]] for e in lines]
    return lines, blobs


def _records(change: Callable[[list[bytes]], list[bytes]]
             ) -> Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]]:
    """Rewrite records/sealed.bin record by record (entries.jsonl and the manifest unchanged)."""
    def edit(items: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
        blobs = b"".join(change(split_records(items)[1]))
        return [(n, blobs if n == RECORDS else d) for n, d in items]
    return edit


def _drop(name: str) -> Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]]:
    return lambda items: [(n, d) for n, d in items if n != name]


DAMAGE = {
    "flipped byte in a record": (_flip(lambda i: 40, RECORDS), "records/sealed.bin"),
    "flipped byte in the last record": (_flip(lambda i: i.file_size - 3, RECORDS),
                                        "records/sealed.bin"),
    "flipped byte in entries.jsonl": (_flip(lambda i: 12, ENTRIES), "entries.jsonl"),
    "flipped byte in the manifest": (_flip(lambda i: i.file_size // 2, MANIFEST), MANIFEST),
    "flipped byte in the signature": (_flip(lambda i: 5, SIGNATURE), SIGNATURE),
    "truncated to 10%": (_truncate(0.1), "not a readable bundle"),
    "truncated to 50%": (_truncate(0.5), "not a readable bundle"),
    "truncated to 90%": (_truncate(0.9), "not a readable bundle"),
    "truncated by one byte": (_truncate(1.0), "not a readable bundle"),
    "manifest edited, old signature": (
        _edit(_replace(MANIFEST, lambda d: d.replace(b'"E02"', b'"E99"'))), "bad signature"),
    "signature replaced": (_edit(_replace(SIGNATURE, lambda d: bytes(64))), "bad signature"),
    "re-signed by an unknown key": (_edit(_resign(False)), "not the key this hub trusts"),
    "unknown key claiming a new device": (_edit(_resign(True)), "not trusted"),
    "record swapped for another sealed record": (
        _edit(_records(lambda b: [b[1], b[0], *b[2:]])), "does not match the manifest (sha256)"),
    "entry edited, manifest not re-signed": (
        _edit(_replace(ENTRIES, lambda d: d.replace(b'"revision":1', b'"revision":7', 1))),
        "entries.jsonl: content does not match the manifest (sha256)"),
    "record shortened": (_edit(_replace(RECORDS, lambda d: d[:-1])), "size differs"),
    "record appended": (_edit(_replace(RECORDS, lambda d: d + d[:200])), "size differs"),
    "extra file": (_edit(lambda items: [*items, ("records/extra.sealed", b"\x01" * 80)]),
                   "unexpected file records/extra.sealed"),
    "missing records/sealed.bin": (_edit(_drop(RECORDS)), "records/sealed.bin is missing "
                                                          "(listed in the manifest)"),
    "missing entries.jsonl": (_edit(_drop(ENTRIES)), "entries.jsonl is missing (listed in "
                                                     "the manifest)"),
    "duplicate member": (_edit(lambda items: [*items, items[-2]]), "appears twice"),
    "not a zip at all": (lambda s, t: (t.write_bytes(b"hello"), t)[1], "not a readable bundle"),
}


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("case", list(DAMAGE))
def test_damaged_bundle_is_rejected_whole(case: str, world: World, hub_dir: Path,
                                          tmp_path: Path) -> None:
    mutate, expected = DAMAGE[case]
    bad = mutate(world.bundles["b"], tmp_path / "bad.fieldsync")
    before = hub_snapshot(hub_dir)
    with HubStore.open(hub_dir) as hub, pytest.raises(BundleRejected) as err:
        import_bundle(hub, bad)
    message = str(err.value)
    assert message.startswith(f"{bad}: rejected: ") and expected in message, message
    assert "\n" not in message
    assert hub_snapshot(hub_dir) == before
    assert sorted(p.name for p in hub_dir.iterdir()) == ["hub.db"]
    with HubStore.open(hub_dir) as hub:  # and the intact bundle still imports afterwards
        assert import_bundle(hub, world.bundles["b"]).new == 3


def test_folder_import_reports_bad_files_and_imports_the_rest(world: World, hub_dir: Path,
                                                             tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(world.bundles["b"], inbox / "good.fieldsync")
    (inbox / "bad.fieldsync").write_bytes(world.bundles["b"].read_bytes()[:500])
    (inbox / ".half-written.fieldsync.x.tmp").write_bytes(b"partial")
    with HubStore.open(hub_dir) as hub:
        results, errors, skipped = import_files(hub, inbox)
    assert [r.new for r in results] == [3] and skipped == 0
    assert len(errors) == 1 and "bad.fieldsync: rejected: not a readable bundle" in errors[0]


def test_incremental_push_sends_only_unacknowledged(tmp_path: Path) -> None:
    from fieldapp.sync.device import push_to_folder
    from tests.support.devices import make_device, make_project
    from tests.support.sync import make_form

    project, form = make_project(tmp_path / "keys"), make_form(tmp_path / "forms")
    data = make_device(tmp_path / "dev", project)
    outbox = tmp_path / "out"
    outbox.mkdir()
    with open_session(data) as session:
        first = record(session, form)
        mine = outbox / f".E01-{session.keyring.device_id[:8]}-x.fieldsync.1a2b.tmp"
        theirs = outbox / ".E02-00000000-x.fieldsync.3c4d.tmp"  # another laptop, mid-write
        mine.write_bytes(b"killed mid-write")
        theirs.write_bytes(b"being written")
        assert push_to_folder(session, outbox).count == 1
        assert not mine.exists() and theirs.exists()
        theirs.unlink()
        assert session.store.mark_acked(entries=[(first, 1)]) == 1
        assert push_to_folder(session, outbox).path is None  # nothing new
        record(session, form)
        assert push_to_folder(session, outbox).count == 1
    names = sorted(p.name for p in outbox.iterdir())
    assert len(names) == 2 and all(n.endswith(".fieldsync") for n in names)
    with zipfile.ZipFile(io.BytesIO((outbox / names[0]).read_bytes())) as z:
        manifest = json.loads(z.read(MANIFEST))
    assert manifest["kind"] == "device" and manifest["enumerator"] == "E01"
    assert set(manifest["registration"]) >= {"device_id", "key_id", "dek_sealed_project"}
    assert manifest["forms"][0]["form_id"] == "sync_test"


def test_truncated_at_many_offsets_never_imports(world: World, hub_dir: Path,
                                                 tmp_path: Path) -> None:
    data = world.bundles["b"].read_bytes()
    before = hub_snapshot(hub_dir)
    offsets = sorted({0, 1, 21, 22, len(data) - 1, len(data) - 22, len(data) - 23,
                      *range(37, len(data), max(1, len(data) // 25))})
    bad = tmp_path / "cut.fieldsync"
    with HubStore.open(hub_dir) as hub:
        for offset in offsets:
            bad.write_bytes(data[:offset])
            with pytest.raises(BundleRejected, match=r"cut\.fieldsync: rejected: "):
                import_bundle(hub, bad)
    assert hub_snapshot(hub_dir) == before


def _signed_by_device(world: World, items: list[tuple[str, bytes]],
                      edit: Callable[[dict], None],
                      edit_entries: Callable[[list[dict]], None] = lambda e: None
                      ) -> list[tuple[str, bytes]]:
    """Edit the manifest and/or the entries and re-sign with the device's real key (a buggy or
    hostile device): the strict checks behind the signature must still catch it."""
    import hashlib

    lines, blobs = split_records(items)
    if edit_entries is _swap:  # records and entries reordered together (offsets redone)
        lines[:2], blobs[:2] = lines[1::-1], blobs[1::-1]
    offset = 0
    for entry, blob in zip(lines, blobs, strict=True):  # keep the hashes consistent with edited records
        entry.update(sha256=hashlib.sha256(blob).hexdigest(), size=len(blob), offset=offset)
        offset += len(blob)
    edit_entries(lines)
    entries, records = b"".join(dumps(e) + b"\n" for e in lines), b"".join(blobs)
    manifest = json.loads(dict(items)[MANIFEST])
    manifest["count"] = len(lines)
    for name, content in (("entries", entries), ("records", records)):
        manifest[name].update(sha256=hashlib.sha256(content).hexdigest(), size=len(content))
    edit(manifest)
    data = dumps(manifest)
    with open_session(world.devices["b"]) as session:
        signature = sign(session.keys.signing_key, signed_message(data))
    new = {MANIFEST: data, SIGNATURE: signature, ENTRIES: entries, RECORDS: records}
    return [(n, new.get(n, d)) for n, d in items]


def _twin(lines: list[dict]) -> None:
    lines[1].update(interview_id=lines[0]["interview_id"], revision=lines[0]["revision"])


def _swap(lines: list[dict]) -> None:
    """Marker: _signed_by_device swaps the first two records and their entries."""


@pytest.mark.parametrize("edit, edit_entries, expected", [
    (lambda m: None, _twin, "entries.jsonl: entries[1] is listed twice or out of order"),
    (lambda m: None, _swap, "entries.jsonl: entries[1] is listed twice or out of order"),
    (lambda m: None, lambda e: e[1].update(offset=e[1]["offset"] + 1),
     "entries.jsonl: entries[1].offset does not follow"),
    (lambda m: m.update(format_version=3), None, "manifest.json: bundle format version 3 is "
                                                 "not supported"),
    (lambda m: m.update(format_version=1), None, "manifest.json: bundle format version 1 (one "
                                                 "zip member per record"),
    (lambda m: m.update(count=m["count"] - 1), None, "entries.jsonl: more entries than"),
    (lambda m: m.update(count=m["count"] + 1), None, "entries.jsonl: 3 entries, the manifest "
                                                     "says 4"),
    (lambda m: m["records"].update(path="records/x"), None,
     "manifest.json: manifest.records.path must be records/sealed.bin"),
    (lambda m: None, lambda e: e[0].update(form_version="9"),
     "entries.jsonl: entries[0].form_version refers to a questionnaire the bundle does not "
     "carry"),
    (lambda m: None, lambda e: e[0].pop("sha256"), "entries.jsonl: entries[0].sha256 is "
                                                   "missing"),
    (lambda m: None, lambda e: e[2].update(extra=1), "entries.jsonl: entries[2] has unknown "
                                                     "fields"),
    (lambda m: m["registration"].update(device_id="00000000-0000-4000-8000-000000000000"),
     None, "manifest.json: manifest.registration.device_id differs from manifest.device_id"),
])
def test_signed_but_malformed_manifest_is_rejected(
        edit: Callable[[dict], None], edit_entries: Callable[[list[dict]], None] | None,
        expected: str, world: World, hub_dir: Path, tmp_path: Path) -> None:
    items = _signed_by_device(world, members(world.bundles["b"]), edit,
                              edit_entries or (lambda e: None))
    bad = rebuild(items, tmp_path / "bad.fieldsync")
    before = hub_snapshot(hub_dir)
    with HubStore.open(hub_dir) as hub, pytest.raises(BundleRejected) as err:
        import_bundle(hub, bad)
    assert f"{bad}: rejected: {expected}" in str(err.value), str(err.value)
    assert hub_snapshot(hub_dir) == before


def test_signed_record_that_is_not_a_seal_is_rejected(world: World, hub_dir: Path,
                                                      tmp_path: Path) -> None:
    items = _records(lambda blobs: [b"\x02" + b[1:] for b in blobs])(members(world.bundles["b"]))
    bad = rebuild(_signed_by_device(world, items, lambda m: None), tmp_path / "bad.fieldsync")
    with HubStore.open(hub_dir) as hub, pytest.raises(BundleRejected,
                                                 match="not a sealed interview record"):
        import_bundle(hub, bad)


def test_central_pull_replays_entries_kept_in_chunks(world: World, hub_dir: Path,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The hub keeps each bundle's entries.jsonl (here in many small chunks) and replays it
    into another hub with the same verification; an altered chunk is caught by its hash."""
    from sqlalchemy import update

    from fieldapp.storage.tables import meta
    from fieldapp.sync import hub_import
    from fieldapp.sync.central import pull_from_hub

    monkeypatch.setattr(hub_import, "RECEIPT_CHUNK", 200)  # one line per chunk
    with HubStore.open(hub_dir) as central:
        bundle_id = import_bundle(central, world.bundles["b"]).bundle_id
        chunks = list(central.receipt_entries(bundle_id))
    assert len(chunks) == 3 and b"".join(chunks) == dict(members(world.bundles["b"]))[ENTRIES]
    with HubStore.open(tmp_path / "local", create=True) as local, HubStore.open(hub_dir) as central:
        results, errors, skipped = pull_from_hub(local, central, trust=True)
        assert errors == [] and skipped == 0
        assert sum(r.new for r in results) == 6 and len(list(local.copies())) == 6
    key = f"receipt-entries/{bundle_id}/00000001"
    with HubStore.open(hub_dir) as central, central._write() as conn:
        held = conn.execute(meta.select().where(meta.c.key == key)).one().value
        conn.execute(update(meta).where(meta.c.key == key).values(
            value=held.replace('"revision":1', '"revision":2', 1)))
    with HubStore.open(tmp_path / "other", create=True) as other, HubStore.open(hub_dir) as central:
        _, errors, _ = pull_from_hub(other, central, trust=True)
    assert len(errors) == 1 and "does not match the manifest (sha256)" in errors[0], errors
