"""Decrypt and build rows on every core while this process writes.

Unsealing (HPKE holds the GIL) and building rows cost ~0.1 ms per interview, so large
exports hand chunks of records to a :class:`~concurrent.futures.ProcessPoolExecutor`
(spawned helpers, :mod:`fieldapp.export.worker`) and get the built rows back in order.
A hub that helpers can open themselves (:meth:`HubStore.location`) is read by them: this
process streams record headers only. Other sources send their blobs along with the chunk.
A frozen app re-enters its own executable for each helper: the entry scripts call
:func:`fieldapp.entry.dispatch_helper` (``multiprocessing`` freeze support) first.
``workers=0`` (small exports) decrypts here; ``FIELDAPP_EXPORT_WORKERS`` overrides the choice.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from fieldapp.export.errors import ExportError
from fieldapp.export.layout import Layout
from fieldapp.export.rows import RowBuilder
from fieldapp.export.worker import Built, build, head_of, open_chunk, start

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


def opened(records: Iterable[Any], key: Any, layout: Layout, workers: int,
           location: Any = None) -> Iterator[tuple[Any, Built]]:
    """(record, (main row, [(repeat table index, rows)], attached files, unreadable events)
    or None if it cannot be opened), in source order. With ``location`` the records carry
    no blobs: the helpers read them from there by ``record_id``."""
    if workers <= 0:
        if location is not None:
            raise ValueError("records without blobs need helper processes")
        builder = RowBuilder(layout)
        for record in records:
            yield record, build(builder, key, record)
        return
    import multiprocessing

    from fieldapp.crypto.seal import private_key_bytes

    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
        initializer=start, initargs=(private_key_bytes(key), layout, location, os.getpid()))
    pending: deque[tuple[list[Any], Future[list[Built]]]] = deque()
    try:
        chunk: list[Any] = []
        for record in records:
            chunk.append(record)
            if len(chunk) >= CHUNK:
                pending.append((chunk, _submit(pool, chunk, location)))
                chunk = []
                if len(pending) > _AHEAD * workers:
                    yield from _collect(*pending.popleft())
        if chunk:
            pending.append((chunk, _submit(pool, chunk, location)))
        while pending:
            yield from _collect(*pending.popleft())
    finally:
        for _, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, chunk: list[Any], location: Any
            ) -> Future[list[Built]]:
    heads = [head_of(r) for r in chunk]
    if location is not None:
        return pool.submit(open_chunk, heads, [r.record_id for r in chunk], None)
    return pool.submit(open_chunk, heads, None, [r.sealed_blob for r in chunk])


def _collect(chunk: list[Any], future: Future[list[Built]]) -> Iterator[tuple[Any, Built]]:
    try:
        built = future.result()
    except BrokenProcessPool:
        raise ExportError("a decrypting helper process stopped unexpectedly; export again "
                          "(nothing was written)") from None
    return zip(chunk, built, strict=True)
