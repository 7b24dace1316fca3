"""Progress at the hub: interviews per city, district, Dong, enumerator and day, by status.

City, enumerator and day are plaintext bookkeeping; district and Dong are answers inside the
sealed records, so they are counted only when the project private key is given.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fieldapp.crypto.errors import CryptoError
from fieldapp.recording import open_sealed
from fieldapp.storage.hub_store import HubStore
from fieldapp.storage.hub_types import SealedCopy
from fieldapp.vocabulary import HUB_STATUSES, Status

DIMENSIONS = ("city", "district", "dong", "enumerator", "day")
UNKNOWN = "(none)"


@dataclass
class HubCounts:
    """Counts by status overall and per value of each dimension."""

    totals: Counter[str] = field(default_factory=Counter)
    by: dict[str, dict[str, Counter[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    with_answers: bool = False
    unreadable: int = 0

    @property
    def statuses(self) -> tuple[str, ...]:
        """Column order."""
        return HUB_STATUSES

    @property
    def dimensions(self) -> tuple[str, ...]:
        """Row groups, in display order."""
        return DIMENSIONS


def count_hub(hub: HubStore, private_key: Any = None,
              places: Mapping[int, tuple[str, str]] | None = None) -> HubCounts:
    """Stream every interview's current record once and count it. ``places``: (district,
    Dong) already read from records by id (e.g. by the quality check); only the records
    not in it are decrypted."""
    counts = HubCounts(with_answers=private_key is not None)
    known = places or {}
    for copy in hub.copies(None, blobs=private_key is not None and places is None):
        _add(counts, copy.status, copy, private_key, known, hub)
    for state in hub.interviews(Status.CONFLICT):
        if state.record_id is not None:
            _add(counts, Status.CONFLICT, hub.copy(state.record_id), private_key, known, hub)
    return counts


def _add(counts: HubCounts, status: str, record: SealedCopy, private_key: Any,
         places: Mapping[int, tuple[str, str]], hub: HubStore) -> None:
    counts.totals[status] += 1
    values = {"city": record.city or UNKNOWN, "enumerator": record.enumerator,
              "day": record.day}
    if private_key is not None:
        place = places.get(record.record_id)
        if place is None:
            place = _read_place(hub, record, private_key, counts)
        values["district"], values["dong"] = (p or UNKNOWN for p in place)
    for dimension, value in values.items():
        counts.by[dimension][value][status] += 1


def _read_place(hub: HubStore, record: SealedCopy, private_key: Any,
                counts: HubCounts) -> tuple[str, str]:
    if not record.sealed_blob:
        record = hub.copy(record.record_id)
    try:
        answers = open_sealed(private_key, record, record.form_id,
                              record.form_version).get("answers", {})
    except CryptoError:
        counts.unreadable += 1
        answers = {}
    return tuple(str(answers.get(name)) if answers.get(name) not in (None, "") else ""
                 for name in ("district", "dong"))  # type: ignore[return-value]
