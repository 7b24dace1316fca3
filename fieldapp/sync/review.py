"""Supervisor decisions at the hub: approve / send back, and explicit conflict resolution.

Comments are supervisor text that may mention the respondent, so the hub stores them sealed
to the project key (like the interviews); they are opened only when a return bundle is made
with the project private key, and travel to the device encrypted under its data key.
"""

from __future__ import annotations

from sqlalchemy import select, update

from fieldapp.crypto import canonical, seal, unseal
from fieldapp.crypto.seal import public_key_from_bytes
from fieldapp.storage.records import now_utc_text
from fieldapp.storage.tables import hub_conflicts, hub_decisions, hub_interviews, hub_records
from fieldapp.sync.errors import HubError
from fieldapp.sync.hub import Hub
from fieldapp.sync.records import APPROVED, CONFLICT, FINALISED, SENT_BACK, InterviewState
from fieldapp.sync.sql import add_history, lock_interview

APPROVE, SEND_BACK = "approve", "send_back"
_RESULT = {APPROVE: APPROVED, SEND_BACK: SENT_BACK}
MAX_COMMENT = 4000


def comment_info(interview_id: str, revision: int, decision: str) -> bytes:
    """HPKE context binding a sealed comment to its interview, revision and decision."""
    return canonical(interview_id, revision, decision, domain="review-comment")


def open_comment(private_key: object, sealed: bytes | None, interview_id: str, revision: int,
                 decision: str) -> str | None:
    """Supervisor side: the comment text (None if there is none)."""
    if sealed is None:
        return None
    return unseal(private_key, sealed, comment_info(interview_id, revision,  # type: ignore[arg-type]
                                                   decision)).decode()


def decide(hub: Hub, interview_id: str, decision: str, comment: str | None = None
           ) -> InterviewState:
    """Approve or send back an interview's current revision (it must be finalised)."""
    if decision not in _RESULT:
        raise ValueError(f"unknown decision {decision!r}")
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT:
        raise HubError(f"the comment is too long (at most {MAX_COMMENT} characters)")
    project = hub.project_public_key()
    now = now_utc_text()
    with hub.write() as conn:
        row = lock_interview(conn, interview_id)
        if row is None:
            raise HubError(f"interview {interview_id} is not in this hub")
        if row.status != FINALISED:
            what = "in conflict: resolve it first (fieldapp conflicts)" if row.status == CONFLICT \
                else f"already {row.status.replace('_', ' ')}"
            raise HubError(f"interview {interview_id} is {what}; only finalised interviews "
                           "can be approved or sent back")
        sealed = None
        if comment is not None:
            if project is None:
                raise HubError(f"{hub.label}: the hub does not know the project key yet")
            sealed = seal(public_key_from_bytes(project), comment.encode(),
                          comment_info(interview_id, row.revision, decision))
        conn.execute(hub_decisions.insert().values(
            interview_id=interview_id, revision=row.revision, record_id=row.record_id,
            device_id=row.device_id, decision=decision, comment_sealed=sealed,
            decided_utc=now))
        conn.execute(update(hub_interviews).where(hub_interviews.c.interview_id == interview_id)
                     .values(status=_RESULT[decision], updated_utc=now))
        add_history(conn, interview_id, row.revision, row.record_id, _RESULT[decision],
                    "with a comment" if comment else "", now)
    return hub.interview(interview_id)


def resolve(hub: Hub, interview_id: str, keep: int, reason: str) -> InterviewState:
    """Close every open conflict of an interview by keeping record ``keep``, with a reason."""
    reason = reason.strip()
    if not reason:
        raise HubError("give a reason for keeping this version (--reason)")
    now = now_utc_text()
    c, r = hub_conflicts, hub_records
    with hub.write() as conn:
        row = lock_interview(conn, interview_id)
        open_rows = conn.execute(select(c).where((c.c.interview_id == interview_id)
                                                 & c.c.resolved_utc.is_(None))).all()
        if row is None or not open_rows:
            raise HubError(f"interview {interview_id} has no open conflict")
        candidates = {x.record_a for x in open_rows} | {x.record_b for x in open_rows}
        if keep not in candidates:
            listed = ", ".join(str(x) for x in sorted(candidates))
            raise HubError(f"interview {interview_id}: record {keep} is not one of the "
                           f"conflicting records ({listed})")
        kept = conn.execute(select(r.c.revision, r.c.device_id).where(r.c.id == keep)).one()
        conn.execute(update(c).where((c.c.interview_id == interview_id)
                                     & c.c.resolved_utc.is_(None))
                     .values(resolved_utc=now, kept=keep, resolution=reason))
        conn.execute(update(hub_interviews).where(hub_interviews.c.interview_id == interview_id)
                     .values(status=FINALISED, record_id=keep, revision=kept.revision,
                             device_id=kept.device_id, updated_utc=now))
        add_history(conn, interview_id, kept.revision, keep, "resolved",
                    f"kept record {keep}: {reason}", now)
    return hub.interview(interview_id)
