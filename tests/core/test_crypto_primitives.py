"""Crypto primitives: canonical AAD, AES-GCM records, Argon2id params, HPKE sealing, Ed25519.

Real cryptography, no mocks (reliability.md §6.2: T09, T10, T11, T14, T15, T16).
"""

from __future__ import annotations

import hashlib
import pickle
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fieldapp.crypto
from fieldapp.crypto import aead, kdf, signing
from fieldapp.crypto.aad import blob_aad, canonical
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
from fieldapp.crypto.seal import (
    fingerprint,
    generate_project_keypair,
    private_key_bytes,
    private_key_from_bytes,
    public_key_bytes,
    public_key_from_bytes,
    seal,
    unseal,
)
from fieldapp.errors import FieldAppError

KEY = bytes(range(32))
KEY_ID = "0123456789abcdef"
FORM = "three_city_2012"
IV_A = "3f2a9c1e-0000-4000-8000-000000000001"
IV_B = "3f2a9c1e-0000-4000-8000-000000000002"
SECRET = "불안 3 — 不安 — 不安".encode()


def _ctx(**over: object) -> dict[str, object]:
    ctx: dict[str, object] = {
        "form_id": FORM,
        "interview_id": IV_A,
        "question": "ANX1",
        "revision": 2,
    }
    ctx.update(over)
    return ctx


# ---- canonical encoding / record AAD -------------------------------------------------------


def test_canonical_is_unambiguous() -> None:
    assert canonical("ab", "c", domain="t") != canonical("a", "bc", domain="t")
    assert canonical("5", domain="t") != canonical(5, domain="t") != canonical(b"5", domain="t")
    assert canonical("a", domain="t") != canonical("a", domain="u")
    assert canonical("a", "", domain="t") != canonical("a", domain="t")
    with pytest.raises(TypeError):
        canonical(True, domain="t")
    with pytest.raises(ValueError):
        canonical("a", domain="")


_field = st.one_of(st.text(max_size=8), st.integers(-(2**63), 2**63 - 1), st.binary(max_size=8))


@settings(max_examples=300, deadline=None)
@given(st.lists(_field, max_size=5), st.lists(_field, max_size=5))
def test_canonical_is_injective(a: list[str | int | bytes], b: list[str | int | bytes]) -> None:
    same = [(type(x), x) for x in a] == [(type(y), y) for y in b]
    assert (canonical(*a, domain="t") == canonical(*b, domain="t")) == same


def test_record_aad_known_answer() -> None:
    """T11: the AAD layout is frozen; a change here makes every stored answer unreadable."""
    expected = (
        b"s\x00\x00\x00\x0ffieldapp/record"
        + b"i\x00\x00\x00\x08" + (1).to_bytes(8, "big")
        + b"s\x00\x00\x00\x0f" + b"three_city_2012"
        + b"s\x00\x00\x00\x24" + IV_A.encode()
        + b"s\x00\x00\x00\x04ANX1"
        + b"i\x00\x00\x00\x08" + (2).to_bytes(8, "big")
        + b"s\x00\x00\x00\x10" + KEY_ID.encode()
    )  # fmt: skip
    aad = blob_aad(
        fmt_version=1, form_id=FORM, interview_id=IV_A, question="ANX1", revision=2, key_id=KEY_ID
    )
    assert aad == expected
    assert hashlib.sha256(aad).hexdigest() == hashlib.sha256(expected).hexdigest()
    assert aad.hex() == (
        "730000000f6669656c646170702f7265636f726469000000080000000000000001730000000f74687265"
        "655f636974795f32303132730000002433663261396331652d303030302d343030302d383030302d3030"
        "303030303030303030317300000004414e583169000000080000000000000002730000001030313233"
        "343536373839616263646566"
    )


@pytest.mark.parametrize(
    "change",
    [
        {"fmt_version": 2},
        {"form_id": "other"},
        {"interview_id": IV_B},
        {"question": "ANX2"},
        {"revision": 3},
        {"key_id": "fedcba9876543210"},
    ],
)
def test_record_aad_binds_every_field(change: dict[str, object]) -> None:
    base: dict[str, object] = {
        "fmt_version": 1,
        "form_id": FORM,
        "interview_id": IV_A,
        "question": "ANX1",
        "revision": 2,
        "key_id": KEY_ID,
    }
    assert blob_aad(**base) != blob_aad(**{**base, **change})  # type: ignore[arg-type]


# ---- AES-GCM records -------------------------------------------------------------------------

# Produced once with AESGCM(KEY).encrypt(nonce=bytes(range(100, 112)), SECRET, record AAD).
FIXED_BLOB = bytes.fromhex(
    "016465666768696a6b6c6d6e6fa3ad568aec6176ad1e80df7cfa81d270a76c8f2a69ec6752436921ad552a"
    "d38908bf99437ebc7d63eded33500d8d"
)


def test_decrypt_known_answer_blob() -> None:
    """T11: a record written by format v1 still decrypts byte-exactly."""
    assert aead.decrypt_blob(KEY, KEY_ID, FIXED_BLOB, **_ctx()) == SECRET  # type: ignore[arg-type]
    aad = blob_aad(
        fmt_version=1, form_id=FORM, interview_id=IV_A, question="ANX1", revision=2, key_id=KEY_ID
    )
    assert aead.decrypt(KEY, FIXED_BLOB, aad) == SECRET


@pytest.mark.parametrize("plaintext", [b"", b"x", SECRET, bytes(2048)])
def test_encrypt_round_trip_and_layout(plaintext: bytes) -> None:
    key = aead.new_data_key()
    assert len(key) == 32 and key != aead.new_data_key()
    blob = aead.encrypt(key, plaintext, b"ctx")
    assert blob[0] == aead.FORMAT_VERSION == 1
    assert len(blob) == 1 + 12 + len(plaintext) + 16
    assert aead.decrypt(key, blob, b"ctx") == plaintext
    with pytest.raises(DecryptionFailed):
        aead.decrypt(key, blob, b"other ctx")
    with pytest.raises(DecryptionFailed):
        aead.decrypt(aead.new_data_key(), blob, b"ctx")


def test_decrypt_rejects_unknown_version_truncation_and_bad_key() -> None:
    blob = aead.encrypt(KEY, b"abc", b"")
    with pytest.raises(UnsupportedFormat, match="unsupported record format version 2"):
        aead.decrypt(KEY, b"\x02" + blob[1:], b"")
    for short in (b"", blob[:1], blob[:28]):
        with pytest.raises(DecryptionFailed):
            aead.decrypt(KEY, short, b"")
    with pytest.raises(CryptoError, match="32 bytes"):
        aead.encrypt(KEY[:16], b"abc", b"")
    with pytest.raises(UnsupportedFormat, match=f"interview {IV_A} question ANX1"):
        aead.decrypt_blob(KEY, KEY_ID, b"\x07" + FIXED_BLOB[1:], **_ctx())  # type: ignore[arg-type]


def test_record_round_trip() -> None:
    blob = aead.encrypt_blob(KEY, KEY_ID, SECRET, **_ctx())  # type: ignore[arg-type]
    assert aead.decrypt_blob(KEY, KEY_ID, blob, **_ctx()) == SECRET  # type: ignore[arg-type]


def _assert_integrity_error(exc: TamperedData, interview: str, question: str) -> None:
    assert exc.interview_id == interview and exc.question == question
    text = str(exc)
    assert f"interview {interview}" in text and f"question {question}" in text
    assert "integrity" in text
    assert SECRET.decode() not in text and "불안" not in text


@pytest.mark.parametrize("where", ["nonce", "body", "tag"])
@pytest.mark.parametrize("bit", [0, 7])
def test_t09_tamper_one_bit(where: str, bit: int) -> None:
    blob = bytearray(aead.encrypt_blob(KEY, KEY_ID, SECRET, **_ctx()))  # type: ignore[arg-type]
    index = {"nonce": 5, "body": 13 + 3, "tag": len(blob) - 1}[where]
    blob[index] ^= 1 << bit
    with pytest.raises(TamperedData) as info:
        aead.decrypt_blob(KEY, KEY_ID, bytes(blob), **_ctx())  # type: ignore[arg-type]
    _assert_integrity_error(info.value, IV_A, "ANX1")


@pytest.mark.parametrize(
    "target",
    [
        {"question": "ANX2"},  # moved to another question of the same interview
        {"interview_id": IV_B},  # moved to the same question of another interview
        {"revision": 3},  # an older revision replayed as a newer one
        {"form_id": "other_form"},
    ],
)
def test_t10_swap_and_replay_detected(target: dict[str, object]) -> None:
    blob = aead.encrypt_blob(KEY, KEY_ID, SECRET, **_ctx())  # type: ignore[arg-type]
    ctx = _ctx(**target)
    with pytest.raises(TamperedData) as info:
        aead.decrypt_blob(KEY, KEY_ID, blob, **ctx)  # type: ignore[arg-type]
    _assert_integrity_error(info.value, str(ctx["interview_id"]), str(ctx["question"]))


def test_t10_wrong_key_id_or_key_detected() -> None:
    blob = aead.encrypt_blob(KEY, KEY_ID, SECRET, **_ctx())  # type: ignore[arg-type]
    with pytest.raises(TamperedData):
        aead.decrypt_blob(KEY, "ffffffffffffffff", blob, **_ctx())  # type: ignore[arg-type]
    with pytest.raises(TamperedData):
        aead.decrypt_blob(aead.new_data_key(), KEY_ID, blob, **_ctx())  # type: ignore[arg-type]


def test_t14_no_repeated_nonce_in_100k_records() -> None:
    key = aead.new_data_key()
    nonces = {aead.encrypt(key, b"v", b"")[1:13] for _ in range(100_000)}
    assert len(nonces) == 100_000


# ---- Argon2id parameters ---------------------------------------------------------------------


def test_kdf_params_round_trip_and_defaults() -> None:
    params = kdf.default_params()
    assert (params.memory_kib, params.iterations, params.lanes) >= kdf.FLOOR
    assert params.algorithm == "argon2id" and len(params.salt) == 16
    assert params.salt != kdf.default_params().salt
    assert kdf.KdfParams.from_dict(params.to_dict()) == params
    assert params.with_fresh_salt().salt != params.salt


@pytest.mark.parametrize(
    "change", [{"memory_kib": 19455}, {"iterations": 1}, {"lanes": 0}, {"salt": "AAAA"}]
)
def test_kdf_params_below_floor_refused(change: dict[str, object]) -> None:
    data = {**kdf.floor_params().to_dict(), **change}
    with pytest.raises(WeakKdfParameters):
        kdf.KdfParams.from_dict(data)


@pytest.mark.parametrize(
    "data",
    [
        "not a dict",
        {"algorithm": "argon2id", "memory_kib": 19456, "iterations": 2, "lanes": 1},
        {**kdf.floor_params().to_dict(), "iterations": True},
        {**kdf.floor_params().to_dict(), "memory_kib": "19456"},
        {**kdf.floor_params().to_dict(), "salt": "not base64!"},
        {**kdf.floor_params().to_dict(), "algorithm": "scrypt"},
        {**kdf.floor_params().to_dict(), "memory_kib": 2**40},  # tampered: OOM on unlock
        {**kdf.floor_params().to_dict(), "iterations": 10_000},  # tampered: hang on unlock
    ],
)
def test_kdf_params_malformed_refused(data: object) -> None:
    with pytest.raises(CryptoError) as info:
        kdf.KdfParams.from_dict(data)
    assert not isinstance(info.value, WeakKdfParameters)


def test_derive_key() -> None:
    params = kdf.floor_params()
    key = kdf.derive_key("correct horse battery staple", params)
    assert len(key) == 32
    assert key == kdf.derive_key("correct horse battery staple", params)
    assert key != kdf.derive_key("correct horse battery staplf", params)
    assert key != kdf.derive_key("correct horse battery staple", params.with_fresh_salt())
    nfc, nfd = "caf\u00e9 한국", "cafe\u0301 \u1112\u1161\u11ab\u1100\u116e\u11a8"
    assert kdf.derive_key(nfc, params) == kdf.derive_key(nfd, params)
    weak = kdf.KdfParams(memory_kib=8192, iterations=2, lanes=1, salt=bytes(16))
    with pytest.raises(WeakKdfParameters):
        kdf.derive_key("x", weak)


def test_calibrate_returns_usable_params() -> None:
    params = kdf.calibrate(0.05, memory_kib=kdf.FLOOR_MEMORY_KIB, lanes=1)
    params.check()
    assert kdf.FLOOR_ITERATIONS <= params.iterations <= kdf.MAX_ITERATIONS
    assert len(kdf.derive_key("p", params)) == 32


# ---- HPKE sealing ----------------------------------------------------------------------------


def test_seal_round_trip_and_isolation() -> None:
    private_key, public_key = generate_project_keypair()
    blob = seal(public_key, SECRET, b"ctx")
    assert blob[0] == 1 and len(blob) == 1 + 32 + len(SECRET) + 16
    assert unseal(private_key, blob, b"ctx") == SECRET
    other_private, _ = generate_project_keypair()
    with pytest.raises(DecryptionFailed):  # T16: another key cannot open it
        unseal(other_private, blob, b"ctx")
    with pytest.raises(DecryptionFailed):
        unseal(private_key, blob, b"other ctx")
    for i in (1, 40, len(blob) - 1):
        bad = bytearray(blob)
        bad[i] ^= 1
        with pytest.raises(DecryptionFailed):
            unseal(private_key, bytes(bad), b"ctx")
    with pytest.raises(UnsupportedFormat):
        unseal(private_key, b"\x02" + blob[1:], b"ctx")
    with pytest.raises(DecryptionFailed):
        unseal(private_key, blob[:40], b"ctx")


def test_package_reexports_seal_function() -> None:
    # The function shadows the submodule attribute; `from fieldapp.crypto.seal import ...` works.
    assert fieldapp.crypto.seal is seal and fieldapp.crypto.unseal is unseal


def test_project_key_bytes_and_fingerprint() -> None:
    private_key, public_key = generate_project_keypair()
    raw = public_key_bytes(public_key)
    assert public_key_bytes(public_key_from_bytes(raw)) == raw
    priv_raw = private_key_bytes(private_key)
    assert public_key_bytes(private_key_from_bytes(priv_raw).public_key()) == raw
    fp = fingerprint(public_key)
    assert re.fullmatch(r"[0-9a-f]{4}(-[0-9a-f]{4}){3}", fp)
    assert fp.replace("-", "") == hashlib.sha256(raw).hexdigest()[:16]
    with pytest.raises(CryptoError):
        public_key_from_bytes(b"short")


# ---- Ed25519 ---------------------------------------------------------------------------------


def test_sign_verify() -> None:
    key = signing.generate_signing_key()
    public = key.public_key()
    data = b"bundle manifest"
    signature = signing.sign(key, data)
    assert len(signature) == 64
    signing.verify(public, signature, data)
    bad_sig = bytes([signature[0] ^ 1]) + signature[1:]
    for sig, msg in ((bad_sig, data), (signature, data + b"!"), (signature[:-1], data)):
        with pytest.raises(BadSignature, match="bad signature") as info:
            signing.verify(public, sig, msg)
        assert isinstance(info.value, CryptoError)
    with pytest.raises(CryptoError):
        signing.verify(signing.generate_signing_key().public_key(), signature, data)
    raw = signing.public_key_bytes(public)
    signing.verify(signing.public_key_from_bytes(raw), signature, data)
    restored = signing.private_key_from_bytes(signing.private_key_bytes(key))
    signing.verify(public, signing.sign(restored, data), data)
    assert signing.fingerprint(public).replace("-", "") == hashlib.sha256(raw).hexdigest()[:16]


# ---- error classes ---------------------------------------------------------------------------


def test_error_hierarchy_and_messages() -> None:
    for cls in (WrongPassphrase, TamperedData, KeyFileError, WeakKdfParameters, BadSignature):
        assert issubclass(cls, CryptoError) and issubclass(cls, FieldAppError)
    assert str(WrongPassphrase()) == "wrong passphrase"
    assert not issubclass(WrongPassphrase, KeyFileError)
    assert not issubclass(KeyFileError, WrongPassphrase)
    err = pickle.loads(pickle.dumps(TamperedData(IV_A, "ANX1")))
    assert (err.interview_id, err.question, str(err)) == (
        IV_A,
        "ANX1",
        str(TamperedData(IV_A, "ANX1")),
    )
    assert "question" not in str(TamperedData(IV_A))
    kf = pickle.loads(pickle.dumps(KeyFileError("/x/keyring.json", "file is damaged")))
    assert str(kf) == "/x/keyring.json: file is damaged" and kf.path == "/x/keyring.json"
