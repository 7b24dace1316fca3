"""Export and merge errors: one line, naming file / interview / variable, never a value."""

from __future__ import annotations

from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_


class ExportError(FieldAppError):
    """The export could not be produced; nothing was written at the target."""


class ExportCancelled(ExportError):
    """The progress callback asked to stop; no partial file was left."""

    exit_code = 130

    def __init__(self, message: str = N_("export cancelled; no file was written"), /, *,
                 code: str | None = None, **fields: object) -> None:
        super().__init__(message, code=code, **fields)


class MergeError(FieldAppError):
    """An input cannot be merged (not a fieldapp export, corrupted, hostile, incompatible)."""
