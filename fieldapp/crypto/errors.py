"""Crypto errors. Messages name files, interviews and questions, never plaintext or keys."""

from __future__ import annotations

import os

from fieldapp.errors import FieldAppError, Message
from fieldapp.i18n import N_


class CryptoError(FieldAppError):
    """Base class for every failure raised by :mod:`fieldapp.crypto`."""

    code = "crypto"


class DecryptionFailed(CryptoError):
    """An AEAD/HPKE tag check failed: wrong key, wrong context (AAD/info) or altered bytes."""

    code = "crypto.decryption-failed"

    def __init__(self, message: str = N_("authentication failed (wrong key, wrong context or "
                                         "altered data)"),
                 /, *, code: str | None = None, **fields: object) -> None:
        super().__init__(message, code=code, **fields)


class UnsupportedFormat(CryptoError):
    """A blob or file carries a format version this build cannot read."""

    code = "crypto.unsupported-format"


class BadSignature(CryptoError):
    """An Ed25519 signature did not verify."""

    code = "crypto.bad-signature"

    def __init__(self, message: str = N_("bad signature"), /, *, code: str | None = None,
                 **fields: object) -> None:
        super().__init__(message, code=code, **fields)


class WrongPassphrase(CryptoError):
    """The passphrase did not unlock the key file (distinct from a corrupted file)."""

    code = "crypto.wrong-passphrase"

    def __init__(self, message: str = N_("wrong passphrase"), /, *, code: str | None = None,
                 **fields: object) -> None:
        super().__init__(message, code=code, **fields)


class TamperedData(CryptoError):
    """A stored answer failed its integrity check; names the interview and question."""

    code = "crypto.tampered"

    def __init__(self, interview_id: str, question: str | None = None) -> None:
        self.interview_id = interview_id
        self.question = question
        if question is None:
            super().__init__(N_("interview {interview_id}: stored data failed its integrity "
                                "check (tampered, moved or corrupted)"),
                             interview_id=interview_id)
        else:
            super().__init__(N_("interview {interview_id} question {question}: stored answer "
                                "failed its integrity check (tampered, moved or corrupted)"),
                             interview_id=interview_id, question=question)



class KeyFileError(CryptoError):
    """A key file is unreadable, malformed, corrupted or of an unsupported version.

    ``reason`` is a template filled from ``fields``.
    """

    code = "crypto.key-file"

    def __init__(self, path: str | os.PathLike[str], reason: str, *, code: str | None = None,
                 **fields: object) -> None:
        self.path = os.fspath(path)
        self.reason_message = Message(reason, fields)
        super().__init__(N_("{path}: {reason}"), code=code, path=self.path,
                         reason=self.reason_message)

    @property
    def reason(self) -> str:
        """The reason alone, in the current language."""
        return self.reason_message.render()



class WeakKdfParameters(CryptoError):
    """Key-derivation parameters are below the enforced floor (OWASP minimum)."""

    code = "crypto.weak-kdf"
