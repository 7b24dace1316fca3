"""The words every part of fieldapp shares, defined once: interview statuses, event kinds,
hub history events and supervisor decisions.

They are ``StrEnum``s, so each member *is* its string (``Status.DRAFT == "draft"``): the
values stored in databases, bundles and exports are these strings and never change.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Status(StrEnum):
    """Where an interview stands, on a device or at the hub."""

    DRAFT = "draft"  # being recorded on the device
    FINALISED = "finalised"  # sealed to the project key, sent or waiting to be sent
    APPROVED = "approved"  # accepted by the supervisor; locked on the device
    SENT_BACK = "sent_back"  # returned by the supervisor; re-opened as the next revision
    DISCARDED = "discarded"  # a draft the enumerator sealed as discarded, with a reason
    CONFLICT = "conflict"  # hub only: two different copies of one revision arrived


#: Statuses an interview can have on a device.
DEVICE_STATUSES: Final = (Status.DRAFT, Status.FINALISED, Status.APPROVED, Status.SENT_BACK,
                          Status.DISCARDED)
#: Statuses an interview can have at the hub (column order of the progress tables).
HUB_STATUSES: Final = (Status.FINALISED, Status.APPROVED, Status.SENT_BACK, Status.CONFLICT,
                       Status.DISCARDED)


class EventKind(StrEnum):
    """What an autosaved event of a draft records."""

    ANSWER = "answer"  # an answer set or cleared (also by skip logic or a calculation)
    SHOWN = "shown"  # a question was put on screen (paradata)
    LANGUAGE = "language"  # the interview language changed
    SUSPEND = "suspend"  # the enumerator left the interview
    RESUME = "resume"  # the interview was opened again
    STATUS = "status"  # a status change (sent back → draft)
    REPEAT = "repeat"  # a roster entry was added or removed
    PROBLEM = "problem"  # a questionnaire expression failed while interviewing
    ATTACHMENT = "attachment"  # a file attached as an answer (its bytes, encrypted)


class HistoryEvent(StrEnum):
    """What a line of an interview's history at the hub records."""

    RECEIVED = "received"  # a copy arrived in a bundle
    CONFLICT = "conflict"  # a second, different copy of the same revision arrived
    RESOLVED = "resolved"  # the supervisor kept one copy of a conflict
    APPROVED = "approved"  # the supervisor's decision (the interview's new status)
    SENT_BACK = "sent_back"
    RETURNED = "returned"  # the decision went into a return bundle for the device


class Decision(StrEnum):
    """A supervisor's decision on a finalised interview."""

    APPROVE = "approve"
    SEND_BACK = "send_back"
