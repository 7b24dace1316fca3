"""Canonical, unambiguous byte encodings for AEAD associated data and HPKE info.

Encoding (stable; changing it makes existing ciphertexts unreadable)::

    canonical(f1, ..., fn, domain=D) = F(s, "fieldapp/" + D) || F(t1, f1) || ... || F(tn, fn)
    F(tag, payload) = tag (1 byte) || len(payload) (4 bytes, big-endian) || payload

Tags: ``s`` = str (UTF-8, exactly as given, no normalisation), ``i`` = int (8-byte
big-endian signed), ``b`` = bytes. Every field is typed and length-prefixed, so
("ab", "c") and ("a", "bc") differ, and "5" differs from 5 and from b"5".
"""

from __future__ import annotations

import struct

DOMAIN_PREFIX = "fieldapp/"
RECORD_DOMAIN = "record"

_INT_MIN = -(2**63)
_INT_MAX = 2**63 - 1


def _field(tag: bytes, payload: bytes) -> bytes:
    return tag + struct.pack(">I", len(payload)) + payload


def _encode(value: str | int | bytes) -> bytes:
    if isinstance(value, bool):
        raise TypeError("canonical(): bool is ambiguous; pass an int explicitly")
    if isinstance(value, str):
        return _field(b"s", value.encode("utf-8"))
    if isinstance(value, int):
        if not _INT_MIN <= value <= _INT_MAX:
            raise ValueError("canonical(): int out of 64-bit range")
        return _field(b"i", struct.pack(">q", value))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _field(b"b", bytes(value))
    raise TypeError(f"canonical(): unsupported field type {type(value).__name__}")


def canonical(*fields: str | int | bytes, domain: str) -> bytes:
    """Encode ``fields`` under a domain-separation label, injectively."""
    if not domain or not domain.isascii():
        raise ValueError("canonical(): domain must be a non-empty ASCII string")
    parts = [_field(b"s", (DOMAIN_PREFIX + domain).encode("ascii"))]
    parts.extend(_encode(f) for f in fields)
    return b"".join(parts)


def blob_aad(
    *,
    fmt_version: int,
    form_id: str,
    interview_id: str,
    question: str,
    revision: int,
    key_id: str,
) -> bytes:
    """AAD binding one stored answer to its form, interview, question, revision and key."""
    return canonical(
        fmt_version, form_id, interview_id, question, revision, key_id, domain=RECORD_DOMAIN
    )
