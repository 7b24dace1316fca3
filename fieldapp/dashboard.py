"""The enumerator's day at a glance (Home screen data), read from an unlocked session; no Qt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fieldapp.interview.status import APPROVED, DRAFT, FINALISED, SENT_BACK
from fieldapp.storage.records import FormRecord, InterviewRecord

if TYPE_CHECKING:
    from fieldapp.session import FieldSession

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


@dataclass(frozen=True)
class HomeSummary:
    """Everything the Home screen shows."""

    forms: list[FormRecord]  # newest version of each installed questionnaire
    drafts: list[HomeItem]
    sent_back: list[HomeItem]  # drafts re-opened with a comment, or awaiting re-opening
    finalised: list[HomeItem]
    started_today: int
    finalised_today: int
    last_sync: dt.datetime | None


def _newest(forms: list[FormRecord]) -> list[FormRecord]:
    best: dict[str, FormRecord] = {}
    for form in forms:
        current = best.get(form.form_id)
        if current is None or _version_key(form.version) > _version_key(current.version):
            best[form.form_id] = form
    return sorted(best.values(), key=lambda f: f.title.lower())


def _version_key(version: str) -> tuple[int, str]:
    return (int(version), version) if version.isdigit() else (-1, version)


def supervisor_comment(session: FieldSession, record: InterviewRecord) -> str | None:
    """The supervisor's comment on an interview (decrypted by the session), or None."""
    if record.note_blob is None:
        return None
    reader = getattr(session, "note", None)  # FieldSession.note arrives with sync
    if reader is None:
        return None
    try:
        text = reader(record.interview_id)
    except Exception:  # an unreadable note must not break the Home screen
        return None
    return None if text is None else str(text)


def home_summary(session: FieldSession, today: dt.date | None = None) -> HomeSummary:
    """Lists and counts for the Home screen (local calendar day for "today")."""
    today = today or dt.datetime.now().astimezone().date()
    forms = _newest(session.store.list_forms())
    titles = {f.form_id: f.title for f in session.store.list_forms()}
    seals = {(s.interview_id, s.revision): s for s in session.store.sealed_records()}
    drafts, sent_back, finalised = [], [], []
    started_today = finalised_today = 0
    from fieldapp import case_label

    for record in session.list_interviews():
        seal = seals.get((record.interview_id, record.revision))
        title = titles.get(record.form_id, record.form_id)
        label = case_label.load(session, record) if hasattr(session, "keys") else None
        item = HomeItem(record.interview_id, record.form_id,
                        f"{label} · {title}" if label else title, record.status,
                        record.revision, record.created_utc, record.updated_utc,
                        supervisor_comment(session, record),
                        sent=bool(seal and seal.sent_bundle_id), acked=bool(seal and seal.acked))
        if record.created_utc.astimezone().date() == today:
            started_today += 1
        if record.status == SENT_BACK or (record.status == DRAFT and record.note_blob):
            sent_back.append(item)
        elif record.status == DRAFT:
            drafts.append(item)
        elif record.status in (FINALISED, APPROVED):
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
