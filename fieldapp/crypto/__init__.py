"""Encryption at rest, sealing to the project key, device signing and key files.

Built only from ``cryptography`` primitives (AES-256-GCM, Argon2id, HPKE/X25519, Ed25519).
See docs/crypto.md for the design, file formats and procedures.
"""

from __future__ import annotations

from fieldapp.crypto.aad import blob_aad, canonical
from fieldapp.crypto.aead import (
    FORMAT_VERSION,
    decrypt,
    decrypt_blob,
    encrypt,
    encrypt_blob,
    new_data_key,
)
from fieldapp.crypto.errors import (
    BadSignature,
    CryptoError,
    DecryptionFailed,
    KeyFileError,
    TamperedData,
    UnsupportedFormat,
    WeakKdfParameters,
    WrongPassphrase,
)
from fieldapp.crypto.kdf import (
    FLOOR,
    KdfParams,
    calibrate,
    default_params,
    derive_key,
    floor_params,
    params_for_new_keys,
)
from fieldapp.crypto.keyfiles import (
    load_project_private_key,
    load_project_public_key,
    write_project_private_key,
    write_project_public_key,
)
from fieldapp.crypto.keyring import (
    DeviceKeyring,
    UnlockedKeys,
    change_passphrase,
    create_device_keyring,
    keyring_from_json,
    keyring_to_json,
    open_sealed_data_key,
    read_keyring,
    recover_with_project_key,
    seal_data_key,
    unlock,
    write_keyring_atomic,
)
from fieldapp.crypto.seal import fingerprint, generate_project_keypair, seal, unseal
from fieldapp.crypto.signing import generate_signing_key, sign, verify

__all__ = [
    "FLOOR",
    "FORMAT_VERSION",
    "BadSignature",
    "CryptoError",
    "DecryptionFailed",
    "DeviceKeyring",
    "KdfParams",
    "KeyFileError",
    "TamperedData",
    "UnlockedKeys",
    "UnsupportedFormat",
    "WeakKdfParameters",
    "WrongPassphrase",
    "blob_aad",
    "calibrate",
    "canonical",
    "change_passphrase",
    "create_device_keyring",
    "decrypt",
    "decrypt_blob",
    "default_params",
    "derive_key",
    "encrypt",
    "encrypt_blob",
    "fingerprint",
    "floor_params",
    "generate_project_keypair",
    "generate_signing_key",
    "keyring_from_json",
    "keyring_to_json",
    "load_project_private_key",
    "load_project_public_key",
    "new_data_key",
    "open_sealed_data_key",
    "params_for_new_keys",
    "read_keyring",
    "recover_with_project_key",
    "seal",
    "seal_data_key",
    "sign",
    "unlock",
    "unseal",
    "verify",
    "write_keyring_atomic",
    "write_project_private_key",
    "write_project_public_key",
]
