"""Storage errors. Messages name databases and interviews, never answer content."""

from __future__ import annotations

import os

from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_


class StorageError(FieldAppError):
    """Base class for every failure raised by :mod:`fieldapp.storage`."""

    code = "storage"


class DatabaseLocked(StorageError):
    """Another program held the database past the busy timeout."""

    code = "storage.locked"

    def __init__(self, message: str = N_(
            "the database is locked by another fieldapp window or program: the last change "
            "was NOT saved; close the other program and try again"),
            /, *, code: str | None = None, **fields: object) -> None:
        super().__init__(message, code=code, **fields)


class DiskFull(StorageError):
    """The disk (or quota) is full; the failed write was rolled back."""

    code = "storage.disk-full"

    def __init__(self, message: str = N_(
            "the disk is full: the last answer was NOT saved; free space and answer again"),
            /, *, code: str | None = None, **fields: object) -> None:
        super().__init__(message, code=code, **fields)


class NetworkPathRefused(StorageError):
    """The database path is on a network filesystem, where SQLite WAL mode is unsafe."""

    code = "storage.network-path"

    def __init__(self, path: str | os.PathLike[str], detail: str = "") -> None:
        self.path = os.fspath(path)
        self.detail = detail
        if detail:
            template = N_("{path}: the database must be on this computer's own disk, not on a "
                          "network folder ({detail}); choose a local data directory and put only "
                          "sync bundles on the share")
        else:
            template = N_("{path}: the database must be on this computer's own disk, not on a "
                          "network folder; choose a local data directory and put only sync "
                          "bundles on the share")
        super().__init__(template, path=self.path, detail=detail)



class StaleInterview(StorageError):
    """An append to an interview that is no longer the draft the writer had open."""

    code = "storage.stale-interview"

    def __init__(self, interview_id: str, status: str, revision: int, expected: int) -> None:
        self.interview_id = interview_id
        self.status = status
        self.revision = revision
        self.expected = expected
        super().__init__(
            N_("interview {interview_id} was changed elsewhere (it is now {status} at revision "
               "{revision}): this change was NOT saved; open the interview again"),
            interview_id=interview_id, status=status, revision=revision)



class NeedsUpgrade(StorageError):
    """A read-only open found a database at an older schema (a writer must upgrade it)."""

    code = "storage.needs-upgrade"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        super().__init__(N_("{path}: the database must be upgraded by a command that writes "
                            "before it can be read"), path=self.path)



class HubNotFound(StorageError):
    """There is no hub at the given folder or URL (or it cannot be created there)."""

    code = "storage.hub-not-found"


class NotInHub(StorageError):
    """An interview, record or device is not in this hub."""

    code = "storage.not-in-hub"
