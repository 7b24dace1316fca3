"""What a hub import reports."""

from __future__ import annotations

from dataclasses import dataclass


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
            return f"{self.source}: already imported (bundle {self.bundle_id})"
        text = (f"{self.source}: imported {self.entries} interview record(s) from device "
                f"{self.device_id[:8]} ({self.new} new, {self.entries - self.new} already here)")
        if self.conflicts:
            text += f"; {self.conflicts} CONFLICT(S) flagged (fieldapp conflicts --hub …)"
        if self.trusted_now:
            text += "; device trusted"
        return text
