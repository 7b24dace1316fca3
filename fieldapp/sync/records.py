"""Frozen records returned by the hub (never ORM rows, never plaintext answers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

FINALISED, APPROVED, SENT_BACK, CONFLICT = "finalised", "approved", "sent_back", "conflict"
DISCARDED = "discarded"  # a draft the enumerator discarded (sealed with the reason)
HUB_STATUSES: Final = (FINALISED, APPROVED, SENT_BACK, CONFLICT, DISCARDED)
#: ``Hub.records(status)`` filters: None = every interview not in conflict (current revision);
#: "all" = that plus both sides of every open conflict (status "conflict").
RECORD_FILTERS: Final = (None, "all", FINALISED, APPROVED, SENT_BACK, CONFLICT, DISCARDED)


@dataclass(frozen=True, slots=True)
class HubRecord:
    """One sealed interview revision as the hub holds it (open with the project key)."""

    interview_id: str
    revision: int
    form_id: str
    form_version: str
    status: str
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
class HubDevice:
    """A trusted device."""

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
    status: str
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


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What importing one bundle did."""

    source: str
    bundle_id: str
    device_id: str
    already_imported: bool
    entries: int = 0
    new: int = 0
    conflicts: int = 0
    trusted_now: bool = False

    def summary(self) -> str:
        """One line for the CLI."""
        if self.already_imported:
            return f"{self.source}: already imported (bundle {self.bundle_id})"
        text = (f"{self.source}: imported {self.entries} interview record(s) from device "
                f"{self.device_id[:8]} ({self.new} new, {self.entries - self.new} already here)")
        if self.conflicts:
            text += f"; {self.conflicts} CONFLICT(S) flagged (fieldapp conflicts --hub …)"
        if self.trusted_now:
            text += "; device trusted"
        return text
