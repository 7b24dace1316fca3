"""Decrypting helper process: ``python -m fieldapp.export.worker`` (see parallel.py).

Reads length-prefixed pickled frames on stdin — first the project private key (raw bytes)
and the export's :class:`~fieldapp.export.layout.Layout`, then chunks of record tuples — and
answers each chunk on stdout with the built rows (None for an interview that cannot be
opened), in order. Only fieldapp's own export process talks to it, over an anonymous pipe.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from pathlib import Path
from typing import IO, Any

_LEN = struct.Struct(">I")

#: What crosses the pipe for one record (SealedInterview fields the rows need).
FIELDS = ("interview_id", "revision", "form_id", "form_version", "sealed_blob", "status",
          "city", "enumerator", "device_id")


class Sealed:
    """A record rebuilt from its :data:`FIELDS` tuple."""

    __slots__ = FIELDS

    def __init__(self, values: tuple[Any, ...]) -> None:
        for name, value in zip(FIELDS, values, strict=True):
            setattr(self, name, value)


def as_tuple(record: Any) -> tuple[Any, ...]:
    """The :data:`FIELDS` of a source record."""
    return tuple(getattr(record, name, "") for name in FIELDS)


def build(builder: Any, key: Any, record: Any) -> tuple[list, list, list, int] | None:
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


def read_frame(stream: IO[bytes]) -> Any:
    """One frame, or None at end of input."""
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = _LEN.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


def write_frame(stream: IO[bytes], value: Any) -> None:
    """Write one frame."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LEN.pack(len(data)) + data)
    stream.flush()


def main() -> int:
    from fieldapp.crypto.seal import private_key_from_bytes
    from fieldapp.export.rows import RowBuilder

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    setup = read_frame(stdin)
    if not isinstance(setup, tuple) or len(setup) != 2:
        return 2
    key = private_key_from_bytes(setup[0])
    builder = RowBuilder(setup[1])
    while (chunk := read_frame(stdin)) is not None:
        write_frame(stdout, [build(builder, key, Sealed(item)) for item in chunk])
    if os.environ.get("FIELDAPP_WORKER_STATS"):  # benchmark: report this process's peak
        status = Path("/proc/self/status")
        peak = [ln for ln in status.read_text().splitlines() if ln.startswith("VmHWM")] \
            if status.exists() else []
        sys.stderr.write(f"worker {peak[0] if peak else ''}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
