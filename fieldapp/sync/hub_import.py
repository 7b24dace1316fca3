"""Import device bundles into a hub: verify everything, then apply in ONE transaction.

* Verification (:func:`verify_device_bundle`) and the trust checks run before any write
  transaction is opened, so a rejected bundle leaves a SQLite hub byte-identical.
* The hub store applies it (:meth:`~fieldapp.storage.hub_store.HubStore.apply_bundle`):
  receipt first (a second concurrent import of the same bundle waits, then finds it
  imported), then the device, the forms and every record; the checks below run inside that
  transaction, so any refusal rolls everything back.
* Records are streamed from ``records/sealed.bin`` in entry order (sorted by interview id and
  revision) and re-hashed while applying (both members against the signed manifest before
  anything commits; each record was checked against its entry by the verification pass);
  the bundle's ``entries.jsonl`` is kept with the receipt in chunks (a central hub replays
  it), so memory stays flat whatever the bundle size.
* Never last-writer-wins: a second version of a revision, or a revision from another device,
  becomes a conflict (both kept).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from fieldapp.crypto.encoding import fingerprint_of
from fieldapp.i18n import N_
from fieldapp.storage.hub_store import HubStore
from fieldapp.storage.hub_types import TrustedDevice
from fieldapp.storage.hub_writes import AlreadyImported, IncomingBundle
from fieldapp.sync.bundle import ZipSource, bundle_files
from fieldapp.sync.errors import BundleRejected, UntrustedDevice
from fieldapp.sync.manifest import (
    ENTRIES,
    KIND_RETURN,
    MANIFEST,
    MAX_ENTRY_LINE,
    MAX_FORM,
    MAX_MANIFEST,
    ManifestError,
    Registration,
    parse_header,
)
from fieldapp.sync.results import ImportResult
from fieldapp.sync.verify import (
    Source,
    VerifiedBundle,
    iter_records,
    read_checked,
    verify_device_bundle,
)

RECEIPT_CHUNK = 256 * 1024

def import_bundle(hub: HubStore, path: Path, *, trust: bool = False) -> ImportResult:
    """Verify and import one ``*.fieldsync`` file."""
    with ZipSource.open(path) as source:
        return import_source(hub, source, trust=trust)


def import_files(hub: HubStore, where: Path, *, trust: bool = False
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


def import_source(hub: HubStore, source: Source, *, trust: bool = False) -> ImportResult:
    """Verify and import one bundle from any source (file, memory, another hub)."""
    verified = verify_device_bundle(source, held_form=hub.form_sha256)
    m = verified.manifest
    if hub.receipt_sha256(m.bundle_id) is not None:
        return _already(hub, verified)
    _precheck(hub, verified, trust)
    reg, name = m.device, verified.source
    try:
        applied = hub.apply_bundle(
            IncomingBundle(m.bundle_id, verified.manifest_sha256, name, reg, m.count,
                           verified.manifest_bytes, verified.signature),
            trust=trust,
            check_device=lambda trusted: _check_trusted(name, reg, trusted),
            check_project=lambda held: _check_project(name, reg, held),
            forms_in=((f.form_id, f.version, f.title, f.sha256,
                       read_checked(source, f.path, f.sha256, f.size, MAX_FORM))
                      for f in m.forms),
            check_form=lambda fid, version, sha, held: _check_form(name, fid, version, sha,
                                                                   held),
            records=iter_records(source, m, verified=True),
            entry_chunks=_entry_chunks(source, verified))
    except AlreadyImported:
        return _already(hub, verified)
    return ImportResult(name, m.bundle_id, reg.device_id, False, m.count, applied.new,
                        applied.conflicts, applied.trusted_now)


def _already(hub: HubStore, verified: VerifiedBundle) -> ImportResult:
    m = verified.manifest
    if hub.receipt_sha256(m.bundle_id) != verified.manifest_sha256:
        raise BundleRejected(verified.source, N_("bundle id {bundle_id} was already imported with "
                                                 "a different manifest (replayed or forged)"),
                             code="hub_import.bundle-id-already-imported",
                             bundle_id=m.bundle_id)
    return ImportResult(verified.source, m.bundle_id, m.device.device_id, True, m.count)


def _untrusted(source: str, reg: Registration) -> UntrustedDevice:
    return UntrustedDevice(source, N_("device {device_id} (enumerator {enumerator}, key "
                                      "{fingerprint}) is not trusted by this hub; check the "
                                      "key fingerprint with the enumerator, then import again "
                                      "with --trust"),
                           code="hub_import.device-enumerator-key-not",
                           device_id=reg.device_id, enumerator=reg.enumerator,
                           fingerprint=reg.fingerprint)


def _check_trusted(source: str, reg: Registration, trusted: TrustedDevice | None) -> None:
    if trusted is None:
        raise _untrusted(source, reg)
    _same_device(source, reg, trusted)


def _same_device(source: str, reg: Registration, trusted: TrustedDevice) -> None:
    if (trusted.signing_public_key != reg.signing_public_key
            or trusted.key_id != reg.key_id
            or trusted.dek_sealed_project != reg.dek_sealed_project):
        raise BundleRejected(source, N_("device {device_id} presents key {fingerprint}, not the "
                                        "key this hub trusts for it (a cloned or forged device "
                                        "id)"),
                             code="hub_import.device-presents-key-not",
                             device_id=reg.device_id, fingerprint=reg.fingerprint)


def _precheck(hub: HubStore, verified: VerifiedBundle, trust: bool) -> None:
    """Read-only checks against the hub: trusted device, project key, questionnaire bytes."""
    reg, source = verified.manifest.device, verified.source
    trusted = hub.device(reg.device_id)
    if trusted is None and not trust:
        raise _untrusted(source, reg)
    if trusted is not None:
        _same_device(source, reg, trusted)
    held = hub.project_public_key()
    if held is not None:
        _check_project(source, reg, held)
    for form in verified.manifest.forms:
        _check_form(source, form.form_id, form.version, form.sha256,
                    hub.form_sha256(form.form_id, form.version))


def _check_project(source: str, reg: Registration, held: bytes) -> None:
    if held != reg.project_public_key:
        raise BundleRejected(source, N_("device {device_id} seals to project key "
                                        "{project_fingerprint}, but this hub holds project "
                                        "{value}"),
                             code="hub_import.device-seals-project-key",
                             device_id=reg.device_id,
                             project_fingerprint=reg.project_fingerprint,
                             value=fingerprint_of(held))


def _check_form(source: str, form_id: str, version: str, sha: str, held: str | None) -> None:
    if held is not None and held != sha:
        raise BundleRejected(source, N_("questionnaire {form_id} version {version} differs from "
                                        "the copy this hub already holds (same version, "
                                        "different content)"),
                             code="hub_import.questionnaire-version-differs-copy",
                             form_id=form_id, version=version)


def _entry_chunks(source: Source, verified: VerifiedBundle) -> Iterator[bytes]:
    """entries.jsonl in chunks of whole lines, ~256 KB each, checked against the manifest
    at the end (one growing value would make SQLite copy it whole on every append)."""
    m = verified.manifest
    digest, size = hashlib.sha256(), 0
    chunk: list[bytes] = []
    pending = 0
    with source.stream(ENTRIES) as entries:
        while line := entries.readline(MAX_ENTRY_LINE + 1):
            digest.update(line)
            size += len(line)
            chunk.append(line)
            pending += len(line)
            if pending >= RECEIPT_CHUNK:
                yield b"".join(chunk)
                chunk, pending = [], 0
    if chunk:
        yield b"".join(chunk)
    if size != m.entries_size or digest.hexdigest() != m.entries_sha256:
        raise BundleRejected(verified.source, N_("{ENTRIES}: content does not match the manifest "
                                                 "(sha256)"),
                             code="hub_import.content-does-not-match",
                             ENTRIES=ENTRIES)
