"""Import device bundles into a hub: verify everything, then apply in ONE transaction.

* Verification (:func:`verify_device_bundle`) and the trust checks run before any write
  transaction is opened, so a rejected bundle leaves a SQLite hub byte-identical.
* The receipt row is inserted first (``ON CONFLICT DO NOTHING``): of two processes importing
  one bundle, the second waits for the first and then finds it "already imported".
* Records are streamed from ``records/sealed.bin`` in entry order (sorted by interview id and
  revision) and re-hashed while applying; the bundle's ``entries.jsonl`` is appended to the
  receipt in chunks (a central hub replays it), so memory stays flat whatever the bundle size.
* Records go in with ``ON CONFLICT (interview_id, revision, sha256) DO NOTHING`` after the
  interview's hub row is locked, so twins of one revision can never slip past each other.
* Never last-writer-wins: a second version of a revision, or a revision from another device,
  becomes a conflict (both kept).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from fieldapp.crypto.encoding import b64d, b64e, fingerprint_of
from fieldapp.storage.records import now_utc_text
from fieldapp.storage.tables import (
    forms,
    hub_conflicts,
    hub_devices,
    hub_interviews,
    hub_receipts,
    hub_records,
    meta,
)
from fieldapp.sync.bundle import ZipSource, bundle_files
from fieldapp.sync.errors import BundleRejected, UntrustedDevice
from fieldapp.sync.hub import PROJECT_KEY_META, RECEIPT_ENTRIES_META, Hub
from fieldapp.sync.manifest import (
    ENTRIES,
    KIND_RETURN,
    MANIFEST,
    MAX_ENTRY_LINE,
    MAX_FORM,
    MAX_MANIFEST,
    Entry,
    ManifestError,
    Registration,
    parse_header,
)
from fieldapp.sync.records import APPROVED, CONFLICT, ImportResult
from fieldapp.sync.sql import add_history, insert_ignore, lock_interview
from fieldapp.sync.verify import (
    Source,
    VerifiedBundle,
    iter_records,
    read_checked,
    verify_device_bundle,
)

RECEIPT_CHUNK = 256 * 1024

#: A newly received revision becomes the interview's current one (parameters b_*).
_SET_CURRENT = (update(hub_interviews)
                .where(hub_interviews.c.interview_id == bindparam("b_iid"))
                .values(record_id=bindparam("b_rid"), revision=bindparam("b_rev"),
                        status=bindparam("b_status"), device_id=bindparam("b_dev"),
                        updated_utc=bindparam("b_now")))


class _AlreadyImported(Exception):
    """Raised inside the transaction to roll it back when another import got there first."""


def import_bundle(hub: Hub, path: Path, *, trust: bool = False) -> ImportResult:
    """Verify and import one ``*.fieldsync`` file."""
    with ZipSource.open(path) as source:
        return import_source(hub, source, trust=trust)


def import_files(hub: Hub, where: Path, *, trust: bool = False
                 ) -> tuple[list[ImportResult], list[str], int]:
    """Import a bundle file, or every bundle in a folder: (results, errors, return bundles)."""
    results, errors, skipped = [], [], 0
    for path in bundle_files(where):
        try:
            with ZipSource.open(path) as source:
                if _is_return_bundle(source):
                    skipped += 1  # meant for a device (shared folder)
                    continue
                results.append(import_source(hub, source, trust=trust))
        except BundleRejected as exc:
            errors.append(str(exc))
    return results, errors, skipped


def _is_return_bundle(source: ZipSource) -> bool:
    if MANIFEST not in source.names():
        return False
    try:
        return parse_header(source.read(MANIFEST, MAX_MANIFEST))[1] == KIND_RETURN
    except (ManifestError, BundleRejected):
        return False  # verification reports it properly


def import_source(hub: Hub, source: Source, *, trust: bool = False) -> ImportResult:
    """Verify and import one bundle from any source (file, memory, another hub)."""
    verified = verify_device_bundle(source)
    m = verified.manifest
    if hub.receipt_sha256(m.bundle_id) is not None:
        return _already(hub, verified)
    _precheck(hub, verified, trust)
    try:
        with hub.write() as conn:
            return _apply(conn, source, verified, trust)
    except _AlreadyImported:
        return _already(hub, verified)


def _already(hub: Hub, verified: VerifiedBundle) -> ImportResult:
    m = verified.manifest
    if hub.receipt_sha256(m.bundle_id) != verified.manifest_sha256:
        raise BundleRejected(verified.source, f"bundle id {m.bundle_id} was already imported "
                                              "with a different manifest (replayed or forged)")
    return ImportResult(verified.source, m.bundle_id, m.device.device_id, True, m.count)


def _untrusted(source: str, reg: Registration) -> UntrustedDevice:
    return UntrustedDevice(source, f"device {reg.device_id} (enumerator {reg.enumerator}, "
                                   f"key {reg.fingerprint}) is not trusted by this hub; check "
                                   "the key fingerprint with the enumerator, then import again "
                                   "with --trust")


def _same_device(source: str, reg: Registration, trusted: object) -> None:
    if (getattr(trusted, "signing_public_key", None) != reg.signing_public_key
            or getattr(trusted, "key_id", None) != reg.key_id
            or getattr(trusted, "dek_sealed_project", None) != reg.dek_sealed_project):
        raise BundleRejected(source, f"device {reg.device_id} presents key {reg.fingerprint}, "
                                     "not the key this hub trusts for it (a cloned or forged "
                                     "device id)")


def _precheck(hub: Hub, verified: VerifiedBundle, trust: bool) -> None:
    """Read-only checks against the hub: trusted device, project key, questionnaire bytes."""
    reg, source = verified.manifest.device, verified.source
    trusted = hub.device(reg.device_id)
    if trusted is None and not trust:
        raise _untrusted(source, reg)
    if trusted is not None:
        _same_device(source, reg, trusted)
    _check_project(source, reg, hub.project_public_key())
    for form in verified.manifest.forms:
        _check_form(source, form.form_id, form.version, form.sha256,
                    hub.form_sha256(form.form_id, form.version))


def _check_project(source: str, reg: Registration, held: bytes | None) -> None:
    if held is not None and held != reg.project_public_key:
        raise BundleRejected(source, f"device {reg.device_id} seals to project key "
                                     f"{reg.project_fingerprint}, but this hub holds project "
                                     f"{fingerprint_of(held)}")


def _check_form(source: str, form_id: str, version: str, sha: str, held: str | None) -> None:
    if held is not None and held != sha:
        raise BundleRejected(source, f"questionnaire {form_id} version {version} differs from "
                                     "the copy this hub already holds (same version, different "
                                     "content)")


def _apply(conn: Connection, source: Source, verified: VerifiedBundle,
           trust: bool) -> ImportResult:
    m, now = verified.manifest, now_utc_text()
    reg = m.device
    receipt = dict(bundle_id=m.bundle_id, manifest_sha256=verified.manifest_sha256,
                   device_id=reg.device_id, source=verified.source, imported_utc=now,
                   entry_count=m.count, new_count=0, manifest=verified.manifest_bytes,
                   signature=verified.signature)
    if insert_ignore(conn, hub_receipts, ["bundle_id"], receipt,
                     hub_receipts.c.bundle_id).first() is None:
        raise _AlreadyImported()
    trusted_now = _ensure_device(conn, verified.source, reg, trust, now)
    _ensure_project(conn, verified.source, reg)
    for form in m.forms:
        content = read_checked(source, form.path, form.sha256, form.size, MAX_FORM)
        insert_ignore(conn, forms, ["form_id", "version"], dict(
            form_id=form.form_id, version=form.version, sha256=form.sha256, title=form.title,
            content=content, installed_utc=now))
        held = conn.execute(select(forms.c.sha256).where(
            (forms.c.form_id == form.form_id) & (forms.c.version == form.version))).scalar_one()
        _check_form(verified.source, form.form_id, form.version, form.sha256, held)
    new = conflicts = 0
    # Entries are sorted (checked), so row locks are always taken in the same order:
    # concurrent imports on PostgreSQL cannot deadlock. Re-hashed as they are applied.
    for entry, blob in iter_records(source, m):
        stored, conflict = _store_record(conn, entry, blob, reg, m.bundle_id, now)
        new += stored
        conflicts += conflict
    _append_entries(conn, source, verified)
    conn.execute(update(hub_receipts).where(hub_receipts.c.bundle_id == m.bundle_id)
                 .values(new_count=new))
    return ImportResult(verified.source, m.bundle_id, reg.device_id, False, m.count,
                        new, conflicts, trusted_now)


def _append_entries(conn: Connection, source: Source, verified: VerifiedBundle) -> None:
    """Keep entries.jsonl with the receipt: ``meta`` rows of whole lines, ~256 KB each (one
    growing value would make SQLite copy it whole on every append)."""
    m = verified.manifest
    digest, size, number = hashlib.sha256(), 0, 0
    chunk: list[bytes] = []

    def flush() -> None:
        nonlocal number, chunk
        conn.execute(insert(meta).values(key=f"{RECEIPT_ENTRIES_META}{m.bundle_id}/{number:08d}",
                                         value=b"".join(chunk).decode("utf-8")))
        number, chunk = number + 1, []

    with source.stream(ENTRIES) as entries:
        while line := entries.readline(MAX_ENTRY_LINE + 1):
            digest.update(line)
            size += len(line)
            chunk.append(line)
            if size >= (number + 1) * RECEIPT_CHUNK:
                flush()
    if chunk:
        flush()
    if size != m.entries_size or digest.hexdigest() != m.entries_sha256:
        raise BundleRejected(verified.source, f"{ENTRIES}: content does not match the "
                                              "manifest (sha256)")


def _ensure_device(conn: Connection, source: str, reg: Registration, trust: bool,
                   now: str) -> bool:
    trusted_now = False
    if trust:
        trusted_now = insert_ignore(conn, hub_devices, ["device_id"], dict(
            device_id=reg.device_id, signing_public_key=reg.signing_public_key,
            fingerprint=reg.fingerprint, enumerator=reg.enumerator, city=reg.city,
            key_id=reg.key_id, dek_sealed_project=reg.dek_sealed_project,
            project_fingerprint=reg.project_fingerprint, trusted_utc=now),
            hub_devices.c.device_id).first() is not None
    row = conn.execute(select(hub_devices).where(
        hub_devices.c.device_id == reg.device_id)).one_or_none()
    if row is None:
        raise _untrusted(source, reg)
    _same_device(source, reg, row)
    return trusted_now


def _ensure_project(conn: Connection, source: str, reg: Registration) -> None:
    insert_ignore(conn, meta, ["key"], dict(key=PROJECT_KEY_META,
                                            value=b64e(reg.project_public_key)))
    held = conn.execute(select(meta.c.value).where(meta.c.key == PROJECT_KEY_META)).scalar_one()
    _check_project(source, reg, b64d(held))


def _store_record(conn: Connection, entry: Entry, blob: bytes, reg: Registration,
                  bundle_id: str, now: str) -> tuple[bool, bool]:
    """Store one record unless held already; return (stored, made a conflict).

    The interview's hub row is locked first - created by this transaction (a new row is
    locked until commit) or ``SELECT … FOR UPDATE`` - so twins of one revision arriving in
    concurrent imports are always compared with each other.
    """
    created = insert_ignore(conn, hub_interviews, ["interview_id"], dict(
        interview_id=entry.interview_id, status=entry.status, revision=entry.revision,
        record_id=None, device_id=reg.device_id, updated_utc=now),
        hub_interviews.c.interview_id).first() is not None
    row = None if created else lock_interview(conn, entry.interview_id)
    record_id = insert_ignore(conn, hub_records, ["interview_id", "revision", "sha256"], dict(
        interview_id=entry.interview_id, revision=entry.revision, sha256=entry.sha256,
        device_id=reg.device_id, form_id=entry.form_id, form_version=entry.form_version,
        sealed_blob=blob, sealed_utc=entry.sealed_utc, day=entry.day, received_utc=now,
        bundle_id=bundle_id), hub_records.c.id).scalar_one_or_none()
    if record_id is None:
        return False, False
    return True, place_record(conn, record_id, entry, reg, bundle_id, now, row)


def place_record(conn: Connection, record_id: int, entry: Entry, reg: Registration,
                 bundle_id: str, now: str, row: Any) -> bool:
    """Decide what a newly stored record means for its (locked) interview row.

    ``row`` is None for an interview first seen in this transaction. Returns True when the
    record was flagged as a conflict.
    """
    iid, rev = entry.interview_id, entry.revision
    where = f"from device {reg.device_id[:8]} ({reg.enumerator}), bundle {bundle_id[:8]}"
    i = hub_interviews
    current = {"b_iid": iid, "b_rid": record_id, "b_rev": rev, "b_dev": reg.device_id,
               "b_now": now, "b_status": entry.status}
    if row is None or row.record_id is None:
        conn.execute(_SET_CURRENT, current)
        add_history(conn, iid, rev, record_id, "received", where, now)
        return False
    r = hub_records
    twins = conn.execute(select(r.c.id, r.c.device_id).where(
        (r.c.interview_id == iid) & (r.c.revision == rev) & (r.c.id != record_id))).all()
    others = [t.id for t in twins] or [row.record_id]
    devices = sorted(({t.device_id for t in twins} | {row.device_id}) - {reg.device_id})
    two = (f" on two devices ({devices[0][:8]} and {reg.device_id[:8]})" if devices else "")
    if twins:
        reason = f"revision {rev} arrived twice with different content{two}"
    elif two:
        reason = f"edited{two}"
    elif row.status == CONFLICT:
        reason = f"revision {rev} arrived while the interview is in conflict"
    elif rev < row.revision:
        add_history(conn, iid, rev, record_id, "received", f"{where}; older than revision "
                    f"{row.revision}, kept for the history", now)
        return False
    elif row.status == APPROVED:
        reason = f"revision {rev} arrived after revision {row.revision} was approved"
    else:
        conn.execute(_SET_CURRENT, current)
        add_history(conn, iid, rev, record_id, "received", where, now)
        return False
    for other in others:
        conn.execute(hub_conflicts.insert().values(
            interview_id=iid, revision=rev, record_a=other, record_b=record_id, reason=reason,
            detected_utc=now))
    conn.execute(update(i).where(i.c.interview_id == iid).values(status=CONFLICT,
                                                                 updated_utc=now))
    add_history(conn, iid, rev, record_id, "conflict", f"{where}: {reason}", now)
    return True
