"""What runs in the export's helper processes (see :mod:`fieldapp.export.parallel`).

Each helper is set up once (:func:`start`: project key, layout, where the hub is) and then
opens chunks of records: it reads their sealed blobs from the hub itself, unseals them and
builds the rows, so only record headers go to a helper and only built rows come back. A
helper ends itself when the exporting process is gone (kill -9 included): it never outlives
the export holding the key.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from typing import Any

#: The SealedInterview fields a row needs (the blob travels separately, or not at all).
FIELDS = ("interview_id", "revision", "form_id", "form_version", "sealed_blob", "status",
          "city", "enumerator", "device_id")
_HEAD = tuple(f for f in FIELDS if f != "sealed_blob")

Built = tuple[list, list, list, int] | None

_state: dict[str, Any] = {}


class Sealed:
    """A record rebuilt from its header tuple and its blob."""

    __slots__ = FIELDS

    def __init__(self, head: Sequence[Any], blob: bytes) -> None:
        for name, value in zip(_HEAD, head, strict=True):
            setattr(self, name, value)
        self.sealed_blob = blob


def head_of(record: Any) -> tuple[Any, ...]:
    """The header fields of a source record (everything but its blob)."""
    return tuple(getattr(record, name, "") for name in _HEAD)


def build(builder: Any, key: Any, record: Any) -> Built:
    """Open one record and build (main row, [(repeat table index, rows)], attached files,
    number of events the device could not read back), or None."""
    from fieldapp.crypto.errors import CryptoError
    from fieldapp.export.attachments_out import answer_files
    from fieldapp.export.decrypt import open_for_export

    try:
        payload = open_for_export(key, record)
    except CryptoError:
        return None
    row = builder.main_row(record, payload, record.status)
    repeats = [(i, rows) for i, (_, rows) in enumerate(builder.repeat_rows(row[0], payload))
               if rows]
    return row, repeats, answer_files(payload), len(payload.get("damaged_events") or ())


def start(key_bytes: bytes, location: Any, parent: int) -> None:
    """Pool initializer: keep the key and a hub reader for this helper."""
    from fieldapp.crypto.seal import private_key_from_bytes

    threading.Thread(target=_watch_parent, args=(parent,), name="parent watch",
                     daemon=True).start()
    _state["key"] = private_key_from_bytes(key_bytes)
    _state["reader"] = location.open() if location is not None else None
    if os.environ.get("FIELDAPP_WORKER_STATS"):  # benchmark and smoke test: this helper's peak
        import atexit

        atexit.register(_report_peak)


def helper_key_and_reader() -> tuple[Any, Any]:
    """In a helper: the project key and the hub reader :func:`start` set up (other work
    given to the same pool, e.g. :mod:`fieldapp.quality_pool`, uses them too)."""
    return _state["key"], _state["reader"]


def warm() -> None:
    """Import what opening a chunk needs (while the exporting process reads the form)."""
    from fieldapp.export import attachments_out, decrypt, rows  # noqa: F401


def _report_peak() -> None:
    import sys
    from pathlib import Path

    status = Path("/proc/self/status")
    peak = [ln for ln in status.read_text().splitlines() if ln.startswith("VmHWM")] \
        if status.exists() else []
    sys.stderr.write(f"worker {peak[0] if peak else 'VmHWM: ?'}\n")
    sys.stderr.flush()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)  # the export is gone: so is the key


def open_chunk(layout: tuple[int, bytes], heads: Sequence[tuple[Any, ...]],
               ids: Sequence[int] | None, blobs: Sequence[bytes] | None) -> list[Built]:
    """Built rows for one chunk, in order: blobs read from the hub by record ``ids``, or
    given (sources that helpers cannot open themselves). ``layout`` is (token, pickled
    :class:`~fieldapp.export.layout.Layout`), unpickled once per helper and export."""
    if _state.get("layout") != layout[0]:
        import pickle

        from fieldapp.export.rows import RowBuilder

        _state["builder"] = RowBuilder(pickle.loads(layout[1]))
        _state["layout"] = layout[0]
    key, builder = _state["key"], _state["builder"]
    if ids is not None:
        found = _state["reader"].blobs(ids)
        blobs = [found.get(i, b"") for i in ids]
    assert blobs is not None
    return [build(builder, key, Sealed(head, blob)) for head, blob in zip(heads, blobs,
                                                                           strict=True)]
