"""Storing a bundle's records in batches: a few statements per chunk, not four per record.

Used inside :meth:`~.hub_writes.HubWrites.apply_bundle`'s one transaction, so an import is
still all-or-nothing. Records come sorted by (interview id, revision) and are taken in
chunks (at most :data:`CHUNK` records or :data:`CHUNK_BYTES` of sealed bytes, so memory stays
bounded whatever the bundle's size). Within a chunk:

* one ``SELECT`` finds the interviews the hub already holds (or that this import stored in an
  earlier chunk); every record of such an interview goes through the per-record path
  (``one``: row lock, insert, conflict rules), unchanged and in entry order;
* the records of interviews the hub has never seen are stored with four statements for the
  whole run of them: the interview rows (``INSERT … ON CONFLICT DO NOTHING RETURNING``), the
  records (same, returning their ids), the interviews' current revision (executemany) and
  one "received" history line per stored record (executemany). For an interview first seen
  here the per-record rules always give exactly that: no conflict is possible, each stored
  revision is "received", and the last stored one becomes current (entries are sorted).
* a run listing one revision twice (verification refuses such bundles) goes through the
  per-record path whole;
* an interview another import created between that ``SELECT`` and the insert (PostgreSQL,
  concurrent imports) is not created here: its records go through the per-record path after
  the run, with its row lock, so twins are still compared with each other.

Runs are processed in entry order, so row locks are still taken in sorted order (apart from
that rare race, which PostgreSQL's deadlock detector would turn into a rolled-back import).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from fieldapp.storage import hub_notes
from fieldapp.storage.tables import hub_history, hub_interviews, hub_records
from fieldapp.vocabulary import HistoryEvent

CHUNK = 500
CHUNK_BYTES = 8 * 1024 * 1024


#: (conn, entry, blob, device, bundle_id, now) → (stored, made a conflict)
StoreOne = Callable[[Connection, Any, bytes, Any, str, str], tuple[bool, bool]]

_HELD = select(hub_interviews.c.interview_id).where(
    hub_interviews.c.interview_id.in_(bindparam("ids", expanding=True)))
_SET_CURRENT = (update(hub_interviews)
                .where(hub_interviews.c.interview_id == bindparam("b_iid"))
                .values(record_id=bindparam("b_rid"), revision=bindparam("b_rev"),
                        status=bindparam("b_status"), device_id=bindparam("b_dev"),
                        updated_utc=bindparam("b_now")))
_HISTORY = insert(hub_history)


@lru_cache(maxsize=8)
def _insert_new(dialect: str, records: bool) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING`` for interviews or records."""
    table = hub_records if records else hub_interviews
    stmt: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table)
    if records:
        r = hub_records
        return (stmt.on_conflict_do_nothing(index_elements=["interview_id", "revision", "sha256"])
                .returning(r.c.id, r.c.interview_id, r.c.revision, r.c.sha256))
    return (stmt.on_conflict_do_nothing(index_elements=["interview_id"])
            .returning(hub_interviews.c.interview_id))


def chunks(records: Iterable[tuple[Any, bytes]]) -> Iterator[list[tuple[Any, bytes]]]:
    """Records in bounded chunks (count and sealed bytes)."""
    chunk: list[tuple[Any, bytes]] = []
    size = 0
    for item in records:
        chunk.append(item)
        size += len(item[1])
        if len(chunk) >= CHUNK or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def store_batched(conn: Connection, records: Iterable[tuple[Any, bytes]], reg: Any,
                  bundle_id: str, now: str, one: StoreOne) -> tuple[int, int]:
    """Store every record (sorted); returns (new copies stored, conflicts made)."""
    new = conflicts = 0
    for chunk in chunks(records):
        held = set(conn.execute(_HELD, {"ids": sorted({e.interview_id for e, _ in chunk})})
                   .scalars())
        run: list[tuple[Any, bytes]] = []
        for entry, blob in chunk:
            if entry.interview_id in held:
                stored, conflict = _store_run(conn, run, reg, bundle_id, now, one)
                run = []
                one_stored, one_conflict = one(conn, entry, blob, reg, bundle_id, now)
                new += stored + one_stored
                conflicts += conflict + one_conflict
            else:
                run.append((entry, blob))
        stored, conflict = _store_run(conn, run, reg, bundle_id, now, one)
        new += stored
        conflicts += conflict
    return new, conflicts


def _store_run(conn: Connection, run: list[tuple[Any, bytes]], reg: Any, bundle_id: str,
               now: str, one: StoreOne) -> tuple[int, int]:
    """Store a run of records of interviews the hub did not hold: (stored, conflicts)."""
    if not run:
        return 0, 0
    if len({(e.interview_id, e.revision) for e, _ in run}) < len(run):
        # a revision listed twice (verification refuses such a bundle; storage does not
        # rely on it): the per-record rules decide, as for any other doubt
        return _one_by_one(conn, run, reg, bundle_id, now, one)
    dialect = conn.dialect.name
    firsts: dict[str, Any] = {}
    for entry, _ in run:
        firsts.setdefault(entry.interview_id, entry)
    created = set(conn.execute(_insert_new(dialect, False), [
        dict(interview_id=e.interview_id, status=e.status, revision=e.revision, record_id=None,
             device_id=reg.device_id, updated_utc=now) for e in firsts.values()]).scalars())
    mine = [(e, b) for e, b in run if e.interview_id in created]
    ids: dict[tuple[str, int, str], int] = {}
    if mine:
        ids = {(row.interview_id, row.revision, row.sha256): row.id
               for row in conn.execute(_insert_new(dialect, True), [
                   dict(interview_id=e.interview_id, revision=e.revision, sha256=e.sha256,
                        device_id=reg.device_id, form_id=e.form_id,
                        form_version=e.form_version, sealed_blob=b, sealed_utc=e.sealed_utc,
                        day=e.day, received_utc=now, bundle_id=bundle_id)
                   for e, b in mine])}
    stored = [(e, ids[(e.interview_id, e.revision, e.sha256)]) for e, _ in mine
              if (e.interview_id, e.revision, e.sha256) in ids]
    if stored:
        current = {e.interview_id: (e, rid) for e, rid in stored}  # sorted: the last wins
        conn.execute(_SET_CURRENT, [
            {"b_iid": iid, "b_rid": rid, "b_rev": e.revision, "b_status": e.status,
             "b_dev": reg.device_id, "b_now": now} for iid, (e, rid) in current.items()])
        where = hub_notes.stored(hub_notes.note(
            hub_notes.RECEIVED, device=reg.device_id[:8], enumerator=reg.enumerator,
            bundle=bundle_id[:8]))  # as the per-record rules write it
        conn.execute(_HISTORY, [
            dict(interview_id=e.interview_id, revision=e.revision, record_id=rid,
                 event=HistoryEvent.RECEIVED, detail=where, at_utc=now) for e, rid in stored])
    # created meanwhile by another import: the per-record rules
    count, conflicts = _one_by_one(conn, [(e, b) for e, b in run
                                          if e.interview_id not in created],
                                   reg, bundle_id, now, one)
    return count + len(stored), conflicts


def _one_by_one(conn: Connection, records: list[tuple[Any, bytes]], reg: Any,
                bundle_id: str, now: str, one: StoreOne) -> tuple[int, int]:
    count = conflicts = 0
    for entry, blob in records:
        stored, conflict = one(conn, entry, blob, reg, bundle_id, now)
        count += stored
        conflicts += conflict
    return count, conflicts
