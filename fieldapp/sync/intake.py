"""Supervisor side of the central hub: verify and apply what devices put in the intake.

A device role can only insert bundles (:mod:`fieldapp.storage.hub_access`); nothing it
inserts is trusted. Each pending row is claimed with ``FOR UPDATE SKIP LOCKED`` and goes
through exactly the checks of a bundle file (:func:`~fieldapp.sync.hub_import.import_source`:
signature, hashes, trust, project key, questionnaires, conflicts), plus one more: the bundle
must come from the device the inserting role was issued to. A rejected row keeps its reason
and is never applied.

Exactly once: the apply commits in its own transaction, keyed by the bundle id (a second
apply of the same bundle finds its receipt and adds nothing); the row's outcome is then
committed in the claiming transaction. A process killed in between leaves the row pending
and unlocked, and the next run finds the bundle already applied and marks it so. Two intake
processes never hold the same row, and two rows of one bundle apply once.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fieldapp.errors import FieldAppError, Message
from fieldapp.i18n import N_
from fieldapp.storage.errors import StorageError
from fieldapp.storage.hub_intake import (
    APPLIED,
    REJECTED,
    Claim,
    IntakeRow,
    connection_lost,
    refused_value,
)
from fieldapp.storage.hub_store import HubStore
from fieldapp.sync.bundle import ZipSource
from fieldapp.sync.errors import BundleRejected
from fieldapp.sync.hub_import import import_source
from fieldapp.sync.manifest import MANIFEST, MAX_MANIFEST, ManifestError, parse_device_manifest
from fieldapp.sync.results import ImportResult

#: The largest intake row read (a device's bundles of --batch 200 are a few MB).
MAX_INTAKE_BUNDLE = 256 * 1024 * 1024
TOO_LARGE = N_("the bundle is {size} bytes, more than an intake row may hold ({limit}); it was "
               "set aside unread")
UNSTORABLE = N_("the database refuses a value in this bundle; it was set aside and nothing "
                "of it applied")
UNCHECKABLE = N_("this bundle could not be checked ({error}); it was set aside and nothing of "
                 "it applied")


@dataclass
class IntakeReport:
    """What one pass over the intake did."""

    applied: list[ImportResult] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (intake row, reason)

    @property
    def processed(self) -> int:
        """Rows processed in this pass."""
        return len(self.applied) + len(self.rejected)


def _source(row: IntakeRow) -> ZipSource:
    return ZipSource(io.BytesIO(row.bundle), f"intake row {row.intake_id} from {row.device_role}")


def check_role(hub: HubStore, row: IntakeRow, source: ZipSource) -> None:
    """The bundle's device is the device the inserting role belongs to."""
    try:
        device_id = parse_device_manifest(source.read(MANIFEST, MAX_MANIFEST)).device.device_id
    except ManifestError as exc:
        raise BundleRejected(source.name, N_("manifest.json: {exc}"),
                             code="intake.manifest-json", exc=exc) from None
    owner = hub.device_of_role(row.device_role)
    if owner is None:
        raise BundleRejected(source.name, N_("role {device_role} was not issued to any device of "
                                             "this hub"),
                             code="intake.role-not-issued-any",
                             device_role=row.device_role)
    if owner != device_id:
        raise BundleRejected(source.name, N_("the bundle is signed as device {device_id}, but "
                                             "role {device_role} belongs to device {owner}"),
                             code="intake.bundle-signed-device-but",
                             device_id=device_id, device_role=row.device_role,
                             owner=owner)


def process_one(hub: HubStore, report: IntakeReport) -> bool:
    """Claim, verify and apply (or reject) one pending row; False when none is left."""
    with hub.claim_intake(MAX_INTAKE_BUNDLE) as claim:
        row = claim.row
        if row is None:
            return False
        if row.size > MAX_INTAKE_BUNDLE:  # set aside unread: one row must not exhaust memory
            _reject(claim, report, row, FieldAppError(
                TOO_LARGE, code="intake.too-large", size=row.size, limit=MAX_INTAKE_BUNDLE))
            return True
        try:
            with _source(row) as source:
                check_role(hub, row, source)
                result = import_source(hub, source)
        except BundleRejected as exc:
            claim.finish(REJECTED, reason=stored_reason(exc.reason_message))
            report.rejected.append((row.intake_id, str(exc)))
        except StorageError as exc:
            if not refused_value(exc):
                raise  # the database failed, not the bundle: the row stays pending
            _reject(claim, report, row, FieldAppError(UNSTORABLE, code="intake.unstorable"))
        except FieldAppError as exc:  # any other refusal is about this bundle
            _reject(claim, report, row, exc)
        except Exception as exc:
            # A bundle that trips the checker is set aside (kept, never applied; the device
            # re-sends what is not acknowledged): one hostile row cannot stop the intake of
            # every device behind it.
            _reject(claim, report, row, FieldAppError(UNCHECKABLE, code="intake.uncheckable",
                                                      error=type(exc).__name__))
        else:
            claim.finish(APPLIED, bundle_id=result.bundle_id)
            report.applied.append(result)
    return True


def _reject(claim: Claim, report: IntakeReport, row: IntakeRow, exc: FieldAppError) -> None:
    claim.finish(REJECTED, reason=stored_reason(exc))
    report.rejected.append((row.intake_id, str(exc)))


def stored_reason(message: Message | FieldAppError) -> str:
    """A rejection reason as the intake keeps it: its template and fields (JSON), so each
    reader sees it in their own language (:func:`shown_reason`)."""
    return json.dumps(_plain(message), ensure_ascii=False, sort_keys=True)


def _plain(value: object) -> object:
    if isinstance(value, (Message, FieldAppError)):
        return {"template": value.template,
                "fields": {k: _plain(v) for k, v in value.fields.items()}}
    return value if isinstance(value, (int, float)) else str(value)


def shown_reason(stored: str | None) -> str | None:
    """A stored rejection reason in the current language (plain text as it is)."""
    try:
        value = json.loads(stored or "")
    except ValueError:
        return stored
    return _message(value).render() if _is_message(value) else stored


def _is_message(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("template"), str) and \
        isinstance(value.get("fields"), dict)


def _message(value: dict[str, Any]) -> Message:
    return Message(value["template"], {k: _message(v) if _is_message(v) else v
                                       for k, v in value["fields"].items()})


def process_intake(hub: HubStore, *, limit: int | None = None,
                   progress: Callable[[IntakeReport], None] | None = None) -> IntakeReport:
    """Process pending intake rows until none is left (or ``limit`` rows)."""
    report = IntakeReport()
    while limit is None or report.processed < limit:
        if not process_one(hub, report):
            break
        if progress is not None:
            progress(report)
    return report


def run_intake(hub: HubStore, *, interval: float, after_batch: Callable[[IntakeReport], None],
               stop: Callable[[], bool], each_round: Callable[[], None] | None = None,
               on_lost: Callable[[StorageError], None] | None = None) -> None:
    """The long-running intake service: process, report, ``each_round()`` (e.g. write return
    rows), sleep ``interval`` when nothing came in; until ``stop()``. A lost connection to the
    database (a restart, a fail-over) is reported to ``on_lost`` and tried again after
    ``interval``; any other database error ends the service."""
    while not stop():
        try:
            report = process_intake(hub)
            if report.processed:
                after_batch(report)
            if each_round is not None:
                each_round()
        except StorageError as exc:
            if not connection_lost(exc):
                raise
            if on_lost is not None:
                on_lost(exc)
            report = IntakeReport()
        if not report.processed:
            time.sleep(interval)
