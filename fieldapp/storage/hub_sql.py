"""Small SQL helpers of the hub's write transactions: race-safe inserts, row locks, history.

Statements are built once and executed with parameters: building a fresh ``insert().values()``
per row costs more than the database round trip when a bundle holds thousands of records.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, CursorResult, Table, bindparam, insert, select

from fieldapp.storage.tables import hub_history, hub_interviews


@lru_cache(maxsize=64)
def _insert_ignore_stmt(dialect: str, table: Table, keys: tuple[str, ...],
                        returning: Any) -> Any:
    stmt: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table)
    stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
    return stmt if returning is None else stmt.returning(returning)


def insert_ignore(conn: Connection, table: Table, keys: list[str], values: dict[str, Any],
                  returning: Any = None) -> CursorResult[Any]:
    """``INSERT … ON CONFLICT (keys) DO NOTHING`` (PostgreSQL and SQLite dialect inserts).

    Race-safe: of two concurrent inserts of one key, one wins and the other waits for it
    and then does nothing (unlike "select, then insert if absent").
    """
    stmt = _insert_ignore_stmt(conn.dialect.name, table, tuple(keys), returning)
    return conn.execute(stmt, values)


_LOCK = select(hub_interviews).where(
    hub_interviews.c.interview_id == bindparam("iid")).with_for_update()
_HISTORY = insert(hub_history)


def lock_interview(conn: Connection, interview_id: str) -> Any:
    """The interview's hub row, locked for this transaction (FOR UPDATE; SQLite: db lock)."""
    return conn.execute(_LOCK, {"iid": interview_id}).one_or_none()


def add_history(conn: Connection, interview_id: str, revision: int, record_id: int | None,
                event: str, detail: str, now: str) -> None:
    """Append one history line (no answer content, no comment text)."""
    conn.execute(_HISTORY, dict(interview_id=interview_id, revision=revision,
                                record_id=record_id, event=event, detail=detail, at_utc=now))
