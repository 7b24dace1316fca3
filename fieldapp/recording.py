"""An interview being recorded: the engine plus durable, encrypted autosave of every change.

Every event (answer, page shown, language switch, suspend/resume, repeat change) is
encrypted with the device data key and committed before the call returns. Its AAD
binds form, interview, question, revision, key id and the event's position in the
interview, so a ciphertext cannot be moved, swapped or replayed unnoticed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldapp.clock import local_zone_name, monotonic_ns, utc_now
from fieldapp.crypto import canonical, decrypt_record, encrypt_record, seal
from fieldapp.crypto.errors import CryptoError, IntegrityError
from fieldapp.interview.engine import Changes, Interview
from fieldapp.interview.status import DRAFT, FINALISED, check_transition
from fieldapp.interview.values import from_json, to_json
from fieldapp.storage.records import InterviewRecord

if TYPE_CHECKING:
    from fieldapp.session import FieldSession

SEALED_FORMAT = 1


def sealed_info(*, interview_id: str, revision: int, form_id: str, form_version: str) -> bytes:
    """The HPKE context that binds a sealed interview to its identity."""
    return canonical(SEALED_FORMAT, interview_id, revision, form_id, form_version,
                     domain="sealed-interview")


@dataclass
class _Pending:
    kind: str
    question: str
    payload: dict[str, Any]


class RecordingInterview:
    """One interview in progress; the GUI and the ``record`` command both drive this."""

    def __init__(self, session: FieldSession, record: InterviewRecord,
                 interview: Interview, event_count: int) -> None:
        self.session = session
        self.record = record
        self.engine = interview
        self._count = event_count  # events stored for this interview so far
        #: where relative paths of attached files are found (``record``: the answers file's
        #: folder); None: the current directory
        self.attachment_dir: Path | None = None

    @property
    def interview_id(self) -> str:
        """The interview's UUID."""
        return self.record.interview_id

    # ----- persistence ------------------------------------------------------------------
    def _aad_question(self, kind: str, question: str, number: int) -> str:
        return f"{kind}:{question}#{number}"

    def _stamp(self, payload: dict[str, Any]) -> dict[str, Any]:
        return {**payload, "utc": utc_now().isoformat(), "mono": monotonic_ns(),
                "tz": local_zone_name()}

    def _persist(self, pending: Iterable[_Pending]) -> None:
        keys = self.session.keys
        rows = []
        number = self._count
        for item in pending:
            number += 1
            plaintext = json.dumps(self._stamp(item.payload), ensure_ascii=False,
                                   separators=(",", ":")).encode()
            blob = encrypt_record(
                keys.dek, keys.key_id, plaintext, form_id=self.record.form_id,
                interview_id=self.interview_id,
                question=self._aad_question(item.kind, item.question, number),
                revision=self.record.revision)
            rows.append((item.kind, item.question, self.record.revision, blob))
        if rows:
            self.session.store.append_events(interview_id=self.interview_id, events=rows)
            self._count = number

    def _persist_changes(self, changes: Changes, lead: _Pending | None = None) -> None:
        pending = [_Pending("answer", key, {"v": to_json(value)})
                   for key, value in changes.items()]
        self._persist([lead, *pending] if lead else pending)

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
        self._persist_changes(changes, _Pending("attachment", key,
                                                attachment.event_payload()))
        return changes

    def attachment_bytes(self, name: str) -> bytes | None:
        """The bytes of a file attached to this draft, decrypted in memory (never to disk)."""
        import base64

        found = None
        for kind, _question, payload in self.session.decrypt_events(self.record):
            if kind == "attachment" and payload.get("name") == name and "data" in payload:
                found = payload["data"]
        try:
            return base64.b64decode(found) if found is not None else None
        except (ValueError, TypeError):
            return None

    def shown(self, keys: Iterable[str]) -> None:
        """Record that questions were put on screen (paradata)."""
        self._persist(_Pending("shown", key, {}) for key in keys)

    def begin(self, metadata: dict[str, Any]) -> None:
        """Record the start: interview language, device metadata and defaults."""
        self._persist([_Pending("language", "", {"from": None, "to": self.engine.language})])
        if metadata:
            self._persist_changes(self.engine.set_values(metadata))

    def set_language(self, language: str) -> None:
        """Switch the interview language and record the switch."""
        previous = self.engine.set_language(language)
        if previous != language:
            self._persist([_Pending("language", "", {"from": previous, "to": language})])

    def add_instance(self, repeat: str, parent: tuple[int, ...] = ()) -> int:
        """Add a repeat entry (recorded)."""
        self._require_draft()
        index = self.engine.add_instance(repeat, parent)
        self._persist([_Pending("repeat", repeat, {"parent": list(parent), "count": index})])
        return index

    def remove_instance(self, repeat: str, index: int, parent: tuple[int, ...] = ()) -> Changes:
        """Remove a repeat entry; moved and dropped answers are recorded too."""
        self._require_draft()
        changes = self.engine.remove_instance(repeat, index, parent)
        count = self.engine.instance_count(repeat, parent)
        self._persist_changes(changes, _Pending("repeat", repeat,
                                                {"parent": list(parent), "count": count}))
        return changes

    def suspend(self) -> None:
        """Record that the enumerator left the interview (and keep its case label)."""
        self._persist([_Pending("suspend", "", {})])
        self.save_case_label()

    def save_case_label(self) -> None:
        """Keep the ``instance_name`` label for Home, encrypted (see :mod:`case_label`)."""
        from fieldapp import case_label

        case_label.save(self.session, self.record, case_label.compute(self.engine))

    def resumed(self) -> None:
        """Record that the interview was opened again."""
        self._persist([_Pending("resume", "", {})])

    def _require_draft(self) -> None:
        if self.record.status != DRAFT:
            from fieldapp.interview.status import StatusError

            raise StatusError(f"interview {self.interview_id} is {self.record.status}, "
                              "not a draft: it cannot be changed")

    # ----- finalising -------------------------------------------------------------------
    def finalize(self) -> str:
        """Check completeness, seal to the project key and drop the readable copy."""
        self._require_draft()
        check_transition(self.interview_id, self.record.status, FINALISED)
        self.engine.check_complete()
        end = {k: utc_now().isoformat() for k in self._metadata_keys("end")}
        if end:
            self._persist_changes(self.engine.set_values(end))
        self.save_case_label()
        payload = self.sealed_payload()
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        info = sealed_info(interview_id=self.interview_id, revision=self.record.revision,
                           form_id=self.record.form_id, form_version=self.record.form_version)
        blob = seal(self.session.project_public_key, data, info)
        self.session.store.seal_interview(
            interview_id=self.interview_id, revision=self.record.revision, sealed_blob=blob,
            sha256=hashlib.sha256(blob).hexdigest(), sealed_utc=utc_now())
        self.record = self.session.store.interview(self.interview_id)
        return self.interview_id

    def _metadata_keys(self, kind: str) -> list[str]:
        return [q.name for q in self.engine.form.iter_questions() if q.type == kind]

    def sealed_payload(self) -> dict[str, Any]:
        """Everything a supervisor needs: answers, repeat counts and the full paradata."""
        from fieldapp.attachments import attachment_names, lift_attachments

        keyring = self.session.keyring
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
            "paradata": [
                {"kind": kind, "question": question, **payload}
                for kind, question, payload in self.session.decrypt_events(self.record)
            ],
        }, names)


def open_sealed(project_private_key: Any, sealed: Any, form_id: str,
                form_version: str) -> dict[str, Any]:
    """Supervisor side: unseal a finalised interview into its payload dict."""
    from fieldapp.crypto import unseal

    info = sealed_info(interview_id=sealed.interview_id, revision=sealed.revision,
                       form_id=form_id, form_version=form_version)
    try:
        data = unseal(project_private_key, sealed.sealed_blob, info)
    except CryptoError:
        raise IntegrityError(sealed.interview_id) from None
    payload = dict(json.loads(data))
    if payload.get("interview_id") != sealed.interview_id:
        raise IntegrityError(sealed.interview_id)
    return payload


def replay(interview: Interview, events: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
    """Rebuild engine state from decrypted events (stored answers are trusted)."""
    for kind, question, payload in events:
        if kind == "answer":
            value = from_json(payload.get("v"))
            if value is None:
                interview.answers.pop(question, None)
            else:
                interview.answers[question] = value
        elif kind == "repeat":
            from fieldapp.interview.keys import make_key

            key = make_key(question, tuple(payload.get("parent", ())))
            interview.repeat_counts[key] = int(payload["count"])
        elif kind == "language":
            interview.language = payload.get("to", interview.language)
    interview.refresh()


def decrypt_event(dek: bytes, key_id: str, record: InterviewRecord, number: int, kind: str,
                  question: str, revision: int, blob: bytes) -> dict[str, Any]:
    """Decrypt one stored event; IntegrityError names the interview and question."""
    try:
        plaintext = decrypt_record(
            dek, key_id, blob, form_id=record.form_id, interview_id=record.interview_id,
            question=f"{kind}:{question}#{number}", revision=revision)
        return dict(json.loads(plaintext))
    except IntegrityError:
        raise IntegrityError(record.interview_id, question or kind) from None
    except CryptoError:
        raise IntegrityError(record.interview_id, question or kind) from None
    except ValueError:
        raise IntegrityError(record.interview_id, question or kind) from None


def restored_events(keys: Any, record: InterviewRecord, revision: int,
                    content: dict[str, Any]) -> list[tuple[str, str, int, bytes]]:
    """Encrypted events that rebuild a sent-back interview as a draft of ``revision``.

    ``content`` holds the sealed payload's ``language``, ``answers`` and ``repeat_counts``
    (sent back by the supervisor, re-encrypted to this device's data key). The events are
    numbered from 1 (a finalised interview has no events left) and use the same AAD as live
    autosave, so ``FieldSession.resume`` replays them like any other draft.
    """
    from fieldapp.interview.keys import split_key

    pending = [_Pending("status", "", {"from": "sent_back", "to": "draft", "revision": revision}),
               _Pending("language", "", {"from": None, "to": content.get("language")})]
    for key, count in sorted(dict(content.get("repeat_counts") or {}).items()):
        name, parent = split_key(key)
        pending.append(_Pending("repeat", name, {"parent": list(parent), "count": int(count)}))
    for key, value in sorted(dict(content.get("answers") or {}).items()):
        pending.append(_Pending("answer", key, {"v": value}))
    for name, data in sorted(dict(content.get("attachments") or {}).items()):
        pending.append(_Pending("attachment", "", {"name": name, "data": data}))
    rows = []
    for number, item in enumerate(pending, start=1):
        stamped = {**item.payload, "utc": utc_now().isoformat(), "mono": monotonic_ns(),
                   "tz": local_zone_name()}
        plaintext = json.dumps(stamped, ensure_ascii=False, separators=(",", ":")).encode()
        blob = encrypt_record(keys.dek, keys.key_id, plaintext, form_id=record.form_id,
                              interview_id=record.interview_id,
                              question=f"{item.kind}:{item.question}#{number}",
                              revision=revision)
        rows.append((item.kind, item.question, revision, blob))
    return rows
