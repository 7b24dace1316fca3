"""The autosave hot path: durable event appends on SQLite at (nearly) raw-driver cost.

One long-lived driver connection per store, one pre-compiled INSERT (compiled once from the
Core table, so the SQL cannot drift from the schema) and ``BEGIN IMMEDIATE`` / INSERT /
UPDATE / ``COMMIT``. With ``synchronous=FULL`` the COMMIT has synced the WAL before
:meth:`SqliteAutosave.append` returns. Measured (2,000 × 2 KB, WAL/FULL) at ≈1.1× a bare
``sqlite3`` loop at p50, versus ≈1.4× for Core ``Connection.execute`` on a held connection and
≈1.7× for a Core ``engine.begin()`` per event.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

from sqlalchemy import Engine, PoolProxiedConnection, bindparam, insert, update

from fieldapp.storage.db import translate
from fieldapp.storage.errors import StorageError
from fieldapp.storage.tables import events, interviews

#: (kind, question, revision, blob) - the per-event part of an append.
EventRow = tuple[str, str, int, bytes]

_INSERT_KEYS = ("interview_id", "kind", "question", "revision", "blob")


def _compile(engine: Engine) -> tuple[str, str]:
    """The driver SQL for the event INSERT and the updated_utc UPDATE, from the Core tables."""
    ins = insert(events).compile(dialect=engine.dialect, column_keys=list(_INSERT_KEYS))
    upd = (
        update(interviews)
        .where(interviews.c.id == bindparam("iid"))
        .values(updated_utc=bindparam("now"))
        .compile(dialect=engine.dialect)
    )
    if tuple(ins.positiontup or ()) != _INSERT_KEYS or list(upd.positiontup or ()) != [
        "now",
        "iid",
    ]:
        raise RuntimeError("unexpected parameter order in compiled autosave statements")
    return str(ins), str(upd)


class SqliteAutosave:
    """Appends events on one dedicated SQLite connection (thread-safe via :attr:`lock`)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._insert_sql, self._update_sql = _compile(engine)
        self.lock = threading.Lock()
        self._closed = False
        self._proxy: PoolProxiedConnection | None = None
        self._conn: sqlite3.Connection | None = None
        self._cursor: sqlite3.Cursor | None = None
        with self.lock:
            self.connection()

    def append(self, interview_id: str, rows: Sequence[EventRow], now: str) -> list[int]:
        """Insert ``rows`` and bump ``updated_utc`` in one durable transaction; return seqs."""
        seqs: list[int] = []
        with self.lock:
            conn = self.connection()
            cursor = self._cursor
            assert cursor is not None
            try:
                cursor.execute("BEGIN IMMEDIATE")
                for kind, question, revision, blob in rows:
                    cursor.execute(self._insert_sql, (interview_id, kind, question, revision, blob))
                    seqs.append(cursor.lastrowid)  # type: ignore[arg-type]
                cursor.execute(self._update_sql, (now, interview_id))
                cursor.execute("COMMIT")
            except sqlite3.Error as exc:
                self._recover(conn)
                if isinstance(exc, sqlite3.IntegrityError) and "FOREIGN KEY" in str(exc):
                    raise StorageError(f"interview {interview_id} not found") from exc
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
            raise StorageError("the store is closed")
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
