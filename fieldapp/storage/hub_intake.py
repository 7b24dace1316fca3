"""The central hub's intake and return rows: SQL for both sides.

Supervisor side (:class:`HubIntake`, mixed into :class:`~.hub_store.HubStore`): claim one
pending intake row with ``SELECT … FOR UPDATE SKIP LOCKED`` (two intake processes never get
the same row; a killed one releases its row when its connection dies), record the outcome in
that same transaction, and write return rows.

Device side (:func:`submit_bundle`, :func:`return_rows`): a device role connects with its own
URL and can only insert a bundle and read its own return rows; nothing else is attempted,
and no migration is run on its connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text, update

from fieldapp.clock import now_text
from fieldapp.storage import db
from fieldapp.storage.errors import StorageError
from fieldapp.storage.tables import hub_device_roles, hub_intake, hub_return_rows

PENDING, APPLIED, REJECTED = "pending", "applied", "rejected"


@dataclass(frozen=True)
class IntakeRow:
    """One bundle a device inserted, as claimed by an intake process."""

    intake_id: int
    device_role: str
    received_utc: str
    bundle: bytes
    #: the bundle's size in bytes (``bundle`` is left empty when over the claim's limit)
    size: int = 0


@dataclass(frozen=True)
class IntakeOutcome:
    """A processed intake row (for listings)."""

    intake_id: int
    device_role: str
    received_utc: str
    status: str
    reason: str | None
    bundle_id: str | None


class Claim:
    """A claimed intake row: :meth:`finish` records the outcome, committed on exit."""

    def __init__(self, conn: Connection, row: IntakeRow | None) -> None:
        self._conn = conn
        self.row = row

    def finish(self, status: str, reason: str | None = None,
               bundle_id: str | None = None) -> None:
        """Mark the row applied or rejected (with its reason)."""
        assert self.row is not None
        self._conn.execute(update(hub_intake).where(hub_intake.c.id == self.row.intake_id)
                           .values(status=status, reason=reason, bundle_id=bundle_id,
                                   processed_utc=now_text()))


class HubIntake:
    """Intake and return-row operations of :class:`~.hub_store.HubStore`."""

    engine: Engine

    @contextmanager
    def claim_intake(self, max_bytes: int | None = None) -> Iterator[Claim]:
        """The oldest pending intake row no other process holds (``row`` None if none); a
        bundle over ``max_bytes`` is not read (``row.bundle`` empty, ``row.size`` says)."""
        i = hub_intake.c
        stmt = (select(i.id, i.device_role, i.received_utc,
                       func.length(i.bundle).label("size"))
                .where(i.status == PENDING).order_by(i.id).limit(1))
        if self.engine.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        with db.translated_errors(), self.engine.begin() as conn:
            found = conn.execute(stmt).first()
            row = None
            if found is not None:
                size = int(found.size or 0)
                bundle = b"" if max_bytes is not None and size > max_bytes else bytes(
                    conn.execute(select(i.bundle).where(i.id == found.id)).scalar_one())
                row = IntakeRow(int(found.id), found.device_role, found.received_utc, bundle,
                                size)
            yield Claim(conn, row)

    def intake_rows(self, status: str | None = None) -> list[IntakeOutcome]:
        """Intake rows (without their bundles), oldest first."""
        i = hub_intake.c
        stmt = select(i.id, i.device_role, i.received_utc, i.status, i.reason,
                      i.bundle_id).order_by(i.id)
        if status is not None:
            stmt = stmt.where(i.status == status)
        with db.translated_errors(), self.engine.connect() as conn:
            return [IntakeOutcome(int(r.id), r.device_role, r.received_utc, r.status,
                                  r.reason, r.bundle_id) for r in conn.execute(stmt)]

    def device_of_role(self, role: str) -> str | None:
        """The device a login role was issued to, or None."""
        c = hub_device_roles.c
        with db.translated_errors(), self.engine.connect() as conn:
            value = conn.execute(select(c.device_id).where(c.role_name == role)
                                 ).scalar_one_or_none()
        return None if value is None else str(value)

    def role_of_device(self, device_id: str) -> str | None:
        """A device's login role, or None if none was issued."""
        c = hub_device_roles.c
        with db.translated_errors(), self.engine.connect() as conn:
            value = conn.execute(select(c.role_name).where(c.device_id == device_id)
                                 ).scalar_one_or_none()
        return None if value is None else str(value)

    def add_return_row(self, *, device_role: str, device_id: str, bundle_id: str,
                       created: str, bundle: bytes) -> None:
        """Store a return bundle for a device to fetch."""
        with db.translated_errors(), self.engine.begin() as conn:
            conn.execute(insert(hub_return_rows).values(
                device_role=device_role, device_id=device_id, bundle_id=bundle_id,
                created_utc=created, bundle=bundle))


def refused_value(exc: BaseException) -> bool:
    """True if a (translated) database error was the database refusing a value it was given
    (a data exception, e.g. text with NUL), not the database failing."""
    import psycopg  # the driver, only once something failed

    cause = exc.__cause__ if isinstance(exc, StorageError) else exc
    if isinstance(cause, (sqlite3.DataError, psycopg.DataError)):
        return True
    return str(getattr(cause, "sqlstate", "") or "").startswith("22")


def connection_lost(exc: BaseException) -> bool:
    """True if a (translated) database error was the connection to the server failing (a
    restart, a fail-over, the network), which a long-running process may retry."""
    import psycopg  # the driver, only once something failed

    cause = exc.__cause__ if isinstance(exc, StorageError) else exc
    return isinstance(cause, psycopg.OperationalError)


# -- device side --------------------------------------------------------------------------------

def _device_engine(url: str) -> Engine:
    return db.open_url(url)


def submit_bundle(url: str, bundle: bytes) -> None:
    """Insert one signed bundle into the hub's intake as the connecting (device) role."""
    engine = _device_engine(url)
    try:
        with db.translated_errors(), engine.begin() as conn:
            # Plain INSERT: SQLAlchemy would add RETURNING id, which needs SELECT (refused).
            conn.execute(text("INSERT INTO hub_intake (bundle) VALUES (:bundle)"),
                         {"bundle": bundle})
    finally:
        engine.dispose()


def return_rows(url: str, after: int) -> Iterator[tuple[int, str, bytes]]:
    """(row id, bundle id, bundle bytes) of the return rows the connecting role may read,
    newer than ``after``, oldest first."""
    r = hub_return_rows.c
    engine = _device_engine(url)
    try:
        with db.translated_errors(), engine.connect() as conn:
            rows: Any = conn.execute(select(r.id, r.bundle_id, r.bundle).where(r.id > after)
                                     .order_by(r.id))
            for row in rows:
                yield int(row.id), str(row.bundle_id), bytes(row.bundle)
    finally:
        engine.dispose()


def with_login(url: str, user: str, password: str) -> str:
    """``url`` with ``user`` (unless it names one) and ``password`` (unless it has one)."""
    parsed = db.parse_url(url)
    return parsed.set(username=parsed.username or user,
                      password=parsed.password or password).render_as_string(
        hide_password=False)
