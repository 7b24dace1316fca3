"""Sync errors: one line naming the bundle file (or hub/interview) and the reason."""

from __future__ import annotations

from fieldapp.errors import FieldAppError, Message
from fieldapp.i18n import N_


class SyncError(FieldAppError):
    """Base class for sync, hub and bundle failures."""

    code = "sync"


class BundleRejected(SyncError):
    """A bundle failed verification (or apply) and was rejected whole; nothing changed.

    ``reason`` is a template filled from ``fields``.
    """

    code = "sync.rejected"

    def __init__(self, source: str, reason: str, *, code: str | None = None,
                 **fields: object) -> None:
        self.source = source
        self.reason_message = Message(reason, fields)
        super().__init__(N_("{source}: rejected: {reason}"), code=code, source=source,
                         reason=self.reason_message)

    @property
    def reason(self) -> str:
        """The reason alone, in the current language."""
        return self.reason_message.render()


class UntrustedDevice(BundleRejected):
    """The bundle is valid but comes from a device the hub has not been told to trust."""

    code = "sync.untrusted-device"


class HubError(SyncError):
    """A hub operation cannot be done (no hub, unknown interview, wrong status, …)."""

    code = "sync.hub"
