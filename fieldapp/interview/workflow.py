"""Interview statuses and the transitions between them, each tied to a revision."""

from __future__ import annotations

from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_

DRAFT, FINALISED, APPROVED, SENT_BACK = "draft", "finalised", "approved", "sent_back"
DISCARDED = "discarded"

#: status → statuses it may move to. A sent-back interview is re-opened as a draft of
#: the next revision; approved interviews are locked; a discarded draft is sealed as it was
#: (with the reason) and goes to the supervisor, who sees it as discarded.
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({FINALISED, DISCARDED}),
    FINALISED: frozenset({APPROVED, SENT_BACK}),
    SENT_BACK: frozenset({DRAFT}),
    APPROVED: frozenset(),
    DISCARDED: frozenset(),
}


class StatusError(FieldAppError):
    """A status change that the workflow does not allow."""


def check_transition(interview_id: str, current: str, new: str) -> None:
    """Raise StatusError unless ``current`` → ``new`` is allowed."""
    if new not in TRANSITIONS.get(current, frozenset()):
        raise StatusError(N_("interview {interview_id}: cannot go from {current} to {new}"),
                          code="workflow.interview-cannot-go", interview_id=interview_id,
                          current=current, new=new)


def next_revision(current: str, new: str, revision: int) -> int:
    """Re-opening a sent-back interview starts a new revision; other moves keep it."""
    return revision + 1 if (current, new) == (SENT_BACK, DRAFT) else revision


def shown_status(status: str, revision: int) -> str:
    """The status people see on a device: a draft the supervisor sent back (re-opened as a
    later revision, with or without a comment) is "sent_back" until it is finalised again."""
    return SENT_BACK if status == DRAFT and revision > 1 else status
