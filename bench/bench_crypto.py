"""Crypto benchmark: KDF unlock time, AES-GCM records, HPKE seal/unseal, Ed25519.

Run: ``.venv/bin/python bench/bench_crypto.py`` (writes bench/results/crypto.json).
Targets (docs/crypto.md, /work/shared/perf.md): unlock 0.25-1 s; 100,000 unseals in seconds.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cryptography  # noqa: E402

from fieldapp.crypto.aead import decrypt_blob, encrypt_blob, new_data_key  # noqa: E402
from fieldapp.crypto.kdf import default_params, derive_key, floor_params  # noqa: E402
from fieldapp.crypto.seal import generate_project_keypair, seal, unseal  # noqa: E402
from fieldapp.crypto.signing import generate_signing_key, sign, verify  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "crypto.json"


def per_op(fn: Callable[[], object], n: int, repeats: int = 3) -> float:
    """Best-of-``repeats`` mean seconds per call over ``n`` calls."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - start) / n)
    return best


def median_time(fn: Callable[[], object], n: int) -> tuple[float, list[float]]:
    """Median and all samples of ``n`` single timed calls."""
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), samples


def main() -> None:
    out: dict[str, object] = {
        "cryptography": cryptography.__version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cpu",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }

    params = default_params()
    kdf_median, kdf_samples = median_time(lambda: derive_key("a passphrase 한국어", params), 5)
    floor = floor_params()
    floor_median, _ = median_time(lambda: derive_key("a passphrase", floor), 5)
    out["kdf_default"] = {
        "params": {k: v for k, v in params.to_dict().items() if k != "salt"},
        "median_s": kdf_median,
        "samples_s": kdf_samples,
        "target_s": [0.25, 1.0],
    }
    out["kdf_floor_median_s"] = floor_median

    key = new_data_key()
    answer = os.urandom(2048)
    ctx = {"form_id": "three_city_2012", "interview_id": "3f2a", "question": "ANX1", "revision": 1}
    blob = encrypt_blob(key, "k1", answer, **ctx)  # type: ignore[arg-type]
    t: dict[str, float] = {}
    t["aes_gcm_record_2kb_encrypt_s"] = per_op(
        lambda: encrypt_blob(key, "k1", answer, **ctx),  # type: ignore[arg-type]
        20_000,
    )
    t["aes_gcm_record_2kb_decrypt_s"] = per_op(
        lambda: decrypt_blob(key, "k1", blob, **ctx),  # type: ignore[arg-type]
        20_000,
    )

    private_key, public_key = generate_project_keypair()
    dek = new_data_key()
    sealed = seal(public_key, dek, b"dek-info")
    t["hpke_seal_s"] = per_op(lambda: seal(public_key, dek, b"dek-info"), 2_000)
    start = time.perf_counter()
    for _ in range(10_000):
        unseal(private_key, sealed, b"dek-info")
    t["hpke_unseal_10k_s"] = time.perf_counter() - start
    t["hpke_unseal_s"] = t["hpke_unseal_10k_s"] / 10_000
    t["hpke_unseal_100k_projected_s"] = t["hpke_unseal_s"] * 100_000

    signer = generate_signing_key()
    verifier = signer.public_key()
    manifest = os.urandom(4096)
    signature = sign(signer, manifest)
    t["ed25519_sign_4kb_s"] = per_op(lambda: sign(signer, manifest), 5_000)
    t["ed25519_verify_4kb_s"] = per_op(lambda: verify(verifier, signature, manifest), 5_000)
    out.update(t)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, RESULTS)

    p = params
    us = 1e6
    rows = [
        (
            f"Argon2id {p.memory_kib // 1024} MiB t={p.iterations} p={p.lanes} (median of 5)",
            f"{kdf_median:.3f} s",
        ),
        ("Argon2id floor 19 MiB t=2 p=1 (median of 5)", f"{floor_median * 1e3:.1f} ms"),
        ("AES-256-GCM record encrypt, 2 KB", f"{t['aes_gcm_record_2kb_encrypt_s'] * us:.1f} µs"),
        ("AES-256-GCM record decrypt, 2 KB", f"{t['aes_gcm_record_2kb_decrypt_s'] * us:.1f} µs"),
        ("HPKE seal (32-byte key)", f"{t['hpke_seal_s'] * us:.1f} µs"),
        ("HPKE unseal (32-byte key)", f"{t['hpke_unseal_s'] * us:.1f} µs"),
        ("HPKE unseal x 10,000 (measured)", f"{t['hpke_unseal_10k_s']:.2f} s"),
        ("HPKE unseal x 100,000 (projected)", f"{t['hpke_unseal_100k_projected_s']:.1f} s"),
        ("Ed25519 sign, 4 KB", f"{t['ed25519_sign_4kb_s'] * us:.1f} µs"),
        ("Ed25519 verify, 4 KB", f"{t['ed25519_verify_4kb_s'] * us:.1f} µs"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"cryptography {cryptography.__version__}, {out['machine']}")
    for name, shown in rows:
        print(f"  {name:<{width}}  {shown:>10}")
    in_target = 0.25 <= kdf_median <= 1.0
    print(f"  unlock target 0.25-1 s: {'OK' if in_target else 'OUT OF RANGE'}")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
