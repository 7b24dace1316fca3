"""FieldSession: the one façade the CLI and the GUI call (cf. Anki's Collection).

It owns the unlocked device keys, the encrypted store and the installed
questionnaires. Nothing is written to the data directory before the passphrase
has been verified, so a wrong passphrase changes no file.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldapp.clock import utc_now
from fieldapp.crypto import (
    DeviceKeyring,
    KdfParams,
    UnlockedKeys,
    change_passphrase,
    create_device_keyring,
    load_project_public_key,
    read_keyring,
    recover_with_project_key,
    unlock,
    write_keyring_atomic,
)
from fieldapp.crypto.seal import public_key_from_bytes
from fieldapp.errors import FieldAppError
from fieldapp.interview.defaults import default_value
from fieldapp.interview.engine import Interview
from fieldapp.interview.status import DRAFT
from fieldapp.questionnaire import (
    Questionnaire,
    load_questionnaire_bytes,
    package_questionnaire,
)
from fieldapp.recording import RecordingInterview, decrypt_event, replay
from fieldapp.storage.records import InterviewRecord
from fieldapp.storage.store import Store

KEYRING_FILE = "keyring.json"
DATABASE_FILE = "fieldapp.db"
PROJECT_KEY_FILE = "project.pub"


class NoDevice(FieldAppError):
    """The data directory has not been set up with ``fieldapp device init``."""


@dataclass(frozen=True)
class DeviceInfo:
    """What ``device init`` created."""

    device_id: str
    enumerator: str
    city: str
    project_fingerprint: str
    data_dir: Path


def keyring_path(data_dir: Path) -> Path:
    """Location of the device keyring in a data directory."""
    return data_dir / KEYRING_FILE


def init_device(data_dir: Path, *, project_key: Path, enumerator: str, city: str,
                passphrase: str, kdf_params: KdfParams | None = None,
                forms: list[Path] | None = None) -> DeviceInfo:
    """Create the device keys and the encrypted store in ``data_dir``."""
    if not enumerator.strip():
        raise FieldAppError("the enumerator id must not be empty")
    if keyring_path(data_dir).exists():
        raise FieldAppError(f"{data_dir}: a device already exists here")
    public_key = load_project_public_key(project_key)
    data_dir.mkdir(parents=True, exist_ok=True)
    keyring, _keys = create_device_keyring(enumerator=enumerator, city=city,
                                           project_public_key=public_key,
                                           passphrase=passphrase, kdf_params=kdf_params)
    shutil.copyfile(project_key, data_dir / PROJECT_KEY_FILE)
    with Store.open(data_dir / DATABASE_FILE) as store:
        store.set_meta("device_id", keyring.device_id)
        for path in forms or []:
            _install(store, path)
    write_keyring_atomic(keyring_path(data_dir), keyring)  # last: its presence = done
    return DeviceInfo(keyring.device_id, enumerator, city, keyring.project_fingerprint,
                      data_dir)


def _install(store: Store, path: Path) -> Questionnaire:
    form, content = package_questionnaire(path)  # the form file with its media folder
    store.install_form(form_id=form.form_id, version=form.version, title=form.title,
                       content=content)
    return form


class FieldSession:
    """An unlocked device: keys, store and questionnaires."""

    def __init__(self, data_dir: Path, keyring: DeviceKeyring, keys: UnlockedKeys,
                 store: Store) -> None:
        self.data_dir = data_dir
        self.keyring = keyring
        self.keys = keys
        self.store = store
        self.project_public_key = public_key_from_bytes(keyring.project_public_key)
        self._forms: dict[tuple[str, str], Questionnaire] = {}

    @classmethod
    def open(cls, data_dir: Path, passphrase: str) -> FieldSession:
        """Unlock the device; WrongPassphrase leaves every file untouched."""
        path = keyring_path(data_dir)
        if not path.exists():
            raise NoDevice(f"{data_dir}: no device here; run 'fieldapp device init' first")
        keyring = read_keyring(path)
        keys = unlock(keyring, passphrase)  # raises before anything is opened for writing
        store = Store.open(data_dir / DATABASE_FILE)
        return cls(data_dir, keyring, keys, store)

    def close(self) -> None:
        """Close the store (keys are dropped with the object)."""
        self.store.close()

    def __enter__(self) -> FieldSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- keys -------------------------------------------------------------------------
    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the data key under a new passphrase (atomic file swap)."""
        self.keyring = change_passphrase(self.keyring, old, new)
        write_keyring_atomic(keyring_path(self.data_dir), self.keyring)

    # ----- questionnaires ---------------------------------------------------------------
    def install_form(self, path: Path) -> Questionnaire:
        """Validate and install a questionnaire version (idempotent)."""
        form = _install(self.store, path)
        self._forms[(form.form_id, form.version)] = form
        return form

    def form(self, form_id: str, version: str | None = None) -> Questionnaire:
        """An installed questionnaire (the newest version when none is given)."""
        if version is None:
            versions = [f.version for f in self.store.list_forms() if f.form_id == form_id]
            if not versions:
                raise FieldAppError(f"questionnaire '{form_id}' is not installed")
            version = max(versions, key=_version_key)
        key = (form_id, version)
        if key not in self._forms:
            content = self.store.form_content(form_id, version)
            self._forms[key] = load_questionnaire_bytes(content, f"{form_id}.xlsx")
        return self._forms[key]

    # ----- interviews -------------------------------------------------------------------
    def start_interview(self, form: Questionnaire, *, language: str | None = None
                        ) -> RecordingInterview:
        """Create a draft, fill the device metadata and record the start."""
        self.form(form.form_id, form.version)  # must be installed
        record = self.store.create_interview(
            interview_id=str(uuid.uuid4()), form_id=form.form_id, form_version=form.version,
            key_id=self.keys.key_id, created_utc=utc_now())
        engine = Interview(form, language=language)
        recording = RecordingInterview(self, record, engine, 0)
        meta: dict[str, Any] = {}
        for question in form.iter_questions():
            if question.type == "start":
                meta[question.name] = utc_now().isoformat()
            elif question.type == "today":
                meta[question.name] = engine.now().date()
            elif question.type == "deviceid":
                meta[question.name] = self.keyring.device_id
            elif question.type == "username":
                meta[question.name] = self.keyring.enumerator
            elif question.default and (question.is_input or question.type == "hidden"):
                meta[question.name] = default_value(engine, question)
        recording.begin(meta)
        return recording

    def resume(self, interview_id: str) -> RecordingInterview:
        """Re-open a draft exactly as it was last saved."""
        record = self.store.interview(interview_id)
        if record.status != DRAFT:
            raise FieldAppError(f"interview {interview_id} is {record.status}: only drafts "
                                "can be opened on the device")
        form = self.form(record.form_id, record.form_version)
        engine = Interview(form)
        events = list(self.decrypt_events(record))
        replay(engine, events)
        recording = RecordingInterview(self, record, engine, len(events))
        recording.resumed()
        return recording

    def decrypt_events(self, record: InterviewRecord) -> Iterator[tuple[str, str, dict]]:
        """Decrypt a draft's events in order: (kind, question, payload)."""
        for number, event in enumerate(self.store.events(record.interview_id), start=1):
            payload = decrypt_event(self.keys.dek, self.keys.key_id, record, number,
                                    event.kind, event.question, event.revision, event.blob)
            yield event.kind, event.question, payload

    def list_interviews(self, status: str | None = None) -> list[InterviewRecord]:
        """Interviews on this device, newest first."""
        return sorted(self.store.list_interviews(status), key=lambda r: r.created_utc,
                      reverse=True)

    # ----- supervisor decisions, applied from return bundles (fieldapp.sync) -------------------
    NOTE_QUESTION = "note:supervisor"  # AAD "question" of the encrypted supervisor note

    def note(self, interview_id: str) -> str | None:
        """The supervisor's comment on an interview (decrypted), or None."""
        from fieldapp.crypto import decrypt_record

        record = self.store.interview(interview_id)
        if record.note_blob is None:
            return None
        return decrypt_record(self.keys.dek, self.keys.key_id, record.note_blob,
                              form_id=record.form_id, interview_id=interview_id,
                              question=self.NOTE_QUESTION, revision=record.revision).decode()

    def _note_blob(self, record: InterviewRecord, revision: int,
                   comment: str | None) -> bytes | None:
        from fieldapp.crypto import encrypt_record

        if not comment:
            return None
        return encrypt_record(self.keys.dek, self.keys.key_id, comment.encode(),
                              form_id=record.form_id, interview_id=record.interview_id,
                              question=self.NOTE_QUESTION, revision=revision)

    def apply_approval(self, interview_id: str, revision: int, comment: str | None) -> bool:
        """Lock a finalised interview the supervisor approved; False if not applicable now."""
        from fieldapp.interview.status import APPROVED, FINALISED

        record = self.store.interview(interview_id)
        if record.status != FINALISED or record.revision != revision:
            return False
        self.store.set_status(interview_id, status=APPROVED, revision=revision,
                              note_blob=self._note_blob(record, revision, comment))
        return True

    def reopen_sent_back(self, interview_id: str, revision: int, content: dict[str, Any],
                         comment: str | None) -> bool:
        """Re-open a sent-back interview as a draft of the next revision, answers restored.

        ``content``: the supervisor's copy of the answers (``language``, ``answers``,
        ``repeat_counts``). One store transaction; False if not applicable (already done).
        """
        from fieldapp.interview.status import DRAFT, FINALISED, SENT_BACK, next_revision
        from fieldapp.recording import restored_events

        record = self.store.interview(interview_id)
        if record.status not in (FINALISED, SENT_BACK) or record.revision != revision:
            return False
        new = next_revision(SENT_BACK, DRAFT, revision)
        self.store.reopen_interview(
            interview_id=interview_id, from_revision=revision, revision=new,
            events=restored_events(self.keys, record, new, content),
            note_blob=self._note_blob(record, new, comment))
        return True


def recover_device(data_dir: Path, *, project_private_key: Any, new_passphrase: str) -> None:
    """Supervisor recovery of a forgotten passphrase with the project private key."""
    path = keyring_path(data_dir)
    if not path.exists():
        raise NoDevice(f"{data_dir}: no device here")
    keyring = recover_with_project_key(read_keyring(path), project_private_key, new_passphrase)
    write_keyring_atomic(path, keyring)


def _version_key(version: str) -> tuple[int, str]:
    return (int(version), version) if version.isdigit() else (-1, version)
