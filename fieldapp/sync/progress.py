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
from fieldapp.storage.hub_dashboard import current_cells
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
    """Count every interview once, by its current record. With the key, district and Dong
    come from ``places`` ((district, Dong) by record id, e.g. read by the quality check) or,
    for records not in it, from decrypting the record."""
    counts = HubCounts(with_answers=private_key is not None)
    known = places or {}

    def place(record_id: int, copy: SealedCopy | None = None) -> tuple[str, str] | None:
        if private_key is None:
            return None
        found = known.get(record_id)
        if found is None:  # not read by the quality check: decrypt this one
            found = _read_place(copy or hub.copy(record_id), private_key, counts)
        return found

    if private_key is not None and places is None:  # decrypt every record, streamed
        for c in hub.copies(None):
            _add(counts, c.status, c.city, c.enumerator, c.day, place(c.record_id, c))
    else:
        for record_id, status, city, enumerator, day in current_cells(hub):
            _add(counts, status, city, enumerator, day, place(record_id))
    for state in hub.interviews(Status.CONFLICT):
        if state.record_id is not None:
            c = hub.copy(state.record_id)
            _add(counts, Status.CONFLICT, c.city, c.enumerator, c.day, place(c.record_id, c))
    return counts


def _add(counts: HubCounts, status: str, city: str, enumerator: str, day: str,
         place: tuple[str, str] | None) -> None:
    counts.totals[status] += 1
    values = {"city": city or UNKNOWN, "enumerator": enumerator, "day": day}
    if place is not None:
        values["district"], values["dong"] = (p or UNKNOWN for p in place)
    for dimension, value in values.items():
        counts.by[dimension][value][status] += 1


def _read_place(record: SealedCopy, private_key: Any, counts: HubCounts) -> tuple[str, str]:
    try:
        answers = open_sealed(private_key, record, record.form_id,
                              record.form_version).get("answers", {})
    except CryptoError:
        counts.unreadable += 1
        answers = {}
    district, dong = (answers.get(name) for name in ("district", "dong"))
    return ("" if district in (None, "") else str(district),
            "" if dong in (None, "") else str(dong))
