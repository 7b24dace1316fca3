"""Device → hub: signed bundles of sealed interviews, to a folder or straight into a hub DB.

Incremental: every sealed revision the hub has not acknowledged goes out again until it is
(re-sending is safe, the hub deduplicates). Blobs are read from the store and written into
the zip one at a time. A push to a database URL builds bundles of ``batch`` records in memory
and imports each with the hub's own verification, committing per bundle; the committed
import is the acknowledgement, so a push killed at any point is simply run again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from fieldapp.atomic import atomic_output
from fieldapp.clock import now_text, utc_text
from fieldapp.crypto import sign
from fieldapp.crypto.encoding import fingerprint_of
from fieldapp.device_parts import DeviceParts
from fieldapp.i18n import N_
from fieldapp.storage.hub_store import HubStore
from fieldapp.storage.store import SealedEntry
from fieldapp.sync.bundle import (
    SUFFIX,
    ZipSource,
    ZipWriter,
    remove_stale_temp_files,
)
from fieldapp.sync.errors import SyncError, UntrustedDevice
from fieldapp.sync.hub_import import import_source
from fieldapp.sync.manifest import (
    ENTRIES,
    MANIFEST,
    RECORDS,
    SIGNATURE,
    DeviceManifest,
    Entry,
    FormEntry,
    Registration,
    device_manifest_bytes,
    entry_line,
    form_path,
)
from fieldapp.sync.results import ImportResult
from fieldapp.sync.verify import signed_message

#: (interview_id, revision, form_id, form_version, sealed_utc text, local day) + sealed bytes
#: ((interview_id, revision, form_id, form_version, sealed_utc, day[, status]), sealed bytes)
RecordItem = tuple[tuple[Any, ...], bytes]
#: (form_id, version, title, .xlsx bytes)
FormItem = tuple[str, str, str, bytes]


@dataclass(frozen=True)
class PushResult:
    """What a push sent: the bundle file (folder push) and how many sealed revisions."""

    path: Path | None
    bundle_ids: tuple[str, ...]
    count: int
    new: int = 0
    queued: bool = False  # into a central hub's intake (applied by the supervisor's side)


def registration(session: DeviceParts) -> Registration:
    """This device's identity, keys and sealed data key, as the hub records them."""
    kr = session.keyring
    return Registration(device_id=kr.device_id, enumerator=kr.enumerator, city=kr.city,
                        key_id=kr.key_id, signing_public_key=kr.signing_public_key,
                        fingerprint=fingerprint_of(kr.signing_public_key),
                        dek_sealed_project=kr.dek_sealed_project,
                        project_public_key=kr.project_public_key)


def write_device_bundle(handle: IO[bytes], *, device: Registration, signing_key: Any,
                        records: Iterable[RecordItem], forms: Iterable[FormItem],
                        bundle_id: str | None = None) -> DeviceManifest:
    """Stream records into ``records/sealed.bin`` (their entries into a temp file, then into
    ``entries.jsonl``), add the forms and the signed manifest; returns the manifest.

    ``records`` must come sorted by (interview id, revision), each revision once.
    """
    writer = ZipWriter(handle)
    try:
        return _write_device_bundle(writer, device, signing_key, records, forms, bundle_id)
    except BaseException:
        with contextlib.suppress(Exception):  # the caller discards the partial output
            writer.close()
        raise


def _write_device_bundle(writer: ZipWriter, device: Registration, signing_key: Any,
                         records: Iterable[RecordItem], forms: Iterable[FormItem],
                         bundle_id: str | None) -> DeviceManifest:
    entries_hash, records_hash = hashlib.sha256(), hashlib.sha256()
    count = offset = entries_size = 0
    previous: tuple[str, int] | None = None
    with tempfile.TemporaryFile() as spool:
        with writer.stream(RECORDS) as out:
            for (iid, rev, form_id, version, sealed_utc, day, *status), blob in records:
                if previous is not None and (iid, rev) <= previous:
                    raise SyncError(N_("records must be sorted by interview id and revision, each "
                                       "revision once"), code="device.records-sorted-interview-id")
                previous = (iid, rev)
                out.write(blob)
                records_hash.update(blob)
                line = entry_line(Entry(iid, rev, form_id, version,
                                        hashlib.sha256(blob).hexdigest(), len(blob), offset,
                                        sealed_utc, day, *status))
                spool.write(line)
                entries_hash.update(line)
                entries_size += len(line)
                offset += len(blob)
                count += 1
        spool.seek(0)
        with writer.stream(ENTRIES) as out:
            while chunk := spool.read(1 << 20):
                out.write(chunk)
    form_entries, written = [], set()
    for form_id, version, title, content in forms:
        sha = hashlib.sha256(content).hexdigest()
        if form_path(sha) not in written:
            writer.add(form_path(sha), content)
            written.add(form_path(sha))
        form_entries.append(FormEntry(form_id, version, title, sha, len(content),
                                      form_path(sha)))
    manifest = DeviceManifest(bundle_id or str(uuid.uuid4()), now_text(), device, count,
                              entries_hash.hexdigest(), entries_size,
                              records_hash.hexdigest(), offset, tuple(form_entries))
    data = device_manifest_bytes(manifest)
    writer.add(MANIFEST, data)
    writer.add(SIGNATURE, sign(signing_key, signed_message(data)))
    writer.close()
    return manifest


def _records(session: DeviceParts, index: list[SealedEntry]) -> Iterator[RecordItem]:
    for e in sorted(index, key=lambda e: (e.interview_id, e.revision)):
        blob = session.store.sealed_blob(e.interview_id, e.revision)
        if hashlib.sha256(blob).hexdigest() != e.sha256:
            raise SyncError(N_("interview {interview_id} revision {revision}: the sealed copy on "
                               "this device is damaged (sha256); nothing was sent"),
                            code="device.interview-revision-sealed-copy",
                            interview_id=e.interview_id, revision=e.revision)
        day = e.sealed_utc.astimezone().date().isoformat()  # the laptop's local date
        yield (e.interview_id, e.revision, e.form_id, e.form_version, utc_text(e.sealed_utc),
               day, e.status), blob


def _forms(session: DeviceParts, index: list[SealedEntry]) -> list[FormItem]:
    wanted = {(e.form_id, e.form_version) for e in index}
    titles = {(f.form_id, f.version): f.title for f in session.store.list_forms()}
    return [(fid, ver, titles.get((fid, ver), fid), session.store.form_content(fid, ver))
            for fid, ver in sorted(wanted)]


def name_prefix(session: DeviceParts) -> str:
    """``E01-1a2b3c4d-``: the enumerator (filesystem-safe) and the device id's start."""
    kr = session.keyring
    who = re.sub(r"[^A-Za-z0-9_-]+", "_", kr.enumerator)[:40] or "device"
    return f"{who}-{kr.device_id[:8]}-"


def bundle_name(session: DeviceParts, bundle_id: str) -> str:
    """``E01-1a2b3c4d-20240501T100000Z-9f8e7d6c.fieldsync`` (safe on any filesystem)."""
    stamp = now_text()[:19].replace("-", "").replace(":", "")
    return f"{name_prefix(session)}{stamp}Z-{bundle_id[:8]}{SUFFIX}"


def push_to_folder(session: DeviceParts, folder: Path, *, register: bool = False) -> PushResult:
    """Write one bundle of every unacknowledged sealed revision into ``folder``."""
    if not folder.is_dir():
        raise SyncError(N_("{folder}: no such folder (plug in the USB stick or create it)"),
                        code="device.no-such-folder-plug", folder=folder)
    remove_stale_temp_files(folder, name_prefix(session))
    index = session.store.sealed_index(only_unacked=True)
    if not index and not register:
        return PushResult(None, (), 0)
    bundle_id = str(uuid.uuid4())
    target = folder / bundle_name(session, bundle_id)
    try:
        with atomic_output(target) as handle:
            write_device_bundle(handle, device=registration(session),
                                signing_key=session.keys.signing_key,
                                records=_records(session, index), forms=_forms(session, index),
                                bundle_id=bundle_id)
    except OSError as exc:
        raise SyncError(N_("{folder}: cannot write the bundle ({strerror})"),
                        code="device.cannot-write-bundle", folder=folder,
                        strerror=exc.strerror) from None
    if index:
        session.store.mark_sent(bundle_id=bundle_id,
                                entries=[(e.interview_id, e.revision) for e in index])
    return PushResult(target, (bundle_id,), len(index))


def push_to_hub(session: DeviceParts, url: str, *, batch: int = 200,
                progress: Callable[[ImportResult], None] | None = None) -> PushResult:
    """Push unacknowledged sealed revisions into a hub database, one bundle per ``batch``."""
    index = session.store.sealed_index(only_unacked=True)
    ids, new = [], 0
    with HubStore.open(url) as hub:
        for start in range(0, len(index), max(1, batch)):
            chunk = index[start:start + max(1, batch)]
            buffer = io.BytesIO()
            manifest = write_device_bundle(buffer, device=registration(session),
                                           signing_key=session.keys.signing_key,
                                           records=_records(session, chunk),
                                           forms=_forms(session, chunk))
            name = f"{hub.label} (push of bundle {manifest.bundle_id[:8]})"
            try:
                result = import_source(hub, ZipSource(buffer, name))
            except UntrustedDevice:
                kr = session.keyring
                raise SyncError(
                    N_("{label}: device {device_id} (key {value}) is not trusted by this hub; the "
                       "supervisor first imports one bundle from this device with 'fieldapp "
                       "sync pull --hub URL --from FILE --trust' (make it with 'fieldapp sync "
                       "push --to FOLDER --register')"),
                    code="device.device-key-not-trusted", label=hub.label,
                    device_id=kr.device_id,
                    value=fingerprint_of(kr.signing_public_key)) from None
            # Committed: the hub holds every entry now (new or identical copy) = acknowledged.
            entries = [(e.interview_id, e.revision) for e in chunk]
            session.store.mark_sent(bundle_id=manifest.bundle_id, entries=entries)
            session.store.mark_acked(entries=entries)
            ids.append(manifest.bundle_id)
            new += result.new
            if progress is not None:
                progress(result)
    return PushResult(None, tuple(ids), len(index), new)
