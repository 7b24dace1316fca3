"""Progress aggregates for the supervisor's dashboard, counted in SQL (never a Python loop).

Every interview at the hub is counted once, by its current record: city and enumerator come
from the trusted device, the day from the record, the status from ``hub_interviews``.
District and Dong are answers inside the seals and are not counted here (see
:mod:`fieldapp.sync.progress`). Targets per district are small ``meta`` rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from fieldapp.storage.base import StoreBase
from fieldapp.storage.tables import hub_devices, hub_interviews, hub_records, meta
from fieldapp.vocabulary import Status

#: the plaintext dimensions the dashboard groups by
GROUPS = ("city", "enumerator", "day", "form")
TARGETS_META = "dashboard_targets"


@dataclass(frozen=True)
class DashboardFilter:
    """What the dashboard table shows: empty = everything."""

    city: str = ""
    enumerator: str = ""
    status: str = ""
    day_from: str = ""  # YYYY-MM-DD, inclusive
    day_to: str = ""


@dataclass
class DashboardCounts:
    """``rows[group]`` = [(value, status, count)], ordered by value."""

    rows: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    total: int = 0

    def by_value(self, group: str) -> dict[str, dict[str, int]]:
        """value → status → count."""
        out: dict[str, dict[str, int]] = {}
        for value, status, n in self.rows.get(group, []):
            out.setdefault(value, {})[status] = n
        return out


def _column(group: str) -> Any:
    r, d = hub_records, hub_devices
    return {"city": d.c.city, "enumerator": d.c.enumerator, "day": r.c.day,
            "form": r.c.form_id}[group]


def _filtered(stmt: Any, where: DashboardFilter) -> Any:
    r, d, i = hub_records, hub_devices, hub_interviews
    if where.city:
        stmt = stmt.where(d.c.city == where.city)
    if where.enumerator:
        stmt = stmt.where(d.c.enumerator == where.enumerator)
    if where.status:
        stmt = stmt.where(i.c.status == where.status)
    if where.day_from:
        stmt = stmt.where(r.c.day >= where.day_from)
    if where.day_to:
        stmt = stmt.where(r.c.day <= where.day_to)
    return stmt


def dashboard_counts(store: StoreBase, where: DashboardFilter,
                     groups: tuple[str, ...] = GROUPS) -> DashboardCounts:
    """Interviews per value of each group and status, filtered (one GROUP BY per group)."""
    r, d, i = hub_records, hub_devices, hub_interviews
    counts = DashboardCounts()
    base: Any = (select().select_from(i).join(r, r.c.id == i.c.record_id)
            .join(d, d.c.device_id == r.c.device_id))
    total = _filtered(base.add_columns(func.count()), where)
    counts.total = int(store._scalar(total) or 0)
    for group in groups:
        col = _column(group)
        stmt = _filtered(base.add_columns(col, i.c.status, func.count()), where)
        stmt = stmt.group_by(col, i.c.status).order_by(col, i.c.status)
        rows: list[Any] = list(store._rows(stmt))
        counts.rows[group] = [(str(value), str(status), int(n)) for value, status, n in rows]
    return counts


def choices(store: StoreBase) -> dict[str, list[str]]:
    """The cities and enumerators known to the hub (for the filter boxes)."""
    d = hub_devices
    return {name: [str(v) for (v,) in store._rows(select(col).distinct().order_by(col))]
            for name, col in (("city", d.c.city), ("enumerator", d.c.enumerator))}


def targets(store: StoreBase) -> dict[str, int]:
    """Target interviews per district (as the supervisor set them)."""
    value = store._scalar(select(meta.c.value).where(meta.c.key == TARGETS_META))
    if not value:
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    return {str(k): int(v) for k, v in data.items() if isinstance(v, int) and v > 0}


def set_targets(store: StoreBase, wanted: dict[str, int]) -> dict[str, int]:
    """Replace the targets per district (0 or less removes one)."""
    clean = {str(k): int(v) for k, v in sorted(wanted.items()) if int(v) > 0}
    store.set_meta(TARGETS_META, json.dumps(clean, ensure_ascii=False, sort_keys=True))
    return clean


def current_records(store: StoreBase) -> list[tuple[int, str]]:
    """(record id, sha256) of every interview's current record, conflicts left out (the
    same set as ``HubStore.copies(None)``), without the sealed bytes."""
    r, i = hub_records, hub_interviews
    stmt: Any = (select(r.c.id, r.c.sha256).select_from(i).join(r, r.c.id == i.c.record_id)
            .where(i.c.status != Status.CONFLICT).order_by(r.c.interview_id))
    rows: list[Any] = list(store._rows(stmt))
    return [(int(record_id), str(sha)) for record_id, sha in rows]
