"""``*.fieldsync`` files: streamed zip writing (temp name, fsync, rename) and bounded reading.

Members are stored uncompressed (sealed records and .xlsx files do not compress) and written
or read one at a time; the big ones (``records/sealed.bin``, ``entries.jsonl``) are streamed, so
memory does not grow with the number of interviews (nor does the zip directory: a device
bundle has a handful of members whatever its size). A reader accepts only what the writer
produces: stored members, unique names, no encryption flags.
"""

from __future__ import annotations

import contextlib
import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from fieldapp.atomic import TEMP_SUFFIX
from fieldapp.i18n import N_
from fieldapp.sync.errors import BundleRejected
from fieldapp.zip_errors import ZIP_READ_ERRORS

SUFFIX = ".fieldsync"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # no local clock or time zone in the file
_READ_ERRORS: tuple[type[Exception], ...] = (*ZIP_READ_ERRORS, KeyError)


class ZipWriter:
    """Adds members one by one; returns each member's (sha256, size) for the manifest."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._zip = zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED,
                                    allowZip64=True)

    def add(self, name: str, data: bytes) -> tuple[str, int]:
        """Store one member."""
        info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o600 << 16
        self._zip.writestr(info, data)
        return hashlib.sha256(data).hexdigest(), len(data)

    @contextmanager
    def stream(self, name: str) -> Iterator[IO[bytes]]:
        """Write one member piece by piece (zip64, so it may grow past 4 GiB)."""
        info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o600 << 16
        with self._zip.open(info, "w", force_zip64=True) as member:
            yield member

    def close(self) -> None:
        """Write the central directory."""
        self._zip.close()


class MemberStream:
    """A member opened for streaming: bounded reads, any read error is BundleRejected."""

    def __init__(self, handle: IO[bytes], source: str, name: str) -> None:
        self._handle, self._source, self._name = handle, source, name

    def _damaged(self) -> BundleRejected:
        return BundleRejected(self._source, N_("{name} is damaged (cannot be read back; the file "
                                               "is truncated or altered)"),
                              code="bundle.damaged-cannot-read-back",
                              name=self._name)

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes (fewer only at the end)."""
        try:
            return self._handle.read(size)
        except _READ_ERRORS:
            raise self._damaged() from None

    def readline(self, limit: int) -> bytes:
        """One line of at most ``limit`` bytes (without a newline if longer or at the end)."""
        try:
            return self._handle.readline(limit)
        except _READ_ERRORS:
            raise self._damaged() from None

    def close(self) -> None:
        """Release the member."""
        with contextlib.suppress(Exception):
            self._handle.close()

    def __enter__(self) -> MemberStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ZipSource:
    """A bundle opened for verification: names, declared sizes and bounded member reads."""

    def __init__(self, handle: IO[bytes], name: str) -> None:
        self.name = name
        self._handle = handle
        try:
            self._zip = zipfile.ZipFile(handle)
            infos = self._zip.infolist()
        except _READ_ERRORS:
            raise BundleRejected(name, N_("not a readable bundle (truncated or damaged zip file)"),
                                 code="bundle.not-readable-bundle-truncated-2") from None
        self._names = [i.filename for i in infos]
        self._infos = {i.filename: i for i in infos}
        if "manifest.json" not in self._infos:  # e.g. cut off inside an embedded .xlsx
            raise BundleRejected(name, N_("not a readable bundle (truncated or damaged zip file: "
                                          "no manifest.json)"),
                                 code="bundle.not-readable-bundle-truncated")
        for info in infos:
            if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
                raise BundleRejected(name, N_("{filename}: compressed or encrypted zip member "
                                              "(fieldapp never writes those)"),
                                     code="bundle.compressed-encrypted-zip-member",
                                     filename=info.filename)

    @classmethod
    def open(cls, path: Path) -> ZipSource:
        """Open a bundle file (BundleRejected if it cannot be read)."""
        try:
            handle = open(path, "rb")
        except OSError as exc:
            raise BundleRejected(str(path), N_("cannot be read ({strerror})"),
                                 code="bundle.cannot-read",
                                 strerror=exc.strerror) from None
        try:
            return cls(handle, str(path))
        except BaseException:
            handle.close()
            raise

    def names(self) -> list[str]:
        """Every member name, duplicates included, in directory order."""
        return list(self._names)

    def size(self, name: str) -> int | None:
        """The member's declared size (None if absent)."""
        info = self._infos.get(name)
        return None if info is None else info.file_size

    def read(self, name: str, limit: int) -> bytes:
        """Read one member (at most ``limit`` bytes declared); CRC-checked by zipfile."""
        info = self._infos.get(name)
        if info is None:
            raise BundleRejected(self.name, N_("{name} is missing"),
                                 code="bundle.missing", name=name)
        if info.file_size > limit:
            raise BundleRejected(self.name, N_("{name} is larger than allowed"),
                                 code="bundle.larger-than-allowed", name=name)
        try:
            with self._zip.open(info) as member:
                data = member.read(limit + 1)
        except _READ_ERRORS:
            raise BundleRejected(self.name, N_("{name} is damaged (cannot be read back; the file "
                                               "is truncated or altered)"),
                                 code="bundle.damaged-cannot-read-back-2",
                                 name=name) from None
        return data

    def stream(self, name: str) -> MemberStream:
        """Open one member for streaming (CRC-checked by zipfile at its end)."""
        info = self._infos.get(name)
        if info is None:
            raise BundleRejected(self.name, N_("{name} is missing"),
                                 code="bundle.missing-2", name=name)
        try:
            return MemberStream(self._zip.open(info), self.name, name)
        except _READ_ERRORS:
            raise BundleRejected(self.name, N_("{name} is damaged (cannot be read back; the file "
                                               "is truncated or altered)"),
                                 code="bundle.damaged-cannot-read-back-3",
                                 name=name) from None

    def close(self) -> None:
        """Release the file."""
        with contextlib.suppress(Exception):
            self._zip.close()
        self._handle.close()

    def __enter__(self) -> ZipSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def remove_stale_temp_files(folder: Path, prefix: str) -> int:
    """Delete temp files a killed writer with this name ``prefix`` left in ``folder``.

    Only this writer's own prefix (device or return bundles of one device): another laptop
    may be writing its own bundle into a shared folder at this very moment.
    """
    removed = 0
    for stale in folder.glob(f".{prefix}*{SUFFIX}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed += 1
    return removed


def bundle_files(where: Path) -> list[Path]:
    """``where`` itself if it is a file, else the ``*.fieldsync`` files in it, by name."""
    if where.is_file():
        return [where]
    if where.is_dir():
        return sorted(p for p in where.glob(f"*{SUFFIX}") if p.is_file())
    raise BundleRejected(str(where), N_("no such file or folder"),
                         code="bundle.no-such-file-folder")
