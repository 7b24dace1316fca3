"""What people read for the project's codes (statuses, history events, cities, quality flags,
progress dimensions), translatable: the GUI and the command line show the same words."""

from __future__ import annotations

from fieldapp.i18n import N_, _

STATUS_NAMES = {"finalised": N_("Finalised"), "approved": N_("Approved"),
                "sent_back": N_("Sent back"), "conflict": N_("Conflict"),
                "discarded": N_("Discarded"), "draft": N_("Draft")}
FLAG_NAMES = {"too_fast": N_("Too fast"), "time_outliers": N_("Unusual time per question"),
              "straight_lining": N_("Straight-lining"), "dk_rate": N_("Don't know/refused"),
              "language_switches": N_("Language switches"),
              "edits_after_send_back": N_("Edits after send-back"),
              "duration": N_("Unusual interview length")}
EVENT_NAMES = {"received": N_("Received"), "conflict": N_("Conflict"),
               "resolved": N_("Resolved"), "returned": N_("Returned to the device"),
               "approved": N_("Approved"), "sent_back": N_("Sent back")}
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
