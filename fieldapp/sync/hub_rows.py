"""Hub rows → frozen records, and the shared SELECT of a record with its device."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, literal, select

from fieldapp.storage.records import parse_utc
from fieldapp.storage.tables import hub_devices, hub_records
from fieldapp.sync.records import CONFLICT, HubDevice, HubRecord, InterviewState


def record_select(status: Any) -> Any:
    """Record columns plus the device's enumerator and city; ``status`` column or None
    (= "conflict")."""
    r, d = hub_records, hub_devices
    status_col = (status if status is not None else literal(CONFLICT)).label("status")
    return select(r.c.id, r.c.interview_id, r.c.revision, r.c.form_id, r.c.form_version,
                  status_col, r.c.sealed_blob, r.c.sha256, r.c.device_id, d.c.enumerator,
                  d.c.city, r.c.received_utc, r.c.sealed_utc, r.c.day).select_from(r).join(
        d, d.c.device_id == r.c.device_id)


def hub_record(row: Row[Any]) -> HubRecord:
    """A row of :func:`record_select` as a HubRecord."""
    return HubRecord(row.interview_id, row.revision, row.form_id, row.form_version, row.status,
                     bytes(row.sealed_blob), row.device_id, row.enumerator, row.city,
                     parse_utc(row.received_utc), row.id, row.sha256, parse_utc(row.sealed_utc),
                     row.day)


def state_of(row: Row[Any]) -> InterviewState:
    """A ``hub_interviews`` row."""
    return InterviewState(row.interview_id, row.status, row.revision, row.record_id,
                          row.device_id, parse_utc(row.updated_utc))


def device_of(row: Row[Any]) -> HubDevice:
    """A ``hub_devices`` row."""
    return HubDevice(row.device_id, row.enumerator, row.city, row.fingerprint, row.key_id,
                     row.project_fingerprint, parse_utc(row.trusted_utc),
                     bytes(row.signing_public_key), bytes(row.dek_sealed_project))
