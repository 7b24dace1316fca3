"""Key files: project.pub, project.key and the device keyring (reliability.md T12, T15-T18).

Real Argon2id at the OWASP floor parameters (fast) and real HPKE; no mocks.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from fieldapp.crypto import _files, aead
from fieldapp.crypto.errors import (
    CryptoError,
    DecryptionFailed,
    KeyFileError,
    WeakKdfParameters,
    WrongPassphrase,
)
from fieldapp.crypto.kdf import floor_params
from fieldapp.crypto.keyfiles import (
    load_project_private_key,
    load_project_public_key,
    write_project_private_key,
    write_project_public_key,
)
from fieldapp.crypto.keyring import (
    DeviceKeyring,
    change_passphrase,
    create_device_keyring,
    keyring_from_json,
    keyring_to_json,
    open_sealed_data_key,
    read_keyring,
    recover_with_project_key,
    unlock,
    write_keyring_atomic,
)
from fieldapp.crypto.seal import fingerprint, generate_project_keypair, private_key_bytes
from fieldapp.crypto.signing import sign, verify

PASS = "seoul-fieldwork 한국 2026"
SUPERVISOR_PASS = "supervisor passphrase 北京 東京"


@pytest.fixture(scope="module")
def project() -> tuple[X25519PrivateKey, Any]:
    return generate_project_keypair()


@pytest.fixture
def keyring(project: tuple[X25519PrivateKey, Any]) -> DeviceKeyring:
    kr, _ = create_device_keyring(
        enumerator="김민지",
        city="Seoul",
        project_public_key=project[1],
        passphrase=PASS,
        kdf_params=floor_params(),
    )
    return kr


def _edit(data: bytes, mutate: Callable[[dict[str, Any]], None], fix_checksum: bool) -> bytes:
    """Change a JSON key file; with ``fix_checksum`` as a deliberate attacker would."""
    obj = json.loads(data)
    mutate(obj)
    if fix_checksum:
        obj["checksum"] = _files.checksum(obj)
    return json.dumps(obj).encode()


def _new_salt() -> str:
    return base64.b64encode(os.urandom(16)).decode()


def _snapshot(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


# ---- project public key ----------------------------------------------------------------------


def test_project_public_key_file(tmp_path: Path, project: tuple[Any, Any]) -> None:
    path = tmp_path / "project.pub"
    write_project_public_key(path, project[1])
    obj = json.loads(path.read_text("utf-8"))
    assert obj["format"] == "fieldapp-project-public-key" and obj["version"] == 1
    assert obj["algorithm"] == "X25519-HPKE" and obj["fingerprint"] == fingerprint(project[1])
    assert obj["created"].endswith("Z")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    loaded = load_project_public_key(path, expected_fingerprint=fingerprint(project[1]))
    assert fingerprint(loaded) == fingerprint(project[1])
    with pytest.raises(KeyFileError, match="expected 0000"):
        load_project_public_key(path, expected_fingerprint="0000-0000-0000-0000")


@pytest.mark.parametrize(
    "mutate",
    [
        lambda o: o.update(fingerprint="0000-0000-0000-0000"),
        lambda o: o.update(public_key=base64.b64encode(bytes(31)).decode()),
        lambda o: o.update(version=2),
        lambda o: o.update(format="something-else"),
        lambda o: o.update(algorithm="RSA"),
        lambda o: o.pop("public_key"),
    ],
)
def test_project_public_key_rejects_bad_files(
    tmp_path: Path, project: tuple[Any, Any], mutate: Callable[[dict[str, Any]], None]
) -> None:
    path = tmp_path / "project.pub"
    write_project_public_key(path, project[1])
    path.write_bytes(_edit(path.read_bytes(), mutate, fix_checksum=True))
    with pytest.raises(KeyFileError, match=str(path)):
        load_project_public_key(path)


def test_missing_and_garbage_key_files(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="not found"):
        load_project_public_key(tmp_path / "nope.pub")
    (tmp_path / "g").write_bytes(b"\x00\xffgarbage")
    with pytest.raises(KeyFileError, match="damaged or not JSON"):
        read_keyring(tmp_path / "g")


# ---- project private key ---------------------------------------------------------------------


def test_project_private_key_file(tmp_path: Path, project: tuple[X25519PrivateKey, Any]) -> None:
    path = tmp_path / "project.key"
    write_project_private_key(path, project[0], SUPERVISOR_PASS, floor_params())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_bytes()
    raw = private_key_bytes(project[0])
    assert raw not in text and base64.b64encode(raw) not in text and raw.hex().encode() not in text
    before = _snapshot(path)
    for _ in range(5):  # T12: wrong five times, then the right one still works; nothing written
        with pytest.raises(WrongPassphrase, match=r"^wrong passphrase$"):
            load_project_private_key(path, "not the passphrase")
    loaded = load_project_private_key(path, SUPERVISOR_PASS)
    assert private_key_bytes(loaded) == raw
    assert _snapshot(path) == before


@pytest.mark.parametrize(
    ("mutate", "error"),
    [
        (lambda o: o["kdf"].update(memory_kib=8192), WeakKdfParameters),
        (lambda o: o["kdf"].update(iterations=1), WeakKdfParameters),
        (lambda o: o["kdf"].update(salt=_new_salt()), WrongPassphrase),
        (lambda o: o["kdf"].update(iterations=3), WrongPassphrase),
        (lambda o: o.update(created="2020-01-01T00:00:00Z"), WrongPassphrase),
    ],
)
def test_t15_project_key_header_tampering(
    tmp_path: Path,
    project: tuple[X25519PrivateKey, Any],
    mutate: Callable[[dict[str, Any]], None],
    error: type[Exception],
) -> None:
    path = tmp_path / "project.key"
    write_project_private_key(path, project[0], SUPERVISOR_PASS, floor_params())
    original = path.read_bytes()
    path.write_bytes(_edit(original, mutate, fix_checksum=False))
    with pytest.raises(KeyFileError, match="checksum"):  # careless edit / bit rot
        load_project_private_key(path, SUPERVISOR_PASS)
    path.write_bytes(_edit(original, mutate, fix_checksum=True))
    with pytest.raises(error):  # deliberate edit: refused, never silently accepted
        load_project_private_key(path, SUPERVISOR_PASS)


# ---- device keyring --------------------------------------------------------------------------


def test_keyring_create_unlock_round_trip(tmp_path: Path, project: tuple[Any, Any]) -> None:
    kr, keys = create_device_keyring(
        enumerator="王芳",
        city="Beijing",
        project_public_key=project[1],
        passphrase=PASS,
        kdf_params=floor_params(),
    )
    assert len(keys.dek) == 32 and len(kr.key_id) == 16 and kr.device_id == keys.device_id
    assert kr.project_fingerprint == fingerprint(project[1])
    assert repr(keys.dek) not in repr(keys) and keys.dek.hex() not in repr(keys)
    path = tmp_path / "keyring.json"
    write_keyring_atomic(path, kr)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [path]  # no temp file left behind
    again = read_keyring(path)
    assert again == kr and keyring_from_json(keyring_to_json(kr)) == kr
    unlocked = unlock(again, PASS)
    assert unlocked.dek == keys.dek
    assert (unlocked.key_id, unlocked.device_id) == (kr.key_id, kr.device_id)
    verify(keys.signing_key.public_key(), sign(unlocked.signing_key, b"m"), b"m")
    data = path.read_bytes()
    secret_encodings = (keys.dek, base64.b64encode(keys.dek), keys.dek.hex().encode())
    assert not any(s in data for s in secret_encodings)
    obj = json.loads(data)
    assert obj["format"] == "fieldapp-device-keyring" and obj["version"] == 1
    assert obj["enumerator"] == "王芳"  # UTF-8, not \\u escapes
    assert "王芳".encode() in data


def test_t12_wrong_passphrase_is_distinct_and_writes_nothing(
    tmp_path: Path, keyring: DeviceKeyring
) -> None:
    path = tmp_path / "keyring.json"
    write_keyring_atomic(path, keyring)
    before = _snapshot(path)
    for attempt in range(5):
        with pytest.raises(WrongPassphrase) as info:
            unlock(read_keyring(path), f"wrong {attempt}")
        assert not isinstance(info.value, KeyFileError)
    assert unlock(read_keyring(path), PASS).key_id == keyring.key_id
    assert _snapshot(path) == before


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b"",
        lambda b: b.replace(b'"dek_wrapped_pass": "A', b'"dek_wrapped_pass": "B', 1),
        lambda b: b.replace(b'"format": "fieldapp-device-keyring"', b'"format": "x"'),
        lambda b: b.replace(b'"version": 1', b'"version": 99'),
        lambda b: _edit(b, lambda o: o.pop("signing_public_key"), fix_checksum=True),
        lambda b: _edit(b, lambda o: o.update(dek_wrapped_pass="AAAA"), fix_checksum=True),
        lambda b: _edit(b, lambda o: o.update(project_fingerprint="x"), fix_checksum=True),
        lambda b: _edit(b, lambda o: o.update(key_id=""), fix_checksum=True),
    ],
)
def test_t12_corrupted_keyring_is_a_file_error(
    tmp_path: Path, keyring: DeviceKeyring, damage: Callable[[bytes], bytes]
) -> None:
    path = tmp_path / "keyring.json"
    data = keyring_to_json(keyring)
    assert b'"dek_wrapped_pass": "A' in data  # version byte 0x01 always encodes as "A"
    damaged = damage(data)
    assert damaged != data
    path.write_bytes(damaged)
    with pytest.raises(KeyFileError, match=str(path)):
        unlock(read_keyring(path), PASS)


@pytest.mark.parametrize(
    ("mutate", "error"),
    [
        (lambda o: o["kdf"].update(memory_kib=19455), WeakKdfParameters),
        (lambda o: o["kdf"].update(lanes=0), WeakKdfParameters),
        (lambda o: o["kdf"].update(salt=_new_salt()), WrongPassphrase),
        (lambda o: o["kdf"].update(memory_kib=20000), WrongPassphrase),
        (lambda o: o.update(enumerator="someone else"), WrongPassphrase),
        (lambda o: o.update(city="Tokyo"), WrongPassphrase),
        (lambda o: o.update(key_id="ffffffffffffffff"), WrongPassphrase),
        (lambda o: o.update(device_id="00000000-0000-4000-8000-000000000000"), WrongPassphrase),
        (lambda o: o.update(created="2020-01-01T00:00:00Z"), WrongPassphrase),
    ],
)
def test_t15_keyring_header_tampering(
    keyring: DeviceKeyring, mutate: Callable[[dict[str, Any]], None], error: type[Exception]
) -> None:
    data = keyring_to_json(keyring)
    with pytest.raises(KeyFileError, match="checksum"):
        keyring_from_json(_edit(data, mutate, fix_checksum=False), "kr.json")
    with pytest.raises(error):
        unlock(keyring_from_json(_edit(data, mutate, fix_checksum=True), "kr.json"), PASS)


def test_t15_redirected_project_key_is_detected(keyring: DeviceKeyring) -> None:
    """An attacker swapping in their own project key (to receive future seals) is caught."""
    _, attacker_public = generate_project_keypair()
    raw = base64.b64encode(attacker_public.public_bytes_raw()).decode()

    def swap(o: dict[str, Any]) -> None:
        o.update(project_public_key=raw, project_fingerprint=fingerprint(attacker_public))

    tampered = keyring_from_json(_edit(keyring_to_json(keyring), swap, fix_checksum=True))
    with pytest.raises(WrongPassphrase):
        unlock(tampered, PASS)


def test_swapped_signing_key_blob_is_detected(
    keyring: DeviceKeyring, project: tuple[Any, Any]
) -> None:
    other, _ = create_device_keyring(
        enumerator="x",
        city="y",
        project_public_key=project[1],
        passphrase=PASS,
        kdf_params=floor_params(),
    )
    blob = base64.b64encode(other.signing_key_encrypted).decode()
    data = _edit(keyring_to_json(keyring), lambda o: o.update(signing_key_encrypted=blob), True)
    with pytest.raises(KeyFileError, match="signing key"):
        unlock(keyring_from_json(data), PASS)


# ---- passphrase change and supervisor recovery ----------------------------------------------


def test_t16_passphrase_change(keyring: DeviceKeyring) -> None:
    keys = unlock(keyring, PASS)
    record = aead.encrypt(keys.dek, b"answer", b"aad")
    changed = change_passphrase(keyring, PASS, "a brand new passphrase", floor_params())
    with pytest.raises(WrongPassphrase):
        unlock(changed, PASS)
    new_keys = unlock(changed, "a brand new passphrase")
    assert new_keys.dek == keys.dek and new_keys.key_id == keys.key_id
    assert aead.decrypt(new_keys.dek, record, b"aad") == b"answer"
    assert changed.kdf.salt != keyring.kdf.salt
    assert changed.dek_sealed_project == keyring.dek_sealed_project
    assert changed.signing_key_encrypted == keyring.signing_key_encrypted
    assert unlock(keyring, PASS).dek == keys.dek  # the original object is untouched
    with pytest.raises(WrongPassphrase):
        change_passphrase(keyring, "not it", "x")


def test_t18_supervisor_recovery(
    tmp_path: Path, keyring: DeviceKeyring, project: tuple[X25519PrivateKey, Any]
) -> None:
    keys = unlock(keyring, PASS)
    record = aead.encrypt_blob(
        keys.dek, keys.key_id, b"answer", form_id="f", interview_id="i", question="q", revision=1
    )
    key_path = tmp_path / "project.key"
    write_project_private_key(key_path, project[0], SUPERVISOR_PASS, floor_params())
    supervisor_key = load_project_private_key(key_path, SUPERVISOR_PASS)
    recovered = recover_with_project_key(keyring, supervisor_key, "new pass", floor_params())
    with pytest.raises(WrongPassphrase):
        unlock(recovered, PASS)
    new_keys = unlock(recovered, "new pass")
    assert new_keys.dek == keys.dek
    assert (
        aead.decrypt_blob(
            new_keys.dek,
            new_keys.key_id,
            record,
            form_id="f",
            interview_id="i",
            question="q",
            revision=1,
        )
        == b"answer"
    )
    # Keyring file deleted: the supervisor still opens the DEK from what a bundle carries.
    dek = open_sealed_data_key(
        supervisor_key,
        keyring.dek_sealed_project,
        device_id=keyring.device_id,
        key_id=keyring.key_id,
    )
    assert dek == keys.dek


def test_t16_no_project_private_key_no_recovery(
    keyring: DeviceKeyring, project: tuple[X25519PrivateKey, Any]
) -> None:
    stranger, _ = generate_project_keypair()
    with pytest.raises(CryptoError, match="does not match"):
        recover_with_project_key(keyring, stranger, "new pass", floor_params())
    with pytest.raises(DecryptionFailed):
        open_sealed_data_key(
            stranger,
            keyring.dek_sealed_project,
            device_id=keyring.device_id,
            key_id=keyring.key_id,
        )
    with pytest.raises(DecryptionFailed):  # sealed DEK bound to its device
        open_sealed_data_key(
            project[0],
            keyring.dek_sealed_project,
            device_id="another-device",
            key_id=keyring.key_id,
        )
    data = keyring_to_json(keyring)
    raw = private_key_bytes(project[0])
    assert raw not in data and base64.b64encode(raw) not in data


def test_atomic_write_replaces_and_cleans(tmp_path: Path, keyring: DeviceKeyring) -> None:
    path = tmp_path / "keyring.json"
    write_keyring_atomic(path, keyring)
    changed = change_passphrase(keyring, PASS, "second", floor_params())
    write_keyring_atomic(path, changed)
    assert unlock(read_keyring(path), "second").key_id == keyring.key_id
    stale = tmp_path / ".keyring.json.abc123.tmp"
    stale.write_bytes(b"partial")
    assert _files.remove_stale_temp_files(path) == 1 and not stale.exists()
    assert path.exists()
