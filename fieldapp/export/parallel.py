"""Decrypt in a helper process while this one writes (HPKE holds the GIL).

Unsealing costs ~50-60 µs per interview and cannot overlap with writing in a thread, so large
exports send chunks of sealed blobs to ``python -m fieldapp.export.worker`` over a pipe and
get the built rows (main row and repeat rows) back in order. A plain subprocess (not
multiprocessing) needs no ``__main__`` guard in the caller; a frozen app starts its own
executable, which runs the worker before anything else (:mod:`fieldapp.entry`).
``workers=0`` (small exports) decrypts here; ``FIELDAPP_EXPORT_WORKERS`` overrides the choice.
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from fieldapp.export.errors import ExportError
from fieldapp.export.layout import Layout
from fieldapp.export.rows import RowBuilder
from fieldapp.export.worker import as_tuple, build, read_frame, write_frame
from fieldapp.i18n import N_
from fieldapp.processes import HELPER_FLAGS, helper_command

CHUNK = 256
AUTO_THRESHOLD = 5_000
_AHEAD = 4


def auto_workers(total: int | None) -> int:
    """One helper process for big (or uncounted) exports on a multi-core machine."""
    forced = os.environ.get("FIELDAPP_EXPORT_WORKERS", "")
    if forced.isdigit():
        return min(int(forced), 4)
    if (os.cpu_count() or 1) < 2:
        return 0
    return 1 if total is None or total >= AUTO_THRESHOLD else 0


Built = tuple[list, list, list, int] | None


def opened(records: Iterable[Any], key: Any, layout: Layout, workers: int
           ) -> Iterator[tuple[Any, Built]]:
    """(record, (main row, [(repeat table index, rows)], attached files) or None if it
    cannot be opened), in source order."""
    if workers <= 0:
        builder = RowBuilder(layout)
        for record in records:
            yield record, build(builder, key, record)
        return
    helpers = [_Helper(key, layout) for _ in range(workers)]
    try:
        pending: deque[tuple[list[Any], _Helper]] = deque()
        chunk: list[Any] = []
        sent = 0
        for record in records:
            chunk.append(record)
            if len(chunk) >= CHUNK:
                helper = helpers[sent % workers]
                helper.send(chunk)
                pending.append((chunk, helper))
                sent += 1
                chunk = []
                if len(pending) > _AHEAD * workers:
                    done, helper = pending.popleft()
                    yield from zip(done, helper.receive(), strict=True)
        if chunk:
            helper = helpers[sent % workers]
            helper.send(chunk)
            pending.append((chunk, helper))
        while pending:
            done, helper = pending.popleft()
            yield from zip(done, helper.receive(), strict=True)
    finally:
        for helper in helpers:
            helper.close()


class _Helper:
    """The helper process, fed by a thread so that large writes never deadlock."""

    def __init__(self, key: Any, layout: Layout) -> None:
        from fieldapp.crypto.seal import private_key_bytes

        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        self.process = subprocess.Popen(
            helper_command("fieldapp.export.worker"), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env=env, creationflags=HELPER_FLAGS)
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=_AHEAD + 2)
        self.failed = False
        self.thread = threading.Thread(target=self._feed, name="export decrypt feed",
                                       daemon=True)
        self.thread.start()
        self.queue.put((private_key_bytes(key), layout))

    def _feed(self) -> None:
        assert self.process.stdin is not None
        try:
            while (item := self.queue.get()) is not None:
                write_frame(self.process.stdin, item)
        except (BrokenPipeError, OSError):
            self.failed = True
        finally:
            try:
                self.process.stdin.close()
            except OSError:
                pass

    def send(self, chunk: list[Any]) -> None:
        self.queue.put([as_tuple(r) for r in chunk])

    def receive(self) -> list[Built]:
        assert self.process.stdout is not None
        result = read_frame(self.process.stdout)
        if result is None:
            raise ExportError(N_("the decrypting helper process stopped unexpectedly; export "
                                 "again (nothing was written)"),
                              code="parallel.decrypting-helper-process-stopped")
        return result

    def close(self) -> None:
        try:
            self.queue.put_nowait(None)
        except queue.Full:
            self.process.kill()
        self.thread.join(timeout=5)
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
