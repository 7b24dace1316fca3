"""The enumerator's day at a glance (Home screen data), read from an unlocked session; no Qt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from fieldapp import case_label
from fieldapp.crypto.errors import CryptoError
from fieldapp.interview.workflow import shown_status
from fieldapp.questionnaire.titles import decode_titles, titles_key
from fieldapp.recording import read_note
from fieldapp.storage.device_types import InstalledForm, InterviewInfo
from fieldapp.versions import version_key
from fieldapp.vocabulary import Status

if TYPE_CHECKING:
    from fieldapp.device_parts import DeviceParts

LAST_SYNC_META = "last_sync"


@dataclass(frozen=True)
class HomeItem:
    """An interview as the Home lists show it (no answers)."""

    interview_id: str
    form_id: str
    title: str
    status: str
    revision: int
    created: dt.datetime
    updated: dt.datetime
    comment: str | None = None  # the supervisor's comment on a sent-back interview
    sent: bool = False  # a finalised interview went out in a sync bundle
    acked: bool = False  # … and the hub acknowledged it
    label: str = ""  # the case label (instance_name), "" when the form has none
    form_title: str = ""
    district: str = ""
    dong: str = ""
    language: str = ""  # interview language
    last: str = ""  # the question the interview stopped at


@dataclass(frozen=True)
class HomeSummary:
    """Everything the Home screen shows."""

    forms: list[InstalledForm]  # newest version of each installed questionnaire
    drafts: list[HomeItem]
    sent_back: list[HomeItem]  # drafts re-opened by the supervisor (with or without comment)
    finalised: list[HomeItem]
    started_today: int
    finalised_today: int
    last_sync: dt.datetime | None


def _newest(forms: list[InstalledForm]) -> list[InstalledForm]:
    best: dict[str, InstalledForm] = {}
    for form in forms:
        current = best.get(form.form_id)
        if current is None or version_key(form.version) > version_key(current.version):
            best[form.form_id] = form
    return sorted(best.values(), key=lambda f: f.title.lower())



def supervisor_comment(device: DeviceParts, record: InterviewInfo) -> str | None:
    """The supervisor's comment on an interview (decrypted), or None."""
    try:
        return read_note(device.keys, record)
    except CryptoError:  # an unreadable note must not break the Home screen
        return None


def form_title(session: DeviceParts, form: InstalledForm, lang: str | None) -> str:
    """An installed form's title in ``lang`` (its ``title_translated::`` column), else the
    ``form_title``."""
    if not lang:
        return form.title
    titles = decode_titles(session.store.get_meta(titles_key(form.form_id, form.version)))
    return titles.get(lang) or form.title


def home_summary(session: DeviceParts, today: dt.date | None = None,
                 lang: str | None = None) -> HomeSummary:
    """Lists and counts for the Home screen (local calendar day for "today"; form titles in
    ``lang`` where the form has them)."""
    today = today or dt.datetime.now().astimezone().date()
    installed = [replace(f, title=form_title(session, f, lang))
                 for f in session.store.list_forms()]
    forms = _newest(installed)
    titles = {f.form_id: f.title for f in _newest(installed)}
    seals = {(s.interview_id, s.revision): s for s in session.store.sealed_records()}
    drafts, sent_back, finalised = [], [], []
    started_today = finalised_today = 0
    for record in sorted(session.store.list_interviews(), key=lambda r: r.created_utc,
                         reverse=True):
        seal = seals.get((record.interview_id, record.revision))
        title = titles.get(record.form_id, record.form_id)
        facts = case_label.load_card(session, record)
        label = facts.get("label", "")
        status = shown_status(record.status, record.revision)
        item = HomeItem(record.interview_id, record.form_id,
                        f"{label} · {title}" if label else title, status,
                        record.revision, record.created_utc, record.updated_utc,
                        supervisor_comment(session, record),
                        sent=bool(seal and seal.sent_bundle_id), acked=bool(seal and seal.acked),
                        label=label, form_title=title, district=facts.get("district", ""),
                        dong=facts.get("dong", ""), language=facts.get("language", ""),
                        last=facts.get("last", ""))
        if record.created_utc.astimezone().date() == today:
            started_today += 1
        if status == Status.SENT_BACK or (record.status == Status.DRAFT and record.note_blob):
            sent_back.append(item)
        elif record.status == Status.DRAFT:
            drafts.append(item)
        elif record.status in (Status.FINALISED, Status.APPROVED):
            finalised.append(item)
            when = seal.sealed_utc if seal else record.updated_utc
            if when.astimezone().date() == today:
                finalised_today += 1
    raw = session.store.get_meta(LAST_SYNC_META)
    last_sync = None
    if raw:
        try:
            last_sync = dt.datetime.fromisoformat(raw)
        except ValueError:
            last_sync = None
    return HomeSummary(forms, drafts, sent_back, finalised, started_today, finalised_today,
                       last_sync)
