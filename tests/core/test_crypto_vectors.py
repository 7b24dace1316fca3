"""T11: files and blobs written by format version 1 must stay readable by every later build.

The fixtures were produced once by this code (cryptography 50.0.2) and are never regenerated:
if a test here fails, the on-disk format changed, and old laptops' data would be unreadable.
"""

from __future__ import annotations

from pathlib import Path

from fieldapp.crypto.keyfiles import load_project_private_key
from fieldapp.crypto.keyring import keyring_from_json, recover_with_project_key, unlock
from fieldapp.crypto.seal import private_key_bytes, private_key_from_bytes, unseal
from fieldapp.crypto.signing import sign, verify

PROJECT_PRIVATE = bytes(range(32))

SEALED_V1 = bytes.fromhex(
    "013629024290bb252c2f026db296b90573445ae49af0a1292521fd32be1ae87f3662e8efd687e7a9fad3ec1c61"
    "390e7ddfa77cead272ff1f8fd5ec6b42ae1976bb8ed7f2"
)

KEYRING_V1 = """{
  "checksum": "sha256:91430b6903185662b60406c498bafeaecc1d1df15b0fd14707d41dd0a31d2c71",
  "city": "Seoul",
  "created": "2026-11-22T02:58:12Z",
  "dek_sealed_project": "AYGxKclxpwYblLbQdPYdqoVXVg0UTxueJ6D0SFdAYFVWpHeVns2fGy7Tk1k/GOi0rw5FDw9FDnXx8X4hIyIsLryH9EEIsDVe3fbS4OzgyX3j",
  "dek_wrapped_pass": "AapvH9VK6gPo35+UwPTfLmWFs5QMS8a7mOtt8WHN08Drn+8LMFiW1Uz9te0yJZMuglHJpYSjaBsHIm8vlg==",
  "device_id": "dd164c9c-8803-43c9-9b63-0a1c4d9a26d3",
  "enumerator": "김민지",
  "format": "fieldapp-device-keyring",
  "kdf": {
    "algorithm": "argon2id",
    "iterations": 2,
    "lanes": 1,
    "memory_kib": 19456,
    "salt": "2/nCrY58uxx9x96VnZQ0sQ=="
  },
  "key_id": "4a33c1f43647282d",
  "project_fingerprint": "eedd-883d-a0a9-4515",
  "project_public_key": "j0DFrbaPJWJK5bIU6nZ6bslNgp09e14a0bpvPiE4KF8=",
  "signing_key_encrypted": "Adry5abEjJwEyVhP3uwgC0+rDe1sc9QKQsCjKfvtC9fsarGYPR7Z4MYH/NsM+ZNfHSQIZkzas8EkwKgn5w==",
  "signing_public_key": "62DnNhZcZzmiPwNImjSNDqeyf+97/AGdXz47K/BF4ec=",
  "version": 1
}
"""
KEYRING_PASSPHRASE = "kat passphrase 한국"
KEYRING_DEK = bytes.fromhex("e686b7fd5ce836ee0dc073b83be7bc841d7dfd94f5d5290d507079d813e823ac")

PROJECT_KEY_V1 = """{
  "algorithm": "X25519-HPKE",
  "checksum": "sha256:61897a4be8c47a917363075a8f77c70857f031991869f9ea753e29660137ffbe",
  "created": "2026-11-22T02:58:12Z",
  "fingerprint": "eedd-883d-a0a9-4515",
  "format": "fieldapp-project-private-key",
  "kdf": {
    "algorithm": "argon2id",
    "iterations": 2,
    "lanes": 1,
    "memory_kib": 19456,
    "salt": "Z0QlJqTY5zpDruXDCJPWHQ=="
  },
  "private_key_encrypted": "AXxIxiFqPzEXJuXhjyY08C7y8pNKbAjah3MhJTiDPhDgYC99Qpjynx6eXUlD3VfrXT9XeTKigJ+8/a6fBg==",
  "public_key": "j0DFrbaPJWJK5bIU6nZ6bslNgp09e14a0bpvPiE4KF8=",
  "version": 1
}
"""


def test_sealed_v1_blob_opens() -> None:
    key = private_key_from_bytes(PROJECT_PRIVATE)
    assert unseal(key, SEALED_V1, b"kat") == b"sealed known answer"


def test_keyring_v1_unlocks_and_recovers() -> None:
    keyring = keyring_from_json(KEYRING_V1.encode("utf-8"), "keyring_v1.json")
    keys = unlock(keyring, KEYRING_PASSPHRASE)
    assert keys.dek == KEYRING_DEK and keys.key_id == "4a33c1f43647282d"
    verify(keys.signing_key.public_key(), sign(keys.signing_key, b"m"), b"m")
    recovered = recover_with_project_key(
        keyring, private_key_from_bytes(PROJECT_PRIVATE), "new", keyring.kdf
    )
    assert unlock(recovered, "new").dek == KEYRING_DEK


def test_project_key_v1_unlocks(tmp_path: Path) -> None:
    path = tmp_path / "project.key"
    path.write_text(PROJECT_KEY_V1, encoding="utf-8")
    key = load_project_private_key(path, "kat supervisor")
    assert private_key_bytes(key) == PROJECT_PRIVATE
