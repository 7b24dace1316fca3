"""SupervisorSession: the one façade the CLI and the GUI call for a hub (cf. FieldSession
for a device).

It owns an open :class:`~fieldapp.storage.hub_store.HubStore` (a folder or a PostgreSQL
database) and, once unlocked, the project private key - kept in memory only and dropped by
:meth:`lock`. Import and trust, review decisions, conflicts, progress, return bundles, export
and merge all go through here; nothing above it touches storage, sync or export internals.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from fieldapp import quality_cache
from fieldapp.crypto import fingerprint, load_project_private_key
from fieldapp.errors import FieldAppError
from fieldapp.export.merge import MergeResult, merge
from fieldapp.export.run import FORMATS, ExportOptions, ExportResult, export
from fieldapp.export.source import DeviceSource
from fieldapp.export.summary import DEFAULT_CITY_ORDER, SummaryOptions
from fieldapp.i18n import N_
from fieldapp.id_prefix import resolve_prefix
from fieldapp.paths import is_url
from fieldapp.quality import FormFacts, InterviewQuality, QualityReport, Thresholds
from fieldapp.quality import report as quality_report
from fieldapp.quality_measure import measure
from fieldapp.quality_pool import measure_hub
from fieldapp.questionnaire import Questionnaire, load_questionnaire_bytes
from fieldapp.recording import open_sealed
from fieldapp.review_rows import AnswerRow, CompareRow, answer_rows, compare_rows
from fieldapp.storage import hub_dashboard
from fieldapp.storage.errors import StorageError
from fieldapp.storage.hub_access import (
    AccessRoles,
    PermissionDenied,
    refused,
    revoke_device_role,
    set_up_access,
)
from fieldapp.storage.hub_dashboard import DashboardCounts, DashboardFilter
from fieldapp.storage.hub_intake import IntakeOutcome
from fieldapp.storage.hub_store import HubStore, safe_url
from fieldapp.storage.hub_types import (
    Conflict,
    HistoryEntry,
    InterviewState,
    SealedCopy,
    TrustedDevice,
)
from fieldapp.storage.store import Store
from fieldapp.sync.central import pull_from_hub
from fieldapp.sync.decisions import decide, resolve
from fieldapp.sync.hub_import import import_bundle, import_files
from fieldapp.sync.intake import IntakeReport, process_intake, run_intake, shown_reason
from fieldapp.sync.preview import BundlePreview, bundle_paths, preview_bundle
from fieldapp.sync.progress import HubCounts, count_hub
from fieldapp.sync.results import ImportResult
from fieldapp.sync.returns import (
    ReturnWritten,
    install_hub_form,
    issue_credential,
    write_return_bundles,
    write_return_rows,
)
from fieldapp.vocabulary import Decision

__all__ = ["DEFAULT_CITY_ORDER", "FORMATS", "AccessRoles", "BundlePreview", "DashboardCounts",
           "DashboardFilter", "ExportOptions", "ExportResult", "ImportResult", "IntakeOutcome",
           "IntakeReport", "MergeResult", "QualityReport", "ReturnWritten", "SummaryOptions",
           "SupervisorSession", "is_url"]

DATABASE_FILE = "fieldapp.db"  # a device's store (= fieldapp.session.DATABASE_FILE)


class KeyLocked(FieldAppError):
    """The operation needs the project private key, which is not unlocked."""


class SupervisorSession:
    """An open hub, optionally with the project private key unlocked."""

    def __init__(self, hub: HubStore) -> None:
        self.hub = hub
        self._key: Any = None
        self._forms: dict[tuple[str, str], Questionnaire] = {}
        #: the dashboard's cube and the hub change it was read at
        self._cube: tuple[int, list[hub_dashboard.Cell]] | None = None
        #: the last quality report and the hub change / thresholds it was computed at
        self._quality_report: tuple[Any, QualityReport] | None = None
        #: per-interview indicators by (record id, sha256): measured once per sealed copy
        self._quality: dict[tuple[int, str], InterviewQuality | None] = {}
        self._quality_thresholds = Thresholds()  # what ``_quality`` was measured with
        self._quality_saving: threading.Thread | None = None  # kept indicators being written

    @classmethod
    def open(cls, target: str | os.PathLike[str], *, create: bool = False
             ) -> SupervisorSession:
        """Open a hub folder or ``postgresql+psycopg://`` database (``create``: a new one)."""
        try:
            return cls(HubStore.open(target, create=create))
        except StorageError as exc:
            if not refused(exc):
                raise
            raise PermissionDenied(N_("{hub}: this role may not create or upgrade the hub's "
                                      "tables; the database owner runs 'fieldapp hub setup "
                                      "--hub OWNER_URL' (after installing this version)"),
                                   hub=safe_url(str(target))) from None

    @property
    def label(self) -> str:
        """The hub's folder, or its URL without the password."""
        return self.hub.label

    @property
    def central(self) -> bool:
        """True for a server database (devices online upload into its intake)."""
        return is_url(self.hub.label)

    def close(self) -> None:
        """Drop the key and release the database."""
        self.lock()
        self.hub.close()

    def __enter__(self) -> SupervisorSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- the project private key --------------------------------------------------------
    def unlock(self, key_file: Path, passphrase: str) -> str:
        """Unlock the project private key (memory only); returns its fingerprint."""
        self._key = load_project_private_key(key_file, passphrase)
        return self.key_fingerprint

    def use_key(self, private_key: Any) -> None:
        """Use an already unlocked project private key."""
        self._key = private_key

    def lock(self) -> None:
        """Forget the project private key (and everything derived from the answers)."""
        self._key = None
        self._finish_saving()
        self._quality.clear()
        self._quality_report = None

    @property
    def key_fingerprint(self) -> str:
        """The unlocked project key's fingerprint ("" while locked)."""
        return "" if self._key is None else fingerprint(self._key.public_key())

    @property
    def unlocked(self) -> bool:
        """True while the project private key is in memory."""
        return self._key is not None

    def _need_key(self) -> Any:
        if self._key is None:
            raise KeyLocked(N_("the project private key is needed here: unlock it first (--key "
                               "project.key)"), code="supervisor.project-private-key-needed")
        return self._key

    # ----- import and trust --------------------------------------------------------------
    def import_bundles(self, where: Path, *, trust: bool = False
                       ) -> tuple[list[ImportResult], list[str], int]:
        """Import a bundle file or every bundle in a folder: (results, errors, skipped)."""
        return import_files(self.hub, Path(where), trust=trust)

    @staticmethod
    def bundle_paths(where: Path) -> list[Path]:
        """The bundle files in a folder (or the one file given)."""
        return bundle_paths(Path(where))

    def preview_bundle(self, path: Path) -> BundlePreview:
        """What importing one bundle would do (verified, nothing written)."""
        return preview_bundle(self.hub, Path(path))

    def import_bundle(self, path: Path, *, trust: bool = False) -> ImportResult:
        """Import one bundle file (``trust``: accept its device if new)."""
        return import_bundle(self.hub, Path(path), trust=trust)

    def pull_central(self, url: str, *, trust: bool = False
                     ) -> tuple[list[ImportResult], list[str], int]:
        """Import every bundle a central hub database holds that this hub lacks."""
        with HubStore.open(url) as central:
            return pull_from_hub(self.hub, central, trust=trust)

    def devices(self) -> list[TrustedDevice]:
        """Trusted devices, by enumerator."""
        return self.hub.devices()

    # ----- central hub: device roles, intake, return rows --------------------------------
    @staticmethod
    def set_up_database(url: str, *, prefix: str | None = None) -> AccessRoles:
        """As the database owner: migrate a central hub and create its group roles, grants
        and row-level security (idempotent)."""
        return set_up_access(url, prefix=prefix)

    def add_device(self, device_id: str, folder: Path) -> tuple[str, ReturnWritten]:
        """Give a trusted device its own database role with a fresh random password (again:
        a new one), sent to the device encrypted under its data key in a return bundle
        written into ``folder``. Returns (role, what was written)."""
        return issue_credential(self.hub, self._need_key(), device_id, Path(folder))

    def revoke_device(self, device_id: str) -> str:
        """Stop a device's database role from logging in (e.g. a stolen laptop)."""
        return revoke_device_role(self.hub.engine, device_id)

    def process_intake(self, *, limit: int | None = None,
                       progress: Callable[[IntakeReport], None] | None = None
                       ) -> IntakeReport:
        """Verify and apply the bundles devices inserted into this hub's intake (the checks
        of a bundle file); rejected rows keep their reason."""
        return process_intake(self.hub, limit=limit, progress=progress)

    def run_intake(self, *, interval: float, after_batch: Callable[[IntakeReport], None],
                   stop: Callable[[], bool],
                   on_lost: Callable[[FieldAppError], None] | None = None) -> None:
        """Process the intake until ``stop()``; with the key unlocked, every round also
        writes return rows (acknowledgements, decisions made meanwhile) for the devices. A
        lost database connection goes to ``on_lost`` and is retried after ``interval``."""
        def returns() -> None:
            if self._key is not None:
                write_return_rows(self.hub, self._key)

        run_intake(self.hub, interval=interval, after_batch=after_batch, stop=stop,
                   each_round=returns, on_lost=on_lost)

    def intake(self, status: str | None = None) -> list[IntakeOutcome]:
        """Intake rows (pending, applied, rejected with reason), oldest first; reasons in
        the current language."""
        return [replace(r, reason=shown_reason(r.reason)) for r in self.hub.intake_rows(status)]

    def write_return_rows(self, *, forms: Sequence[Path] = ()) -> list[ReturnWritten]:
        """Return rows in the central hub for every device with a role and something new."""
        key = self._need_key()
        installed = [install_hub_form(self.hub, Path(path)) for path in forms]
        return write_return_rows(self.hub, key, forms=installed)

    def odd_cities(self, device_ids: Iterable[str]) -> list[tuple[TrustedDevice, list[str]]]:
        """Devices among ``device_ids`` set up for another city than the hub's other devices
        (or, on a new hub, than most of them): (device, the hub's cities), for a warning."""
        new = set(device_ids)
        devices = self.devices()
        others = Counter(d.city for d in devices if d.device_id not in new and d.city)
        if not others:
            majority = Counter(d.city for d in devices if d.device_id in new and d.city)
            others = Counter(dict(majority.most_common(1)))
        return [(d, sorted(others)) for d in devices
                if d.device_id in new and d.city and others and d.city not in others]

    # ----- interviews, review and conflicts ----------------------------------------------
    def interviews(self, status: str | None = None) -> list[InterviewState]:
        """Every interview (optionally of one status), by id."""
        return self.hub.interviews(status)

    def resolve_id(self, given: str) -> str:
        """The full id of the interview ``given`` names: the id or a unique prefix of at
        least six characters (one-line error when none or several match)."""
        return resolve_prefix(given, (s.interview_id for s in self.interviews()))

    def interview(self, interview_id: str) -> InterviewState:
        """One interview's state at the hub."""
        return self.hub.interview(interview_id)

    def history(self, interview_id: str) -> list[HistoryEntry]:
        """Everything that happened to an interview at this hub."""
        return self.hub.history(interview_id)

    def copy(self, record_id: int) -> SealedCopy:
        """One received sealed copy (e.g. a side of a conflict)."""
        return self.hub.copy(record_id)

    def open_interview(self, interview_id: str, record_id: int | None = None
                       ) -> tuple[SealedCopy, dict[str, Any]]:
        """An interview's current (or chosen) copy, decrypted in memory: (copy, payload)."""
        state = self.hub.interview(interview_id)
        chosen = record_id if record_id is not None else state.record_id
        if chosen is None:
            raise FieldAppError(N_("interview {interview_id} has no record at this hub"),
                                code="supervisor.interview-no-record-hub",
                                interview_id=interview_id)
        copy = self.hub.copy(chosen)
        if copy.interview_id != interview_id:
            raise FieldAppError(N_("record {chosen} belongs to another interview"),
                                code="supervisor.record-belongs-another-interview", chosen=chosen)
        return copy, open_sealed(self._need_key(), copy, copy.form_id, copy.form_version)

    def listing(self, status: str | None = None) -> list[SealedCopy]:
        """Current copies for the review list: ``status`` None = every interview not in
        conflict, a status = only those, "conflict" = both sides of open conflicts."""
        return list(self.hub.copies(status, blobs=False))  # a list to read: no sealed bytes

    def answers(self, interview_id: str, lang: str, record_id: int | None = None
                ) -> tuple[SealedCopy, dict[str, Any], list[AnswerRow]]:
        """An interview decrypted in memory: (copy, payload, answer rows in ``lang``)."""
        copy, payload = self.open_interview(interview_id, record_id)
        form = self.questionnaire(copy.form_id, copy.form_version)
        return copy, payload, answer_rows(form, payload.get("answers") or {}, lang)

    def compare(self, interview_id: str, record_a: int, record_b: int, lang: str
                ) -> list[CompareRow]:
        """Two copies of one interview side by side (a conflict), differences marked."""
        copy, left = self.open_interview(interview_id, record_a)
        _other, right = self.open_interview(interview_id, record_b)
        form = self.questionnaire(copy.form_id, copy.form_version)
        return compare_rows(form, left.get("answers") or {}, right.get("answers") or {}, lang)

    def interview_quality(self, interview_id: str, record_id: int | None = None
                          ) -> InterviewQuality:
        """One interview's indicators (flags need the other interviews: see quality())."""
        copy, payload = self.open_interview(interview_id, record_id)
        facts = FormFacts.of(self.questionnaire(copy.form_id, copy.form_version), Thresholds())
        cached = self._quality.get((copy.record_id, copy.sha256))
        return cached or measure(payload, facts, enumerator=copy.enumerator, city=copy.city)

    def decide(self, interview_id: str, decision: Decision | str, comment: str | None = None
               ) -> InterviewState:
        """Approve or send back a finalised interview (the comment goes to the device)."""
        return decide(self.hub, interview_id, decision, comment)

    def conflicts(self, *, include_resolved: bool = False) -> list[Conflict]:
        """Open (or all) conflicts, oldest first."""
        return self.hub.conflicts(include_resolved=include_resolved)

    def resolve(self, interview_id: str, keep: int, reason: str) -> InterviewState:
        """Close an interview's conflicts by keeping record ``keep``, with a reason."""
        return resolve(self.hub, interview_id, keep, reason)

    # ----- progress ----------------------------------------------------------------------
    def progress(self) -> HubCounts:
        """Interviews by status and by city, district, Dong, enumerator and day (district
        and Dong only while the key is unlocked: they are answers inside the seals)."""
        if self._key is None:
            return count_hub(self.hub)
        self.quality()  # reads district and Dong of every copy it measures (cached)
        places = {record_id: (q.district, q.dong)
                  for (record_id, _sha), q in list(self._quality.items()) if q is not None}
        return count_hub(self.hub, self._key, places)

    def dashboard(self, where: DashboardFilter | None = None) -> DashboardCounts:
        """Interviews by city, enumerator, day and questionnaire and by status: one SQL
        GROUP BY per change of the hub; filters and regrouping then reuse it."""
        token = hub_dashboard.change_token(self.hub)
        if self._cube is None or self._cube[0] != token:
            self._cube = (token, hub_dashboard.cube(self.hub))
        return hub_dashboard.dashboard_counts(self.hub, where or DashboardFilter(),
                                              cells=self._cube[1])

    def dashboard_choices(self) -> dict[str, list[str]]:
        """Cities and enumerators for the dashboard's filters."""
        return hub_dashboard.choices(self.hub)

    def targets(self) -> dict[str, int]:
        """Target interviews per district."""
        return hub_dashboard.targets(self.hub)

    def set_targets(self, wanted: dict[str, int]) -> dict[str, int]:
        """Set the targets per district (0 removes one)."""
        return hub_dashboard.set_targets(self.hub, wanted)

    # ----- quality -----------------------------------------------------------------------
    def questionnaire(self, form_id: str, version: str) -> Questionnaire:
        """A questionnaire version the hub holds (parsed once)."""
        key = (form_id, version)
        if key not in self._forms:
            content = self.hub.form_content(form_id, version)
            if content is None:
                raise FieldAppError(N_("questionnaire {form_id} version {version} is not at "
                                       "this hub"), code="hub.no_form", form_id=form_id,
                                    version=version)
            self._forms[key] = load_questionnaire_bytes(content, f"{form_id}.xlsx")
        return self._forms[key]

    def quality(self, *, thresholds: Thresholds | None = None,
                progress: Callable[[int, int], Any] | None = None,
                cancelled: Callable[[], bool] | None = None) -> QualityReport:
        """Quality indicators of every current interview (needs the key; each sealed copy
        is measured once per session, later calls reuse it)."""
        key = self._need_key()
        t = thresholds or Thresholds()
        if t != self._quality_thresholds:
            self._quality.clear()  # measured with other thresholds
            self._quality_thresholds = t
        token = (hub_dashboard.change_token(self.hub), t)
        if self._quality_report is not None and self._quality_report[0] == token:
            return self._quality_report[1]  # the hub has not changed since
        folder = self._cache_folder()
        self._finish_saving()
        if not self._quality:  # first run of this session: what an earlier one kept
            self._quality.update(quality_cache.load(folder, key, t))
        run = measure_hub(self.hub, key, self._quality, self.questionnaire, t,
                          progress=progress, cancelled=cancelled)
        report = quality_report(run.items, t)
        report.unreadable = run.unreadable
        if run.complete:  # a cancelled run reports what was measured so far, uncached
            self._quality_report = (token, report)
            if run.measured:
                self._quality_saving = quality_cache.save_in_background(
                    folder, key.public_key(), t, self._quality, run.keys)
        return report

    def _finish_saving(self) -> None:
        if self._quality_saving is not None:
            self._quality_saving.join()
            self._quality_saving = None

    def _cache_folder(self) -> Path | None:
        """Where a folder hub keeps its sealed indicators (None: a server hub)."""
        where = self.hub.location().sqlite_path
        return Path(where).parent if where else None

    # ----- return bundles, questionnaires ------------------------------------------------
    def write_returns(self, folder: Path, *, forms: Sequence[Path] = ()) -> list[ReturnWritten]:
        """One return bundle per device with decisions, acknowledgements or ``forms``."""
        key = self._need_key()
        installed = [install_hub_form(self.hub, Path(path)) for path in forms]
        return write_return_bundles(self.hub, key, Path(folder), forms=installed)

    # ----- export and merge --------------------------------------------------------------
    def export(self, options: ExportOptions) -> ExportResult:
        """Decrypt and export this hub's interviews."""
        return export(self.hub, self._need_key(), options)

    @staticmethod
    def check_target(target: str | os.PathLike[str]) -> str:
        """Open an existing hub once and close it (the connection test); its label."""
        with HubStore.open(target) as hub:
            return hub.label

    @staticmethod
    def export_device(data_dir: Path, private_key: Any, options: ExportOptions
                      ) -> ExportResult:
        """Export the sealed interviews of a device's data directory (read-only)."""
        path = Path(data_dir) / DATABASE_FILE
        if not path.is_file():
            raise FieldAppError(N_("{data_dir}: no device data here"),
                                code="supervisor.no-device-data-here", data_dir=data_dir)
        with Store.open(path, read_only=True) as store:
            return export(DeviceSource(store), private_key, options)

    @staticmethod
    def merge(inputs: Sequence[Path], out: Path, *, lang: str | None = None,
              labels: bool = False, progress: Callable[[int, int | None], Any] | None = None,
              summary: SummaryOptions | None = None) -> MergeResult:
        """Merge several exports (e.g. the three cities) into one workbook."""
        return merge(list(inputs), out, lang=lang, labels=labels, progress=progress,
                     summary=summary)
