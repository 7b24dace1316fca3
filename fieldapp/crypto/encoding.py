"""Small shared helpers: base64 and public-key fingerprints."""

from __future__ import annotations

import base64
import binascii
import hashlib


def b64e(data: bytes) -> str:
    """Standard base64 with padding, as ASCII text."""
    return base64.b64encode(data).decode("ascii")


def b64d(text: str) -> bytes:
    """Strict standard base64 decode; ValueError on anything else."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("not valid base64") from None


def fingerprint_of(raw_public_key: bytes) -> str:
    """First 64 bits of SHA-256(raw public key) as hex in four dash-separated groups.

    Example ``3f2a-91c0-5be7-0d44``; reproducible with
    ``sha256(raw).hexdigest()[:16]``. Meant for people comparing keys by eye/phone.
    """
    digest = hashlib.sha256(raw_public_key).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))
