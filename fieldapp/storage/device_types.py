"""Frozen records returned by :class:`fieldapp.storage.store.Store` (never ORM rows).

Blobs are opaque ciphertext: storage never decrypts or inspects them. Timestamps are
timezone-aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fieldapp.vocabulary import EventKind, Status


@dataclass(frozen=True, slots=True)
class InstalledForm:
    """An installed questionnaire version (its .xlsx bytes via ``Store.form_content``)."""

    form_id: str
    version: str
    sha256: str
    title: str
    installed_utc: datetime


@dataclass(frozen=True, slots=True)
class InterviewInfo:
    """An interview's plaintext bookkeeping; answers live only in encrypted events/seals."""

    interview_id: str
    form_id: str
    form_version: str
    status: Status
    revision: int
    key_id: str
    created_utc: datetime
    updated_utc: datetime
    note_blob: bytes | None = None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One autosaved event: ``question`` is '' for interview-level events; ``position``
    (1, 2, … in the interview) is bound into the event's encryption."""

    seq: int
    interview_id: str
    kind: EventKind
    question: str
    revision: int
    blob: bytes
    position: int = 0


@dataclass(frozen=True, slots=True)
class SealedRevision:
    """A finalised interview revision sealed to the project key."""

    interview_id: str
    revision: int
    sealed_blob: bytes
    sha256: str
    sealed_utc: datetime
    sent_bundle_id: str | None = None
    acked: bool = False
