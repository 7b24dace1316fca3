"""Storage errors. Messages name databases and interviews, never answer content."""

from __future__ import annotations

import os

from fieldapp.errors import FieldAppError


class StorageError(FieldAppError):
    """Base class for every failure raised by :mod:`fieldapp.storage`."""


class DatabaseLocked(StorageError):
    """Another program held the database past the busy timeout."""

    def __init__(
        self,
        message: str = (
            "the database is locked by another fieldapp window or program: "
            "the last change was NOT saved; close the other program and try again"
        ),
    ) -> None:
        super().__init__(message)


class DiskFull(StorageError):
    """The disk (or quota) is full; the failed write was rolled back."""

    def __init__(
        self,
        message: str = (
            "the disk is full: the last answer was NOT saved; free space and answer again"
        ),
    ) -> None:
        super().__init__(message)


class NetworkPathRefused(StorageError):
    """The database path is on a network filesystem, where SQLite WAL mode is unsafe."""

    def __init__(self, path: str | os.PathLike[str], detail: str = "") -> None:
        self.path = os.fspath(path)
        self.detail = detail
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"{self.path}: the database must be on this computer's own disk, not on a network "
            f"folder{extra}; choose a local data directory and put only sync bundles on the share"
        )

    def __reduce__(self) -> tuple[type[NetworkPathRefused], tuple[str, str]]:
        return (NetworkPathRefused, (self.path, self.detail))


class StaleInterview(StorageError):
    """An append to an interview that is no longer the draft the writer had open."""

    def __init__(self, interview_id: str, status: str, revision: int, expected: int) -> None:
        self.interview_id = interview_id
        self.status = status
        self.revision = revision
        self.expected = expected
        super().__init__(
            f"interview {interview_id} was changed elsewhere (it is now {status} at revision "
            f"{revision}): this change was NOT saved; open the interview again"
        )

    def __reduce__(self) -> tuple[type[StaleInterview], tuple[str, str, int, int]]:
        return (StaleInterview, (self.interview_id, self.status, self.revision, self.expected))


class NeedsUpgrade(StorageError):
    """A read-only open found a database at an older schema (a writer must upgrade it)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        super().__init__(f"{self.path}: the database must be upgraded by a command that writes "
                         "before it can be read")

    def __reduce__(self) -> tuple[type[NeedsUpgrade], tuple[str]]:
        return (NeedsUpgrade, (self.path,))


class HubNotFound(StorageError):
    """There is no hub at the given folder or URL (or it cannot be created there)."""


class NotInHub(StorageError):
    """An interview, record or device is not in this hub."""
