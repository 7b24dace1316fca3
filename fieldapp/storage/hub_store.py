"""HubStore: the supervisor's store - a folder with ``hub.db`` (SQLite) or a
``postgresql+psycopg://`` database.

Same SQLAlchemy metadata and Alembic migrations as the device store; hub tables are the
``hub_*`` tables plus ``forms`` and ``meta``. This module opens hubs and answers queries;
the write transactions (import, decisions, conflicts, return bundles) are in
:mod:`.hub_writes`. Reads stream (``yield_per``; a server-side cursor on PostgreSQL).
Nothing outside :mod:`fieldapp.storage` touches these tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Row, func, select, union

from fieldapp.clock import parse_utc
from fieldapp.crypto.encoding import b64d
from fieldapp.i18n import N_
from fieldapp.paths import is_url
from fieldapp.storage import db
from fieldapp.storage.base import StoreBase
from fieldapp.storage.errors import HubNotFound, NotInHub
from fieldapp.storage.hub_blobs import BlobReader, HubLocation
from fieldapp.storage.hub_intake import HubIntake
from fieldapp.storage.hub_notes import shown
from fieldapp.storage.hub_rows import copy_of, copy_select, device_of, state_of
from fieldapp.storage.hub_types import (
    COPY_FILTERS,
    STATUS_GROUPS,
    Conflict,
    HistoryEntry,
    InterviewState,
    SealedCopy,
    TrustedDevice,
)
from fieldapp.storage.hub_writes import PROJECT_KEY_META, RECEIPT_ENTRIES_META, HubWrites
from fieldapp.storage.migrate import migrate
from fieldapp.storage.tables import (
    forms,
    hub_conflicts,
    hub_decisions,
    hub_devices,
    hub_history,
    hub_interviews,
    hub_receipts,
    hub_records,
    hub_returns,
    meta,
)
from fieldapp.vocabulary import Status

HUB_FILE = "hub.db"
BUSY_TIMEOUT_MS = 60_000  # imports of big bundles hold the write lock for seconds
_STREAM = {"yield_per": 256, "stream_results": True}


class HubStore(HubIntake, HubWrites, StoreBase):
    """An open hub. Use :meth:`open`; close it (or use ``with``) when done."""

    def __init__(self, engine: Engine, label: str) -> None:
        super().__init__(engine, autosave=False)
        self.label = label

    @classmethod
    def open(cls, target: str | os.PathLike[str], *, create: bool = False) -> HubStore:
        """Open (``create``: creating if needed) a hub folder or database, migrated to head."""
        text = str(target)
        if is_url(text):
            if not text.startswith("postgresql"):
                raise HubNotFound(N_("{value}: only postgresql+psycopg:// URLs are supported as a "
                                     "hub database"),
                                  code="hub_store.postgresql-psycopg-urls-supported",
                                  value=safe_url(text))
            engine = db.open_url(text)
            label = safe_url(text)
        else:
            folder = Path(target)
            path = folder / HUB_FILE
            if not path.exists():
                if not create:
                    raise HubNotFound(N_("{folder}: no hub here ({HUB_FILE} not found); import "
                                         "bundles with 'fieldapp sync pull --hub' to create one"),
                                      code="hub_store.no-hub-here-not", folder=folder,
                                      HUB_FILE=HUB_FILE)
                try:
                    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
                except OSError as exc:
                    raise HubNotFound(N_("{folder}: cannot create a hub ({strerror})"),
                                      code="hub_store.cannot-create-hub", folder=folder,
                                      strerror=exc.strerror
                                      ) from None
            engine = db.open_engine(path, busy_timeout_ms=BUSY_TIMEOUT_MS)
            label = str(folder)
        try:
            with db.translated_errors():
                migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, label)

    def _stream(self, stmt: Any) -> Iterator[Row[Any]]:
        with db.translated_errors(), self._read.connect() as conn:
            yield from conn.execution_options(**_STREAM).execute(stmt)

    # -- what the export and the GUI read -----------------------------------------------------

    def forms(self) -> Iterator[tuple[str, str, bytes]]:
        """Every questionnaire version the hub holds: (form_id, version, .xlsx bytes)."""
        stmt = select(forms.c.form_id, forms.c.version, forms.c.content).order_by(
            forms.c.form_id, forms.c.version)
        for row in self._stream(stmt):
            yield row.form_id, row.version, bytes(row.content)

    def copies(self, status: str | None = None, *, blobs: bool = True
               ) -> Iterator[SealedCopy]:
        """Each interview's current revision, streamed, ordered by interview id.

        ``status``: None = every interview not in conflict; "finalised", "approved",
        "sent_back" = only those; "conflict" = both sides of every open conflict;
        "all" = None's records followed by the "conflict" ones. ``blobs=False``: without
        the sealed blobs (export helpers read them through :meth:`location`).
        """
        if status not in COPY_FILTERS:
            raise ValueError(f"unknown status filter {status!r}")
        r, i = hub_records, hub_interviews
        if status != Status.CONFLICT:
            stmt = copy_select(i.c.status, blobs=blobs).join(i, i.c.record_id == r.c.id)
            stmt = stmt.where(i.c.status != Status.CONFLICT if status in (None, "all")
                              else i.c.status.in_(STATUS_GROUPS.get(status, (status,))))
            for row in self._stream(stmt.order_by(r.c.interview_id)):
                yield copy_of(row)
        if status in ("all", Status.CONFLICT):
            c = hub_conflicts
            open_ids = union(select(c.c.record_a).where(c.c.resolved_utc.is_(None)),
                             select(c.c.record_b).where(c.c.resolved_utc.is_(None)))
            stmt = copy_select(None, blobs=blobs).where(
                r.c.id.in_(select(open_ids.subquery())))
            for row in self._stream(stmt.order_by(r.c.interview_id, r.c.id)):
                yield copy_of(row)

    def location(self) -> HubLocation:
        """Where this hub is, for helper processes that read its blobs themselves."""
        return HubLocation.of(self.engine)

    def blobs(self, record_ids: list[int]) -> dict[int, bytes]:
        """``{record id: sealed blob}`` of the given received copies that exist."""
        return BlobReader(self.engine).blobs(record_ids)

    def count(self, status: str | None = None) -> int:
        """How many copies :meth:`copies` yields for ``status`` (for progress bars)."""
        if status not in COPY_FILTERS:
            raise ValueError(f"unknown status filter {status!r}")
        i, c = hub_interviews, hub_conflicts
        total = 0
        if status != Status.CONFLICT:
            stmt = select(func.count()).select_from(i).where(i.c.record_id.is_not(None))
            stmt = stmt.where(i.c.status != Status.CONFLICT if status in (None, "all")
                              else i.c.status.in_(STATUS_GROUPS.get(status, (status,))))
            total += int(self._scalar(stmt) or 0)
        if status in ("all", Status.CONFLICT):
            open_ids = union(select(c.c.record_a).where(c.c.resolved_utc.is_(None)),
                             select(c.c.record_b).where(c.c.resolved_utc.is_(None)))
            total += int(self._scalar(select(func.count()).select_from(open_ids.subquery()))
                         or 0)
        return total

    def copy(self, record_id: int) -> SealedCopy:
        """One received copy by its record id (any status)."""
        i = hub_interviews
        stmt = copy_select(i.c.status).join(i, i.c.interview_id == hub_records.c.interview_id)
        rows = self._rows(stmt.where(hub_records.c.id == record_id))
        if not rows:
            raise NotInHub(N_("record {record_id} is not in this hub"),
                           code="hub_store.record-not-hub", record_id=record_id)
        return copy_of(rows[0])

    def interview(self, interview_id: str) -> InterviewState:
        """One interview's state (HubError naming it if absent)."""
        rows = self._rows(select(hub_interviews).where(
            hub_interviews.c.interview_id == interview_id))
        if not rows:
            raise NotInHub(N_("interview {interview_id} is not in this hub"),
                           code="hub_store.interview-not-hub", interview_id=interview_id)
        return state_of(rows[0])

    def interviews(self, status: str | None = None) -> list[InterviewState]:
        """Every interview (optionally of one status), by id."""
        stmt = select(hub_interviews).order_by(hub_interviews.c.interview_id)
        if status is not None:
            stmt = stmt.where(hub_interviews.c.status == status)
        return [state_of(r) for r in self._rows(stmt)]

    def history(self, interview_id: str) -> list[HistoryEntry]:
        """Everything that happened to an interview at this hub, oldest first."""
        h = hub_history
        rows = self._rows(select(h).where(h.c.interview_id == interview_id).order_by(h.c.id))
        return [HistoryEntry(r.interview_id, r.revision, r.record_id, r.event, shown(r.detail),
                             parse_utc(r.at_utc)) for r in rows]

    def conflicts(self, *, include_resolved: bool = False) -> list[Conflict]:
        """Open (or all) conflicts, oldest first."""
        c = hub_conflicts
        stmt = select(c).order_by(c.c.id)
        if not include_resolved:
            stmt = stmt.where(c.c.resolved_utc.is_(None))
        return [Conflict(r.id, r.interview_id, r.revision, r.record_a, r.record_b,
                         shown(r.reason),
                         parse_utc(r.detected_utc),
                         None if r.resolved_utc is None else parse_utc(r.resolved_utc),
                         r.kept, r.resolution) for r in self._rows(stmt)]

    def devices(self) -> list[TrustedDevice]:
        """Trusted devices, by enumerator."""
        rows = self._rows(select(hub_devices).order_by(hub_devices.c.enumerator))
        return [device_of(r) for r in rows]

    def device(self, device_id: str) -> TrustedDevice | None:
        """A trusted device, or None."""
        rows = self._rows(select(hub_devices).where(hub_devices.c.device_id == device_id))
        return device_of(rows[0]) if rows else None

    def project_public_key(self) -> bytes | None:
        """The project public key of this hub's devices (learnt from the first one trusted)."""
        value = self._scalar(select(meta.c.value).where(meta.c.key == PROJECT_KEY_META))
        return None if value is None else b64d(value)

    def receipt_sha256(self, bundle_id: str) -> str | None:
        """The manifest sha256 of an imported bundle, or None if never imported."""
        return self._scalar(select(hub_receipts.c.manifest_sha256).where(
            hub_receipts.c.bundle_id == bundle_id))

    def receipts(self) -> Iterator[tuple[str, bytes, bytes]]:
        """Every imported bundle's (bundle_id, manifest bytes, signature), oldest first."""
        rc = hub_receipts.c
        stmt = select(rc.bundle_id, rc.manifest, rc.signature).order_by(rc.imported_utc,
                                                                          rc.bundle_id)
        for row in self._stream(stmt):
            yield row.bundle_id, bytes(row.manifest), bytes(row.signature)

    def receipt_entries(self, bundle_id: str) -> Iterator[bytes]:
        """An imported bundle's entries.jsonl, streamed in chunks of whole lines."""
        prefix = f"{RECEIPT_ENTRIES_META}{bundle_id}/"
        stmt = (select(meta.c.value).where(meta.c.key.startswith(prefix, autoescape=True))
                .order_by(meta.c.key))
        for row in self._stream(stmt):
            yield str(row.value).encode("utf-8")

    def record_blob(self, interview_id: str, revision: int, sha256: str) -> bytes | None:
        """The sealed bytes of one stored revision, or None."""
        c = hub_records.c
        blob = self._scalar(select(c.sealed_blob).where(
            (c.interview_id == interview_id) & (c.revision == revision) & (c.sha256 == sha256)))
        return None if blob is None else bytes(blob)

    def form_content(self, form_id: str, version: str) -> bytes | None:
        """A questionnaire version's bytes, or None."""
        content = self._scalar(select(forms.c.content).where(
            (forms.c.form_id == form_id) & (forms.c.version == version)))
        return None if content is None else bytes(content)

    def form_versions(self) -> list[tuple[str, str, str]]:
        """(form_id, version, title) of every questionnaire version the hub holds."""
        rows = self._rows(select(forms.c.form_id, forms.c.version, forms.c.title))
        return [(r.form_id, r.version, r.title) for r in rows]

    def device_form_versions(self, device_id: str) -> set[tuple[str, str]]:
        """Questionnaire versions a device has sent interviews of."""
        c = hub_records.c
        rows = self._rows(select(c.form_id, c.form_version).where(
            c.device_id == device_id).distinct())
        return {(r.form_id, r.form_version) for r in rows}

    def form_sha256(self, form_id: str, version: str) -> str | None:
        """The sha256 of a questionnaire version the hub holds, or None."""
        return self._scalar(select(forms.c.sha256).where(
            (forms.c.form_id == form_id) & (forms.c.version == version)))

    def acknowledged(self, device_id: str) -> Iterator[tuple[str, int, str]]:
        """(interview_id, revision, sha256) of every record received from a device."""
        c = hub_records.c
        stmt = select(c.interview_id, c.revision, c.sha256).where(
            c.device_id == device_id).order_by(c.id)
        for row in self._stream(stmt):
            yield row.interview_id, row.revision, row.sha256

    def pending_decisions(self, device_id: str) -> list[Row[Any]]:
        """Decisions for a device not yet written into a return bundle, oldest first."""
        d = hub_decisions
        return list(self._rows(select(d).where((d.c.device_id == device_id)
                                               & d.c.return_bundle_id.is_(None))
                               .order_by(d.c.id)))

    def last_ack_upto(self, device_id: str) -> int:
        """The newest record id already acknowledged in a return bundle (0 if none)."""
        value = self._scalar(select(func.max(hub_returns.c.ack_upto)).where(
            hub_returns.c.device_id == device_id))
        return int(value or 0)

    def max_record_id(self, device_id: str) -> int:
        """The newest record id received from a device (0 if none)."""
        value = self._scalar(select(func.max(hub_records.c.id)).where(
            hub_records.c.device_id == device_id))
        return int(value or 0)


def safe_url(url: str) -> str:
    """A database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("://", 1)[0] + "://…"
