"""What people read for the project's codes (statuses, history events, cities, quality flags,
progress dimensions), translatable: the GUI and the command line show the same words."""

from __future__ import annotations

from fieldapp.i18n import N_, _
from fieldapp.vocabulary import HistoryEvent, Status

STATUS_NAMES: dict[str, str] = {Status.FINALISED: N_("Finalised"), Status.APPROVED: N_("Approved"),
                Status.SENT_BACK: N_("Sent back"), Status.CONFLICT: N_("Conflict"),
                Status.DISCARDED: N_("Discarded"), Status.DRAFT: N_("Draft")}
FLAG_NAMES = {"too_fast": N_("Too fast"), "time_outliers": N_("Unusual time per question"),
              "straight_lining": N_("Straight-lining"), "dk_rate": N_("Don't know/refused"),
              "language_switches": N_("Language switches"),
              "edits_after_send_back": N_("Edits after send-back"),
              "duration": N_("Unusual interview length")}
EVENT_NAMES: dict[str, str] = {
    HistoryEvent.RECEIVED: N_("Received"), HistoryEvent.CONFLICT: N_("Conflict"),
    HistoryEvent.RESOLVED: N_("Resolved"), HistoryEvent.RETURNED: N_("Returned to the device"),
    HistoryEvent.APPROVED: N_("Approved"), HistoryEvent.SENT_BACK: N_("Sent back")}
VERDICT_NAMES = {"new": N_("Ready to import"), "already": N_("Already here"),
                 "untrusted": N_("Unknown device"), "rejected": N_("Rejected"),
                 "return": N_("Return bundle (for a device)"), "imported": N_("Imported"),
                 "cancelled": N_("Not imported (cancelled)")}
CITY_NAMES = {"seoul": N_("Seoul"), "beijing": N_("Beijing"), "tokyo": N_("Tokyo")}
DIMENSION_NAMES = {"city": N_("City"), "district": N_("District"),
                   "dong": N_("Dong/community"), "enumerator": N_("Enumerator"),
                   "day": N_("Day")}


def shown(names: dict[str, str], code: str) -> str:
    """``code``'s name in the current language (the code itself when it has none)."""
    return _(names[code]) if code in names else code
