"""``fieldapp device check``: every interview on a device, readable or damaged (read-only)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fieldapp.i18n import _
from fieldapp.recording import read_events
from fieldapp.vocabulary import Status

if TYPE_CHECKING:
    from fieldapp.device_parts import DeviceParts


@dataclass
class CheckReport:
    """One line per interview, the database's own check, and how many are damaged."""

    lines: list[str] = field(default_factory=list)
    damaged: int = 0
    database: str = "ok"


def check_device(session: DeviceParts) -> CheckReport:
    """Decrypt every draft event on its own and verify every sealed copy's checksum."""
    report = CheckReport()
    for record in session.store.list_interviews():
        head = f"{record.interview_id}  {record.form_id} v{record.form_version}  " \
               f"{record.status:<9}  rev {record.revision}"
        if record.status == Status.DRAFT:
            events = read_events(session.keys.dek, session.keys.key_id, record,
                                 session.store.events(record.interview_id))
            if events.damaged:
                report.damaged += 1
                lost = ", ".join(events.lost()) or "-"
                report.lines.append(head + "  " + _(
                    "{good} events readable, {bad} DAMAGED (ask again: {lost})").format(
                    good=len(events.readable), bad=len(events.damaged), lost=lost))
            else:
                report.lines.append(head + "  " + _("{good} events readable").format(
                    good=len(events.readable)))
            continue
        seals = session.store.sealed_records(record.interview_id)
        bad = [s.revision for s in seals
               if hashlib.sha256(s.sealed_blob).hexdigest() != s.sha256]
        if bad or not seals:
            report.damaged += 1
            report.lines.append(head + "  " + _("sealed copy DAMAGED or missing"))
        else:
            report.lines.append(head + "  " + _("sealed for the supervisor (checksum ok)"))
    report.database = session.store.integrity_check()
    if report.database != "ok":
        report.damaged += 1
    return report
