"""The transitions between interview statuses (:class:`fieldapp.vocabulary.Status`), each
tied to a revision."""

from __future__ import annotations

from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_
from fieldapp.vocabulary import Status

#: status → statuses it may move to. A sent-back interview is re-opened as a draft of
#: the next revision; approved interviews are locked; a discarded draft is sealed as it was
#: (with the reason) and goes to the supervisor, who sees it as discarded.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.FINALISED, Status.DISCARDED}),
    Status.FINALISED: frozenset({Status.APPROVED, Status.SENT_BACK}),
    Status.SENT_BACK: frozenset({Status.DRAFT}),
    Status.APPROVED: frozenset(),
    Status.DISCARDED: frozenset(),
}


class StatusError(FieldAppError):
    """A status change that the workflow does not allow."""


def check_transition(interview_id: str, current: Status, new: Status) -> None:
    """Raise StatusError unless ``current`` → ``new`` is allowed."""
    if new not in TRANSITIONS.get(current, frozenset()):
        raise StatusError(N_("interview {interview_id}: cannot go from {current} to {new}"),
                          code="workflow.interview-cannot-go", interview_id=interview_id,
                          current=current, new=new)


def next_revision(current: str, new: str, revision: int) -> int:
    """Re-opening a sent-back interview starts a new revision; other moves keep it."""
    return revision + 1 if (current, new) == (Status.SENT_BACK, Status.DRAFT) else revision


def shown_status(status: Status, revision: int) -> Status:
    """The status people see on a device: a draft the supervisor sent back (re-opened as a
    later revision, with or without a comment) is "sent_back" until it is finalised again."""
    return Status.SENT_BACK if status == Status.DRAFT and revision > 1 else status
