"""FieldSession: the one façade the CLI and the GUI call (cf. Anki's Collection).

It owns the unlocked device keys, the encrypted store and the installed
questionnaires. Nothing is written to the data directory before the passphrase
has been verified, so a wrong passphrase changes no file.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from fieldapp import case_label
from fieldapp.answers_file import (
    AnswersRejected,
    DryRun,
    apply_answers,
    completeness,
    expression_warnings,
    read_answers_file,
    unreported,
)
from fieldapp.clock import utc_now
from fieldapp.crypto import (
    DeviceKeyring,
    UnlockedKeys,
    change_passphrase,
    read_keyring,
    unlock,
    write_keyring_atomic,
)
from fieldapp.crypto.keyring import open_hub_credential, with_hub_credential
from fieldapp.crypto.seal import public_key_from_bytes
from fieldapp.dashboard import HomeSummary, home_summary
from fieldapp.dashboard import form_title as dashboard_form_title
from fieldapp.device_check import CheckReport, check_device
from fieldapp.device_setup import (
    DATABASE_FILE,
    KEYRING_FILE,
    DeviceInfo,
    NoDevice,
    describe_device,
    init_device,
    install_into,
    keyring_path,
    recover_device,
)
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_, _
from fieldapp.id_prefix import resolve_prefix
from fieldapp.interview.defaults import default_value
from fieldapp.interview.engine import Interview
from fieldapp.interview.workflow import shown_status
from fieldapp.paths import is_url
from fieldapp.questionnaire import Questionnaire, load_questionnaire, load_questionnaire_bytes
from fieldapp.recording import (
    DraftEvents,
    RecordingInterview,
    open_sealed,
    read_events,
    read_note,
    replay,
)
from fieldapp.storage.device_types import InstalledForm, InterviewInfo
from fieldapp.storage.errors import NeedsUpgrade
from fieldapp.storage.hub_intake import with_login
from fieldapp.storage.store import Store
from fieldapp.sync.device import PushResult, push_to_folder, push_to_hub
from fieldapp.sync.device_online import push_to_intake
from fieldapp.sync.device_pull import Applied, pull_return_rows, pull_returns, reopen_sent_back
from fieldapp.sync.results import ImportResult
from fieldapp.versions import version_key
from fieldapp.vocabulary import Status
from fieldapp.writer_lock import WriterLock

__all__ = ["DATABASE_FILE", "KEYRING_FILE", "DeviceInfo", "FieldSession", "NoDevice",
           "describe_device", "init_device", "recover_device"]

LAST_SYNC_META = "last_sync"


class FieldSession:
    """An unlocked device: keys, store and questionnaires.

    A writing session holds the device's :class:`~fieldapp.writer_lock.WriterLock` until it
    is closed; a read-only one (``list``, ``show``, ``device check``) takes no lock and opens
    the database so that SQLite refuses any write.
    """

    def __init__(self, data_dir: Path, keyring: DeviceKeyring, keys: UnlockedKeys,
                 store: Store, lock: WriterLock | None = None) -> None:
        self.data_dir = data_dir
        self.keyring = keyring
        self.keys = keys
        self.store = store
        self.project_public_key = public_key_from_bytes(keyring.project_public_key)
        self._forms: dict[tuple[str, str], Questionnaire] = {}
        self._lock = lock

    @property
    def read_only(self) -> bool:
        """True for a session that never writes."""
        return self._lock is None

    @classmethod
    def open(cls, data_dir: Path, passphrase: str, *, read_only: bool = False,
             program: str = "fieldapp") -> FieldSession:
        """Unlock the device; WrongPassphrase leaves every file untouched.

        A writer takes the device's writer lock first (:class:`~fieldapp.writer_lock.
        DeviceBusy` if another process holds it).
        """
        path = keyring_path(data_dir)
        if not path.exists():
            raise NoDevice(N_("{data_dir}: no device here; run 'fieldapp device init' first"),
                           code="session.no-device-here-run", data_dir=data_dir)
        keyring = read_keyring(path)
        keys = unlock(keyring, passphrase)  # raises before any file is touched
        lock = None if read_only else WriterLock(data_dir, program).acquire()
        try:
            store = _open_store(data_dir, read_only)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return cls(data_dir, keyring, keys, store, lock)

    def close(self) -> None:
        """Close the store and give the writer lock back (keys are dropped with the object)."""
        self.store.close()
        if self._lock is not None:
            self._lock.release()

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
        form = install_into(self.store, path)
        self._forms[(form.form_id, form.version)] = form
        return form

    def form(self, form_id: str, version: str | None = None) -> Questionnaire:
        """An installed questionnaire (the newest version when none is given)."""
        if version is None:
            versions = [f.version for f in self.store.list_forms() if f.form_id == form_id]
            if not versions:
                raise FieldAppError(N_("questionnaire '{form_id}' is not installed"),
                                    code="session.questionnaire-not-installed", form_id=form_id)
            version = max(versions, key=version_key)
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
        recording = RecordingInterview(self, record, engine)
        recording.begin(self.initial_values(engine))
        return recording

    def new_engine(self, form: Questionnaire, *, language: str | None = None) -> Interview:
        """An engine set up as :meth:`start_interview` does, but not stored (dry runs)."""
        engine = Interview(form, language=language)
        engine.set_values(self.initial_values(engine))
        return engine

    def initial_values(self, engine: Interview) -> dict[str, Any]:
        """Device metadata (start, today, device id) and the form's defaults."""
        meta: dict[str, Any] = {}
        for question in engine.form.iter_questions():
            if question.type == "start":
                meta[question.name] = utc_now().isoformat()
            elif question.type == "today":
                meta[question.name] = engine.now().date()
            elif question.type == "deviceid":
                meta[question.name] = self.keyring.device_id
            elif question.type == "username":
                meta[question.name] = self.keyring.enumerator
            elif question.default and (question.is_input or question.type == "hidden"
                                       or (question.type == "calculate"
                                           and not question.calculation)):
                meta[question.name] = default_value(engine, question)
        return meta

    def resume(self, interview_id: str) -> RecordingInterview:
        """Re-open a draft as it was last saved, for recording.

        Events that fail their integrity check are skipped, not fatal: the draft opens with
        every readable answer, ``recording.lost`` names the questions to ask again and the
        damaged events are kept for the supervisor.
        """
        record, engine, events = self._draft(interview_id)
        recording = RecordingInterview(self, record, engine, events.damaged, events.lost())
        recording.resumed()
        return recording

    def read_draft(self, interview_id: str) -> tuple[Interview, DraftEvents]:
        """A draft's answers for viewing: nothing is written (``fieldapp show``)."""
        _record, engine, events = self._draft(interview_id)
        return engine, events

    def discard(self, interview_id: str, reason: str) -> None:
        """Seal a draft as discarded with ``reason``; it goes to the supervisor as such."""
        record, engine, events = self._draft(interview_id)
        RecordingInterview(self, record, engine, events.damaged, events.lost()).discard(reason)

    def _draft(self, interview_id: str) -> tuple[InterviewInfo, Interview, DraftEvents]:
        record = self.store.interview(interview_id)
        if record.status != Status.DRAFT:
            raise FieldAppError(N_("interview {interview_id} is {status}: only drafts can be "
                                   "opened on the device"),
                                code="session.interview-drafts-opened-device",
                                interview_id=interview_id, status=record.status)
        form = self.form(record.form_id, record.form_version)
        engine = Interview(form)
        events = self.read_events(record)
        replay(engine, events.readable, events.lost())
        return record, engine, events

    def read_events(self, record: InterviewInfo) -> DraftEvents:
        """Decrypt a draft's events one by one: (kind, question, payload) plus the damaged."""
        return read_events(self.keys.dek, self.keys.key_id, record,
                           self.store.events(record.interview_id))

    def check(self) -> CheckReport:
        """Every interview with its readable and damaged data (``fieldapp device check``)."""
        return check_device(self)

    def decrypt_events(self, record: InterviewInfo) -> Iterator[tuple[str, str, dict]]:
        """A draft's readable events in order: (kind, question, payload)."""
        yield from self.read_events(record).readable

    def list_interviews(self, status: str | None = None) -> list[InterviewInfo]:
        """Interviews on this device, newest first; ``status`` as :meth:`status_of` shows it
        ("draft" excludes the sent-back drafts, "sent_back" lists exactly those)."""
        stored = None if status in (Status.DRAFT, Status.SENT_BACK) else status
        found = [r for r in self.store.list_interviews(stored)
                 if status is None or self.status_of(r) == status]
        return sorted(found, key=lambda r: r.created_utc, reverse=True)

    def interview(self, interview_id: str) -> InterviewInfo:
        """One interview's bookkeeping (its id in full; StorageError if there is none)."""
        return self.store.interview(interview_id)

    def installed_forms(self) -> list[InstalledForm]:
        """The questionnaire versions installed on this device."""
        return self.store.list_forms()

    @staticmethod
    def status_of(record: InterviewInfo) -> str:
        """The status shown to people: a re-opened sent-back draft is "sent_back"."""
        return shown_status(record.status, record.revision)

    def resolve_id(self, given: str) -> str:
        """The full id of the interview ``given`` names: the id or a unique prefix of at
        least six characters (one-line error when none or several match)."""
        return resolve_prefix(given, (r.interview_id for r in self.store.list_interviews()))

    def case_label(self, record: InterviewInfo) -> str | None:
        """An interview's case label (the form's instance_name), or None."""
        return case_label.load(self, record)

    def home_summary(self, lang: str | None = None) -> HomeSummary:
        """Lists and counts for the Home screen (form titles in ``lang`` where given)."""
        return home_summary(self, lang=lang)

    def form_title(self, form_id: str, lang: str) -> str:
        """The newest installed version's title in ``lang`` (else its ``form_title``)."""
        forms = [f for f in self.store.list_forms() if f.form_id == form_id]
        if not forms:
            return form_id
        newest = max(forms, key=lambda f: version_key(f.version))
        return dashboard_form_title(self, newest, lang)

    def open_sealed(self, interview_id: str, private_key: Any) -> dict[str, Any]:
        """Supervisor on a laptop: a sealed interview's payload, opened with the project
        private key (nothing is written)."""
        record = self.store.interview(interview_id)
        seals = self.store.sealed_records(interview_id)
        if not seals:
            raise FieldAppError(N_("interview {interview_id} is {status} and has no sealed copy"),
                                code="session.interview-no-sealed-copy", interview_id=interview_id,
                                status=record.status)
        return open_sealed(private_key, seals[-1], record.form_id, record.form_version)

    # ----- headless recording (``fieldapp record``) -----------------------------------------
    def record_answers(self, form_path: Path, answers_path: Path, *,
                       interview_id: str | None = None, finalise: bool = False,
                       warn: Callable[[str], None] | None = None) -> str:
        """Record ANSWERS.json through the engine (and finalise); returns the interview id.

        Every answer is checked first. A new interview with any problem is not created at
        all (:class:`~fieldapp.answers_file.AnswersRejected` lists every problem). Continuing
        a draft records every valid answer and lists the problems of the rest. Questionnaire
        errors met on the way (an expression that fails at run time) go to ``warn``, one
        line each, and into the paradata; they never clear an answer.
        """
        language, answers = read_answers_file(answers_path)
        source = str(answers_path)
        form = load_questionnaire(form_path)
        if language and language not in form.languages:
            raise FieldAppError(N_("{path}: language '{language}' is not in {form} ({languages})"),
                                code="session.language-not", path=source, language=language,
                                form=form.form_id, languages=", ".join(form.languages))
        if interview_id:
            return self._continue_draft(form, interview_id, language, answers, source,
                                        finalise, warn)
        engine = self.new_engine(form, language=language)
        outcome = apply_answers(DryRun(engine, Path(answers_path).resolve().parent), answers)
        problems = outcome.problems + (unreported(completeness(engine), outcome.problems)
                                       if finalise else [])
        if warn is not None:
            for line in expression_warnings(form.form_id, engine):
                warn(line)
        if problems:
            raise AnswersRejected(source, problems, _(
                "nothing was recorded: fix these answers and run the command again"))
        self.install_form(form_path)
        recording = self.start_interview(form, language=language)
        recording.attachment_dir = Path(answers_path).resolve().parent  # files named in it
        applied = apply_answers(recording, answers)
        if applied.problems:  # cannot happen after the dry run; never lose them silently
            raise AnswersRejected(source, applied.problems, _(
                "interview {id} was kept as a draft with the other answers").format(
                id=recording.interview_id))
        if finalise:
            recording.finalise()
        else:
            recording.save_case_label()
        return recording.interview_id

    def _continue_draft(self, form: Questionnaire, interview_id: str, language: str | None,
                        answers: dict[str, Any], source: str, finalise: bool,
                        warn: Callable[[str], None] | None) -> str:
        record = self.store.interview(interview_id)
        if (form.form_id, form.version) != (record.form_id, record.form_version):
            raise FieldAppError(N_("interview {id} is a draft of {form} v{version}, not of this "
                                   "questionnaire"),
                                code="session.interview-draft-not-questionnaire",
                                id=record.interview_id, form=record.form_id,
                                version=record.form_version)
        recording = self.resume(interview_id)
        recording.attachment_dir = Path(source).resolve().parent  # files named in it
        if language:
            recording.set_language(language)
        outcome = apply_answers(recording, answers)
        problems = list(outcome.problems)
        if finalise and not problems:
            problems = completeness(recording.engine)
            if not problems:
                recording.finalise()
        if recording.record.status == Status.DRAFT:
            recording.save_case_label()
        if warn is not None:
            for line in expression_warnings(form.form_id, recording.engine):
                warn(line)
        if problems:
            raise AnswersRejected(source, problems, _(
                "{n} valid answer(s) were recorded in draft {id}; the problems above were not")
                .format(n=outcome.applied, id=recording.interview_id))
        return recording.interview_id

    def note(self, interview_id: str) -> str | None:
        """The supervisor's comment on an interview (decrypted), or None."""
        return read_note(self.keys, self.store.interview(interview_id))

    # ----- sync ---------------------------------------------------------------------------
    def push(self, target: str | Path, *, register: bool = False, batch: int = 200,
             progress: Callable[[ImportResult], None] | None = None,
             queued: Callable[[str, int], None] | None = None) -> PushResult:
        """Send every unacknowledged sealed interview: a signed bundle into a folder, or to a
        hub database (``postgresql+psycopg://…``).

        With a hub credential in the keyring (``fieldapp hub add-device``), a database push
        inserts bundles into the hub's intake as this device's own role (``queued(bundle_id,
        records)`` per bundle; ``PushResult.queued``): the supervisor's side verifies and
        applies them. Without one, the URL must carry hub privileges and the bundles are
        imported directly (``progress`` per bundle).
        """
        if is_url(str(target)):
            login = self.hub_credential()
            if login is not None:
                url = with_login(str(target), login["role"], login["password"])
                result = push_to_intake(self, url, batch=batch, progress=queued)
                result = replace(result, queued=True)
            else:
                result = push_to_hub(self, str(target), batch=batch, progress=progress)
        else:
            result = push_to_folder(self, Path(target), register=register)
        self.mark_synced()
        return result

    def pull(self, where: str | Path) -> tuple[list[Applied], list[str]]:
        """Apply this device's return bundles from a folder (or one file), or its return rows
        from the central hub (``postgresql+psycopg://…``, with the keyring's credential):
        decisions, acknowledgements, newer questionnaires, a new hub credential. Returns
        (applied, one line per rejection)."""
        if is_url(str(where)):
            login = self.hub_credential()
            if login is None:
                raise FieldAppError(N_("this device has no credential for a hub database yet: "
                                       "the supervisor runs 'fieldapp hub add-device' and you "
                                       "apply the return bundle it writes (sync pull --from "
                                       "FOLDER)"), code="sync.no_credential")
            url = with_login(str(where), login["role"], login["password"])
            applied, errors = pull_return_rows(self, url)
        else:
            applied, errors = pull_returns(self, Path(where))
        self._keep_credential(applied)
        self._forms.clear()  # newer questionnaire versions may have arrived
        if applied:
            self.mark_synced()
        return applied, errors

    def hub_credential(self) -> dict[str, str] | None:
        """The hub database login the keyring holds (``role``, ``password``, ``issued_utc``),
        decrypted in memory, or None."""
        secret = open_hub_credential(self.keyring, self.keys.dek)
        if secret is None:
            return None
        value = json.loads(secret)
        return {k: str(value[k]) for k in ("role", "password", "issued_utc")}

    def _keep_credential(self, applied: list[Applied]) -> None:
        """Store the newest credential the applied return bundles carried in the keyring."""
        held = self.hub_credential()
        newest = held["issued_utc"] if held else ""
        chosen = None
        for a in applied:
            if a.credential is not None:
                issued = str(json.loads(a.credential).get("issued_utc", ""))
                if issued > newest:
                    newest, chosen = issued, a.credential
        if chosen is not None:
            self.keyring = with_hub_credential(self.keyring, self.keys.dek, chosen)
            write_keyring_atomic(keyring_path(self.data_dir), self.keyring)

    def reopen_sent_back(self, interview_id: str, revision: int, content: dict[str, Any],
                         comment: str | None) -> bool:
        """Re-open a finalised interview as sent back, as a return bundle does (the
        supervisor's copy ``content``: language, answers, repeat_counts); for screenshots
        and demonstrations. False if not applicable."""
        return reopen_sent_back(self, interview_id, revision, content, comment)

    def mark_synced(self) -> None:
        """Remember when this device last synced (shown on Home)."""
        self.store.set_meta(LAST_SYNC_META, utc_now().isoformat())

    def last_synced(self) -> str | None:
        """When this device last synced (ISO text), or None."""
        return self.store.get_meta(LAST_SYNC_META)


def _open_store(data_dir: Path, read_only: bool) -> Store:
    """The device store; a read-only open of an old schema lets a writer upgrade it first."""
    path = data_dir / DATABASE_FILE
    if not read_only:
        return Store.open(path)
    try:
        return Store.open(path, read_only=True)
    except NeedsUpgrade:
        with WriterLock(data_dir, "fieldapp (upgrade)"), Store.open(path):
            pass
        return Store.open(path, read_only=True)
