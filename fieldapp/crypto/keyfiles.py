"""Project key files (``project.pub``, ``project.key``); device keyrings live in keyring.py.

All files are UTF-8 JSON with ``format``, ``version`` and ``checksum`` fields, binary as
standard base64. See docs/crypto.md for the layouts.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from fieldapp.clock import now_seconds
from fieldapp.crypto import _files
from fieldapp.crypto.aad import canonical
from fieldapp.crypto.aead import decrypt, encrypt
from fieldapp.crypto.encoding import b64e
from fieldapp.crypto.errors import CryptoError, DecryptionFailed, KeyFileError, WrongPassphrase
from fieldapp.crypto.kdf import KdfParams, default_params, derive_key
from fieldapp.crypto.keyring import (
    DeviceKeyring,
    UnlockedKeys,
    change_passphrase,
    create_device_keyring,
    keyring_from_json,
    keyring_to_json,
    read_keyring,
    recover_with_project_key,
    unlock,
    write_keyring_atomic,
)
from fieldapp.crypto.seal import (
    fingerprint,
    private_key_bytes,
    private_key_from_bytes,
    public_key_bytes,
    public_key_from_bytes,
)
from fieldapp.i18n import N_

PUBLIC_FORMAT = "fieldapp-project-public-key"
PRIVATE_FORMAT = "fieldapp-project-private-key"
FILE_VERSION = 1
ALGORITHM = "X25519-HPKE"

__all__ = [
    "ALGORITHM",
    "DeviceKeyring",
    "UnlockedKeys",
    "change_passphrase",
    "create_device_keyring",
    "keyring_from_json",
    "keyring_to_json",
    "load_project_private_key",
    "load_project_public_key",
    "read_keyring",
    "recover_with_project_key",
    "unlock",
    "write_keyring_atomic",
    "write_project_private_key",
    "write_project_public_key",
]

PathLike = str | os.PathLike[str]


def write_project_public_key(path: PathLike, public_key: X25519PublicKey) -> None:
    """Write ``project.pub`` (mode 0644), atomically."""
    obj = {
        "format": PUBLIC_FORMAT,
        "version": FILE_VERSION,
        "algorithm": ALGORITHM,
        "public_key": b64e(public_key_bytes(public_key)),
        "fingerprint": fingerprint(public_key),
        "created": now_seconds(),
    }
    _files.write_atomic(path, _files.dump_with_checksum(obj), _files.PUBLIC_MODE)


def _algorithm(fields: _files.Fields) -> None:
    if fields.text("algorithm") != ALGORITHM:
        raise fields.fail(N_("unsupported algorithm {algorithm!r}"),
                          code="keyfiles.unsupported-algorithm", algorithm=fields.obj['algorithm'])


def _public_key(fields: _files.Fields) -> X25519PublicKey:
    try:
        public_key = public_key_from_bytes(fields.b64("public_key", length=32))
    except CryptoError as exc:
        raise fields.fail(exc.message) from None
    if fingerprint(public_key) != fields.text("fingerprint"):
        raise fields.fail(N_("fingerprint does not match the key (file altered or damaged)"),
                          code="keyfiles.fingerprint-does-not-match")
    return public_key


def load_project_public_key(
    path: PathLike, expected_fingerprint: str | None = None
) -> X25519PublicKey:
    """Load ``project.pub``; optionally insist on a fingerprint confirmed out of band."""
    fields = _files.parse(_files.read_small(path), path, PUBLIC_FORMAT, FILE_VERSION)
    _algorithm(fields)
    public_key = _public_key(fields)
    if expected_fingerprint is not None and fingerprint(public_key) != expected_fingerprint:
        raise fields.fail(
            N_("project key fingerprint is {value}, expected {expected_fingerprint}"),
            code="keyfiles.project-key-fingerprint-expected", value=fingerprint(public_key),
            expected_fingerprint=expected_fingerprint
        )
    return public_key


def _private_aad(
    public_raw: bytes, fingerprint_text: str, created: str, params: KdfParams
) -> bytes:
    return canonical(
        PRIVATE_FORMAT,
        FILE_VERSION,
        ALGORITHM,
        public_raw,
        fingerprint_text,
        created,
        params.algorithm,
        params.memory_kib,
        params.iterations,
        params.lanes,
        params.salt,
        domain="project-key",
    )


def write_project_private_key(
    path: PathLike,
    private_key: X25519PrivateKey,
    passphrase: str,
    params: KdfParams | None = None,
) -> None:
    """Write ``project.key`` (mode 0600): the raw key AES-GCM-wrapped under an Argon2id KEK.

    ``params`` sets the costs; a fresh salt is always drawn.
    """
    params = (params or default_params()).with_fresh_salt()
    public_key = private_key.public_key()
    public_raw = public_key_bytes(public_key)
    fp = fingerprint(public_key)
    created = now_seconds()
    kek = derive_key(passphrase, params)
    blob = encrypt(
        kek, private_key_bytes(private_key), _private_aad(public_raw, fp, created, params)
    )
    obj = {
        "format": PRIVATE_FORMAT,
        "version": FILE_VERSION,
        "algorithm": ALGORITHM,
        "public_key": b64e(public_raw),
        "fingerprint": fp,
        "created": created,
        "kdf": params.to_dict(),
        "private_key_encrypted": b64e(blob),
    }
    _files.write_atomic(path, _files.dump_with_checksum(obj), _files.SECRET_MODE)


def load_project_private_key(path: PathLike, passphrase: str) -> X25519PrivateKey:
    """Unlock ``project.key``.

    WrongPassphrase if the passphrase (or an authenticated header field) is wrong;
    KeyFileError if the file is damaged/malformed; WeakKdfParameters below the floor.
    """
    fields = _files.parse(_files.read_small(path), path, PRIVATE_FORMAT, FILE_VERSION)
    _algorithm(fields)
    public_key = _public_key(fields)
    created = fields.text("created")
    params = _files.kdf_params(fields)
    blob = fields.b64("private_key_encrypted", min_length=1)
    aad = _private_aad(public_key_bytes(public_key), fingerprint(public_key), created, params)
    kek = derive_key(passphrase, params)
    try:
        raw = decrypt(kek, blob, aad)
    except DecryptionFailed:
        raise WrongPassphrase() from None
    except CryptoError as exc:
        raise fields.fail(exc.message) from None
    try:
        private_key = private_key_from_bytes(raw)
    except CryptoError:
        raise KeyFileError(path, N_("decrypted private key is malformed"),
                           code="keyfiles.decrypted-private-key-malformed") from None
    if public_key_bytes(private_key.public_key()) != public_key_bytes(public_key):
        raise KeyFileError(path, N_("private key does not match the public key in the file"),
                           code="keyfiles.private-key-does-not")
    return private_key
