"""Key-file plumbing: atomic durable writes and strict JSON parsing with named errors."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from fieldapp.atomic import TEMP_SUFFIX, atomic_output
from fieldapp.crypto.encoding import b64d
from fieldapp.crypto.errors import CryptoError, KeyFileError, WeakKdfParameters
from fieldapp.crypto.kdf import KdfParams
from fieldapp.i18n import N_

MAX_KEY_FILE_BYTES = 1024 * 1024
SECRET_MODE = 0o600
PUBLIC_MODE = 0o644


def write_atomic(path: str | os.PathLike[str], data: bytes, mode: int = SECRET_MODE) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file, whole.

    Temp file in the same directory, write + flush + fsync, ``os.replace``, fsync the directory.
    """
    with atomic_output(Path(path), mode) as handle:
        handle.write(data)


def remove_stale_temp_files(path: str | os.PathLike[str]) -> int:
    """Delete temp files a killed :func:`write_atomic` left next to ``path``; return count."""
    target = Path(path)
    removed = 0
    for stale in target.parent.glob(f".{target.name}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed += 1
    return removed


def read_small(path: str | os.PathLike[str]) -> bytes:
    """Read a key file; KeyFileError if missing, unreadable or implausibly large."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyFileError(path, N_("file not found"), code="_files.file-not-found") from None
    except OSError as exc:
        raise KeyFileError(path, N_("cannot read file ({value})"),
                           code="_files.cannot-read-file",
                           value=exc.strerror or exc) from None
    if len(data) > MAX_KEY_FILE_BYTES:
        raise KeyFileError(path, N_("file is too large to be a key file"),
                           code="_files.file-too-large-key")
    return data


def checksum(obj: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of ``obj`` without its ``checksum`` field.

    Unkeyed: it tells accidental corruption ("file damaged") apart from a wrong passphrase.
    Deliberate tampering is caught by the AEAD associated data, not by this.
    """
    body = {k: v for k, v in obj.items() if k != "checksum"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def dump_with_checksum(obj: dict[str, Any]) -> bytes:
    """Pretty, stable UTF-8 JSON with a trailing newline and a ``checksum`` field."""
    out = dict(obj)
    out["checksum"] = checksum(out)
    return (json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


class Fields:
    """Typed access to a parsed key-file object; every failure is a KeyFileError naming it."""

    def __init__(self, obj: dict[str, Any], path: str | os.PathLike[str]) -> None:
        self.obj = obj
        self.path = os.fspath(path)

    def fail(self, reason: str, *, code: str | None = None, **fields: object) -> KeyFileError:
        """Build (not raise) an error for this file."""
        return KeyFileError(self.path, reason, code=code, **fields)

    def raw(self, key: str) -> object:
        """The value of ``key``, which must be present."""
        if key not in self.obj:
            raise self.fail(N_("field {key_name!r} is missing"),
                            code="_files.field-missing", key_name=key)
        return self.obj[key]

    def text(self, key: str) -> str:
        """A string field."""
        value = self.raw(key)
        if not isinstance(value, str):
            raise self.fail(N_("field {key_name!r} must be a string"),
                            code="_files.field-string", key_name=key)
        return value

    def b64(self, key: str, length: int | None = None, min_length: int = 0) -> bytes:
        """A base64 field, optionally of an exact or minimum decoded length."""
        try:
            value = b64d(self.text(key))
        except ValueError:
            raise self.fail(N_("field {key_name!r} is not valid base64"),
                            code="_files.field-not-valid-base", key_name=key) from None
        if length is not None and len(value) != length:
            raise self.fail(N_("field {key_name!r} must decode to {length} bytes"),
                            code="_files.field-decode-bytes", key_name=key, length=length)
        if len(value) < min_length:
            raise self.fail(N_("field {key_name!r} is too short"),
                            code="_files.field-too-short", key_name=key)
        return value


def parse(data: bytes, path: str | os.PathLike[str], fmt: str, version: int) -> Fields:
    """Parse a key file: JSON object, expected ``format``/``version``, intact checksum."""
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise KeyFileError(path, N_("not a valid key file (damaged or not JSON)"),
                           code="_files.not-valid-key-file-2") from None
    if not isinstance(obj, dict):
        raise KeyFileError(path, N_("not a valid key file (expected a JSON object)"),
                           code="_files.not-valid-key-file")
    fields = Fields(obj, path)
    if obj.get("format") != fmt:
        raise fields.fail(N_("not a {fmt} file (format is {get!r})"),
                          code="_files.not-file-format", fmt=fmt, get=obj.get('format'))
    found = obj.get("version")
    if found != version or type(found) is not int:
        raise fields.fail(N_("unsupported {fmt} version {found!r} (this build reads {version})"),
                          code="_files.unsupported-version-build-reads", fmt=fmt, found=found,
                          version=version)
    if obj.get("checksum") != checksum(obj):
        raise fields.fail(N_("file is damaged (checksum mismatch)"),
                          code="_files.file-damaged-checksum-mismatch")
    return fields


def kdf_params(fields: Fields, key: str = "kdf") -> KdfParams:
    """Parse the KDF header; WeakKdfParameters (naming the file) below the floor."""
    try:
        return KdfParams.from_dict(fields.raw(key))
    except WeakKdfParameters as exc:
        raise WeakKdfParameters(N_("{file}: {message_text}"),
                                code="_files.error", file=fields.path,
                                message_text=exc.message) from None
    except KeyFileError:
        raise
    except CryptoError as exc:
        raise fields.fail(exc.message) from None
