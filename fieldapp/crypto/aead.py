"""AES-256-GCM records: ``version (1) || nonce (12, random) || ciphertext || tag (16)``."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fieldapp.crypto.aad import blob_aad
from fieldapp.crypto.errors import (
    CryptoError,
    DecryptionFailed,
    TamperedData,
    UnsupportedFormat,
)
from fieldapp.i18n import N_

FORMAT_VERSION = 1
KEY_LEN = 32
NONCE_LEN = 12
TAG_LEN = 16
OVERHEAD = 1 + NONCE_LEN + TAG_LEN

_VERSION_BYTE = bytes([FORMAT_VERSION])


def new_data_key() -> bytes:
    """Return a fresh random 256-bit data key."""
    return os.urandom(KEY_LEN)


def _cipher(key: bytes) -> AESGCM:
    if len(key) != KEY_LEN:
        raise CryptoError(N_("data key must be {KEY_LEN} bytes"),
                          code="aead.data-key-bytes", KEY_LEN=KEY_LEN)
    return AESGCM(key)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt under ``key`` with a fresh random nonce; ``aad`` is authenticated, not stored."""
    nonce = os.urandom(NONCE_LEN)
    return _VERSION_BYTE + nonce + _cipher(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Decrypt a blob from :func:`encrypt`.

    Raises UnsupportedFormat for an unknown version byte and DecryptionFailed when the
    key, AAD or any byte is wrong (including truncation).
    """
    if not blob:
        raise DecryptionFailed(N_("record is empty"), code="aead.record-empty")
    if blob[0] != FORMAT_VERSION:
        raise UnsupportedFormat(N_("unsupported record format version {blob}"),
                                code="aead.unsupported-record-format-version", blob=blob[0])
    if len(blob) < OVERHEAD:
        raise DecryptionFailed(N_("record is truncated"), code="aead.record-truncated")
    cipher = _cipher(key)
    try:
        return cipher.decrypt(blob[1 : 1 + NONCE_LEN], blob[1 + NONCE_LEN :], aad)
    except InvalidTag:
        raise DecryptionFailed() from None


def encrypt_blob(
    key: bytes,
    key_id: str,
    plaintext: bytes,
    *,
    form_id: str,
    interview_id: str,
    question: str,
    revision: int,
) -> bytes:
    """Encrypt one answer, bound (via AAD) to its form, interview, question and revision."""
    aad = blob_aad(
        fmt_version=FORMAT_VERSION,
        form_id=form_id,
        interview_id=interview_id,
        question=question,
        revision=revision,
        key_id=key_id,
    )
    return encrypt(key, plaintext, aad)


def decrypt_blob(
    key: bytes,
    key_id: str,
    blob: bytes,
    *,
    form_id: str,
    interview_id: str,
    question: str,
    revision: int,
) -> bytes:
    """Decrypt one answer; TamperedData(interview_id, question) if it does not authenticate."""
    if blob and blob[0] != FORMAT_VERSION:
        raise UnsupportedFormat(
            N_("interview {interview_id} question {question}: unsupported record format version "
               "{blob}"),
            code="aead.interview-question-unsupported-record", interview_id=interview_id,
            question=question, blob=blob[0]
        )
    aad = blob_aad(
        fmt_version=FORMAT_VERSION,
        form_id=form_id,
        interview_id=interview_id,
        question=question,
        revision=revision,
        key_id=key_id,
    )
    try:
        return decrypt(key, blob, aad)
    except DecryptionFailed:
        raise TamperedData(interview_id, question) from None
