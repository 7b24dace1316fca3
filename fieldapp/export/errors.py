"""Export and merge errors: one line, naming file / interview / variable, never a value."""

from __future__ import annotations

from fieldapp.errors import FieldAppError


class ExportError(FieldAppError):
    """The export could not be produced; nothing was written at the target."""


class ExportCancelled(ExportError):
    """The progress callback asked to stop; no partial file was left."""

    exit_code = 130

    def __init__(self, message: str = "export cancelled; no file was written") -> None:
        super().__init__(message)


class MergeError(FieldAppError):
    """An input cannot be merged (not a fieldapp export, corrupted, hostile, incompatible)."""
