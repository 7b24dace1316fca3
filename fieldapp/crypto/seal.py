"""Sealing to the project (supervisor) key with HPKE (RFC 9180, base mode).

Suite: DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM, from
``cryptography.hazmat.primitives.hpke`` (single-shot API: ``info`` only, no AAD).
Blob: ``version (1) || enc (32) || ciphertext || tag (16)``. The HPKE ``info`` is
``canonical(version, caller_info, domain="seal")``, so the version byte is authenticated.

Import names from this module (``from fieldapp.crypto.seal import seal``): the package
re-exports the ``seal`` function, which shadows the ``fieldapp.crypto.seal`` attribute.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from fieldapp.crypto.aad import canonical
from fieldapp.crypto.encoding import fingerprint_of
from fieldapp.crypto.errors import CryptoError, DecryptionFailed, UnsupportedFormat
from fieldapp.i18n import N_

SEAL_VERSION = 1
SUITE_NAME = "DHKEM(X25519,HKDF-SHA256)/HKDF-SHA256/AES-256-GCM"
ENC_LEN = 32
TAG_LEN = 16
_SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)
_VERSION_BYTE = bytes([SEAL_VERSION])
_RAW = serialization.Encoding.Raw


def generate_project_keypair() -> tuple[X25519PrivateKey, X25519PublicKey]:
    """A new project (supervisor) X25519 key pair."""
    private_key = X25519PrivateKey.generate()
    return private_key, private_key.public_key()


def public_key_bytes(public_key: X25519PublicKey) -> bytes:
    """Raw 32-byte public key."""
    return public_key.public_bytes(_RAW, serialization.PublicFormat.Raw)


def public_key_from_bytes(raw: bytes) -> X25519PublicKey:
    """Parse a raw 32-byte public key; CryptoError if malformed."""
    try:
        return X25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise CryptoError(N_("malformed X25519 public key"),
                          code="seal.malformed-x-public-key") from None


def private_key_bytes(private_key: X25519PrivateKey) -> bytes:
    """Raw 32-byte private key (handle with care; only ever stored encrypted)."""
    return private_key.private_bytes(
        _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def private_key_from_bytes(raw: bytes) -> X25519PrivateKey:
    """Parse a raw 32-byte private key; CryptoError if malformed."""
    try:
        return X25519PrivateKey.from_private_bytes(raw)
    except ValueError:
        raise CryptoError(N_("malformed X25519 private key"),
                          code="seal.malformed-x-private-key") from None


def fingerprint(public_key: X25519PublicKey) -> str:
    """``xxxx-xxxx-xxxx-xxxx``: first 16 hex of SHA-256 of the raw public key."""
    return fingerprint_of(public_key_bytes(public_key))


def _info(info: bytes) -> bytes:
    return canonical(SEAL_VERSION, info, domain="seal")


def seal(public_key: X25519PublicKey, plaintext: bytes, info: bytes) -> bytes:
    """Encrypt ``plaintext`` so only the holder of the project private key can read it."""
    return _VERSION_BYTE + _SUITE.encrypt(plaintext, public_key, info=_info(info))


def unseal(private_key: X25519PrivateKey, blob: bytes, info: bytes) -> bytes:
    """Open a :func:`seal` blob; DecryptionFailed for a wrong key, wrong info or altered bytes."""
    if not blob:
        raise DecryptionFailed(N_("sealed data is empty"), code="seal.sealed-data-empty")
    if blob[0] != SEAL_VERSION:
        raise UnsupportedFormat(N_("unsupported sealed format version {blob}"),
                                code="seal.unsupported-sealed-format-version", blob=blob[0])
    if len(blob) < 1 + ENC_LEN + TAG_LEN:
        raise DecryptionFailed(N_("sealed data is truncated"), code="seal.sealed-data-truncated")
    try:
        return _SUITE.decrypt(blob[1:], private_key, info=_info(info))
    except InvalidTag:
        raise DecryptionFailed(
            N_("sealed data could not be opened (wrong project key, wrong context or "
               "altered data)"),
            code="seal.sealed-data-could-not"
        ) from None
