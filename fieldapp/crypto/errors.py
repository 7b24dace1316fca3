"""Crypto errors. Messages name files, interviews and questions, never plaintext or keys."""

from __future__ import annotations

import os

from fieldapp.errors import FieldAppError


class CryptoError(FieldAppError):
    """Base class for every failure raised by :mod:`fieldapp.crypto`."""


class DecryptionFailed(CryptoError):
    """An AEAD/HPKE tag check failed: wrong key, wrong context (AAD/info) or altered bytes."""

    def __init__(
        self, message: str = "authentication failed (wrong key, wrong context or altered data)"
    ) -> None:
        super().__init__(message)


class UnsupportedFormat(CryptoError):
    """A blob or file carries a format version this build cannot read."""


class BadSignature(CryptoError):
    """An Ed25519 signature did not verify."""

    def __init__(self, message: str = "bad signature") -> None:
        super().__init__(message)


class WrongPassphrase(CryptoError):
    """The passphrase did not unlock the key file (distinct from a corrupted file)."""

    def __init__(self, message: str = "wrong passphrase") -> None:
        super().__init__(message)


class TamperedData(CryptoError):
    """A stored answer failed its integrity check; names the interview and question."""

    def __init__(self, interview_id: str, question: str | None = None) -> None:
        self.interview_id = interview_id
        self.question = question
        if question is None:
            text = (
                f"interview {interview_id}: stored data failed its integrity check "
                "(tampered, moved or corrupted)"
            )
        else:
            text = (
                f"interview {interview_id} question {question}: stored answer failed its "
                "integrity check (tampered, moved or corrupted)"
            )
        super().__init__(text)

    def __reduce__(self) -> tuple[type[TamperedData], tuple[str, str | None]]:
        return (TamperedData, (self.interview_id, self.question))


class KeyFileError(CryptoError):
    """A key file is unreadable, malformed, corrupted or of an unsupported version."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self) -> tuple[type[KeyFileError], tuple[str, str]]:
        return (KeyFileError, (self.path, self.reason))


class WeakKdfParameters(CryptoError):
    """Key-derivation parameters are below the enforced floor (OWASP minimum)."""
