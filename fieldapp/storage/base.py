"""StoreBase: closing, transactions, settings and SQLite maintenance shared by the stores."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, Row, insert, select, update

from fieldapp.i18n import N_
from fieldapp.storage import db
from fieldapp.storage.autosave import SqliteAutosave
from fieldapp.storage.errors import StorageError
from fieldapp.storage.tables import interviews, meta


class StoreBase:
    """Engine lifecycle and transaction helpers shared by :class:`~.store.Store` (a device)
    and :class:`~.hub_store.HubStore` (a supervisor's hub)."""

    def __init__(self, engine: Engine, *, autosave: bool = True, read_only: bool = False
                 ) -> None:
        """Wrap an already migrated engine; use the subclasses' ``open``."""
        self.engine = engine
        self.read_only = read_only
        self._read = engine.execution_options(sqlite_begin="DEFERRED")
        self._autosave = (SqliteAutosave(engine) if autosave and engine.dialect.name == "sqlite"
                          and not read_only else None)

    def close(self) -> None:
        """Release every connection (idempotent)."""
        if self._autosave is not None:
            self._autosave.close()
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()

    # -- settings and maintenance -------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """A small setting (device_id, last_sync, …) or None."""
        value = self._scalar(select(meta.c.value).where(meta.c.key == key))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        """Insert or replace a setting."""
        with self._write() as conn:
            if not conn.execute(update(meta).where(meta.c.key == key).values(value=value)).rowcount:
                conn.execute(insert(meta).values(key=key, value=value))

    def integrity_check(self) -> str:
        """SQLite ``PRAGMA integrity_check``: 'ok', or the problems found, one per line."""
        return "\n".join(str(r[0]) for r in self._maintenance("PRAGMA integrity_check"))

    def checkpoint(self) -> bool:
        """Fold the WAL into the database file and truncate it; True if fully done."""
        return bool(self._maintenance("PRAGMA wal_checkpoint(TRUNCATE)")[0][0] == 0)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE on SQLite), database errors translated."""
        with db.translated_errors(), self.engine.begin() as conn:
            yield conn

    def _rows(self, stmt: Any) -> Sequence[Row[Any]]:
        with db.translated_errors(), self._read.connect() as conn:
            return conn.execute(stmt).all()

    def _scalar(self, stmt: Any) -> Any:
        with db.translated_errors(), self._read.connect() as conn:
            return conn.execute(stmt).scalar_one_or_none()

    @staticmethod
    def _require_interview(conn: Connection, interview_id: str) -> int:
        """The interview's revision; StorageError naming the id if absent."""
        stmt = select(interviews.c.revision).where(interviews.c.id == interview_id)
        revision = conn.execute(stmt).scalar_one_or_none()
        if revision is None:
            raise StorageError(N_("interview {interview_id} not found"),
                               code="base.interview-not-found", interview_id=interview_id)
        return int(revision)

    def _maintenance(self, pragma: str) -> list[tuple[Any, ...]]:
        if self.engine.dialect.name != "sqlite":
            raise StorageError(N_("{pragma} is only available for a local SQLite store"),
                               code="base.available-local-sqlite-store", pragma=pragma)
        if self._autosave is None:  # read-only store
            with db.translated_errors(), self._read.connect() as reader:
                return [tuple(r) for r in reader.exec_driver_sql(pragma).fetchall()]
        with self._autosave.lock:
            conn = self._autosave.connection()
            with db.translated_errors():
                return conn.execute(pragma).fetchall()
