"""T17: kill -9 while the keyring is being rewritten never leaves an unusable keyring.

A child process rewrites the keyring in a tight loop, alternating between the same device's
keyring under two passphrases (what a passphrase change writes). The parent SIGKILLs it at
random moments; afterwards the file must parse and unlock with one of the two passphrases.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldapp.crypto.kdf import floor_params
from fieldapp.crypto.keyring import (
    change_passphrase,
    create_device_keyring,
    keyring_to_json,
    read_keyring,
    unlock,
)
from fieldapp.crypto.seal import generate_project_keypair

ROUNDS = 20
REPO = Path(__file__).resolve().parents[2]

CHILD = """
import sys
from pathlib import Path
from fieldapp.crypto.keyring import keyring_from_json, write_keyring_atomic
a = keyring_from_json(Path(sys.argv[1]).read_bytes())
b = keyring_from_json(Path(sys.argv[2]).read_bytes())
target = sys.argv[3]
write_keyring_atomic(target, a)
print("ready", flush=True)
i = 0
while True:
    i += 1
    write_keyring_atomic(target, b if i % 2 else a)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_t17_kill_9_during_keyring_rewrites(tmp_path: Path) -> None:
    _, project_public = generate_project_keypair()
    kr_a, keys = create_device_keyring(
        enumerator="佐藤",
        city="Tokyo",
        project_public_key=project_public,
        passphrase="old passphrase",
        kdf_params=floor_params(),
    )
    kr_b = change_passphrase(kr_a, "old passphrase", "new passphrase", floor_params())
    passphrase_by_salt = {kr_a.kdf.salt: "old passphrase", kr_b.kdf.salt: "new passphrase"}
    (tmp_path / "a.json").write_bytes(keyring_to_json(kr_a))
    (tmp_path / "b.json").write_bytes(keyring_to_json(kr_b))
    target = tmp_path / "live" / "keyring.json"
    target.parent.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(17)
    seen: set[str] = set()
    for _ in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(tmp_path / "a.json"), str(tmp_path / "b.json"),
             str(target)],
            stdout=subprocess.PIPE,
            env=env,
        )  # fmt: skip
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == b"ready"
            time.sleep(rng.uniform(0, 0.03))
            child.send_signal(signal.SIGKILL)
        finally:
            child.kill()
            child.wait(timeout=10)
            if child.stdout is not None:
                child.stdout.close()
        keyring = read_keyring(target)  # parses: never torn, never missing
        passphrase = passphrase_by_salt[keyring.kdf.salt]
        assert unlock(keyring, passphrase).dek == keys.dek
        seen.add(passphrase)
    assert seen  # at least one round ran; usually both passphrases are observed
