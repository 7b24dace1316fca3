"""Engines: SQLite with durable settings on every connection, PostgreSQL by URL.

SQLite (stdlib driver) is configured per connection: WAL, ``synchronous=FULL`` (a returned
COMMIT survives power loss), foreign keys, a busy timeout and secure delete. On Python 3.11
the driver's legacy transaction handling is switched off (``isolation_level = None``) and
SQLAlchemy emits ``BEGIN IMMEDIATE`` itself, so SAVEPOINTs nest properly and writers take the
write lock up front (waiting ``busy_timeout`` instead of failing on lock upgrade). Reads can ask
for a deferred transaction with ``execution_options(sqlite_begin="DEFERRED")``.
"""

from __future__ import annotations

import ntpath
import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import ConnectionPoolEntry

from fieldapp.i18n import N_
from fieldapp.storage.errors import DatabaseLocked, DiskFull, NetworkPathRefused, StorageError

BUSY_TIMEOUT_MS = 5000

#: Applied, in order, on every new SQLite connection (after ``PRAGMA busy_timeout``).
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
)

#: Filesystem types (from /proc/mounts) on which SQLite locking/WAL is unreliable.
NETWORK_FS_PREFIXES = ("nfs", "cifs", "smb", "afs", "ceph", "glusterfs", "fuse.glusterfs")
NETWORK_FS_TYPES = frozenset({"fuse.sshfs", "sshfs", "9p", "davfs", "fuse.davfs", "lustre"})

_BEGIN_MODES = frozenset({"DEFERRED", "IMMEDIATE", "EXCLUSIVE"})


def open_engine(path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                read_only: bool = False) -> Engine:
    """Return an engine for the SQLite file at ``path`` (refusing network filesystems).

    ``read_only`` opens it with SQLite's ``mode=ro``: any write fails in SQLite itself.
    """
    check_local_path(path)
    if read_only:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        url = URL.create("sqlite+pysqlite", database=uri, query={"uri": "true"})
    else:
        url = URL.create("sqlite+pysqlite", database=os.fspath(path))
    engine = create_engine(url, pool_size=4, max_overflow=8)
    event.listen(engine, "connect", partial(_on_connect, busy_timeout_ms=int(busy_timeout_ms)))
    event.listen(engine, "begin", _on_begin)
    return engine


def open_url(url: str) -> Engine:
    """Return an engine for a server database URL such as ``postgresql+psycopg://…``."""
    if url.startswith("sqlite"):
        raise StorageError(N_("use a database file path, not a sqlite:// URL, for a local store"),
                           code="db.use-database-file-path")
    parsed = parse_url(url)
    try:
        if parsed.get_backend_name() != "postgresql":
            raise ValueError(parsed.drivername)
        return create_engine(parsed, pool_pre_ping=True)
    except (sa_exc.ArgumentError, ImportError, ValueError):
        raise _not_a_url(url) from None


def parse_url(url: str) -> URL:
    """``url`` parsed; a one-line :class:`StorageError` (password hidden) if it is not a
    database URL."""
    try:
        return make_url(url)
    except (sa_exc.ArgumentError, ValueError):
        raise _not_a_url(url) from None


def _not_a_url(url: str) -> StorageError:
    shown = re.sub(r"(://[^/@:]*):[^/@]*@", r"\1:***@", url)  # never echo a password
    return StorageError(N_("{url}: not a PostgreSQL database URL (postgresql+psycopg://"
                           "[USER@]HOST[:PORT]/DATABASE)"), code="db.not-a-url", url=shown)


def _on_connect(
    dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry, *, busy_timeout_ms: int
) -> None:
    """Disable the driver's implicit BEGIN and apply the durability pragmas."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in (f"PRAGMA busy_timeout={busy_timeout_ms}", *PRAGMAS):
            row = cursor.execute(pragma).fetchone()
            if pragma.startswith("PRAGMA journal_mode") and (row is None or row[0] != "wal"):
                got = row[0] if row else "nothing"
                raise StorageError(N_("could not switch the database to WAL mode (got {got})"),
                                   code="db.could-not-switch-database", got=got)
    except sqlite3.OperationalError as exc:
        raise translate(exc) from exc
    finally:
        cursor.close()


def _on_begin(conn: Connection) -> None:
    """Emit our own BEGIN (IMMEDIATE unless the connection asked for another mode)."""
    mode = str(conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")).upper()
    if mode not in _BEGIN_MODES:
        raise ValueError(f"unknown sqlite_begin mode {mode!r}")
    conn.exec_driver_sql(f"BEGIN {mode}")


# -- network filesystem detection ------------------------------------------------------------


def check_local_path(path: Path) -> None:
    """Raise :class:`NetworkPathRefused` if ``path`` is detectably on a network filesystem."""
    text = os.fspath(path)
    if text.startswith(("\\\\", "//")) or ntpath.splitdrive(text)[0].startswith("\\\\"):
        raise NetworkPathRefused(path, "a \\\\server\\share path")
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        _check_windows_drive(path)
        return
    fstype = filesystem_type(path)
    if fstype is not None and is_network_fs(fstype):
        raise NetworkPathRefused(path, f"filesystem type {fstype}")


def is_network_fs(fstype: str) -> bool:
    """True for filesystem types where SQLite's locks and WAL shared memory are unsafe."""
    fstype = fstype.lower()
    return fstype in NETWORK_FS_TYPES or fstype.startswith(NETWORK_FS_PREFIXES)


def filesystem_type(path: Path) -> str | None:
    """The /proc/mounts type of the mount holding ``path`` (None where unknown)."""
    try:
        text = _proc_mounts_text()
    except OSError:
        return None
    target = Path(path).resolve()  # symlinks resolved as far as the path exists
    best: tuple[int, str] | None = None
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = Path(_unescape_mount(fields[1]))
        if target == mount_point or mount_point in target.parents:
            depth = len(mount_point.parts)
            if best is None or depth >= best[0]:
                best = (depth, fields[2])
    return best[1] if best else None


def _proc_mounts_text() -> str:
    """Contents of /proc/mounts (the detection input; tests substitute it)."""
    with open("/proc/mounts", encoding="utf-8", errors="replace") as handle:
        return handle.read()


def _unescape_mount(field: str) -> str:
    """Undo /proc/mounts octal escapes (``\\040`` is a space)."""
    if "\\" not in field:
        return field
    return field.encode("latin-1").decode("unicode_escape")


def _check_windows_drive(path: Path) -> None:  # pragma: no cover - Windows only
    """Refuse mapped network drives (GetDriveTypeW == DRIVE_REMOTE)."""
    import ctypes

    drive = os.path.splitdrive(os.path.abspath(path))[0]
    if drive.startswith("\\\\"):
        raise NetworkPathRefused(path, "a \\\\server\\share path")
    if drive:
        windll = ctypes.windll  # type: ignore[attr-defined]
        if windll.kernel32.GetDriveTypeW(drive + "\\") == 4:
            raise NetworkPathRefused(path, f"{drive} is a network drive")


# -- error translation ------------------------------------------------------------------------


def translate(exc: BaseException) -> StorageError:
    """Map a driver/SQLAlchemy error to a user-facing :class:`StorageError` (no SQL, no data)."""
    if isinstance(exc, StorageError):
        return exc
    orig: Any = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
    message = str(orig).lower()
    if "database or disk is full" in message or "disk quota" in message:
        return DiskFull()
    if "database is locked" in message or "database is busy" in message:
        return DatabaseLocked()
    detail = " ".join(str(orig).split())  # drivers' messages span lines; errors take one
    return StorageError(N_("database error: {detail}"), code="db.database-error", detail=detail)


@contextmanager
def translated_errors() -> Iterator[None]:
    """Re-raise database errors as :class:`StorageError`, chained to the driver error only.

    Chaining to the driver exception (not SQLAlchemy's) keeps bound parameters - encrypted
    blobs - out of tracebacks and logs.
    """
    try:
        yield
    except (sqlite3.Error, sa_exc.DBAPIError) as exc:
        orig = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
        raise translate(exc) from orig
