"""What a hub import reports."""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.i18n import _


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What importing one bundle did."""

    source: str
    bundle_id: str
    device_id: str
    already_imported: bool
    entries: int = 0
    new: int = 0
    conflicts: int = 0
    trusted_now: bool = False

    def summary(self) -> str:
        """One line for the CLI."""
        if self.already_imported:
            return _("{source}: already imported (bundle {bundle})").format(
                source=self.source, bundle=self.bundle_id)
        text = _("{source}: imported {entries} interview record(s) from device {device} "
                 "({new} new, {old} already here)").format(
            source=self.source, entries=self.entries, device=self.device_id[:8], new=self.new,
            old=self.entries - self.new)
        if self.conflicts:
            text += _("; {n} CONFLICT(S) flagged (fieldapp conflicts --hub …)").format(
                n=self.conflicts)
        if self.trusted_now:
            text += _("; device trusted")
        return text
