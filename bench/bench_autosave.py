"""Autosave and unlock benchmark (issue 3). Run: .venv/bin/python bench/bench_autosave.py

Measures, in one run on this machine:
- the floor: a plain sqlite3 durable commit (WAL, synchronous=FULL, BEGIN IMMEDIATE /
  INSERT / COMMIT) of a blob the same size as fieldapp's encrypted answer event;
- fieldapp's autosave: ``RecordingInterview.answer()`` = engine validation + skip logic
  + AES-GCM encryption + durable commit, for 2,000 answers;
- unlocking a device (Argon2id with the default parameters), median of 5.
Writes bench/results/autosave.json.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldapp.crypto import default_params, floor_params  # noqa: E402
from fieldapp.session import FieldSession  # noqa: E402
from tests.support.devices import PASSPHRASE, make_device, make_project  # noqa: E402
from tests.support.formtools import md_to_xlsx  # noqa: E402

N = 2000
TEXT = ("가나다라마바사 北京東京 ひらがな " * 40)[:700]  # ~2 KB of UTF-8
FORM = "| survey |\n| | type | name | label |\n" + "".join(
    f"| | text | t{i} | T{i} |\n" for i in range(20)) + \
    "| settings |\n| | form_id | version |\n| | bench | 1 |\n"


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(samples: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {"p50_ms": round(pct(ms, 0.5), 3), "p99_ms": round(pct(ms, 0.99), 3),
            "mean_ms": round(statistics.mean(ms), 3)}


class Floor:
    """Plain sqlite3 durable commits of a blob of the given size (the floor)."""

    def __init__(self, folder: Path, blob_size: int) -> None:
        self.conn = sqlite3.connect(folder / "floor.db", isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, interview TEXT, q TEXT, "
                          "b BLOB)")
        self.blob = os.urandom(blob_size)

    def save(self, i: int) -> float:
        start = time.perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO t (interview, q, b) VALUES (?, ?, ?)",
                          ("x", f"t{i}", self.blob))
        self.conn.execute("COMMIT")
        return time.perf_counter() - start


def both(folder: Path) -> tuple[list[float], list[float], int]:
    """fieldapp answers and floor commits in alternating blocks (same machine state)."""
    project = make_project(folder / "keys")
    form = md_to_xlsx(FORM, folder / "bench.xlsx")
    data = make_device(folder / "dev", project, forms=[form])
    with FieldSession.open(data, PASSPHRASE) as session:
        rec = session.start_interview(session.form("bench"))
        rec.answer("t0", TEXT)
        blob_size = len(session.store.events(rec.interview_id)[-1].blob)
        floor = Floor(folder, blob_size)
        ours: list[float] = []
        base: list[float] = []
        for block in range(10):
            for i in range(block * N // 10, (block + 1) * N // 10):
                start = time.perf_counter()
                rec.answer(f"t{i % 20}", f"{i}:{TEXT}")
                ours.append(time.perf_counter() - start)
            for i in range(block * N // 10, (block + 1) * N // 10):
                base.append(floor.save(i))
    return ours, base, blob_size


def unlock_times(folder: Path) -> list[float]:
    from fieldapp.crypto import create_device_keyring, generate_project_keypair, unlock

    _priv, pub = generate_project_keypair()
    keyring, _ = create_device_keyring(enumerator="b", city="seoul", project_public_key=pub,
                                       passphrase=PASSPHRASE, kdf_params=default_params())
    times = []
    for _ in range(5):
        start = time.perf_counter()
        unlock(keyring, PASSPHRASE)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        folder = Path(tmp)
        ours, floor, blob_size = both(folder)
        unlock = unlock_times(folder)
    result = {
        "answers": N,
        "blob_bytes": blob_size,
        "floor_sqlite3": summary(floor),
        "fieldapp_answer": summary(ours),
        "ratio_p50": round(pct(ours, 0.5) / pct(floor, 0.5), 2),
        "ratio_p99": round(pct(ours, 0.99) / pct(floor, 0.99), 2),
        "unlock_default_kdf_s": {"median": round(statistics.median(unlock), 3),
                                 "max": round(max(unlock), 3),
                                 "params": default_params().to_dict() | {"salt": "…"}},
        "floor_kdf_params": floor_params().to_dict() | {"salt": "…"},
    }
    out = ROOT / "bench" / "results" / "autosave.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
