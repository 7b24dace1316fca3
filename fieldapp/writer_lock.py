"""One writer per device: an OS file lock on the data directory.

The desktop app holds it for as long as it runs; CLI commands that write take it for their
run and refuse clearly while someone else holds it; read-only commands never take it. The
lock is the operating system's (``flock``/``LockFileEx`` through :mod:`filelock`), so it
vanishes with its process: a lock left by a killed process needs no clean-up.

Within one process the lock is shared (counted): the app's window and its session, or a
command and the session it opens, are one writer.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from fieldapp.clock import now_seconds
from fieldapp.errors import FieldAppError, Message
from fieldapp.i18n import N_

LOCK_FILE = "writer.lock"
OWNER_FILE = "writer.owner.json"

_registry: dict[Path, tuple[FileLock, int]] = {}
_registry_lock = threading.Lock()


class DeviceBusy(FieldAppError):
    """Another process is writing to this device's data."""

    def __init__(self, data_dir: Path, owner: dict[str, object] | None) -> None:
        self.data_dir = data_dir
        self.owner = owner or {}
        program = str(self.owner.get("program") or "fieldapp")
        pid = self.owner.get("pid")
        who = Message(N_("{program} (process {pid})"), {"program": program, "pid": pid}) \
            if pid else program
        super().__init__(
            N_("{folder}: another fieldapp is using this device's data: {who}; close it first "
               "(nothing was changed)"), code="device.busy", folder=data_dir, who=who)


def owner(data_dir: Path) -> dict[str, object] | None:
    """Who holds (or last held) the lock: program, process id and since when."""
    try:
        data = json.loads((Path(data_dir) / OWNER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class WriterLock:
    """Hold the device's writer lock: ``with WriterLock(data_dir, "fieldapp record"):``."""

    def __init__(self, data_dir: Path, program: str) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.program = program
        self.held = False

    def acquire(self) -> WriterLock:
        """Take the lock now or raise :class:`DeviceBusy` (never waits)."""
        if self.held:
            return self
        key = self.data_dir
        with _registry_lock:
            entry = _registry.get(key)
            if entry is not None:
                _registry[key] = (entry[0], entry[1] + 1)
                self.held = True
                return self
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            lock = FileLock(str(self.data_dir / LOCK_FILE), timeout=0, thread_local=False)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                raise DeviceBusy(self.data_dir, owner(self.data_dir)) from None
            _registry[key] = (lock, 1)
            self.held = True
        self._write_owner()
        return self

    def _write_owner(self) -> None:
        info = {"program": self.program, "pid": os.getpid(),
                "since": now_seconds()}
        try:
            (self.data_dir / OWNER_FILE).write_text(json.dumps(info), encoding="utf-8")
        except OSError:
            pass  # only used to name the holder in a message

    def release(self) -> None:
        """Give the lock back (idempotent)."""
        if not self.held:
            return
        self.held = False
        with _registry_lock:
            lock, count = _registry[self.data_dir]
            if count > 1:
                _registry[self.data_dir] = (lock, count - 1)
                return
            del _registry[self.data_dir]
            lock.release()

    def __enter__(self) -> WriterLock:
        return self.acquire()

    def __exit__(self, _t: type[BaseException] | None, _e: BaseException | None,
                 _tb: TracebackType | None) -> None:
        self.release()
