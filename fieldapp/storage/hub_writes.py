"""The hub's write transactions: applying a verified bundle, review decisions, conflict
resolution, questionnaires and return-bundle bookkeeping.

The rules of *what* may be written (verification, trust, who may decide what) live in
:mod:`fieldapp.sync`; it passes checks in as callables that raise its own errors, and they
run inside the transaction, so a refusal rolls everything back. Inputs are typed by
protocols, so storage needs nothing from the sync package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from fieldapp.clock import now_text
from fieldapp.crypto.encoding import b64d, b64e
from fieldapp.storage import db
from fieldapp.storage import hub_notes as notes
from fieldapp.storage.hub_batch import store_batched
from fieldapp.storage.hub_notes import note, stored
from fieldapp.storage.hub_rows import device_of, state_of
from fieldapp.storage.hub_sql import add_history, insert_ignore, lock_interview
from fieldapp.storage.hub_types import InterviewState, TrustedDevice
from fieldapp.storage.tables import (
    forms,
    hub_conflicts,
    hub_decisions,
    hub_devices,
    hub_interviews,
    hub_receipts,
    hub_records,
    hub_returns,
    meta,
)
from fieldapp.vocabulary import Decision, HistoryEvent, Status

PROJECT_KEY_META = "hub_project_public_key"
#: entries.jsonl of every imported bundle, for the central pull: ``meta`` rows keyed
#: ``RECEIPT_ENTRIES_META + bundle_id + "/" + 8-digit chunk number``, whole lines, ~256 KB each.
RECEIPT_ENTRIES_META = "receipt-entries/"

#: A newly received revision becomes the interview's current one (parameters b_*).
_SET_CURRENT = (update(hub_interviews)
                .where(hub_interviews.c.interview_id == bindparam("b_iid"))
                .values(record_id=bindparam("b_rid"), revision=bindparam("b_rev"),
                        status=bindparam("b_status"), device_id=bindparam("b_dev"),
                        updated_utc=bindparam("b_now")))


class DeviceLike(Protocol):
    """A device as a bundle registers it."""

    @property
    def device_id(self) -> str: ...
    @property
    def enumerator(self) -> str: ...
    @property
    def city(self) -> str: ...
    @property
    def key_id(self) -> str: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def signing_public_key(self) -> bytes: ...
    @property
    def dek_sealed_project(self) -> bytes: ...
    @property
    def project_public_key(self) -> bytes: ...
    @property
    def project_fingerprint(self) -> str: ...


class EntryLike(Protocol):
    """One sealed revision of a bundle."""

    @property
    def interview_id(self) -> str: ...
    @property
    def revision(self) -> int: ...
    @property
    def form_id(self) -> str: ...
    @property
    def form_version(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def sealed_utc(self) -> str: ...
    @property
    def day(self) -> str: ...
    @property
    def status(self) -> str: ...


@dataclass(frozen=True)
class IncomingBundle:
    """A verified device bundle, ready to apply."""

    bundle_id: str
    manifest_sha256: str
    source: str
    device: DeviceLike
    entry_count: int
    manifest: bytes
    signature: bytes


@dataclass(frozen=True)
class Applied:
    """What applying a bundle stored."""

    new: int
    conflicts: int
    trusted_now: bool


class AlreadyImported(Exception):
    """Another import of this bundle committed first (this transaction was rolled back)."""


class HubWrites:
    """Write transactions of :class:`~.hub_store.HubStore`."""

    engine: Engine

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with db.translated_errors(), self.engine.begin() as conn:
            yield conn

    # -- import -----------------------------------------------------------------------------

    def apply_bundle(self, bundle: IncomingBundle, *, trust: bool,
                     check_device: Callable[[TrustedDevice | None], None],
                     check_project: Callable[[bytes], None],
                     forms_in: Iterable[tuple[str, str, str, str, bytes]],
                     check_form: Callable[[str, str, str, str], None],
                     records: Iterable[tuple[EntryLike, bytes]],
                     entry_chunks: Iterable[bytes]) -> Applied:
        """Apply a verified bundle in ONE transaction (AlreadyImported if another import won).

        The receipt goes in first (``ON CONFLICT DO NOTHING``): of two processes importing one
        bundle, the second waits for the first and then finds it imported. ``forms_in`` are
        (form_id, version, title, sha256, content); ``check_form(form_id, version, sha256,
        held_sha256)`` and the other checks raise to refuse (rolling everything back).
        """
        now = now_text()
        reg = bundle.device
        with self._transaction() as conn:
            receipt = dict(bundle_id=bundle.bundle_id, manifest_sha256=bundle.manifest_sha256,
                           device_id=reg.device_id, source=bundle.source, imported_utc=now,
                           entry_count=bundle.entry_count, new_count=0,
                           manifest=bundle.manifest, signature=bundle.signature)
            if insert_ignore(conn, hub_receipts, ["bundle_id"], receipt,
                             hub_receipts.c.bundle_id).first() is None:
                raise AlreadyImported()
            trusted_now = self._ensure_device(conn, reg, trust, now, check_device)
            insert_ignore(conn, meta, ["key"], dict(key=PROJECT_KEY_META,
                                                    value=b64e(reg.project_public_key)))
            check_project(b64d(conn.execute(
                select(meta.c.value).where(meta.c.key == PROJECT_KEY_META)).scalar_one()))
            for form_id, version, title, sha, content in forms_in:
                insert_ignore(conn, forms, ["form_id", "version"], dict(
                    form_id=form_id, version=version, sha256=sha, title=title,
                    content=content, installed_utc=now))
                held = conn.execute(select(forms.c.sha256).where(
                    (forms.c.form_id == form_id) & (forms.c.version == version))).scalar_one()
                check_form(form_id, version, sha, held)
            # Entries come sorted, so row locks are always taken in the same order:
            # concurrent imports on PostgreSQL cannot deadlock. Interviews new to the hub
            # are stored a chunk at a time (hub_batch), the others one by one.
            new, conflicts = store_batched(conn, records, reg, bundle.bundle_id, now,
                                           _store_copy)
            for number, chunk in enumerate(entry_chunks):
                conn.execute(insert(meta).values(
                    key=f"{RECEIPT_ENTRIES_META}{bundle.bundle_id}/{number:08d}",
                    value=chunk.decode("utf-8")))
            conn.execute(update(hub_receipts).where(
                hub_receipts.c.bundle_id == bundle.bundle_id).values(new_count=new))
        return Applied(new, conflicts, trusted_now)

    @staticmethod
    def _ensure_device(conn: Connection, reg: DeviceLike, trust: bool, now: str,
                       check_device: Callable[[TrustedDevice | None], None]) -> bool:
        trusted_now = False
        if trust:
            trusted_now = insert_ignore(conn, hub_devices, ["device_id"], dict(
                device_id=reg.device_id, signing_public_key=reg.signing_public_key,
                fingerprint=reg.fingerprint, enumerator=reg.enumerator, city=reg.city,
                key_id=reg.key_id, dek_sealed_project=reg.dek_sealed_project,
                project_fingerprint=reg.project_fingerprint, trusted_utc=now),
                hub_devices.c.device_id).first() is not None
        row = conn.execute(select(hub_devices).where(
            hub_devices.c.device_id == reg.device_id)).one_or_none()
        check_device(None if row is None else device_of(row))
        return trusted_now

    # -- review -----------------------------------------------------------------------------

    def decide(self, interview_id: str, *, decision: str, result: Status,
               check: Callable[[InterviewState | None], None],
               seal_comment: Callable[[int], bytes | None], has_comment: bool
               ) -> None:
        """Record a decision on the interview's current revision and set its status.

        ``check`` refuses (raising) unless the locked interview may be decided on;
        ``seal_comment(revision)`` gives the sealed comment (or None).
        """
        now = now_text()
        with self._transaction() as conn:
            row = lock_interview(conn, interview_id)
            check(None if row is None else state_of(row))
            assert row is not None
            conn.execute(hub_decisions.insert().values(
                interview_id=interview_id, revision=row.revision, record_id=row.record_id,
                device_id=row.device_id, decision=decision,
                comment_sealed=seal_comment(row.revision), decided_utc=now))
            conn.execute(update(hub_interviews).where(
                hub_interviews.c.interview_id == interview_id).values(status=result,
                                                                      updated_utc=now))
            add_history(conn, interview_id, row.revision, row.record_id, result,
                        stored(note(notes.WITH_COMMENT)) if has_comment else "", now)

    def resolve_conflict(self, interview_id: str, keep: int, reason: str,
                         check: Callable[[bool, set[int]], None]) -> None:
        """Close every open conflict of an interview by keeping record ``keep``.

        ``check(has_open_conflict, candidate_record_ids)`` refuses by raising.
        """
        now = now_text()
        c, r = hub_conflicts, hub_records
        with self._transaction() as conn:
            row = lock_interview(conn, interview_id)
            open_rows = conn.execute(select(c).where((c.c.interview_id == interview_id)
                                                     & c.c.resolved_utc.is_(None))).all()
            candidates = {x.record_a for x in open_rows} | {x.record_b for x in open_rows}
            check(row is not None and bool(open_rows), candidates)
            kept = conn.execute(select(r.c.revision, r.c.device_id).where(r.c.id == keep)).one()
            conn.execute(update(c).where((c.c.interview_id == interview_id)
                                         & c.c.resolved_utc.is_(None))
                         .values(resolved_utc=now, kept=keep, resolution=reason))
            conn.execute(update(hub_interviews).where(
                hub_interviews.c.interview_id == interview_id).values(
                status=Status.FINALISED, record_id=keep, revision=kept.revision,
                device_id=kept.device_id, updated_utc=now))
            add_history(conn, interview_id, kept.revision, keep, HistoryEvent.RESOLVED,
                        stored(note(notes.KEPT, record=keep, reason=reason)), now)

    # -- questionnaires and return bundles ----------------------------------------------------

    def add_form(self, *, form_id: str, version: str, title: str, sha256: str,
                 content: bytes) -> str:
        """Add a questionnaire version unless held; returns the sha256 the hub now holds."""
        with self._transaction() as conn:
            insert_ignore(conn, forms, ["form_id", "version"], dict(
                form_id=form_id, version=version, sha256=sha256, title=title,
                content=content, installed_utc=now_text()))
            return str(conn.execute(select(forms.c.sha256).where(
                (forms.c.form_id == form_id) & (forms.c.version == version))).scalar_one())

    def record_return_bundle(self, *, bundle_id: str, device_id: str, created: str,
                             ack_upto: int, file_name: str, decision_count: int,
                             decisions: Iterable[Any]) -> None:
        """A return bundle was written: mark its decisions returned, with history lines."""
        with self._transaction() as conn:
            conn.execute(hub_returns.insert().values(
                bundle_id=bundle_id, device_id=device_id, created_utc=created,
                ack_upto=ack_upto, decision_count=decision_count, file_name=file_name))
            for d in decisions:
                conn.execute(update(hub_decisions).where(hub_decisions.c.id == d.id)
                             .values(return_bundle_id=bundle_id))
                sent = (notes.APPROVAL_SENT if d.decision == Decision.APPROVE
                        else notes.SEND_BACK_SENT)
                add_history(conn, d.interview_id, d.revision, d.record_id, HistoryEvent.RETURNED,
                            stored(note(sent, file=file_name)), created)


def _store_copy(conn: Connection, entry: EntryLike, blob: bytes, reg: DeviceLike,
                bundle_id: str, now: str) -> tuple[bool, bool]:
    """Store one received revision unless held already; return (stored, made a conflict).

    The interview's hub row is locked first - created by this transaction (a new row is
    locked until commit) or ``SELECT … FOR UPDATE`` - so twins of one revision arriving in
    concurrent imports are always compared with each other.
    """
    created = insert_ignore(conn, hub_interviews, ["interview_id"], dict(
        interview_id=entry.interview_id, status=entry.status, revision=entry.revision,
        record_id=None, device_id=reg.device_id, updated_utc=now),
        hub_interviews.c.interview_id).first() is not None
    row = None if created else lock_interview(conn, entry.interview_id)
    record_id = insert_ignore(conn, hub_records, ["interview_id", "revision", "sha256"], dict(
        interview_id=entry.interview_id, revision=entry.revision, sha256=entry.sha256,
        device_id=reg.device_id, form_id=entry.form_id, form_version=entry.form_version,
        sealed_blob=blob, sealed_utc=entry.sealed_utc, day=entry.day, received_utc=now,
        bundle_id=bundle_id), hub_records.c.id).scalar_one_or_none()
    if record_id is None:
        return False, False
    return True, place_copy(conn, record_id, entry, reg, bundle_id, now, row)


def place_copy(conn: Connection, record_id: int, entry: EntryLike, reg: DeviceLike,
               bundle_id: str, now: str, row: Any) -> bool:
    """Decide what a newly stored copy means for its (locked) interview row.

    Never last-writer-wins: a second version of a revision, or a revision from another
    device, becomes a conflict (both kept). ``row`` is None for an interview first seen in
    this transaction. Returns True when the copy was flagged as a conflict.
    """
    iid, rev = entry.interview_id, entry.revision
    where = note(notes.RECEIVED, device=reg.device_id[:8], enumerator=reg.enumerator,
                 bundle=bundle_id[:8])
    i = hub_interviews
    current = {"b_iid": iid, "b_rid": record_id, "b_rev": rev, "b_dev": reg.device_id,
               "b_now": now, "b_status": entry.status}
    if row is None or row.record_id is None:
        conn.execute(_SET_CURRENT, current)
        add_history(conn, iid, rev, record_id, HistoryEvent.RECEIVED, stored(where), now)
        return False
    r = hub_records
    twins = conn.execute(select(r.c.id, r.c.device_id).where(
        (r.c.interview_id == iid) & (r.c.revision == rev) & (r.c.id != record_id))).all()
    others = [t.id for t in twins] or [row.record_id]
    devices = sorted(({t.device_id for t in twins} | {row.device_id}) - {reg.device_id})
    pair = {"a": devices[0][:8], "b": reg.device_id[:8]} if devices else {}
    if twins:
        reason = note(notes.TWICE_TWO, revision=rev, **pair) if pair \
            else note(notes.TWICE, revision=rev)
    elif pair:
        reason = note(notes.EDITED_TWO, **pair)
    elif row.status == Status.CONFLICT:
        reason = note(notes.IN_CONFLICT, revision=rev)
    elif rev < row.revision:
        add_history(conn, iid, rev, record_id, HistoryEvent.RECEIVED,
                    stored(note(notes.OLDER, where=where, current=row.revision)), now)
        return False
    elif row.status == Status.APPROVED:
        reason = note(notes.AFTER_APPROVAL, revision=rev, approved=row.revision)
    else:
        conn.execute(_SET_CURRENT, current)
        add_history(conn, iid, rev, record_id, HistoryEvent.RECEIVED, stored(where), now)
        return False
    for other in others:
        conn.execute(hub_conflicts.insert().values(
            interview_id=iid, revision=rev, record_a=other, record_b=record_id,
            reason=stored(reason),
            detected_utc=now))
    conn.execute(update(i).where(i.c.interview_id == iid).values(status=Status.CONFLICT,
                                                                 updated_utc=now))
    add_history(conn, iid, rev, record_id, HistoryEvent.CONFLICT,
                stored(note(notes.CONFLICT, where=where, reason=reason)), now)
    return True
