"""ZIP container for the workbook: deflate each part on a thread, assemble at the end.

Each large part (a sheet) is compressed into its own (encrypted, anonymous) temporary file
while it is written, so
several parts can be open at once (data, labels, repeat sheets) and nothing is compressed
twice. :func:`assemble` then copies the raw deflate streams into one ZIP (ZIP64 when needed).
"""

from __future__ import annotations

import queue
import struct
import threading
import time
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from fieldapp.export.scratch import ScratchFile

_CHUNK = 1 << 18  # characters buffered before a chunk is handed to the compressor
_LEVEL = 1  # deflate level: about half the cost of the default with ~10-20 % larger files


class PartSpool:
    """One ZIP part being written: text in, raw deflate into an encrypted anonymous scratch
    file (:class:`~fieldapp.export.scratch.ScratchFile`: nothing readable survives a crash)."""

    def __init__(self, name: str, folder: Path, level: int = _LEVEL) -> None:
        self.name = name
        self.file = ScratchFile(folder)
        self.crc = 0
        self.size = 0
        self.compressed = 0
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._parts: list[str] = []
        self._pending = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"deflate {name}", daemon=True)
        self._thread.start()
        self.closed = False

    def _run(self) -> None:
        while True:
            data = self._queue.get()
            if data is None:
                break
            if self._error is not None:
                continue
            try:
                self.crc = zlib.crc32(data, self.crc)
                self.size += len(data)
                out = self._compressor.compress(data)
                if out:
                    self.file.write(out)
                    self.compressed += len(out)
            except BaseException as exc:  # reported to the writer thread
                self._error = exc

    def write(self, text: str) -> None:
        """Append text (UTF-8 encoded in chunks)."""
        self._parts.append(text)
        self._pending += len(text)
        if self._pending >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._error is not None:
            raise self._error
        if self._parts:
            self._queue.put("".join(self._parts).encode("utf-8"))
            self._parts = []
            self._pending = 0

    def close(self) -> None:
        """Finish compressing (raises a write error such as a full disk)."""
        if self.closed:
            return
        self._flush()
        self._queue.put(None)
        self._thread.join()
        self.closed = True
        if self._error is not None:
            raise self._error
        tail = self._compressor.flush()
        self.file.write(tail)
        self.compressed += len(tail)
        self.file.flush()

    def chunks(self) -> Iterable[bytes]:
        """The raw deflate stream, read back from the scratch file."""
        return self.file.chunks()

    def discard(self) -> None:
        """Stop and delete the temporary file (after a failure)."""
        if not self.closed:
            self._parts = []
            self._error = self._error or RuntimeError("discarded")
            self._queue.put(None)
            self._thread.join()
            self.closed = True
        self.file.close()


class BytesPart:
    """A small part compressed in memory."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.crc = zlib.crc32(data)
        self.size = len(data)
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.data = compressor.compress(data) + compressor.flush()
        self.compressed = len(self.data)


def _dos_time(moment: float) -> tuple[int, int]:
    t = time.localtime(moment)
    year = max(t.tm_year, 1980)
    return ((t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2),
            ((year - 1980) << 9) | (t.tm_mon << 5) | t.tm_mday)


_BIG = 0xFFFFFFFF


def assemble(out: BinaryIO, parts: Iterable[PartSpool | BytesPart]) -> None:
    """Write a ZIP archive of already-compressed parts to ``out`` (ZIP64 when needed)."""
    dostime, dosdate = _dos_time(time.time())
    central = []
    offset = 0
    for part in parts:
        name = part.name.encode("utf-8")
        big = part.size >= _BIG or part.compressed >= _BIG
        extra = struct.pack("<HHQQ", 1, 16, part.size, part.compressed) if big else b""
        sizes = (_BIG, _BIG) if big else (part.compressed, part.size)
        version = 45 if big else 20
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, version, 0x0800, 8, dostime, dosdate,
                             part.crc, sizes[0], sizes[1], len(name), len(extra))
        out.write(header + name + extra)
        if isinstance(part, BytesPart):
            out.write(part.data)
        else:
            for chunk in part.chunks():
                out.write(chunk)
        central.append((part, name, big, offset, version))
        offset += len(header) + len(name) + len(extra) + part.compressed
    _central_directory(out, central, offset, dostime, dosdate)


def _central_directory(out: BinaryIO, central: list, start: int, dostime: int,
                       dosdate: int) -> None:
    size = 0
    for part, name, big, offset, version in central:
        fields: list[int] = []
        if big:
            fields += [part.size, part.compressed]
        if offset >= _BIG:
            fields.append(offset)
        extra = struct.pack(f"<HH{len(fields)}Q", 1, 8 * len(fields), *fields) if fields else b""
        version = 45 if fields else version
        record = struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, version, version, 0x0800, 8, dostime, dosdate,
            part.crc, _BIG if big else part.compressed, _BIG if big else part.size, len(name),
            len(extra), 0, 0, 0, 0, min(offset, _BIG))
        out.write(record + name + extra)
        size += len(record) + len(name) + len(extra)
    count = len(central)
    if start + size >= _BIG or count >= 0xFFFF:
        zip64_at = start + size
        out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, size,
                              start))
        out.write(struct.pack("<IIQI", 0x07064B50, 0, zip64_at, 1))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF),
                          min(count, 0xFFFF), min(size, _BIG), min(start, _BIG), 0))
