"""Where export reads interviews from: the supervisor hub, or one device's store.

The hub (:class:`~fieldapp.storage.hub_store.HubStore`) implements :class:`InterviewSource`;
:class:`DeviceSource` adapts a device :class:`~fieldapp.storage.store.Store` (tests, and
exporting straight from a laptop's data directory). Copies are streamed: a source must not
load every blob at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from fieldapp.storage.hub_types import SUBMITTED
from fieldapp.storage.store import Store
from fieldapp.vocabulary import HUB_STATUSES, Status

#: ``--status`` values understood by every source.
STATUS_FILTERS = (SUBMITTED, "all", *HUB_STATUSES)


@runtime_checkable
class SealedInterview(Protocol):
    """One sealed interview revision as a source hands it out."""

    @property
    def interview_id(self) -> str: ...
    @property
    def revision(self) -> int: ...
    @property
    def form_id(self) -> str: ...
    @property
    def form_version(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def sealed_blob(self) -> bytes: ...
    @property
    def device_id(self) -> str: ...
    @property
    def enumerator(self) -> str: ...
    @property
    def city(self) -> str: ...
    @property
    def received_utc(self) -> datetime | None: ...


class InterviewSource(Protocol):
    """The two calls export needs (the hub implements exactly these)."""

    def forms(self) -> Iterable[tuple[str, str, bytes]]:
        """(form_id, version, xlsx bytes) of every questionnaire version known."""
        ...

    def copies(self, status: str | None = None) -> Iterable[SealedInterview]:
        """Sealed interviews (current revision each), streamed; status None/"all",
        "finalised" or "approved"."""
        ...


@dataclass(frozen=True, slots=True)
class DeviceCopy:
    """A :class:`SealedInterview` read from a device store."""

    interview_id: str
    revision: int
    form_id: str
    form_version: str
    status: str
    sealed_blob: bytes
    device_id: str
    enumerator: str
    city: str
    received_utc: datetime | None


_SEALED = (Status.FINALISED, Status.APPROVED, Status.SENT_BACK, Status.DISCARDED)
_DEVICE_STATUSES: dict[str | None, tuple[Status, ...]] = {
    None: _SEALED, "all": _SEALED, SUBMITTED: (Status.FINALISED, Status.APPROVED),
    Status.CONFLICT: (), **{s: (s,) for s in _SEALED},
}


class DeviceSource:
    """Finalised (sealed) interviews of one device store, newest revision of each.

    Status filters as on the hub: None/"all" every sealed interview, "finalised" or
    "approved" only those. Device id, enumerator and city come from the sealed payload.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def forms(self) -> Iterator[tuple[str, str, bytes]]:
        """Installed questionnaire versions."""
        for form in self.store.list_forms():
            yield form.form_id, form.version, self.store.form_content(form.form_id,
                                                                      form.version)

    def _interviews(self, status: str | None) -> list:
        if status not in _DEVICE_STATUSES:
            raise ValueError(f"unknown status filter {status!r}")
        wanted = _DEVICE_STATUSES[status]
        return [r for r in self.store.list_interviews() if r.status in wanted]

    def count(self, status: str | None = None) -> int:
        """How many copies :meth:`copies` yields."""
        return len(self._interviews(status))

    def form_ids(self, status: str | None = None) -> set[str]:
        """Questionnaires that the selected interviews use."""
        return {r.form_id for r in self._interviews(status)}

    def copies(self, status: str | None = None) -> Iterator[DeviceCopy]:
        """One copy per interview: its newest sealed revision."""
        for interview in self._interviews(status):
            seals = self.store.sealed_records(interview.interview_id)
            if not seals:
                continue
            latest = max(seals, key=lambda s: s.revision)
            yield DeviceCopy(interview.interview_id, latest.revision, interview.form_id,
                               interview.form_version, interview.status, latest.sealed_blob,
                               "", "", "", latest.sealed_utc)
