"""Quality indicators of many sealed interviews, on every core.

Unsealing (HPKE holds the GIL) and parsing the paradata cost ~0.25 ms per interview, so a
city's 100,000 interviews take half a minute in one process. Large runs reuse the export's
helper processes (:class:`fieldapp.export.parallel.Helpers`: spawned, holding the project key,
reading sealed blobs from the hub themselves, ending with the process that started them):
this process streams record headers only and gets measured indicators back, in order.
Small runs (or ``FIELDAPP_EXPORT_WORKERS=0``) measure here.
"""

from __future__ import annotations

import pickle
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any, NamedTuple

from fieldapp.crypto.errors import TamperedData
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_
from fieldapp.quality import FormFacts, InterviewQuality, Thresholds
from fieldapp.quality_measure import measure_json
from fieldapp.recording import unseal_payload

CHUNK = 400
_AHEAD = 3

FormKey = tuple[str, str]


class HubMeasure(NamedTuple):
    """What :func:`measure_hub` found."""

    items: list[InterviewQuality]
    unreadable: int
    complete: bool
    measured: int  # measured in this run (the others came from the cache)
    keys: list[tuple[int, str]]  # (record id, sha256) of every current copy


class Head(NamedTuple):
    """What measuring one copy needs besides its sealed blob."""

    record_id: int
    interview_id: str
    revision: int
    form_id: str
    form_version: str
    enumerator: str
    city: str


def measure_one(key: Any, head: Head, blob: bytes, facts: FormFacts,
                thresholds: Thresholds) -> InterviewQuality | None:
    """The indicators of one copy, or None when it cannot be opened: tampered, bound to
    another interview, or not a payload."""
    sealed = _Sealed(head.interview_id, head.revision, blob)
    try:
        item = measure_json(unseal_payload(key, sealed, head.form_id, head.form_version),
                            facts, enumerator=head.enumerator, city=head.city,
                            thresholds=thresholds)
    except (TamperedData, ValueError, UnicodeDecodeError):
        return None
    return item if item.interview_id == head.interview_id else None


class _Sealed(NamedTuple):
    interview_id: str
    revision: int
    sealed_blob: bytes


def warm_up() -> None:
    """In a new helper: import what measuring needs (while the caller reads the hub)."""
    from fieldapp import quality_measure  # noqa: F401


def measure_chunk(facts: tuple[int, bytes], heads: Sequence[Head]
                  ) -> list[tuple[Any, ...] | None]:
    """In a helper: read the chunk's blobs from the hub, unseal and measure each; the
    indicators go back as rows (:meth:`InterviewQuality.row`: a tuple pickles in a
    fraction of a dataclass's time, on both sides). ``facts`` is (token, pickled
    ({form key: FormFacts}, Thresholds)), unpickled once per run."""
    from fieldapp.export.worker import helper_key_and_reader

    key, reader = helper_key_and_reader()
    cache = _FACTS
    if cache.get("token") != facts[0]:
        cache["token"], cache["value"] = facts[0], pickle.loads(facts[1])
    by_form, thresholds = cache["value"]
    found = reader.blobs([h.record_id for h in heads])
    measured = (measure_one(key, h, found.get(h.record_id, b""),
                            by_form[(h.form_id, h.form_version)], thresholds) for h in heads)
    return [None if q is None else q.row() for q in measured]


_FACTS: dict[str, Any] = {}


def measure_all(heads: Sequence[Head], blob_of: Callable[[Sequence[int]], Mapping[int, bytes]],
                key: Any, facts: Mapping[FormKey, FormFacts], thresholds: Thresholds, *,
                helpers: Any = None, cancelled: Callable[[], bool] | None = None,
                progress: Callable[[int, int], Any] | None = None
                ) -> Iterator[tuple[Head, InterviewQuality | None]]:
    """(head, indicators or None if it cannot be opened) of each copy, in order.

    ``helpers`` (export Helpers with a hub location) measure in parallel; without them this
    process reads blobs through ``blob_of`` and measures. Stops early when ``cancelled``."""
    total = len(heads)
    chunks = [heads[i:i + CHUNK] for i in range(0, total, CHUNK)]
    done = 0
    if helpers is None:
        for chunk in chunks:
            if cancelled is not None and cancelled():
                return
            found = blob_of([h.record_id for h in chunk])
            for head in chunk:
                yield head, measure_one(key, head, found.get(head.record_id, b""),
                                        facts[(head.form_id, head.form_version)], thresholds)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        return
    shared = (id(facts) ^ id(heads), pickle.dumps((dict(facts), thresholds),
                                                  protocol=pickle.HIGHEST_PROTOCOL))
    pending: deque[tuple[Sequence[Head], Future[list[tuple[Any, ...] | None]]]] = deque()
    queue = iter(chunks)
    try:
        while True:
            while len(pending) < _AHEAD * helpers.workers:
                following = next(queue, None)
                if following is None:
                    break
                pending.append((following, helpers.pool.submit(measure_chunk, shared,
                                                               list(following))))
            if not pending:
                return
            if cancelled is not None and cancelled():
                return
            chunk, future = pending.popleft()
            rebuild = InterviewQuality.from_row
            for head, row in zip(chunk, _result(future), strict=True):
                yield head, None if row is None else rebuild(row)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    finally:
        for _, future in pending:
            future.cancel()


def measure_hub(hub: Any, key: Any, cache: dict[tuple[int, str], InterviewQuality | None],
                questionnaire: Callable[[str, str], Any], thresholds: Thresholds, *,
                progress: Callable[[int, int], Any] | None = None,
                cancelled: Callable[[], bool] | None = None
                ) -> HubMeasure:
    """The indicators of every current interview, how many could not be opened, whether
    the run was complete, how many were measured now, and the current copies' keys.

    ``cache`` maps (record id, sha256) to earlier results and receives the new ones, so
    only copies not measured before are unsealed; ``questionnaire(form_id, version)``
    gives a parsed form. Helper processes are used when there is much to measure."""
    from fieldapp.export.parallel import Helpers, auto_workers
    from fieldapp.storage.hub_dashboard import current_heads

    expected = max(0, hub.count(None) - len(cache))  # cheap: start the helpers first,
    workers = auto_workers(expected) if expected else 0  # they import while we read
    helpers = Helpers(key, workers, hub.location(), warm_up) if workers else None
    try:
        rows = current_heads(hub)
        todo = [Head(r[0], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows
                if (r[0], r[1]) not in cache]
        sha = {r[0]: r[1] for r in rows} if todo else {}
        facts = {k: FormFacts.of(questionnaire(*k), thresholds)
                 for k in {(h.form_id, h.form_version) for h in todo}}
        measured = 0
        for head, item in measure_all(todo, hub.blobs, key, facts, thresholds,
                                      helpers=helpers, cancelled=cancelled,
                                      progress=progress):
            cache[(head.record_id, sha[head.record_id])] = item
            measured += 1
        complete = measured == len(todo)
    finally:
        if helpers is not None:
            helpers.close()
    keys = [(r[0], r[1]) for r in rows]
    found = [cache.get(k, _MISSING) for k in keys]
    items = [q for q in found if isinstance(q, InterviewQuality)]
    return HubMeasure(items, sum(q is None for q in found), complete, measured, keys)


_MISSING = object()


def _result(future: Future[list[tuple[Any, ...] | None]]) -> list[tuple[Any, ...] | None]:
    try:
        return future.result()
    except BrokenProcessPool:
        raise FieldAppError(N_("a helper process stopped unexpectedly; run the quality "
                               "check again"), code="quality.helper-process-stopped") from None
