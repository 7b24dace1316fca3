"""``export()``: decrypt every selected interview once and stream it into the writer."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldapp.clock import utc_now
from fieldapp.crypto import fingerprint
from fieldapp.errors import Note
from fieldapp.export.about import ExportInfo
from fieldapp.export.atomic import os_error_text
from fieldapp.export.attachments_out import AttachmentsOut
from fieldapp.export.errors import ExportCancelled, ExportError
from fieldapp.export.layout import build_layout
from fieldapp.export.parallel import Helpers, auto_workers, opened
from fieldapp.export.schema import localise_choice_names, merge_versions, repeat_paths
from fieldapp.export.source import STATUS_FILTERS, InterviewSource
from fieldapp.export.summary import Accumulator, SummaryOptions
from fieldapp.i18n import N_
from fieldapp.questionnaire import Questionnaire, load_questionnaire_bytes
from fieldapp.versions import version_key
from fieldapp.vocabulary import Status

FORMATS = ("xlsx", "csv", "sav", "dta")
#: progress(done, total) → False to cancel; total is None when the source cannot count.
Progress = Callable[[int, int | None], bool | None]
_BATCH = 2000


@dataclass
class ExportOptions:
    """What to export and how."""

    out: Path
    fmt: str = "xlsx"
    lang: str | None = None
    status: str = "all"
    form_id: str | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    progress: Progress | None = None
    workers: int | None = None  # decrypting helper processes; None = automatic
    summary: SummaryOptions = field(default_factory=SummaryOptions)  # city order, pooled


@dataclass
class ExportResult:
    """What was written."""

    paths: list[Path]
    interviews: int
    info: ExportInfo



#: why interviews were left out (English in the about sheet, shown in the user's language)
_DISCARDED = Note(N_("discarded by the enumerator"))
_OTHER_FORM = Note(N_("other questionnaire"))
_OTHER_VERSION = N_("questionnaire version {version} not in the source")
_UNREADABLE = Note(N_("cannot be decrypted (damaged or another project's key)"))

def choose_forms(source: InterviewSource, status: str | None,
                 form_id: str | None) -> list[Questionnaire]:
    """Every version of the questionnaire to export (loaded from the source's bytes)."""
    forms = list(source.forms())
    ids = sorted({f[0] for f in forms})
    if not ids:
        raise ExportError(N_("the source holds no questionnaires"),
                          code="run.source-holds-no-questionnaires")
    if form_id is None:
        used = getattr(source, "form_ids", None)
        candidates = (sorted(set(used(status)) & set(ids)) if used else []) or ids
        if len(candidates) != 1:
            raise ExportError(N_("the source holds several questionnaires ({join}): choose one "
                                 "with --form FORM_ID"),
                              code="run.source-holds-several-questionnaires",
                              join=', '.join(ids))
        form_id = candidates[0]
    if form_id not in ids:
        raise ExportError(N_("questionnaire {form_id} is not in the source (it has {join})"),
                          code="run.questionnaire-not-source", form_id=form_id,
                          join=', '.join(ids))
    return [load_questionnaire_bytes(content, f"{fid} v{version}")
            for fid, version, content in forms if fid == form_id]


def _writer(options: ExportOptions, layout: Any, lang: str) -> Any:
    if options.fmt == "xlsx":
        from fieldapp.export.xlsx.workbook import XlsxWorkbook

        return XlsxWorkbook(options.out, layout, lang, summary=options.summary)
    if options.fmt == "csv":
        from fieldapp.export.csv_files import CsvFiles

        return CsvFiles(options.out, layout)
    if options.fmt in ("sav", "dta"):
        from fieldapp.export.spss_stata import SpssStataFiles

        return SpssStataFiles(options.out, layout, lang, options.fmt)
    raise ExportError(N_("unknown format {fmt} (use {join})"),
                      code="run.unknown-format-use", fmt=options.fmt, join=', '.join(FORMATS))


def export(source: InterviewSource, private_key: Any, options: ExportOptions) -> ExportResult:
    """Decrypt and export; the target is replaced atomically or left as it was."""
    if options.status not in STATUS_FILTERS:
        raise ExportError(N_("unknown status filter {status} (use {join})"),
                          code="run.unknown-status-filter-use", status=options.status,
                          join=', '.join(STATUS_FILTERS))
    status = options.status
    count = getattr(source, "count", None)
    total = count(status) if count else None
    workers = auto_workers(total) if options.workers is None else options.workers
    helpers = None
    if workers > 0:  # started first: they import while the questionnaire is read
        locate = getattr(source, "location", None)
        helpers = Helpers(private_key, workers, locate() if locate is not None else None)
    try:
        return _export(source, private_key, options, total, helpers)
    finally:
        if helpers is not None:
            helpers.close()


def _export(source: InterviewSource, private_key: Any, options: ExportOptions,
            total: int | None, helpers: Helpers | None) -> ExportResult:
    status = options.status
    forms = choose_forms(source, status, options.form_id)
    newest = max(forms, key=lambda f: version_key(f.version))
    lang = options.lang or newest.default_language
    if lang not in {lang for f in forms for lang in f.languages}:
        raise ExportError(N_("language {lang_text} is not in {form_id} ({join})"),
                          code="run.language-not", lang_text=lang, form_id=newest.form_id,
                          join=', '.join(newest.languages))
    info = ExportInfo(form_id=newest.form_id, title=newest.title, language=lang,
                      versions=tuple(sorted({f.version for f in forms}, key=version_key)),
                      status_filter=options.status,
                      key_fingerprint=fingerprint(private_key.public_key()),
                      exported_utc=utc_now().isoformat(timespec="seconds"))
    variables = localise_choice_names(merge_versions(forms, options.mapping, info.warnings),
                                      lang)
    layout = build_layout(variables, repeat_paths(forms))
    writer = _writer(options, layout, lang)
    files = AttachmentsOut(options.out)
    try:
        acc = _stream(source, private_key, status, options, layout, writer, info, forms, files,
                      total, helpers)
        if files.rows:
            info.warnings.append(Note(
                N_("{n} attached file(s) are in {folder}/ (listed in index.csv and the "
                   "attachments sheet)") if options.fmt == "xlsx" else
                N_("{n} attached file(s) are in {folder}/ (listed in index.csv)"),
                {"n": len(files.rows), "folder": files.target.name}))
        sheet = files.sheet()
        paths = writer.finish(acc, info, [("attachments", sheet)]) if sheet and \
            options.fmt == "xlsx" else writer.finish(acc, info)
        folder = files.commit()
    except OSError as exc:
        writer.abort()
        files.abort()
        raise ExportError(N_("{out}: {value} while writing; the previous file is unchanged"),
                          code="run.while-writing-previous-file", out=options.out,
                          value=os_error_text(exc)) from None
    except BaseException:
        writer.abort()
        files.abort()
        raise
    return ExportResult(paths + ([folder] if folder is not None else []), info.interviews,
                        info)


def _stream(source: InterviewSource, key: Any, status: str | None, options: ExportOptions,
            layout: Any, writer: Any, info: ExportInfo, forms: list[Questionnaire],
            files: AttachmentsOut, total: int | None, helpers: Helpers | None
            ) -> Accumulator:
    versions = {f.version for f in forms}
    form_id = forms[0].form_id
    acc = Accumulator(layout.main)
    skipped: Counter[str] = Counter()
    damaged: list[str] = []
    partly: list[str] = []  # opened, but with events the device could not read
    conflicts: list[str] = []
    repeat_rows: Counter[str] = Counter()
    batch: list[list[Any]] = []
    _report(options, 0, total)
    progress_state: dict[str, Any] = {"done": 0, "last": time.monotonic()}

    if helpers is not None and helpers.location is not None:  # helpers read the blobs
        copies = source.copies(status, blobs=False)  # type: ignore[call-arg]
    else:
        copies = source.copies(status)

    def wanted() -> Any:
        for record in copies:
            progress_state["done"] += 1
            if time.monotonic() - progress_state["last"] > 0.2:
                progress_state["last"] = time.monotonic()
                _report(options, progress_state["done"], total)
            # drafts the enumerator discarded are never in an export's data unless asked for
            if record.status == Status.DISCARDED and status != Status.DISCARDED:
                skipped[_DISCARDED] += 1
            elif record.form_id != form_id:
                skipped[_OTHER_FORM] += 1
            elif record.form_version not in versions:
                skipped[Note(_OTHER_VERSION, {"version": record.form_version})] += 1
            else:
                yield record

    for record, built in opened(wanted(), key, layout, helpers):
        if built is None:
            damaged.append(record.interview_id)
            continue
        row, repeats, attached, unreadable = built
        if unreadable:
            partly.append(record.interview_id)
        writer.add_main(row)
        if attached:
            files.add(record.interview_id, attached)
        if record.status == Status.CONFLICT:  # both sides of an open conflict
            conflicts.append(record.interview_id)
        else:
            batch.append(row)
        for index, rows in repeats:
            table = layout.repeats[index]
            writer.add_repeat(table, rows)
            repeat_rows[table.name] += len(rows)
        if len(batch) >= _BATCH:
            acc.add_rows(batch)
            batch = []
    done = progress_state["done"]
    acc.add_rows(batch)
    _report(options, done, total)
    info.interviews = acc.groups.total() + len(conflicts)
    if conflicts:
        ids = sorted(set(conflicts))
        info.warnings.append(Note(N_(
            "{n} interview(s) in an open conflict are exported with status '{status}' (each "
            "side one row) and left out of the summary: {ids}"),
            {"n": len(ids), "status": Status.CONFLICT.value, "ids": ", ".join(ids)}))
    if partly:
        info.warnings.append(Note(N_(
            "{n} interview(s) had answers the laptop could not read back (damaged storage); "
            "the enumerator was asked to record them again and the damaged events are kept, "
            "encrypted, in the sealed copy: {ids}"),
            {"n": len(partly), "ids": ", ".join(sorted(partly))}))
    info.repeat_rows = {t.name: repeat_rows.get(t.name, 0) for t in layout.repeats}
    info.skipped = dict(skipped)
    if damaged:
        if not info.interviews and not conflicts:
            raise ExportError(N_("none of the {count} interview(s) could be decrypted with this "
                                 "project key (wrong key, or damaged data); nothing written"),
                              code="run.none-interview-s-could", count=len(damaged))
        info.skipped[_UNREADABLE] = len(damaged)
        info.warnings.append(Note(N_(
            "{n} interview(s) could not be decrypted and are not in this export: {ids}"),
            {"n": len(damaged), "ids": ", ".join(damaged)}))
    return acc


def _report(options: ExportOptions, done: int, total: int | None) -> None:
    if options.progress is not None and options.progress(done, total) is False:
        raise ExportCancelled()
