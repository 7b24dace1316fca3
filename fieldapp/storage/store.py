"""Store: the only storage API the rest of fieldapp uses.

It keeps opaque encrypted blobs and plaintext bookkeeping; it never sees answers and never
does crypto. Every method is one transaction and returns frozen records from
:mod:`fieldapp.storage.device_types`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Final, NamedTuple

from sqlalchemy import Row, delete, func, insert, select, update

from fieldapp.clock import now_text, parse_utc, utc_text
from fieldapp.i18n import N_
from fieldapp.storage import db
from fieldapp.storage.autosave import Blob, EventRow, stale
from fieldapp.storage.base import StoreBase
from fieldapp.storage.device_types import (
    InstalledForm,
    InterviewInfo,
    SealedRevision,
    StoredEvent,
)
from fieldapp.storage.errors import NeedsUpgrade, StorageError
from fieldapp.storage.migrate import HEAD_REVISION, current_revision, migrate
from fieldapp.storage.tables import events as event_table
from fieldapp.storage.tables import forms, interviews, sealed
from fieldapp.vocabulary import DEVICE_STATUSES, EventKind, Status

KEEP: Final[Any] = object()  # set_status(note_blob=KEEP) leaves the note unchanged
_EVENT_KINDS: Final = frozenset(EventKind)
_STATUSES: Final = frozenset(DEVICE_STATUSES)


class Store(StoreBase):
    """A device's durable storage of encrypted interviews (SQLite).

    Open with :meth:`Store.open`; use as a context manager or call :meth:`close`. Safe to
    share between threads.
    """

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Store:
        """Open (creating if needed) the SQLite store at ``path`` and migrate it to head.

        ``read_only``: open an existing store that SQLite itself keeps from being written
        (:class:`~.errors.NeedsUpgrade` if it is not at the current schema).
        """
        path = Path(path)
        if read_only:
            return cls._open_read_only(path)
        engine = db.open_engine(path)  # refuses network filesystems before touching disk
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not path.exists():  # owner-only; SQLite gives -wal/-shm the same mode
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            migrate(engine)
            return cls(engine)
        except OSError as exc:
            engine.dispose()
            raise StorageError(N_("{file}: cannot create the database ({strerror})"),
                               code="store.cannot-create-database", file=path,
                               strerror=exc.strerror) from exc
        except BaseException:
            engine.dispose()
            raise

    @classmethod
    def _open_read_only(cls, path: Path) -> Store:
        if not path.is_file():
            raise StorageError(N_("{file}: no database here"),
                               code="store.no-database-here", file=path)
        engine = db.open_engine(path, read_only=True)
        try:
            with db.translated_errors():
                if current_revision(engine) != HEAD_REVISION:
                    raise NeedsUpgrade(path)
            return cls(engine, read_only=True)
        except BaseException:
            engine.dispose()
            raise

    # -- forms ------------------------------------------------------------------------------

    def install_form(self, *, form_id: str, version: str, title: str, content: bytes) -> bool:
        """Install a questionnaire version; False if already installed with the same bytes."""
        digest = hashlib.sha256(content).hexdigest()
        key = (forms.c.form_id == form_id) & (forms.c.version == version)
        with self._write() as conn:
            existing = conn.execute(select(forms.c.sha256).where(key)).scalar_one_or_none()
            if existing is None:
                conn.execute(
                    insert(forms).values(
                        form_id=form_id,
                        version=version,
                        sha256=digest,
                        title=title,
                        content=content,
                        installed_utc=now_text(),
                    )
                )
                return True
        if existing != digest:
            raise StorageError(
                N_("form {form_id} v{version} already installed with different content"),
                code="store.form-already-installed-different", form_id=form_id, version=version
            )
        return False

    def form_content(self, form_id: str, version: str) -> bytes:
        """The questionnaire bytes of an installed form version."""
        key = (forms.c.form_id == form_id) & (forms.c.version == version)
        content = self._scalar(select(forms.c.content).where(key))
        if content is None:
            raise StorageError(N_("form {form_id} v{version} is not installed"),
                               code="store.form-not-installed", form_id=form_id, version=version)
        return bytes(content)

    def list_forms(self) -> list[InstalledForm]:
        """Installed forms, by id then version."""
        cols = [
            forms.c.form_id,
            forms.c.version,
            forms.c.sha256,
            forms.c.title,
            forms.c.installed_utc,
        ]
        rows = self._rows(select(*cols).order_by(forms.c.form_id, forms.c.version))
        return [
            InstalledForm(r.form_id, r.version, r.sha256, r.title, parse_utc(r.installed_utc))
            for r in rows
        ]

    # -- interviews and events ----------------------------------------------------------------

    def create_interview(
        self,
        *,
        interview_id: str,
        form_id: str,
        form_version: str,
        key_id: str,
        created_utc: datetime,
    ) -> InterviewInfo:
        """Create a draft interview at revision 1."""
        created = utc_text(created_utc)
        values = dict(
            id=interview_id,
            form_id=form_id,
            form_version=form_version,
            status=Status.DRAFT,
            revision=1,
            key_id=key_id,
            created_utc=created,
            updated_utc=created,
        )
        with self._write() as conn:
            if conn.execute(select(interviews.c.id).where(interviews.c.id == interview_id)).first():
                raise StorageError(N_("interview {interview_id} already exists"),
                                   code="store.interview-already-exists",
                                   interview_id=interview_id)
            conn.execute(insert(interviews).values(**values))
        return self.interview(interview_id)

    def append_event(
        self, *, interview_id: str, kind: str, question: str, revision: int, blob: Blob
    ) -> int:
        """Durably append one event (committed before returning); return its seq."""
        return self.append_events(
            interview_id=interview_id, events=[(kind, question, revision, blob)]
        )[0]

    def append_events(self, *, interview_id: str, events: Sequence[EventRow]) -> list[int]:
        """Durably append (kind, question, revision, blob) events in ONE transaction.

        The store gives them the next positions in the interview inside that transaction; a
        callable ``blob`` receives its position (the encryption AAD binds it). The interview
        must be a draft at ``revision`` (else :class:`~.errors.StaleInterview`).
        """
        for event in events:
            if event[0] not in _EVENT_KINDS:
                raise ValueError(f"unknown event kind {event[0]!r}")
        if not events:
            return []
        if self._autosave is None:
            raise StorageError(N_("this store was opened read-only"),
                               code="store.store-opened-read")
        return self._autosave.append(interview_id, events, now_text())

    def events(self, interview_id: str) -> list[StoredEvent]:
        """Every stored event of an interview, in seq order."""
        c = event_table.c
        stmt = (
            select(c.seq, c.kind, c.question, c.revision, c.blob, c.position)
            .where(c.interview_id == interview_id)
            .order_by(c.position)
        )
        with db.translated_errors(), self._read.connect() as conn:
            self._require_interview(conn, interview_id)
            rows = conn.execute(stmt).all()
        return [StoredEvent(r[0], interview_id, EventKind(r[1]), r[2], r[3], bytes(r[4]), r[5])
                for r in rows]

    def interview(self, interview_id: str) -> InterviewInfo:
        """One interview's bookkeeping (StorageError if there is no such interview)."""
        rows = self._rows(select(interviews).where(interviews.c.id == interview_id))
        if not rows:
            raise StorageError(N_("interview {interview_id} not found"),
                               code="store.interview-not-found", interview_id=interview_id)
        return _interview(rows[0])

    def list_interviews(self, status: str | None = None) -> list[InterviewInfo]:
        """Interviews (optionally only one status), oldest first."""
        stmt = select(interviews).order_by(interviews.c.created_utc, interviews.c.id)
        if status is not None:
            stmt = stmt.where(interviews.c.status == status)
        return [_interview(r) for r in self._rows(stmt)]

    def set_status(
        self, interview_id: str, *, status: Status, revision: int, note_blob: bytes | None = KEEP
    ) -> None:
        """Set status and revision (never backwards); ``note_blob`` replaces the note."""
        if status not in _STATUSES:
            raise ValueError(f"unknown interview status {status!r}")
        values: dict[str, Any] = dict(status=status, revision=revision, updated_utc=now_text())
        if note_blob is not KEEP:
            values["note_blob"] = note_blob
        with self._write() as conn:
            current = self._require_interview(conn, interview_id)
            if revision < current:
                raise StorageError(
                    N_("interview {interview_id} is at revision {current}; refusing to go back to "
                       "revision {revision}"),
                    code="store.interview-revision-refusing-go", interview_id=interview_id,
                    current=current, revision=revision
                )
            conn.execute(update(interviews).where(interviews.c.id == interview_id).values(**values))

    # -- sealing and sync bookkeeping ---------------------------------------------------------

    def seal_interview(
        self,
        *,
        interview_id: str,
        revision: int,
        sealed_blob: bytes,
        sha256: str,
        sealed_utc: datetime,
        status: Status = Status.FINALISED,
    ) -> None:
        """Store the sealed copy, delete the interview's events and mark it ``status``
        (finalised, or discarded): ONE transaction. The interview must be a draft at
        ``revision`` (else :class:`~.errors.StaleInterview`)."""
        if status not in (Status.FINALISED, Status.DISCARDED):
            raise ValueError(f"a sealed interview is finalised or discarded, not {status!r}")
        when = utc_text(sealed_utc)
        c = interviews.c
        with self._write() as conn:
            if conn.execute(
                select(sealed.c.revision).where(_sealed_key(interview_id, revision))
            ).first():
                raise StorageError(
                    N_("interview {interview_id} revision {revision} is already sealed"),
                    code="store.interview-revision-already-sealed", interview_id=interview_id,
                    revision=revision
                )
            found = conn.execute(
                select(c.status, c.revision).where(c.id == interview_id)
            ).one_or_none()
            if found is None or (found.status, found.revision) != (Status.DRAFT, revision):
                raise stale(interview_id, None if found is None else tuple(found), revision)
            conn.execute(
                insert(sealed).values(
                    interview_id=interview_id,
                    revision=revision,
                    sealed_blob=sealed_blob,
                    sha256=sha256,
                    sealed_utc=when,
                )
            )
            conn.execute(delete(event_table).where(event_table.c.interview_id == interview_id))
            conn.execute(
                update(interviews)
                .where(c.id == interview_id)
                .values(status=status, revision=revision, updated_utc=when)
            )

    def sealed_records(
        self, interview_id: str | None = None, only_unacked: bool = False
    ) -> list[SealedRevision]:
        """Sealed revisions (optionally of one interview / not yet acknowledged)."""
        stmt = select(sealed).order_by(
            sealed.c.sealed_utc, sealed.c.interview_id, sealed.c.revision
        )
        if interview_id is not None:
            stmt = stmt.where(sealed.c.interview_id == interview_id)
        if only_unacked:
            stmt = stmt.where(sealed.c.acked.is_(False))
        return [
            SealedRevision(
                r.interview_id,
                r.revision,
                bytes(r.sealed_blob),
                r.sha256,
                parse_utc(r.sealed_utc),
                r.sent_bundle_id,
                bool(r.acked),
            )
            for r in self._rows(stmt)
        ]

    def mark_sent(self, *, bundle_id: str, entries: Iterable[tuple[str, int]]) -> None:
        """Record that these (interview_id, revision) seals went out in ``bundle_id``."""
        with self._write() as conn:
            for interview_id, revision in entries:
                done = conn.execute(
                    update(sealed)
                    .where(_sealed_key(interview_id, revision))
                    .values(sent_bundle_id=bundle_id)
                ).rowcount
                if done != 1:
                    raise StorageError(
                        N_("interview {interview_id} revision {revision} has "
                                  "no sealed copy"),
                        code="store.interview-revision-no-sealed-2", interview_id=interview_id,
                        revision=revision
                    )

    def mark_acked(self, *, entries: Iterable[tuple[str, int]]) -> int:
        """Record the hub's acknowledgement; returns how many seals were newly acknowledged."""
        count = 0
        with self._write() as conn:
            for interview_id, revision in entries:
                count += conn.execute(
                    update(sealed)
                    .where(_sealed_key(interview_id, revision) & sealed.c.acked.is_(False))
                    .values(acked=True)
                ).rowcount
        return count

    # -- sync (device side): stream sealed records, re-open a sent-back interview --------------

    def sealed_index(self, *, only_unacked: bool = False) -> list[SealedEntry]:
        """Sealed revisions without their blobs, oldest first (bundles stream the blobs)."""
        s, i = sealed, interviews
        stmt = (
            select(
                s.c.interview_id,
                s.c.revision,
                s.c.sha256,
                func.length(s.c.sealed_blob).label("size"),
                s.c.sealed_utc,
                i.c.form_id,
                i.c.form_version,
                s.c.acked,
                i.c.status,
                i.c.revision.label("current"),
            )
            .join(i, i.c.id == s.c.interview_id)
            .order_by(s.c.sealed_utc, s.c.interview_id, s.c.revision)
        )
        if only_unacked:
            stmt = stmt.where(s.c.acked.is_(False))
        return [
            SealedEntry(
                r.interview_id,
                r.revision,
                r.sha256,
                int(r.size),
                parse_utc(r.sealed_utc),
                r.form_id,
                r.form_version,
                bool(r.acked),
                Status.DISCARDED if (r.status, r.current) == (Status.DISCARDED, r.revision)
                else Status.FINALISED,
            )
            for r in self._rows(stmt)
        ]

    def sealed_blob(self, interview_id: str, revision: int) -> bytes:
        """The sealed bytes of one revision."""
        blob = self._scalar(select(sealed.c.sealed_blob).where(_sealed_key(interview_id, revision)))
        if blob is None:
            raise StorageError(N_("interview {interview_id} revision {revision} has no "
                                  "sealed copy"),
                               code="store.interview-revision-no-sealed", interview_id=interview_id,
                               revision=revision)
        return bytes(blob)

    def reopen_interview(
        self,
        *,
        interview_id: str,
        from_revision: int,
        revision: int,
        events: Sequence[EventRow],
        note_blob: bytes | None,
    ) -> None:
        """Sent back: a finalised interview becomes a draft of ``revision`` with ``events``.

        ONE transaction: the restored events, the new revision and the (encrypted) supervisor
        note appear together or not at all.
        """
        c = interviews.c
        with self._write() as conn:
            row = conn.execute(
                select(c.status, c.revision).where(c.id == interview_id)
            ).one_or_none()
            if row is None:
                raise StorageError(N_("interview {interview_id} not found"),
                                   code="store.interview-not-found-2", interview_id=interview_id)
            if row.revision != from_revision or row.status not in (Status.FINALISED,
                                                                   Status.SENT_BACK):
                raise StorageError(
                    N_("interview {interview_id} is {status} at revision {revision}; cannot "
                       "re-open revision {from_revision}"),
                    code="store.interview-revision-cannot-re", interview_id=interview_id,
                    status=row.status, revision=row.revision, from_revision=from_revision
                )
            leftover = conn.execute(
                select(func.count()).where(event_table.c.interview_id == interview_id)
            ).scalar_one()
            if leftover or revision <= from_revision:
                raise StorageError(N_("interview {interview_id} cannot be re-opened as a draft"),
                                   code="store.interview-cannot-re-opened",
                                   interview_id=interview_id)
            for position, (kind, question, rev, blob) in enumerate(events, start=1):
                conn.execute(
                    insert(event_table).values(
                        interview_id=interview_id,
                        kind=kind,
                        question=question,
                        revision=rev,
                        blob=blob(position) if callable(blob) else blob,
                        position=position,
                    )
                )
            conn.execute(
                update(interviews)
                .where(c.id == interview_id)
                .values(
                    status=Status.DRAFT,
                    revision=revision,
                    note_blob=note_blob,
                    updated_utc=now_text(),
                )
            )

    # -- internals ------------------------------------------------------------------------------


def _interview(r: Row[Any]) -> InterviewInfo:
    return InterviewInfo(
        r.id,
        r.form_id,
        r.form_version,
        Status(r.status),
        r.revision,
        r.key_id,
        parse_utc(r.created_utc),
        parse_utc(r.updated_utc),
        None if r.note_blob is None else bytes(r.note_blob),
    )


def _sealed_key(interview_id: str, revision: int) -> Any:
    return (sealed.c.interview_id == interview_id) & (sealed.c.revision == revision)


class SealedEntry(NamedTuple):
    """A sealed revision's bookkeeping, without the blob (see :meth:`Store.sealed_index`)."""

    interview_id: str
    revision: int
    sha256: str
    size: int
    sealed_utc: datetime
    form_id: str
    form_version: str
    acked: bool
    status: Status = Status.FINALISED  # or DISCARDED: this revision was sealed as a discard
