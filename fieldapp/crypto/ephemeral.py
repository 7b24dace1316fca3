"""A key that exists only in this process: for temporary files that must be unreadable after
a crash (kill -9 leaves the file; the key dies with the process).

AES-256-GCM from ``cryptography``; each chunk's nonce is its index (a key is never reused
across files), so chunks cannot be reordered, dropped from the middle or swapped unnoticed.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fieldapp.crypto.errors import DecryptionFailed
from fieldapp.i18n import N_


class EphemeralCipher:
    """Seal and open numbered chunks under a random key held only by this object."""

    def __init__(self) -> None:
        self._aead = AESGCM(AESGCM.generate_key(bit_length=256))

    @staticmethod
    def _nonce(index: int) -> bytes:
        return index.to_bytes(12, "big")

    def seal(self, index: int, chunk: bytes) -> bytes:
        """Ciphertext (with its tag) of chunk number ``index``."""
        return self._aead.encrypt(self._nonce(index), chunk, None)

    def open(self, index: int, sealed: bytes) -> bytes:
        """Plaintext of chunk number ``index`` (DecryptionFailed if it was altered)."""
        try:
            return self._aead.decrypt(self._nonce(index), sealed, None)
        except InvalidTag:
            raise DecryptionFailed(N_("a temporary file was altered while it was in use"),
                                   code="ephemeral.temporary-file-altered-while") from None
