"""The autosave hot path: durable event appends on SQLite at (nearly) raw-driver cost.

One long-lived driver connection per store, pre-compiled statements (compiled once from the
Core tables, so the SQL cannot drift from the schema) and ``BEGIN IMMEDIATE`` / guarded
UPDATE / last position / INSERT / ``COMMIT``. Positions are assigned under the write lock, so
two processes appending to one draft interleave their events instead of colliding. With
``synchronous=FULL`` the COMMIT has synced the WAL before :meth:`SqliteAutosave.append`
returns. Measured (2,000 × 2 KB, WAL/FULL) at ≈1.1× a bare
``sqlite3`` loop at p50, versus ≈1.4× for Core ``Connection.execute`` on a held connection and
≈1.7× for a Core ``engine.begin()`` per event.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence

from sqlalchemy import (
    Engine,
    PoolProxiedConnection,
    bindparam,
    func,
    insert,
    literal_column,
    select,
    update,
)

from fieldapp.i18n import N_
from fieldapp.storage.db import translate
from fieldapp.storage.errors import StaleInterview, StorageError
from fieldapp.storage.tables import events, interviews
from fieldapp.vocabulary import Status

#: (kind, question, revision, blob) - the per-event part of an append. ``blob`` may be a
#: function of the event's position (1, 2, … in the interview), which the store assigns
#: inside the write transaction: the caller encrypts with the position in the AAD there.
Blob = bytes | Callable[[int], bytes]
EventRow = tuple[str, str, int, Blob]

_INSERT_KEYS = ("interview_id", "kind", "question", "revision", "blob", "position")


def _compile(engine: Engine) -> tuple[str, str, str, str]:
    """Driver SQL from the Core tables: event INSERT, guarded updated_utc UPDATE, last
    position, interview state."""
    ins = insert(events).compile(dialect=engine.dialect, column_keys=list(_INSERT_KEYS))
    upd = (
        update(interviews)
        .where(
            (interviews.c.id == bindparam("iid"))
            & (interviews.c.status == bindparam("status"))
            & (interviews.c.revision == bindparam("rev"))
        )
        .values(updated_utc=bindparam("now"))
        .compile(dialect=engine.dialect)
    )
    last = (
        select(func.coalesce(func.max(events.c.position), literal_column("0")))
        .where(events.c.interview_id == bindparam("iid"))
        .compile(dialect=engine.dialect)
    )
    state = (
        select(interviews.c.status, interviews.c.revision)
        .where(interviews.c.id == bindparam("iid"))
        .compile(dialect=engine.dialect)
    )
    if (
        tuple(ins.positiontup or ()) != _INSERT_KEYS
        or list(upd.positiontup or ()) != ["now", "iid", "status", "rev"]
        or list(last.positiontup or ()) != ["iid"]
        or list(state.positiontup or ()) != ["iid"]
    ):
        raise RuntimeError("unexpected parameter order in compiled autosave statements")
    return str(ins), str(upd), str(last), str(state)


def check_rows(interview_id: str, rows: Sequence[EventRow]) -> int:
    """The one revision of a batch of events (a batch never spans revisions)."""
    revisions = {row[2] for row in rows}
    if len(revisions) != 1:
        raise ValueError(f"interview {interview_id}: events of one append must share a revision")
    return revisions.pop()


def stale(interview_id: str, state: tuple[str, int] | None, revision: int) -> StorageError:
    """The error for an append that found the interview missing or no longer this draft."""
    if state is None:
        return StorageError(N_("interview {interview_id} not found"),
                            code="autosave.interview-not-found", interview_id=interview_id)
    return StaleInterview(interview_id, state[0], state[1], revision)


class SqliteAutosave:
    """Appends events on one dedicated SQLite connection (thread-safe via :attr:`lock`)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._insert_sql, self._update_sql, self._last_sql, self._state_sql = _compile(engine)
        self.lock = threading.Lock()
        self._closed = False
        self._proxy: PoolProxiedConnection | None = None
        self._conn: sqlite3.Connection | None = None
        self._cursor: sqlite3.Cursor | None = None
        with self.lock:
            self.connection()

    def append(self, interview_id: str, rows: Sequence[EventRow], now: str) -> list[int]:
        """Insert ``rows`` at the next positions and bump ``updated_utc`` in one durable
        transaction; return their seqs.

        The interview must still be a draft at the rows' revision (else
        :class:`StaleInterview`): a process holding an outdated copy can never add events
        to an interview that was finalised, discarded or re-opened elsewhere.
        """
        revision = check_rows(interview_id, rows)
        seqs: list[int] = []
        with self.lock:
            conn = self.connection()
            cursor = self._cursor
            assert cursor is not None
            try:
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute(self._update_sql, (now, interview_id, Status.DRAFT.value, revision))
                if cursor.rowcount != 1:
                    found = cursor.execute(self._state_sql, (interview_id,)).fetchone()
                    raise stale(interview_id, found, revision)
                position = int(cursor.execute(self._last_sql, (interview_id,)).fetchone()[0])
                for kind, question, rev, blob in rows:
                    position += 1
                    data = blob(position) if callable(blob) else blob
                    cursor.execute(self._insert_sql,
                                   (interview_id, kind, question, rev, data, position))
                    seqs.append(cursor.lastrowid)  # type: ignore[arg-type]
                cursor.execute("COMMIT")
            except sqlite3.Error as exc:
                self._recover(conn)
                raise translate(exc) from exc
            except BaseException:  # bad row, KeyboardInterrupt: never keep the write lock
                self._recover(conn)
                raise
        return seqs

    def connection(self) -> sqlite3.Connection:
        """The dedicated connection, checked out of the pool on first use (hold the lock).

        The engine's connect hook has applied the pragmas; callers may use it for
        maintenance pragmas (checkpoint, integrity_check) while holding :attr:`lock`.
        """
        if self._closed:
            raise StorageError(N_("the store is closed"), code="autosave.store-closed")
        if self._conn is None:
            try:
                proxy = self._engine.raw_connection()
            except sqlite3.Error as exc:
                raise translate(exc) from exc
            conn = proxy.driver_connection
            if not isinstance(conn, sqlite3.Connection):
                proxy.close()
                raise TypeError("SqliteAutosave needs the stdlib sqlite3 driver")
            self._proxy, self._conn, self._cursor = proxy, conn, conn.cursor()
        return self._conn

    def close(self) -> None:
        """Return the connection to the engine's pool; later appends raise StorageError."""
        with self.lock:
            self._release()
            self._closed = True

    def _release(self) -> None:
        """Drop the dedicated connection (the next append checks out a new one)."""
        if self._cursor is not None:
            self._cursor.close()
        if self._proxy is not None:
            self._proxy.close()
        self._proxy = self._conn = self._cursor = None

    def _recover(self, conn: sqlite3.Connection) -> None:
        """Roll back what is left of a failed transaction; discard the connection if stuck."""
        if not conn.in_transaction:
            return  # SQLite already rolled the statement/transaction back
        try:
            conn.rollback()
        except sqlite3.Error:
            if self._proxy is not None:
                self._proxy.invalidate()
            self._proxy = self._conn = self._cursor = None
