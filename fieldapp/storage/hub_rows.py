"""Hub rows → frozen values, and the shared SELECT of a received copy with its device."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, literal, select

from fieldapp.clock import parse_utc
from fieldapp.storage.hub_types import InterviewState, SealedCopy, TrustedDevice
from fieldapp.storage.tables import hub_devices, hub_records
from fieldapp.vocabulary import Status


def copy_select(status: Any, *, blobs: bool = True) -> Any:
    """Record columns plus the device's enumerator and city; ``status`` column or None
    (= "conflict"); ``blobs=False`` leaves the sealed blob out (empty bytes)."""
    r, d = hub_records, hub_devices
    status_col = (status if status is not None else literal(Status.CONFLICT.value)).label("status")
    blob = r.c.sealed_blob if blobs else literal(b"").label("sealed_blob")
    return select(r.c.id, r.c.interview_id, r.c.revision, r.c.form_id, r.c.form_version,
                  status_col, blob, r.c.sha256, r.c.device_id, d.c.enumerator,
                  d.c.city, r.c.received_utc, r.c.sealed_utc, r.c.day).select_from(r).join(
        d, d.c.device_id == r.c.device_id)


def copy_of(row: Row[Any]) -> SealedCopy:
    """A row of :func:`copy_select` as a SealedCopy."""
    return SealedCopy(row.interview_id, row.revision, row.form_id, row.form_version,
                      Status(row.status), bytes(row.sealed_blob), row.device_id, row.enumerator,
                      row.city, parse_utc(row.received_utc), row.id, row.sha256,
                      parse_utc(row.sealed_utc), row.day)


def state_of(row: Row[Any]) -> InterviewState:
    """A ``hub_interviews`` row."""
    return InterviewState(row.interview_id, Status(row.status), row.revision, row.record_id,
                          row.device_id, parse_utc(row.updated_utc))


def device_of(row: Row[Any]) -> TrustedDevice:
    """A ``hub_devices`` row."""
    return TrustedDevice(row.device_id, row.enumerator, row.city, row.fingerprint,
                         row.key_id, row.project_fingerprint, parse_utc(row.trusted_utc),
                         bytes(row.signing_public_key), bytes(row.dek_sealed_project))
