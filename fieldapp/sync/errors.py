"""Sync errors: one line naming the bundle file (or hub/interview) and the reason."""

from __future__ import annotations

from fieldapp.errors import FieldAppError


class SyncError(FieldAppError):
    """Base class for sync, hub and bundle failures."""


class BundleRejected(SyncError):
    """A bundle failed verification (or apply) and was rejected whole; nothing changed."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: rejected: {reason}")


class UntrustedDevice(BundleRejected):
    """The bundle is valid but comes from a device the hub has not been told to trust."""


class HubError(SyncError):
    """A hub operation cannot be done (no hub, unknown interview, wrong status, …)."""
