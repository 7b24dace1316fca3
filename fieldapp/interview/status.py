"""Interview statuses and the transitions between them, each tied to a revision."""

from __future__ import annotations

from fieldapp.errors import FieldAppError

DRAFT, FINALISED, APPROVED, SENT_BACK = "draft", "finalised", "approved", "sent_back"

#: status → statuses it may move to. A sent-back interview is re-opened as a draft of
#: the next revision; approved interviews are locked.
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({FINALISED}),
    FINALISED: frozenset({APPROVED, SENT_BACK}),
    SENT_BACK: frozenset({DRAFT}),
    APPROVED: frozenset(),
}


class StatusError(FieldAppError):
    """A status change that the workflow does not allow."""


def check_transition(interview_id: str, current: str, new: str) -> None:
    """Raise StatusError unless ``current`` → ``new`` is allowed."""
    if new not in TRANSITIONS.get(current, frozenset()):
        raise StatusError(f"interview {interview_id}: cannot go from {current} to {new}")


def next_revision(current: str, new: str, revision: int) -> int:
    """Re-opening a sent-back interview starts a new revision; other moves keep it."""
    return revision + 1 if (current, new) == (SENT_BACK, DRAFT) else revision
