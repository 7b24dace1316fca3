"""Device side of return bundles: verify with the device's data key, then apply.

Verification first (manifest tag, member set, sizes, hashes, every decision decrypts, every
questionnaire loads), then: questionnaires installed; approved → locked; sent back →
re-opened as a draft of the next revision with the comment (encrypted in the store);
acknowledged revisions marked acked. Each step is idempotent, so applying a bundle twice,
or an older bundle after a newer one, changes nothing.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldapp.clock import now_text
from fieldapp.crypto import CryptoError, decrypt
from fieldapp.device_parts import DeviceParts
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_
from fieldapp.interview.workflow import next_revision
from fieldapp.questionnaire import load_questionnaire_bytes
from fieldapp.recording import note_blob, restored_events
from fieldapp.storage.errors import StorageError
from fieldapp.storage.hub_intake import return_rows
from fieldapp.sync.bundle import ZipSource, bundle_files
from fieldapp.sync.errors import BundleRejected
from fieldapp.sync.manifest import (
    CREDENTIAL,
    KIND_RETURN,
    MAC,
    MANIFEST,
    MAX_FORM,
    MAX_MANIFEST,
    MAX_RECORD,
    DecisionEntry,
    FormEntry,
    ManifestError,
    ReturnManifest,
    parse_header,
    parse_return_manifest,
)
from fieldapp.sync.returns import credential_aad, decision_aad, mac_aad
from fieldapp.sync.verify import check_members, read_checked
from fieldapp.vocabulary import Decision, Status

#: Device meta: the newest central return row applied.
RETURN_ROW_META = "hub_return_row_upto"


@dataclass
class Applied:
    """What one return bundle changed on the device."""

    path: Path
    bundle_id: str
    approved: int = 0
    reopened: list[tuple[str, int, str | None]] = field(default_factory=list)
    skipped: int = 0
    acked: int = 0
    forms: int = 0
    again: bool = False
    #: The hub database credential the bundle carried (decrypted, memory only): the caller
    #: stores it in the device keyring.
    credential: bytes | None = field(default=None, repr=False)


@dataclass
class _Verified:
    manifest: ReturnManifest
    decisions: list[tuple[DecisionEntry, dict[str, Any]]]
    forms: list[tuple[FormEntry, bytes, str]]
    credential: bytes | None = None


def pull_returns(session: DeviceParts, where: Path) -> tuple[list[Applied], list[str]]:
    """Apply every return bundle for this device in a folder (or one file)."""
    applied, errors = [], []
    for path in bundle_files(where):
        try:
            result = apply_return_file(session, path)
        except BundleRejected as exc:
            errors.append(str(exc))
            continue
        if result is not None:
            applied.append(result)
    return applied, errors


def apply_return_file(session: DeviceParts, path: Path) -> Applied | None:
    """Verify and apply one file; None if it is not a return bundle for this device."""
    with ZipSource.open(path) as source:
        return apply_return_source(session, source, path)


def pull_return_rows(session: DeviceParts, url: str) -> tuple[list[Applied], list[str]]:
    """Apply this device's return rows from the central hub (``url`` connects as the
    device's role, which reads only its own rows); remembers the last row applied."""
    applied, errors = [], []
    upto = int(session.store.get_meta(RETURN_ROW_META) or 0)
    for row_id, bundle_id, data in return_rows(url, upto):
        name = f"return row {row_id} (bundle {bundle_id[:8]})"
        try:
            with ZipSource(io.BytesIO(data), name) as source:
                result = apply_return_source(session, source, Path(name))
        except BundleRejected as exc:
            errors.append(str(exc))
        else:
            if result is not None:
                applied.append(result)
        session.store.set_meta(RETURN_ROW_META, str(row_id))
    return applied, errors


def apply_return_source(session: DeviceParts, source: ZipSource, path: Path
                        ) -> Applied | None:
    """Verify and apply one opened bundle; None if not a return bundle for this device."""
    if MANIFEST not in source.names():
        raise BundleRejected(source.name, N_("manifest.json is missing (not a bundle)"),
                             code="device_pull.manifest-json-missing-not")
    data = source.read(MANIFEST, MAX_MANIFEST)
    try:
        if parse_header(data)[1] != KIND_RETURN:
            return None  # a device bundle in a shared folder
        manifest = parse_return_manifest(data)
    except ManifestError as exc:
        raise BundleRejected(source.name, N_("manifest.json: {exc}"),
                             code="device_pull.manifest-json", exc=exc) from None
    if manifest.device_id != session.keyring.device_id:
        return None
    verified = _verify(session, source, data, manifest)
    return _apply(session, path, verified)


def _verify(session: DeviceParts, source: ZipSource, data: bytes,
            m: ReturnManifest) -> _Verified:
    dek = session.keys.dek
    if MAC not in source.names():
        raise BundleRejected(source.name, N_("manifest.mac is missing"),
                             code="device_pull.manifest-mac-missing")
    try:
        decrypt(dek, source.read(MAC, 64), mac_aad(data))
    except CryptoError:
        raise BundleRejected(source.name, N_("manifest.mac: not made for this device by a holder "
                                             "of the project key (or altered)"),
                             code="device_pull.manifest-mac-not-made") from None
    expected = {d.path: d.size for d in m.decisions}
    expected.update({f.path: f.size for f in m.forms})
    if m.credential is not None:
        expected[CREDENTIAL] = m.credential[1]
    check_members(source, expected, MAC)
    credential = None
    if m.credential is not None:
        blob = read_checked(source, CREDENTIAL, m.credential[0], m.credential[1], MAX_RECORD)
        try:
            credential = decrypt(dek, blob, credential_aad(m.bundle_id, m.device_id))
        except CryptoError:
            raise BundleRejected(source.name, N_("{CREDENTIAL}: cannot be opened with this "
                                                 "device's key"),
                                 code="device_pull.cannot-opened-device-s",
                                 CREDENTIAL=CREDENTIAL) from None
    decisions = []
    for d in m.decisions:
        blob = read_checked(source, d.path, d.sha256, d.size, MAX_RECORD)
        try:
            content = json.loads(decrypt(dek, blob, decision_aad(m.bundle_id, d.interview_id,
                                                                  d.revision, d.decision)))
        except (CryptoError, ValueError):
            raise BundleRejected(source.name, N_("{file}: cannot be opened with this device's key"),
                                 code="device_pull.cannot-opened-device-s-2",
                                 file=d.path) from None
        if not isinstance(content, dict) or (content.get("interview_id"), content.get(
                "revision"), content.get("decision")) != (d.interview_id, d.revision, d.decision):
            raise BundleRejected(source.name, N_("{file}: does not match its manifest entry"),
                                 code="device_pull.does-not-match-manifest",
                                 file=d.path)
        decisions.append((d, content))
    held = {(f.form_id, f.version): f.sha256 for f in session.store.list_forms()}
    forms = []
    for f in m.forms:
        content = read_checked(source, f.path, f.sha256, f.size, MAX_FORM)
        try:
            form = load_questionnaire_bytes(content, f"{f.form_id}.xlsx")
        except FieldAppError:
            raise BundleRejected(source.name, N_("{file}: not a valid questionnaire"),
                                 code="device_pull.not-valid-questionnaire",
                                 file=f.path) from None
        if (form.form_id, form.version) != (f.form_id, f.version):
            raise BundleRejected(source.name, N_("{file}: is not {form_id} version {version}"),
                                 code="device_pull.not-version", file=f.path,
                                 form_id=f.form_id, version=f.version)
        if held.get((f.form_id, f.version), f.sha256) != f.sha256:
            raise BundleRejected(source.name, N_("{form_id} version {version} differs from the "
                                                 "copy installed on this device"),
                                 code="device_pull.version-differs-copy-installed",
                                 form_id=f.form_id, version=f.version)
        forms.append((f, content, form.title))
    return _Verified(m, decisions, forms, credential)


def _apply(session: DeviceParts, path: Path, v: _Verified) -> Applied:
    store, m = session.store, v.manifest
    result = Applied(path, m.bundle_id, again=store.get_meta(f"return:{m.bundle_id}") is not None,
                     credential=v.credential)
    for f, xlsx, title in v.forms:
        result.forms += store.install_form(form_id=f.form_id, version=f.version, title=title,
                                           content=xlsx)
    for d, content in v.decisions:
        comment = content.get("comment") if isinstance(content.get("comment"), str) else None
        try:
            if d.decision == Decision.APPROVE:
                done = apply_approval(session, d.interview_id, d.revision, comment)
                result.approved += done
            else:
                done = reopen_sent_back(session, d.interview_id, d.revision, content, comment)
                if done:
                    result.reopened.append((d.interview_id, d.revision + 1, comment))
        except StorageError:
            done = False  # not on this device
        result.skipped += not done
    local = {(e.interview_id, e.revision): e.sha256 for e in store.sealed_index()}
    result.acked = store.mark_acked(entries=[(i, r) for i, r, sha in m.acks
                                             if local.get((i, r)) == sha])
    store.set_meta(f"return:{m.bundle_id}", now_text())
    return result


def apply_approval(device: DeviceParts, interview_id: str, revision: int,
                   comment: str | None) -> bool:
    """Lock a finalised interview the supervisor approved; False if not applicable now."""
    record = device.store.interview(interview_id)
    if record.status != Status.FINALISED or record.revision != revision:
        return False
    device.store.set_status(interview_id, status=Status.APPROVED, revision=revision,
                            note_blob=note_blob(device.keys, record, revision, comment))
    return True


def reopen_sent_back(device: DeviceParts, interview_id: str, revision: int,
                     content: dict[str, Any], comment: str | None) -> bool:
    """Re-open a sent-back interview as a draft of the next revision, answers restored.

    ``content``: the supervisor's copy of the answers (``language``, ``answers``,
    ``repeat_counts``). One store transaction; False if not applicable (already done).
    """
    record = device.store.interview(interview_id)
    if record.status not in (Status.FINALISED, Status.SENT_BACK) or record.revision != revision:
        return False
    new = next_revision(Status.SENT_BACK, Status.DRAFT, revision)
    device.store.reopen_interview(
        interview_id=interview_id, from_revision=revision, revision=new,
        events=restored_events(device.keys, record, new, content),
        note_blob=note_blob(device.keys, record, new, comment))
    return True
