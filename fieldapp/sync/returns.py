"""Hub → device return bundles: review decisions, acknowledgements and questionnaires.

Authenticity without a hub key: every decision file is AES-GCM encrypted, and the manifest
carries an AES-GCM tag (``manifest.mac``), under the *device's own data key*. The hub gets
that key only by unsealing the device registration with the project private key, so a return
bundle that verifies on the device was necessarily made by a holder of the project key, for
this device. Nothing to pin on first use, no hub signing key to back up, and it works the same
for a PostgreSQL hub, which has no folder to keep a key in.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from fieldapp.atomic import atomic_output
from fieldapp.clock import now_text
from fieldapp.crypto import canonical, encrypt, open_sealed_data_key
from fieldapp.crypto.encoding import fingerprint_of
from fieldapp.crypto.seal import public_key_bytes
from fieldapp.i18n import N_
from fieldapp.questionnaire import package_questionnaire
from fieldapp.recording import open_sealed
from fieldapp.storage.hub_access import issue_device_role
from fieldapp.storage.hub_store import HubStore
from fieldapp.storage.hub_types import TrustedDevice
from fieldapp.sync.bundle import SUFFIX, ZipWriter, remove_stale_temp_files
from fieldapp.sync.decisions import open_comment
from fieldapp.sync.errors import HubError, SyncError
from fieldapp.sync.manifest import (
    CREDENTIAL,
    MAC,
    MANIFEST,
    DecisionEntry,
    FormEntry,
    ReturnManifest,
    decision_path,
    form_path,
    return_manifest_bytes,
)
from fieldapp.versions import version_key
from fieldapp.vocabulary import Decision


def mac_aad(manifest_bytes: bytes) -> bytes:
    """Associated data of the manifest tag."""
    return canonical(manifest_bytes, domain="return-bundle-manifest")


def decision_aad(bundle_id: str, interview_id: str, revision: int, decision: str) -> bytes:
    """Associated data of one encrypted decision (bound to its bundle and interview)."""
    return canonical(bundle_id, interview_id, revision, decision, domain="return-decision")


@dataclass(frozen=True)
class ReturnWritten:
    """One return bundle written for a device."""

    device_id: str
    enumerator: str
    path: Path | None  # None: written into the central hub's return rows
    decisions: int
    acks: int
    forms: int


def install_hub_form(hub: HubStore, path: Path) -> tuple[str, str, str]:
    """Validate a questionnaire and add it to the hub (to send to every device), with its
    media folder."""
    form, content = package_questionnaire(path)
    sha = hashlib.sha256(content).hexdigest()
    held = hub.add_form(form_id=form.form_id, version=form.version, title=form.title,
                        sha256=sha, content=content)
    if held != sha:
        raise HubError(N_("{file}: {form_id} version {version} is already in the hub with "
                          "different content; give the new questionnaire a new version"),
                       code="returns.version-already-hub-different", file=path,
                       form_id=form.form_id, version=form.version)
    return form.form_id, form.version, form.title


def write_return_bundles(hub: HubStore, private_key: Any, folder: Path, *,
                         forms: list[tuple[str, str, str]] | None = None) -> list[ReturnWritten]:
    """One return bundle per device with pending decisions, new acks or ``forms`` to send."""
    held = hub.project_public_key()
    mine = public_key_bytes(private_key.public_key())
    if held is not None and held != mine:
        raise HubError(N_("the project key given ({value}) is not this hub's project key "
                          "({value2})"),
                       code="returns.project-key-given-not", value=fingerprint_of(mine),
                       value2=fingerprint_of(held))
    if not folder.is_dir():
        raise SyncError(N_("{folder}: no such folder"),
                        code="returns.no-such-folder", folder=folder)
    written = []
    for device in hub.devices():
        pending = hub.pending_decisions(device.device_id)
        newest = hub.max_record_id(device.device_id)
        if pending or forms or newest > hub.last_ack_upto(device.device_id):
            send = sorted(set(forms or []) | newer_forms(hub, device.device_id))
            written.append(_write_one(hub, private_key, folder, device, pending, newest, send))
    return written



def newer_forms(hub: HubStore, device_id: str) -> set[tuple[str, str, str]]:
    """Hub questionnaire versions newer than the newest one a device has used, per form."""
    used: dict[str, str] = {}
    for form_id, version in hub.device_form_versions(device_id):
        if form_id not in used or version_key(version) > version_key(used[form_id]):
            used[form_id] = version
    return {(form_id, version, title) for form_id, version, title in hub.form_versions()
            if form_id in used and version_key(version) > version_key(used[form_id])}


def _decision_content(hub: HubStore, private_key: Any, d: Any) -> dict[str, Any]:
    content: dict[str, Any] = {
        "decision": d.decision, "interview_id": d.interview_id, "revision": d.revision,
        "comment": open_comment(private_key, d.comment_sealed, d.interview_id, d.revision,
                                d.decision)}
    if d.decision == Decision.SEND_BACK:
        copy = hub.copy(d.record_id)
        payload = open_sealed(private_key, copy, copy.form_id, copy.form_version)
        content.update({key: payload.get(key) for key in (
            "form_id", "form_version", "language", "answers", "repeat_counts", "attachments")})
    return content


def _write_one(hub: HubStore, private_key: Any, folder: Path, device: TrustedDevice,
               pending: list[Any], newest: int, forms: list[tuple[str, str, str]],
               credential: bytes | None = None) -> ReturnWritten:
    bundle_id, created = str(uuid.uuid4()), now_text()
    who = re.sub(r"[^A-Za-z0-9_-]+", "_", device.enumerator)[:40] or "device"
    stamp = created[:19].replace("-", "").replace(":", "")
    prefix = f"return-{who}-{device.device_id[:8]}-"
    remove_stale_temp_files(folder, prefix)
    target = folder / f"{prefix}{stamp}Z-{bundle_id[:8]}{SUFFIX}"
    with atomic_output(target) as handle:
        counts = _build_return(handle, hub, private_key, device, pending, forms, bundle_id,
                               created, credential)
    hub.record_return_bundle(bundle_id=bundle_id, device_id=device.device_id, created=created,
                             ack_upto=newest, file_name=target.name,
                             decision_count=counts[0], decisions=pending)
    return ReturnWritten(device.device_id, device.enumerator, target, *counts)


def _build_return(handle: IO[bytes], hub: HubStore, private_key: Any, device: TrustedDevice,
                  pending: list[Any], forms: list[tuple[str, str, str]], bundle_id: str,
                  created: str, credential: bytes | None) -> tuple[int, int, int]:
    """Write one return bundle into ``handle``: (decisions, acks, forms) counts."""
    dek = open_sealed_data_key(private_key, device.dek_sealed_project,
                               device_id=device.device_id, key_id=device.key_id)
    latest = {(d.interview_id, d.revision): d for d in pending}  # one per revision
    writer = ZipWriter(handle)
    decisions = []
    for (iid, rev), d in sorted(latest.items()):
        content = json.dumps(_decision_content(hub, private_key, d), ensure_ascii=False,
                             separators=(",", ":")).encode()
        blob = encrypt(dek, content, decision_aad(bundle_id, iid, rev, d.decision))
        sha, size = writer.add(decision_path(iid, rev), blob)
        decisions.append(DecisionEntry(iid, rev, d.decision, sha, size,
                                       decision_path(iid, rev)))
    form_entries = []
    for form_id, version, title in forms:
        content = hub.form_content(form_id, version) or b""
        sha, size = writer.add(form_path(hashlib.sha256(content).hexdigest()), content)
        form_entries.append(FormEntry(form_id, version, title, sha, size, form_path(sha)))
    sealed_credential = None
    if credential is not None:
        sealed_credential = writer.add(CREDENTIAL, encrypt(
            dek, credential, credential_aad(bundle_id, device.device_id)))
    acks = tuple(hub.acknowledged(device.device_id))
    manifest = ReturnManifest(bundle_id, created, device.device_id,
                              device.project_fingerprint, tuple(decisions), acks,
                              tuple(form_entries), sealed_credential)
    data = return_manifest_bytes(manifest)
    writer.add(MANIFEST, data)
    writer.add(MAC, encrypt(dek, b"", mac_aad(data)))
    writer.close()
    return len(decisions), len(acks), len(form_entries)


def write_return_rows(hub: HubStore, private_key: Any, *,
                      forms: list[tuple[str, str, str]] | None = None) -> list[ReturnWritten]:
    """Like :func:`write_return_bundles`, into the central hub's return rows: one per device
    that has a database role and something new (devices fetch them with ``sync pull``)."""
    _check_key(hub, private_key)
    written = []
    for device in hub.devices():
        role = hub.role_of_device(device.device_id)
        if role is None:
            continue
        pending = hub.pending_decisions(device.device_id)
        newest = hub.max_record_id(device.device_id)
        if pending or forms or newest > hub.last_ack_upto(device.device_id):
            send = sorted(set(forms or []) | newer_forms(hub, device.device_id))
            written.append(_return_row(hub, private_key, device, role, pending, newest, send))
    return written


def _return_row(hub: HubStore, private_key: Any, device: TrustedDevice, role: str,
                pending: list[Any], newest: int, forms: list[tuple[str, str, str]]
                ) -> ReturnWritten:
    bundle_id, created = str(uuid.uuid4()), now_text()
    buffer = io.BytesIO()
    counts = _build_return(buffer, hub, private_key, device, pending, forms, bundle_id,
                           created, None)
    hub.add_return_row(device_role=role, device_id=device.device_id, bundle_id=bundle_id,
                       created=created, bundle=buffer.getvalue())
    hub.record_return_bundle(bundle_id=bundle_id, device_id=device.device_id, created=created,
                             ack_upto=newest, file_name=f"database row for {role}",
                             decision_count=counts[0], decisions=pending)
    return ReturnWritten(device.device_id, device.enumerator, None, *counts)


def credential_aad(bundle_id: str, device_id: str) -> bytes:
    """Associated data of the hub credential carried in a return bundle."""
    return canonical(bundle_id, device_id, domain="return-hub-credential")


def _check_key(hub: HubStore, private_key: Any) -> None:
    held = hub.project_public_key()
    mine = public_key_bytes(private_key.public_key())
    if held is not None and held != mine:
        raise HubError(N_("the project key given ({value}) is not this hub's project key "
                          "({value2})"),
                       code="returns.project-key-given-not", value=fingerprint_of(mine),
                       value2=fingerprint_of(held))


def issue_credential(hub: HubStore, private_key: Any, device_id: str,
                     folder: Path) -> tuple[str, ReturnWritten]:
    """Create (or renew) a device's database role with a fresh random password and send it
    to the device, encrypted under its data key, in a return bundle written into ``folder``.

    A folder, not the device's return rows: the new password replaces the old one at once,
    so the device could no longer log in to fetch it. The password exists only in this
    process's memory and inside that bundle.
    """
    _check_key(hub, private_key)
    if not folder.is_dir():
        raise SyncError(N_("{folder}: no such folder"), code="returns.no-such-folder",
                        folder=folder)
    device = hub.device(device_id)
    if device is None:
        raise HubError(N_("device {device_id} is not trusted by this hub: import one of its "
                          "bundles with --trust first"), code="returns.device-not-trusted",
                       device_id=device_id)
    password = secrets.token_urlsafe(32)
    role = issue_device_role(hub.engine, device_id, password)
    secret = json.dumps({"role": role, "password": password, "issued_utc": now_text()},
                        separators=(",", ":")).encode()
    pending = hub.pending_decisions(device_id)
    newest = hub.max_record_id(device_id)
    forms = sorted(newer_forms(hub, device_id))
    return role, _write_one(hub, private_key, folder, device, pending, newest, forms, secret)
