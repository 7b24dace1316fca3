"""Frozen values a :class:`~fieldapp.storage.hub_store.HubStore` returns (never ORM rows,
never plaintext answers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from fieldapp.vocabulary import HUB_STATUSES, Status

#: ``HubStore.copies(status)`` filters: None = every interview not in conflict (current
#: revision); "all" = that plus both sides of every open conflict (status "conflict").
#: "finalised+approved" (export's default) = the interviews that count as data.
SUBMITTED: Final = "finalised+approved"
STATUS_GROUPS: Final = {SUBMITTED: (Status.FINALISED, Status.APPROVED)}
COPY_FILTERS: Final = (None, "all", SUBMITTED, *HUB_STATUSES)


@dataclass(frozen=True, slots=True)
class SealedCopy:
    """One sealed interview revision as the hub holds it (open with the project key)."""

    interview_id: str
    revision: int
    form_id: str
    form_version: str
    status: Status
    sealed_blob: bytes = field(repr=False)
    device_id: str
    enumerator: str
    city: str
    received_utc: datetime
    record_id: int
    sha256: str
    sealed_utc: datetime
    day: str  # the device's local date of finalisation, YYYY-MM-DD


@dataclass(frozen=True, slots=True)
class TrustedDevice:
    """A device the hub trusts (its keys and who uses it)."""

    device_id: str
    enumerator: str
    city: str
    fingerprint: str
    key_id: str
    project_fingerprint: str
    trusted_utc: datetime
    signing_public_key: bytes = field(repr=False)
    dek_sealed_project: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class InterviewState:
    """An interview's status at the hub and its current record."""

    interview_id: str
    status: Status
    revision: int
    record_id: int | None
    device_id: str
    updated_utc: datetime


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of an interview's history (received, conflict, approved, …)."""

    interview_id: str
    revision: int
    record_id: int | None
    event: str
    detail: str
    at_utc: datetime


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two records of one interview that the hub will not choose between on its own."""

    conflict_id: int
    interview_id: str
    revision: int
    record_a: int
    record_b: int
    reason: str
    detected_utc: datetime
    resolved_utc: datetime | None
    kept: int | None
    resolution: str | None
