"""Decrypt and build rows on every core while this process writes.

Unsealing (HPKE holds the GIL) and building rows cost ~0.1 ms per interview, so large
exports hand chunks of records to a :class:`~concurrent.futures.ProcessPoolExecutor`
(spawned helpers, :mod:`fieldapp.export.worker`) and get the built rows back in order.
The helpers are started first (:class:`Helpers`), so they import while this process reads
the questionnaire. A hub that helpers can open themselves (:meth:`HubStore.location`) is read
by them: this process streams record headers only. Other sources send their blobs along.
A frozen app re-enters its own executable for each helper: the entry scripts call
:func:`fieldapp.entry.dispatch_helper` (``multiprocessing`` freeze support) first.
``workers=0`` (small exports) decrypts here; ``FIELDAPP_EXPORT_WORKERS`` overrides the choice.
"""

from __future__ import annotations

import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from fieldapp.export.errors import ExportError
from fieldapp.export.layout import Layout
from fieldapp.export.rows import RowBuilder
from fieldapp.export.worker import Built, build, head_of, open_chunk, start, warm
from fieldapp.i18n import N_

CHUNK = 250
AUTO_THRESHOLD = 3_000
MAX_WORKERS = 8
_AHEAD = 3


def auto_workers(total: int | None) -> int:
    """One helper per core for big (or uncounted) exports on a multi-core machine."""
    forced = os.environ.get("FIELDAPP_EXPORT_WORKERS", "")
    if forced.isdigit():
        return min(int(forced), MAX_WORKERS)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else (os.cpu_count() or 1)
    if cores < 2:
        return 0
    return min(cores, MAX_WORKERS) if total is None or total >= AUTO_THRESHOLD else 0


class Helpers:
    """Started helper processes holding the project key (and a hub reader: ``location``)."""

    def __init__(self, key: Any, workers: int, location: Any = None,
                 warm_up: Callable[[], None] = warm) -> None:
        import multiprocessing

        from fieldapp.crypto.seal import private_key_bytes

        self.workers = workers
        self.location = location
        self.pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=start, initargs=(private_key_bytes(key), location, os.getpid()))
        for _ in range(workers):
            self.pool.submit(warm_up)

    def close(self) -> None:
        """Stop the helpers (queued work is dropped)."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def opened(records: Iterable[Any], key: Any, layout: Layout, helpers: Helpers | None
           ) -> Iterator[tuple[Any, Built]]:
    """(record, (main row, [(repeat table index, rows)], attached files, unreadable events)
    or None if it cannot be opened), in source order. When ``helpers`` have a location the
    records carry no blobs: the helpers read them from there by ``record_id``."""
    if helpers is None:
        builder = RowBuilder(layout)
        for record in records:
            yield record, build(builder, key, record)
        return
    shared = (id(layout) ^ os.getpid(), pickle.dumps(layout, protocol=pickle.HIGHEST_PROTOCOL))
    pending: deque[tuple[list[Any], Future[list[Built]]]] = deque()
    try:
        chunk: list[Any] = []
        for record in records:
            chunk.append(record)
            if len(chunk) >= CHUNK:
                pending.append((chunk, _submit(helpers, shared, chunk)))
                chunk = []
                if len(pending) > _AHEAD * helpers.workers:
                    yield from _collect(*pending.popleft())
        if chunk:
            pending.append((chunk, _submit(helpers, shared, chunk)))
        while pending:
            yield from _collect(*pending.popleft())
    finally:
        for _, future in pending:
            future.cancel()


def _submit(helpers: Helpers, layout: tuple[int, bytes], chunk: list[Any]
            ) -> Future[list[Built]]:
    heads = [head_of(r) for r in chunk]
    if helpers.location is not None:
        return helpers.pool.submit(open_chunk, layout, heads, [r.record_id for r in chunk],
                                   None)
    return helpers.pool.submit(open_chunk, layout, heads, None, [r.sealed_blob for r in chunk])


def _collect(chunk: list[Any], future: Future[list[Built]]) -> Iterator[tuple[Any, Built]]:
    try:
        built = future.result()
    except BrokenProcessPool:
        raise ExportError(N_("a decrypting helper process stopped unexpectedly; export again "
                             "(nothing was written)"),
                          code="parallel.decrypting-helper-process-stopped") from None
    return zip(chunk, built, strict=True)
