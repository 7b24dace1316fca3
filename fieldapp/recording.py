"""An interview being recorded: the engine plus durable, encrypted autosave of every change.

Every event (answer, page shown, language switch, suspend/resume, repeat change) is
encrypted with the device data key and committed before the call returns. Its AAD
binds form, interview, question, revision, key id and the event's position in the
interview, so a ciphertext cannot be moved, swapped or replayed unnoticed.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldapp.clock import local_zone_name, utc_now
from fieldapp.crypto import decrypt_blob, encrypt_blob, seal
from fieldapp.crypto.errors import CryptoError, TamperedData
from fieldapp.errors import FieldAppError
from fieldapp.formats import (
    NOTE_AAD_QUESTION,
    SEALED_FORMAT,
    event_aad_question,
    loads_json,
    open_sealed_blob,
    sealed_info,
    stamped,
)
from fieldapp.i18n import N_
from fieldapp.interview.engine import Changes, Interview
from fieldapp.interview.values import from_json, to_json
from fieldapp.interview.workflow import check_transition
from fieldapp.storage.device_types import InterviewInfo, StoredEvent
from fieldapp.vocabulary import EventKind, Status

if TYPE_CHECKING:
    from fieldapp.device_parts import DeviceParts

__all__ = ["DamagedEvent", "DraftEvents", "RecordingInterview", "read_events", "replay"]


@dataclass
class _Pending:
    kind: EventKind
    question: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class DamagedEvent:
    """A stored event that failed its integrity check; kept (still encrypted) for the
    supervisor, never dropped silently."""

    position: int
    kind: str
    question: str
    revision: int
    blob: bytes

    def to_json(self) -> dict[str, Any]:
        """The form carried in the sealed payload (ciphertext as base64)."""
        return {"position": self.position, "kind": self.kind, "question": self.question,
                "revision": self.revision, "blob": base64.b64encode(self.blob).decode()}


@dataclass
class DraftEvents:
    """A draft's events as read back: the readable ones in order, and the damaged ones."""

    readable: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    damaged: list[DamagedEvent] = field(default_factory=list)
    _last: dict[tuple[str, str], bool] = field(default_factory=dict)

    def lost(self) -> list[str]:
        """Answer keys (and rosters) whose latest stored event is damaged: ask them again."""
        return sorted(f"{question}" for (kind, question), ok in self._last.items()
                      if not ok and kind in (EventKind.ANSWER, EventKind.REPEAT) and question)


def read_events(dek: bytes, key_id: str, record: InterviewInfo,
                events: Sequence[StoredEvent]) -> DraftEvents:
    """Decrypt every event on its own: one damaged event never hides the others."""
    result = DraftEvents()
    for event in events:
        try:
            payload = decrypt_event(dek, key_id, record, event.position, event.kind,
                                    event.question, event.revision, event.blob)
        except TamperedData:
            result.damaged.append(DamagedEvent(event.position, event.kind, event.question,
                                               event.revision, event.blob))
            result._last[(event.kind, event.question)] = False
            continue
        result.readable.append((event.kind, event.question, payload))
        result._last[(event.kind, event.question)] = True
    return result


class RecordingInterview:
    """One interview in progress; the GUI and the ``record`` command both drive this."""

    def __init__(self, device: DeviceParts, record: InterviewInfo,
                 interview: Interview, damaged: Sequence[DamagedEvent] = (),
                 lost: Sequence[str] = ()) -> None:
        self.device = device
        self.record = record
        self.engine = interview
        #: Events of this draft that failed their integrity check when it was opened.
        self.damaged = list(damaged)
        #: Answer keys whose stored answer was damaged: the enumerator must ask them again.
        self.lost = list(lost)
        #: where relative paths of attached files are found (``record``: the answers file's
        #: folder); None: the current directory
        self.attachment_dir: Path | None = None
        #: the first question of the page last shown (Home says where the interview stopped)
        self.last_shown: str | None = None

    @property
    def interview_id(self) -> str:
        """The interview's UUID."""
        return self.record.interview_id

    # ----- persistence ------------------------------------------------------------------
    def _sealer(self, item: _Pending) -> Callable[[int], bytes]:
        """Encrypt ``item`` once the store has given it its position (inside the commit)."""
        keys = self.device.keys
        plaintext = json.dumps(stamped(item.payload), ensure_ascii=False,
                               separators=(",", ":")).encode()
        form_id, interview_id, revision = (self.record.form_id, self.interview_id,
                                           self.record.revision)

        def encrypt(position: int) -> bytes:
            return encrypt_blob(
                keys.dek, keys.key_id, plaintext, form_id=form_id, interview_id=interview_id,
                question=event_aad_question(item.kind, item.question, position),
                revision=revision)

        return encrypt

    def _persist(self, pending: Iterable[_Pending]) -> None:
        rows = [(item.kind, item.question, self.record.revision, self._sealer(item))
                for item in pending]
        if rows:
            self.device.store.append_events(interview_id=self.interview_id, events=rows)

    def _persist_changes(self, changes: Changes, lead: _Pending | None = None) -> None:
        pending = [_Pending(EventKind.ANSWER, key, {"v": to_json(value)})
                   for key, value in changes.items()]
        pending += self._new_problems()
        self._persist([lead, *pending] if lead else pending)

    def _new_problems(self) -> list[_Pending]:
        """Runtime expression errors not recorded yet (paradata for the supervisor)."""
        return [_Pending(EventKind.PROBLEM, p.element, {"column": p.column, "reason": p.reason})
                for p in self.engine.take_new_problems()]

    # ----- recording ----------------------------------------------------------------------
    def answer(self, key: str, value: object) -> Changes:
        """Validate, apply and durably store an answer (plus what it changed). For a file
        question the value is the path of the file to attach."""
        from fieldapp.attachments import KIND_OF_TYPE

        if value is not None and getattr(self.engine.slot(key).element, "type", "") \
                in KIND_OF_TYPE:
            return self.attach(key, value)
        self._require_draft()
        changes = self.engine.answer(key, value)
        self._persist_changes(changes)
        return changes

    def attach(self, key: str, source: Any) -> Changes:
        """Attach a file as the answer at ``key`` (image/audio/video/file questions): its
        bytes are stored encrypted with the answer, in one transaction."""
        from fieldapp.attachments import read_attachment

        self._require_draft()
        question = self.engine.slot(key).element
        path = Path(source)
        if not path.is_absolute() and self.attachment_dir is not None:
            path = self.attachment_dir / path
        attachment = read_attachment(question, key, path)  # type: ignore[arg-type]
        changes = self.engine.answer(key, attachment.name)
        self._persist_changes(changes, _Pending(EventKind.ATTACHMENT, key,
                                                attachment.event_payload()))
        return changes

    def attachment_bytes(self, name: str) -> bytes | None:
        """The bytes of a file attached to this draft, decrypted in memory (never to disk)."""
        import base64

        found = None
        keys = self.device.keys
        events = read_events(keys.dek, keys.key_id, self.record,
                             self.device.store.events(self.interview_id))
        for kind, _question, payload in events.readable:
            if kind == EventKind.ATTACHMENT and payload.get("name") == name and "data" in payload:
                found = payload["data"]
        try:
            return base64.b64decode(found) if found is not None else None
        except (ValueError, TypeError):
            return None

    def shown(self, keys: Iterable[str]) -> None:
        """Record that questions were put on screen (paradata)."""
        keys = list(keys)
        self._persist(_Pending(EventKind.SHOWN, key, {}) for key in keys)
        if keys:
            self.last_shown = keys[0]

    def begin(self, metadata: dict[str, Any]) -> None:
        """Record the start: interview language, device metadata, defaults and what the
        calculations give at the start (so ``once(now())`` keeps that value on resume)."""
        self._persist([_Pending(EventKind.LANGUAGE, "",
                                {"from": None, "to": self.engine.language})])
        before = dict(self.engine.answers)
        if metadata:
            self.engine.set_values(metadata)
        self.engine.refresh()
        after = self.engine.answers
        changes = {key: after.get(key) for key in before.keys() | after.keys()
                   if before.get(key) != after.get(key)}
        if changes:
            self._persist_changes(changes)

    def set_language(self, language: str) -> None:
        """Switch the interview language and record the switch."""
        previous = self.engine.set_language(language)
        if previous != language:
            # calculations in the new language (a choice label in a question's text) are
            # stored with the switch, so the sealed copy says what the respondent heard
            self._persist_changes(self.engine.language_changes(),
                                  lead=_Pending(EventKind.LANGUAGE, "", {"from": previous,
                                                                 "to": language}))

    def add_instance(self, repeat: str, parent: tuple[int, ...] = ()) -> int:
        """Add a repeat entry (recorded)."""
        self._require_draft()
        index = self.engine.add_instance(repeat, parent)
        self._persist([_Pending(EventKind.REPEAT, repeat,
                                {"parent": list(parent), "count": index})])
        return index

    def remove_instance(self, repeat: str, index: int, parent: tuple[int, ...] = ()) -> Changes:
        """Remove a repeat entry; moved and dropped answers are recorded too."""
        self._require_draft()
        changes = self.engine.remove_instance(repeat, index, parent)
        count = self.engine.instance_count(repeat, parent)
        self._persist_changes(changes, _Pending(EventKind.REPEAT, repeat,
                                                {"parent": list(parent), "count": count}))
        return changes

    def suspend(self) -> None:
        """Record that the enumerator left the interview (and keep its case label)."""
        self._persist([_Pending(EventKind.SUSPEND, "", {})])
        self.save_case_label()

    def save_case_label(self) -> None:
        """Keep the ``instance_name`` label for Home, encrypted (see :mod:`case_label`)."""
        from fieldapp import case_label

        case_label.save(self.device, self.record, case_label.card(self.engine,
                                                                  self.last_shown))

    def resumed(self) -> None:
        """Record that the interview was opened again (with any damaged event positions)."""
        payload: dict[str, Any] = {}
        if self.damaged:
            payload = {"damaged": [d.position for d in self.damaged], "lost": self.lost}
        self._persist([_Pending(EventKind.RESUME, "", payload), *self._new_problems()])

    def _require_draft(self) -> None:
        if self.record.status != Status.DRAFT:
            from fieldapp.interview.workflow import StatusError

            raise StatusError(N_("interview {interview_id} is {status}, not a draft: it cannot be "
                                 "changed"),
                              code="recording.interview-not-draft-cannot",
                              interview_id=self.interview_id, status=self.record.status)

    # ----- finalising and discarding ----------------------------------------------------
    def finalise(self) -> str:
        """Check completeness, seal to the project key and drop the readable copy."""
        self._require_draft()
        check_transition(self.interview_id, self.record.status, Status.FINALISED)
        self.engine.check_complete()
        end = {k: utc_now().isoformat() for k in self._metadata_keys("end")}
        if end:
            self._persist_changes(self.engine.set_values(end))
        self._seal(Status.FINALISED, {})
        return self.interview_id

    def discard(self, reason: str) -> str:
        """Seal the draft as discarded (with the reason): the supervisor still receives it,
        the device can no longer read or change it."""
        self._require_draft()
        check_transition(self.interview_id, self.record.status, Status.DISCARDED)
        reason = reason.strip()
        if not reason:
            raise FieldAppError(N_("give a reason for discarding the interview"),
                                code="recording.give-reason-discarding-interview")
        self._seal(Status.DISCARDED, {"discard_reason": reason})
        return self.interview_id

    def _seal(self, status: Status, extra: dict[str, Any]) -> None:
        self.save_case_label()
        body = self.sealed_payload()
        paradata = body.pop("paradata")
        # paradata stays the last key: export parses the payload up to it (export/decrypt)
        payload = {**body, "status": status, **extra, "paradata": paradata}
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        info = sealed_info(interview_id=self.interview_id, revision=self.record.revision,
                           form_id=self.record.form_id, form_version=self.record.form_version)
        blob = seal(self.device.project_public_key, data, info)
        self.device.store.seal_interview(
            interview_id=self.interview_id, revision=self.record.revision, sealed_blob=blob,
            sha256=hashlib.sha256(blob).hexdigest(), sealed_utc=utc_now(), status=status)
        self.record = self.device.store.interview(self.interview_id)

    def _metadata_keys(self, kind: str) -> list[str]:
        return [q.name for q in self.engine.form.iter_questions() if q.type == kind]

    def sealed_payload(self) -> dict[str, Any]:
        """Everything a supervisor needs: answers, repeat counts and the full paradata
        (plus, still encrypted, any stored event that failed its integrity check); attached
        files are lifted out of the paradata into ``attachments`` (sealed once)."""
        from fieldapp.attachments import attachment_names, lift_attachments

        keyring = self.device.keyring
        keys = self.device.keys
        events = read_events(keys.dek, keys.key_id, self.record,
                             self.device.store.events(self.interview_id))
        damaged = {d.position: d for d in (*self.damaged, *events.damaged)}
        names = attachment_names(self.engine.form.iter_questions(), self.engine.answers)
        return lift_attachments({
            "format": SEALED_FORMAT,
            "interview_id": self.interview_id,
            "form_id": self.record.form_id,
            "form_version": self.record.form_version,
            "revision": self.record.revision,
            "device_id": keyring.device_id,
            "enumerator": keyring.enumerator,
            "city": keyring.city,
            "language": self.engine.language,
            "created_utc": self.record.created_utc.isoformat(),
            "finalised_utc": utc_now().isoformat(),
            "time_zone": local_zone_name(),
            "answers": {k: to_json(v) for k, v in sorted(self.engine.answers.items())},
            "repeat_counts": dict(self.engine.repeat_counts),
            "damaged_events": [d.to_json() for _, d in sorted(damaged.items())],
            "paradata": [
                {"kind": kind, "question": question, **payload}
                for kind, question, payload in events.readable
            ],
        }, names)


def unseal_payload(project_private_key: Any, sealed: Any, form_id: str,
                   form_version: str) -> bytes:
    """Supervisor side: a finalised interview's payload JSON, unsealed (bound to its id,
    revision, form and version); TamperedData if it cannot be opened."""
    return open_sealed_blob(project_private_key, sealed.sealed_blob,
                            interview_id=sealed.interview_id, revision=sealed.revision,
                            form_id=form_id, form_version=form_version)


def open_sealed(project_private_key: Any, sealed: Any, form_id: str,
                form_version: str) -> dict[str, Any]:
    """Supervisor side: unseal a finalised interview into its payload dict."""
    data = unseal_payload(project_private_key, sealed, form_id, form_version)
    payload = dict(loads_json(data))
    if payload.get("interview_id") != sealed.interview_id:
        raise TamperedData(sealed.interview_id)
    return payload


def replay(interview: Interview, events: Iterable[tuple[str, str, dict[str, Any]]],
           lost: Iterable[str] = ()) -> None:
    """Rebuild engine state from decrypted events (stored answers are trusted).

    ``lost``: answer keys whose latest event was damaged; an older value of theirs is not
    trusted either, so they come back empty and are asked again.
    """
    for kind, question, payload in events:
        if kind == EventKind.ANSWER:
            value = from_json(payload.get("v"))
            if value is None:
                interview.answers.pop(question, None)
            else:
                interview.answers[question] = value
        elif kind == EventKind.REPEAT:
            from fieldapp.interview.answer_keys import make_key

            key = make_key(question, tuple(payload.get("parent", ())))
            interview.repeat_counts[key] = int(payload["count"])
        elif kind == EventKind.LANGUAGE:
            interview.language = payload.get("to", interview.language)
        elif kind == EventKind.PROBLEM:
            interview.mark_reported(question, str(payload.get("column", "")))
    for key in lost:
        interview.answers.pop(key, None)
    interview.refresh()


def decrypt_event(dek: bytes, key_id: str, record: InterviewInfo, number: int, kind: str,
                  question: str, revision: int, blob: bytes) -> dict[str, Any]:
    """Decrypt one stored event; TamperedData names the interview and question."""
    try:
        plaintext = decrypt_blob(
            dek, key_id, blob, form_id=record.form_id, interview_id=record.interview_id,
            question=event_aad_question(kind, question, number), revision=revision)
        return dict(json.loads(plaintext))
    except TamperedData:
        raise TamperedData(record.interview_id, question or kind) from None
    except CryptoError:
        raise TamperedData(record.interview_id, question or kind) from None
    except ValueError:
        raise TamperedData(record.interview_id, question or kind) from None


def restored_events(keys: Any, record: InterviewInfo, revision: int,
                    content: dict[str, Any]) -> list[tuple[str, str, int, bytes]]:
    """Encrypted events that rebuild a sent-back interview as a draft of ``revision``.

    ``content`` holds the sealed payload's ``language``, ``answers`` and ``repeat_counts``
    (sent back by the supervisor, re-encrypted to this device's data key). The events take
    positions 1, 2, … (a finalised interview has no events left; the store inserts them at
    exactly these positions) and use the same AAD as live autosave, so
    ``FieldSession.resume`` replays them like any other draft.
    """
    from fieldapp.interview.answer_keys import split_key

    pending = [_Pending(EventKind.STATUS, "", {"from": Status.SENT_BACK, "to": Status.DRAFT,
                                                   "revision": revision}),
               _Pending(EventKind.LANGUAGE, "", {"from": None, "to": content.get("language")})]
    for key, count in sorted(dict(content.get("repeat_counts") or {}).items()):
        name, parent = split_key(key)
        pending.append(_Pending(EventKind.REPEAT, name,
                                {"parent": list(parent), "count": int(count)}))
    for key, value in sorted(dict(content.get("answers") or {}).items()):
        pending.append(_Pending(EventKind.ANSWER, key, {"v": value}))
    for name, data in sorted(dict(content.get("attachments") or {}).items()):
        pending.append(_Pending(EventKind.ATTACHMENT, "", {"name": name, "data": data}))
    rows: list[tuple[str, str, int, bytes]] = []
    for position, item in enumerate(pending, start=1):
        plaintext = json.dumps(stamped(item.payload), ensure_ascii=False,
                               separators=(",", ":")).encode()
        blob = encrypt_blob(keys.dek, keys.key_id, plaintext, form_id=record.form_id,
                              interview_id=record.interview_id,
                              question=event_aad_question(item.kind, item.question, position),
                              revision=revision)
        rows.append((item.kind, item.question, revision, blob))
    return rows


def note_blob(keys: Any, record: InterviewInfo, revision: int,
              comment: str | None) -> bytes | None:
    """The supervisor's comment encrypted under the device data key (None if no comment)."""
    if not comment:
        return None
    return encrypt_blob(keys.dek, keys.key_id, comment.encode(), form_id=record.form_id,
                          interview_id=record.interview_id, question=NOTE_AAD_QUESTION,
                          revision=revision)


def read_note(keys: Any, record: InterviewInfo) -> str | None:
    """The supervisor's comment on an interview, decrypted (None if there is none)."""
    if record.note_blob is None:
        return None
    return decrypt_blob(keys.dek, keys.key_id, record.note_blob, form_id=record.form_id,
                          interview_id=record.interview_id, question=NOTE_AAD_QUESTION,
                          revision=record.revision).decode()
