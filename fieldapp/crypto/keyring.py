"""The device keyring: one random data key (DEK) per laptop, wrapped twice.

* ``dek_wrapped_pass``: AES-GCM under an Argon2id KEK from the enumerator's passphrase. Its
  AAD covers every other header field (ids, names, project key, signing key, KDF params), so
  editing any of them makes unlock fail instead of being silently accepted.
* ``dek_sealed_project``: HPKE-sealed to the project key, for supervisor recovery and bundles.
* ``signing_key_encrypted``: the device's Ed25519 key, AES-GCM under the DEK.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass, field, replace

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from fieldapp.clock import now_seconds
from fieldapp.crypto import _files, signing
from fieldapp.crypto.aad import canonical
from fieldapp.crypto.aead import KEY_LEN, OVERHEAD, decrypt, encrypt, new_data_key
from fieldapp.crypto.encoding import b64e, fingerprint_of
from fieldapp.crypto.errors import CryptoError, DecryptionFailed, KeyFileError, WrongPassphrase
from fieldapp.crypto.kdf import KdfParams, default_params, derive_key
from fieldapp.crypto.seal import ENC_LEN, TAG_LEN
from fieldapp.crypto.seal import public_key_bytes as x25519_public_bytes
from fieldapp.crypto.seal import public_key_from_bytes as x25519_public_from_bytes
from fieldapp.crypto.seal import seal as hpke_seal
from fieldapp.crypto.seal import unseal as hpke_unseal
from fieldapp.i18n import N_

KEYRING_FORMAT = "fieldapp-device-keyring"
KEYRING_VERSION = 1
_WHERE = "device keyring"
_WRAPPED_LEN = OVERHEAD + KEY_LEN  # version + nonce + 32-byte key + tag
_SEALED_LEN = 1 + ENC_LEN + KEY_LEN + TAG_LEN


@dataclass(frozen=True)
class DeviceKeyring:
    """What is stored on the laptop. Header fields are authenticated only by :func:`unlock`."""

    device_id: str
    enumerator: str
    city: str
    project_public_key: bytes
    project_fingerprint: str
    key_id: str
    kdf: KdfParams
    dek_wrapped_pass: bytes = field(repr=False)
    dek_sealed_project: bytes = field(repr=False)
    signing_key_encrypted: bytes = field(repr=False)
    signing_public_key: bytes = field(repr=False)
    created: str = ""
    #: The central hub's database credential (role, password), AES-GCM under the DEK; b"" if
    #: none was issued. Written only when present, so older keyrings are unchanged.
    hub_credential: bytes = field(default=b"", repr=False)

    def project_key(self) -> X25519PublicKey:
        """The project public key (trust it only after a successful unlock)."""
        return x25519_public_from_bytes(self.project_public_key)


@dataclass(frozen=True)
class UnlockedKeys:
    """Secrets available after unlock; never logged (repr hides them)."""

    dek: bytes = field(repr=False)
    key_id: str
    signing_key: Ed25519PrivateKey = field(repr=False)
    device_id: str


def _wrap_aad(kr: DeviceKeyring, kdf: KdfParams) -> bytes:
    return canonical(
        KEYRING_FORMAT,
        KEYRING_VERSION,
        kr.device_id,
        kr.key_id,
        kr.enumerator,
        kr.city,
        kr.project_public_key,
        kr.project_fingerprint,
        kr.signing_public_key,
        kr.created,
        kr.dek_sealed_project,
        kdf.algorithm,
        kdf.memory_kib,
        kdf.iterations,
        kdf.lanes,
        kdf.salt,
        domain="keyring-wrap",
    )


def _signing_aad(device_id: str, key_id: str, signing_public_key: bytes) -> bytes:
    return canonical(device_id, key_id, signing_public_key, domain="keyring-signing")


def _dek_info(device_id: str, key_id: str) -> bytes:
    return canonical(device_id, key_id, domain="dek")


def seal_data_key(
    project_public_key: X25519PublicKey, dek: bytes, *, device_id: str, key_id: str
) -> bytes:
    """Seal a data key to the project key, bound to the device and key ids."""
    return hpke_seal(project_public_key, dek, _dek_info(device_id, key_id))


def open_sealed_data_key(
    project_private_key: X25519PrivateKey, sealed: bytes, *, device_id: str, key_id: str
) -> bytes:
    """Supervisor side of :func:`seal_data_key`; DecryptionFailed if key or ids are wrong."""
    return hpke_unseal(project_private_key, sealed, _dek_info(device_id, key_id))


def _rewrap(kr: DeviceKeyring, dek: bytes, passphrase: str, kdf: KdfParams) -> DeviceKeyring:
    kdf = kdf.with_fresh_salt()
    wrapped = encrypt(derive_key(passphrase, kdf), dek, _wrap_aad(kr, kdf))
    return replace(kr, kdf=kdf, dek_wrapped_pass=wrapped)


def _open_signing_key(kr: DeviceKeyring, dek: bytes) -> Ed25519PrivateKey:
    aad = _signing_aad(kr.device_id, kr.key_id, kr.signing_public_key)
    try:
        key = signing.private_key_from_bytes(decrypt(dek, kr.signing_key_encrypted, aad))
    except CryptoError:
        raise KeyFileError(_WHERE, N_("signing key failed its integrity check"),
                           code="keyring.signing-key-failed-integrity") from None
    if signing.public_key_bytes(key.public_key()) != kr.signing_public_key:
        raise KeyFileError(_WHERE, N_("signing key does not match its public key"),
                           code="keyring.signing-key-does-not")
    return key


def create_device_keyring(
    *,
    enumerator: str,
    city: str,
    project_public_key: X25519PublicKey,
    passphrase: str,
    kdf_params: KdfParams | None = None,
) -> tuple[DeviceKeyring, UnlockedKeys]:
    """New device identity, data key and signing key; ``kdf_params`` costs (salt is fresh)."""
    device_id = str(uuid.uuid4())
    key_id = hashlib.sha256(uuid.uuid4().bytes).hexdigest()[:16]
    dek = new_data_key()
    signing_key = signing.generate_signing_key()
    signing_public = signing.public_key_bytes(signing_key.public_key())
    project_raw = x25519_public_bytes(project_public_key)
    kdf = kdf_params or default_params()
    unwrapped = DeviceKeyring(
        device_id=device_id,
        enumerator=enumerator,
        city=city,
        project_public_key=project_raw,
        project_fingerprint=fingerprint_of(project_raw),
        key_id=key_id,
        kdf=kdf,
        dek_wrapped_pass=b"",
        dek_sealed_project=seal_data_key(
            project_public_key, dek, device_id=device_id, key_id=key_id
        ),
        signing_key_encrypted=encrypt(
            dek,
            signing.private_key_bytes(signing_key),
            _signing_aad(device_id, key_id, signing_public),
        ),
        signing_public_key=signing_public,
        created=now_seconds(),
    )
    keyring = _rewrap(unwrapped, dek, passphrase, kdf)
    return keyring, UnlockedKeys(
        dek=dek, key_id=key_id, signing_key=signing_key, device_id=device_id
    )


def unlock(keyring: DeviceKeyring, passphrase: str) -> UnlockedKeys:
    """Derive the KEK and unwrap; WrongPassphrase if it (or any header field) is wrong."""
    kek = derive_key(passphrase, keyring.kdf)
    try:
        dek = decrypt(kek, keyring.dek_wrapped_pass, _wrap_aad(keyring, keyring.kdf))
    except DecryptionFailed:
        raise WrongPassphrase() from None
    except CryptoError as exc:
        raise KeyFileError(_WHERE, exc.message) from None
    signing_key = _open_signing_key(keyring, dek)
    return UnlockedKeys(
        dek=dek, key_id=keyring.key_id, signing_key=signing_key, device_id=keyring.device_id
    )


def change_passphrase(
    keyring: DeviceKeyring, old: str, new: str, kdf_params: KdfParams | None = None
) -> DeviceKeyring:
    """A new keyring whose only change is the passphrase wrap (same DEK, fresh salt)."""
    keys = unlock(keyring, old)
    return _rewrap(keyring, keys.dek, new, kdf_params or keyring.kdf)


def recover_with_project_key(
    keyring: DeviceKeyring,
    project_private_key: X25519PrivateKey,
    new_passphrase: str,
    kdf_params: KdfParams | None = None,
) -> DeviceKeyring:
    """Supervisor recovery of a forgotten passphrase: unseal the DEK, wrap it anew."""
    held = x25519_public_bytes(project_private_key.public_key())
    if held != keyring.project_public_key:
        raise CryptoError(
            N_("project key {value} does not match this keyring's project key {value2}"),
            code="keyring.project-key-does-not", value=fingerprint_of(held),
            value2=fingerprint_of(keyring.project_public_key)
        )
    dek = open_sealed_data_key(
        project_private_key,
        keyring.dek_sealed_project,
        device_id=keyring.device_id,
        key_id=keyring.key_id,
    )
    _open_signing_key(keyring, dek)  # proves the unsealed DEK is this keyring's DEK
    return _rewrap(keyring, dek, new_passphrase, kdf_params or keyring.kdf)


def keyring_to_json(keyring: DeviceKeyring) -> bytes:
    """Serialise to the on-disk JSON (with checksum)."""
    obj = {
        "format": KEYRING_FORMAT,
        "version": KEYRING_VERSION,
        "device_id": keyring.device_id,
        "enumerator": keyring.enumerator,
        "city": keyring.city,
        "project_public_key": b64e(keyring.project_public_key),
        "project_fingerprint": keyring.project_fingerprint,
        "key_id": keyring.key_id,
        "kdf": keyring.kdf.to_dict(),
        "dek_wrapped_pass": b64e(keyring.dek_wrapped_pass),
        "dek_sealed_project": b64e(keyring.dek_sealed_project),
        "signing_key_encrypted": b64e(keyring.signing_key_encrypted),
        "signing_public_key": b64e(keyring.signing_public_key),
        "created": keyring.created,
    }
    if keyring.hub_credential:
        obj["hub_credential"] = b64e(keyring.hub_credential)
    return _files.dump_with_checksum(obj)


def keyring_from_json(
    data: bytes, path_for_errors: str | os.PathLike[str] = _WHERE
) -> DeviceKeyring:
    """Parse and validate; KeyFileError (naming the file) for anything malformed."""
    f = _files.parse(data, path_for_errors, KEYRING_FORMAT, KEYRING_VERSION)
    project_raw = f.b64("project_public_key", length=32)
    if fingerprint_of(project_raw) != f.text("project_fingerprint"):
        raise f.fail(N_("project fingerprint does not match the project key"),
                     code="keyring.project-fingerprint-does-not")
    ids = {name: f.text(name) for name in ("device_id", "key_id")}
    if not all(ids.values()):
        raise f.fail(N_("device_id and key_id must not be empty"), code="keyring.device-id-key-id")
    return DeviceKeyring(
        device_id=ids["device_id"],
        enumerator=f.text("enumerator"),
        city=f.text("city"),
        project_public_key=project_raw,
        project_fingerprint=f.text("project_fingerprint"),
        key_id=ids["key_id"],
        kdf=_files.kdf_params(f),
        dek_wrapped_pass=f.b64("dek_wrapped_pass", length=_WRAPPED_LEN),
        dek_sealed_project=f.b64("dek_sealed_project", length=_SEALED_LEN),
        signing_key_encrypted=f.b64("signing_key_encrypted", length=_WRAPPED_LEN),
        signing_public_key=f.b64("signing_public_key", length=32),
        created=f.text("created"),
        hub_credential=(f.b64("hub_credential", min_length=OVERHEAD + 1)
                        if "hub_credential" in f.obj else b""),
    )


def write_keyring_atomic(path: str | os.PathLike[str], keyring: DeviceKeyring) -> None:
    """Durably replace the keyring file (mode 0600): a crash leaves the old or the new one."""
    _files.write_atomic(path, keyring_to_json(keyring), _files.SECRET_MODE)


def read_keyring(path: str | os.PathLike[str]) -> DeviceKeyring:
    """Read and validate a keyring file (does not unlock it, writes nothing)."""
    return keyring_from_json(_files.read_small(path), path)


def _credential_aad(kr: DeviceKeyring) -> bytes:
    return canonical(KEYRING_FORMAT, kr.device_id, kr.key_id, domain="hub-credential")


def with_hub_credential(keyring: DeviceKeyring, dek: bytes, secret: bytes) -> DeviceKeyring:
    """A keyring holding ``secret`` (the hub database credential), encrypted under the DEK."""
    return replace(keyring, hub_credential=encrypt(dek, secret, _credential_aad(keyring)))


def open_hub_credential(keyring: DeviceKeyring, dek: bytes) -> bytes | None:
    """The hub database credential the keyring holds, or None."""
    if not keyring.hub_credential:
        return None
    try:
        return decrypt(dek, keyring.hub_credential, _credential_aad(keyring))
    except CryptoError:
        raise KeyFileError(_WHERE, N_("hub credential failed its integrity check"),
                           code="keyring.hub-credential-failed-integrity") from None
