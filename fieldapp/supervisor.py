"""SupervisorSession: the one façade the CLI and the GUI call for a hub (cf. FieldSession
for a device).

It owns an open :class:`~fieldapp.storage.hub_store.HubStore` (a folder or a PostgreSQL
database) and, once unlocked, the project private key - kept in memory only and dropped by
:meth:`lock`. Import and trust, review decisions, conflicts, progress, return bundles, export
and merge all go through here; nothing above it touches storage, sync or export internals.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from fieldapp.crypto import fingerprint, load_project_private_key
from fieldapp.errors import FieldAppError
from fieldapp.export.merge import MergeResult, merge
from fieldapp.export.run import FORMATS, ExportOptions, ExportResult, export
from fieldapp.export.source import DeviceSource
from fieldapp.export.summary import DEFAULT_CITY_ORDER, SummaryOptions
from fieldapp.id_prefix import resolve_prefix
from fieldapp.recording import open_sealed
from fieldapp.storage.hub_store import HubStore, is_url
from fieldapp.storage.hub_types import (
    Conflict,
    HistoryEntry,
    InterviewState,
    SealedCopy,
    TrustedDevice,
)
from fieldapp.storage.store import Store
from fieldapp.sync.central import pull_from_hub
from fieldapp.sync.decisions import decide, resolve
from fieldapp.sync.hub_import import import_files
from fieldapp.sync.progress import HubCounts, count_hub
from fieldapp.sync.results import ImportResult
from fieldapp.sync.returns import ReturnWritten, install_hub_form, write_return_bundles
from fieldapp.vocabulary import Decision

__all__ = ["DEFAULT_CITY_ORDER", "FORMATS", "ExportOptions", "ExportResult", "ImportResult",
           "MergeResult", "ReturnWritten", "SummaryOptions", "SupervisorSession", "is_url"]

DATABASE_FILE = "fieldapp.db"  # a device's store (= fieldapp.session.DATABASE_FILE)


class KeyLocked(FieldAppError):
    """The operation needs the project private key, which is not unlocked."""


class SupervisorSession:
    """An open hub, optionally with the project private key unlocked."""

    def __init__(self, hub: HubStore) -> None:
        self.hub = hub
        self._key: Any = None

    @classmethod
    def open(cls, target: str | os.PathLike[str], *, create: bool = False
             ) -> SupervisorSession:
        """Open a hub folder or ``postgresql+psycopg://`` database (``create``: a new one)."""
        return cls(HubStore.open(target, create=create))

    @property
    def label(self) -> str:
        """The hub's folder, or its URL without the password."""
        return self.hub.label

    def close(self) -> None:
        """Drop the key and release the database."""
        self.lock()
        self.hub.close()

    def __enter__(self) -> SupervisorSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- the project private key --------------------------------------------------------
    def unlock(self, key_file: Path, passphrase: str) -> str:
        """Unlock the project private key (memory only); returns its fingerprint."""
        self._key = load_project_private_key(key_file, passphrase)
        return fingerprint(self._key.public_key())

    def use_key(self, private_key: Any) -> None:
        """Use an already unlocked project private key."""
        self._key = private_key

    def lock(self) -> None:
        """Forget the project private key."""
        self._key = None

    @property
    def unlocked(self) -> bool:
        """True while the project private key is in memory."""
        return self._key is not None

    def _need_key(self) -> Any:
        if self._key is None:
            raise KeyLocked("the project private key is needed here: unlock it first "
                            "(--key project.key)")
        return self._key

    # ----- import and trust --------------------------------------------------------------
    def import_bundles(self, where: Path, *, trust: bool = False
                       ) -> tuple[list[ImportResult], list[str], int]:
        """Import a bundle file or every bundle in a folder: (results, errors, skipped)."""
        return import_files(self.hub, Path(where), trust=trust)

    def pull_central(self, url: str, *, trust: bool = False
                     ) -> tuple[list[ImportResult], list[str], int]:
        """Import every bundle a central hub database holds that this hub lacks."""
        with HubStore.open(url) as central:
            return pull_from_hub(self.hub, central, trust=trust)

    def devices(self) -> list[TrustedDevice]:
        """Trusted devices, by enumerator."""
        return self.hub.devices()

    def odd_cities(self, device_ids: Iterable[str]) -> list[tuple[TrustedDevice, list[str]]]:
        """Devices among ``device_ids`` set up for another city than the hub's other devices
        (or, on a new hub, than most of them): (device, the hub's cities), for a warning."""
        new = set(device_ids)
        devices = self.devices()
        others = Counter(d.city for d in devices if d.device_id not in new and d.city)
        if not others:
            majority = Counter(d.city for d in devices if d.device_id in new and d.city)
            others = Counter(dict(majority.most_common(1)))
        return [(d, sorted(others)) for d in devices
                if d.device_id in new and d.city and others and d.city not in others]

    # ----- interviews, review and conflicts ----------------------------------------------
    def interviews(self, status: str | None = None) -> list[InterviewState]:
        """Every interview (optionally of one status), by id."""
        return self.hub.interviews(status)

    def resolve_id(self, given: str) -> str:
        """The full id of the interview ``given`` names: the id or a unique prefix of at
        least six characters (one-line error when none or several match)."""
        return resolve_prefix(given, (s.interview_id for s in self.interviews()))

    def interview(self, interview_id: str) -> InterviewState:
        """One interview's state at the hub."""
        return self.hub.interview(interview_id)

    def history(self, interview_id: str) -> list[HistoryEntry]:
        """Everything that happened to an interview at this hub."""
        return self.hub.history(interview_id)

    def copy(self, record_id: int) -> SealedCopy:
        """One received sealed copy (e.g. a side of a conflict)."""
        return self.hub.copy(record_id)

    def open_interview(self, interview_id: str, record_id: int | None = None
                       ) -> tuple[SealedCopy, dict[str, Any]]:
        """An interview's current (or chosen) copy, decrypted in memory: (copy, payload)."""
        state = self.hub.interview(interview_id)
        chosen = record_id if record_id is not None else state.record_id
        if chosen is None:
            raise FieldAppError(f"interview {interview_id} has no record at this hub")
        copy = self.hub.copy(chosen)
        if copy.interview_id != interview_id:
            raise FieldAppError(f"record {chosen} belongs to another interview")
        return copy, open_sealed(self._need_key(), copy, copy.form_id, copy.form_version)

    def decide(self, interview_id: str, decision: Decision | str, comment: str | None = None
               ) -> InterviewState:
        """Approve or send back a finalised interview (the comment goes to the device)."""
        return decide(self.hub, interview_id, decision, comment)

    def conflicts(self, *, include_resolved: bool = False) -> list[Conflict]:
        """Open (or all) conflicts, oldest first."""
        return self.hub.conflicts(include_resolved=include_resolved)

    def resolve(self, interview_id: str, keep: int, reason: str) -> InterviewState:
        """Close an interview's conflicts by keeping record ``keep``, with a reason."""
        return resolve(self.hub, interview_id, keep, reason)

    # ----- progress ----------------------------------------------------------------------
    def progress(self) -> HubCounts:
        """Interviews by status and by city, district, Dong, enumerator and day (district
        and Dong only while the key is unlocked: they are answers inside the seals)."""
        return count_hub(self.hub, self._key)

    # ----- return bundles, questionnaires ------------------------------------------------
    def write_returns(self, folder: Path, *, forms: Sequence[Path] = ()) -> list[ReturnWritten]:
        """One return bundle per device with decisions, acknowledgements or ``forms``."""
        key = self._need_key()
        installed = [install_hub_form(self.hub, Path(path)) for path in forms]
        return write_return_bundles(self.hub, key, Path(folder), forms=installed)

    # ----- export and merge --------------------------------------------------------------
    def export(self, options: ExportOptions) -> ExportResult:
        """Decrypt and export this hub's interviews."""
        return export(self.hub, self._need_key(), options)

    @staticmethod
    def export_device(data_dir: Path, private_key: Any, options: ExportOptions
                      ) -> ExportResult:
        """Export the sealed interviews of a device's data directory (read-only)."""
        path = Path(data_dir) / DATABASE_FILE
        if not path.is_file():
            raise FieldAppError(f"{data_dir}: no device data here")
        with Store.open(path, read_only=True) as store:
            return export(DeviceSource(store), private_key, options)

    @staticmethod
    def merge(inputs: Sequence[Path], out: Path, *, lang: str | None = None,
              labels: bool = False, progress: Callable[[int, int | None], Any] | None = None,
              summary: SummaryOptions | None = None) -> MergeResult:
        """Merge several exports (e.g. the three cities) into one workbook."""
        return merge(list(inputs), out, lang=lang, labels=labels, progress=progress,
                     summary=summary)
