"""Supervisor decisions at the hub: approve / send back, and explicit conflict resolution.

Comments are supervisor text that may mention the respondent, so the hub stores them sealed
to the project key (like the interviews); they are opened only when a return bundle is made
with the project private key, and travel to the device encrypted under its data key.
"""

from __future__ import annotations

from fieldapp.crypto import canonical, seal, unseal
from fieldapp.crypto.seal import public_key_from_bytes
from fieldapp.i18n import N_
from fieldapp.storage.hub_store import HubStore
from fieldapp.storage.hub_types import InterviewState
from fieldapp.sync.errors import HubError
from fieldapp.vocabulary import Decision, Status

#: The status each decision gives the interview.
RESULT = {Decision.APPROVE: Status.APPROVED, Decision.SEND_BACK: Status.SENT_BACK}
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


def decide(hub: HubStore, interview_id: str, decision: str, comment: str | None = None
           ) -> InterviewState:
    """Approve or send back an interview's current revision (it must be finalised)."""
    try:
        chosen = Decision(decision)
    except ValueError:
        raise ValueError(f"unknown decision {decision!r}") from None
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT:
        raise HubError(N_("the comment is too long (at most {MAX_COMMENT} characters)"),
                       code="decisions.comment-too-long-most", MAX_COMMENT=MAX_COMMENT)
    project = hub.project_public_key()
    if comment is not None and project is None:
        raise HubError(N_("{label}: the hub does not know the project key yet"),
                       code="decisions.hub-does-not-know", label=hub.label)

    def check(state: InterviewState | None) -> None:
        if state is None:
            raise HubError(N_("interview {interview_id} is not in this hub"),
                           code="decisions.interview-not-hub", interview_id=interview_id)
        if state.status != Status.FINALISED:
            what = ("in conflict: resolve it first (fieldapp conflicts)"
                    if state.status == Status.CONFLICT
                    else f"already {state.status.replace('_', ' ')}")
            raise HubError(N_("interview {interview_id} is {what}; only finalised interviews can "
                              "be approved or sent back"),
                           code="decisions.interview-finalised-interviews-approved",
                           interview_id=interview_id, what=what)

    def sealed(revision: int) -> bytes | None:
        if comment is None or project is None:
            return None
        return seal(public_key_from_bytes(project), comment.encode(),
                    comment_info(interview_id, revision, chosen))

    hub.decide(interview_id, decision=chosen, result=RESULT[chosen], check=check,
               seal_comment=sealed, has_comment=comment is not None)
    return hub.interview(interview_id)


def resolve(hub: HubStore, interview_id: str, keep: int, reason: str) -> InterviewState:
    """Close every open conflict of an interview by keeping record ``keep``, with a reason."""
    reason = reason.strip()
    if not reason:
        raise HubError(N_("give a reason for keeping this version (--reason)"),
                       code="decisions.give-reason-keeping-version")

    def check(has_open: bool, candidates: set[int]) -> None:
        if not has_open:
            raise HubError(N_("interview {interview_id} has no open conflict"),
                           code="decisions.interview-no-open-conflict", interview_id=interview_id)
        if keep not in candidates:
            listed = ", ".join(str(x) for x in sorted(candidates))
            raise HubError(N_("interview {interview_id}: record {keep} is not one of the "
                              "conflicting records ({listed})"),
                           code="decisions.interview-record-not-conflicting",
                           interview_id=interview_id, keep=keep, listed=listed)

    hub.resolve_conflict(interview_id, keep, reason, check)
    return hub.interview(interview_id)
