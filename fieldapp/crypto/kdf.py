"""Passphrase key derivation with Argon2id; parameters travel with the key file."""

from __future__ import annotations

import base64
import binascii
import os
import time
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from fieldapp.crypto.errors import CryptoError, WeakKdfParameters
from fieldapp.i18n import N_

ALGORITHM = "argon2id"
KEY_LEN = 32
SALT_LEN = 16

# OWASP Password Storage Cheat Sheet minimum for Argon2id: m=19 MiB, t=2, p=1.
FLOOR_MEMORY_KIB = 19456
FLOOR_ITERATIONS = 2
FLOOR_LANES = 1
FLOOR = (FLOOR_MEMORY_KIB, FLOOR_ITERATIONS, FLOOR_LANES)

# Ceilings stop a tampered header from turning an unlock into an out-of-memory or a hang.
MAX_MEMORY_KIB = 4 * 1024 * 1024  # 4 GiB
MAX_ITERATIONS = 64
MAX_LANES = 64
MIN_SALT_LEN = 16
MAX_SALT_LEN = 64

# Default: 256 MiB, t=3, p=4 (RFC 9106's second option with 4x the memory). Measured
# ~0.45 s on the 2-core reference VM, where RFC 9106's 64 MiB/t=3/p=4 took only ~0.1 s.
DEFAULT_MEMORY_KIB = 256 * 1024
DEFAULT_ITERATIONS = 3
DEFAULT_LANES = 4


@dataclass(frozen=True, kw_only=True)
class KdfParams:
    """Argon2id cost parameters and salt, stored in key-file headers."""

    algorithm: str = ALGORITHM
    memory_kib: int
    iterations: int
    lanes: int
    salt: bytes

    def check(self) -> None:
        """Raise WeakKdfParameters below the floor, CryptoError for unusable values."""
        if self.algorithm != ALGORITHM:
            raise CryptoError(N_("unsupported KDF algorithm {algorithm!r}"),
                              code="kdf.unsupported-kdf-algorithm", algorithm=self.algorithm)
        if (
            self.memory_kib < FLOOR_MEMORY_KIB
            or self.iterations < FLOOR_ITERATIONS
            or self.lanes < FLOOR_LANES
        ):
            raise WeakKdfParameters(
                N_("KDF parameters below the minimum (memory {memory_kib} KiB, iterations "
                   "{iterations}, lanes {lanes}; minimum is {FLOOR_MEMORY_KIB} KiB, "
                   "{FLOOR_ITERATIONS}, {FLOOR_LANES})"),
                code="kdf.kdf-parameters-below-minimum", memory_kib=self.memory_kib,
                iterations=self.iterations, lanes=self.lanes,
                FLOOR_MEMORY_KIB=FLOOR_MEMORY_KIB, FLOOR_ITERATIONS=FLOOR_ITERATIONS,
                FLOOR_LANES=FLOOR_LANES
            )
        if len(self.salt) < MIN_SALT_LEN:
            raise WeakKdfParameters(N_("KDF salt shorter than {MIN_SALT_LEN} bytes"),
                                    code="kdf.kdf-salt-shorter-than", MIN_SALT_LEN=MIN_SALT_LEN)
        if (
            self.memory_kib > MAX_MEMORY_KIB
            or self.iterations > MAX_ITERATIONS
            or self.lanes > MAX_LANES
            or len(self.salt) > MAX_SALT_LEN
            or self.memory_kib < 8 * self.lanes
        ):
            raise CryptoError(N_("KDF parameters out of the supported range"),
                              code="kdf.kdf-parameters-out-supported")

    def with_fresh_salt(self) -> KdfParams:
        """Same costs, new random salt (every wrap gets its own salt)."""
        return replace(self, salt=os.urandom(SALT_LEN))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; salt as standard base64."""
        return {
            "algorithm": self.algorithm,
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
            "salt": base64.b64encode(self.salt).decode("ascii"),
        }

    @classmethod
    def from_dict(cls, data: object) -> KdfParams:
        """Parse and check; CryptoError if malformed, WeakKdfParameters below the floor."""
        if not isinstance(data, dict):
            raise CryptoError(N_("KDF parameters are not an object"),
                              code="kdf.kdf-parameters-not-object")
        try:
            algorithm = data["algorithm"]
            ints = [data[k] for k in ("memory_kib", "iterations", "lanes")]
            salt_text = data["salt"]
        except KeyError as exc:
            raise CryptoError(N_("KDF parameters lack {args!r}"),
                              code="kdf.kdf-parameters-lack", args=exc.args[0]) from None
        if not isinstance(algorithm, str) or not isinstance(salt_text, str):
            raise CryptoError(N_("KDF parameters are malformed"),
                              code="kdf.kdf-parameters-malformed")
        if any(type(v) is not int for v in ints):
            raise CryptoError(N_("KDF parameters are malformed"),
                              code="kdf.kdf-parameters-malformed-2")
        try:
            salt = base64.b64decode(salt_text, validate=True)
        except (binascii.Error, ValueError):
            raise CryptoError(N_("KDF salt is not valid base64"),
                              code="kdf.kdf-salt-not-valid") from None
        params = cls(
            algorithm=algorithm, memory_kib=ints[0], iterations=ints[1], lanes=ints[2], salt=salt
        )
        params.check()
        return params


def default_params() -> KdfParams:
    """Production parameters with a fresh 16-byte salt (~0.3-0.6 s per derivation)."""
    return KdfParams(
        memory_kib=DEFAULT_MEMORY_KIB,
        iterations=DEFAULT_ITERATIONS,
        lanes=DEFAULT_LANES,
        salt=os.urandom(SALT_LEN),
    )


def params_for_new_keys() -> KdfParams | None:
    """Parameters for a new device keyring: None (= the production default), or the OWASP
    floor when ``FIELDAPP_KDF=floor`` is set - a switch for test suites and benchmarks that
    create many devices, read in this one place."""
    return floor_params() if os.environ.get("FIELDAPP_KDF") == "floor" else None


def floor_params() -> KdfParams:
    """The weakest accepted parameters (OWASP floor), fresh salt. Fast; for tests."""
    return KdfParams(
        memory_kib=FLOOR_MEMORY_KIB,
        iterations=FLOOR_ITERATIONS,
        lanes=FLOOR_LANES,
        salt=os.urandom(SALT_LEN),
    )


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    """Derive a 32-byte key from an NFC-normalised passphrase with Argon2id."""
    params.check()
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    kdf = Argon2id(
        salt=params.salt,
        length=KEY_LEN,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret)


def calibrate(
    target_seconds: float = 0.5,
    *,
    memory_kib: int = DEFAULT_MEMORY_KIB,
    lanes: int = DEFAULT_LANES,
) -> KdfParams:
    """Pick iterations at fixed memory so one derivation takes about ``target_seconds``."""
    probe = KdfParams(
        memory_kib=memory_kib, iterations=FLOOR_ITERATIONS, lanes=lanes, salt=os.urandom(16)
    )
    start = time.perf_counter()
    derive_key("calibration", probe)
    per_iteration = (time.perf_counter() - start) / FLOOR_ITERATIONS
    iterations = round(target_seconds / max(per_iteration, 1e-6))
    iterations = max(FLOOR_ITERATIONS, min(MAX_ITERATIONS, iterations))
    return replace(probe, iterations=iterations).with_fresh_salt()
