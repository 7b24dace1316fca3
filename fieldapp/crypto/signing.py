"""Ed25519 device signing keys (bundle manifests are signed by the device that made them)."""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from fieldapp.crypto.encoding import fingerprint_of
from fieldapp.crypto.errors import BadSignature, CryptoError
from fieldapp.i18n import N_

SIGNATURE_LEN = 64
_RAW = serialization.Encoding.Raw


def generate_signing_key() -> Ed25519PrivateKey:
    """A new Ed25519 device key."""
    return Ed25519PrivateKey.generate()


def sign(private_key: Ed25519PrivateKey, data: bytes) -> bytes:
    """64-byte Ed25519 signature over ``data`` (pass canonical bytes)."""
    return private_key.sign(data)


def verify(public_key: Ed25519PublicKey, signature: bytes, data: bytes) -> None:
    """Return if ``signature`` is valid for ``data``; otherwise raise BadSignature."""
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        raise BadSignature() from None


def public_key_bytes(public_key: Ed25519PublicKey) -> bytes:
    """Raw 32-byte public key."""
    return public_key.public_bytes(_RAW, serialization.PublicFormat.Raw)


def public_key_from_bytes(raw: bytes) -> Ed25519PublicKey:
    """Parse a raw 32-byte public key; CryptoError if malformed."""
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise CryptoError(N_("malformed Ed25519 public key"),
                          code="signing.malformed-ed-public-key") from None


def private_key_bytes(private_key: Ed25519PrivateKey) -> bytes:
    """Raw 32-byte private key (only ever stored encrypted)."""
    return private_key.private_bytes(
        _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def private_key_from_bytes(raw: bytes) -> Ed25519PrivateKey:
    """Parse a raw 32-byte private key; CryptoError if malformed."""
    try:
        return Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError:
        raise CryptoError(N_("malformed Ed25519 private key"),
                          code="signing.malformed-ed-private-key") from None


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """``xxxx-xxxx-xxxx-xxxx``: first 16 hex of SHA-256 of the raw public key."""
    return fingerprint_of(public_key_bytes(public_key))
