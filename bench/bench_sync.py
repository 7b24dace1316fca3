"""Sync benchmark: bundle import into a SQLite hub and into PostgreSQL, and a device's push
straight into PostgreSQL - speed and memory at 2,000 and 10,000 interviews.

Run by hand: ``.venv/bin/python bench/bench_sync.py [--sizes 2000,10000]`` (writes
bench/results/sync.json). A real device (real keys) holds N interviews sealed by the real
sealing code with realistic 2-4 KB payloads (~45 answers plus paradata; the rows go in by
bulk insert to skip 2 fsyncs per interview); its bundle is written by the real device path.
Every measurement runs in a fresh child process: wall time, interviews/second, peak RSS
growth (VmHWM, after imports → after the work) and, in a second child, the tracemalloc peak.
PostgreSQL is started like the test suite does (Debian's postgresql binaries).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results" / "sync.json"
FORM = ROOT / "questionnaires" / "three_city_2012.xlsx"
PASS = "bench passphrase"


def synthetic_payload(rng: random.Random, interview_id: str, device_id: str) -> bytes:
    """A sealed-payload JSON of realistic size and shape (answers + paradata)."""
    answers = {f"Q{i:02d}": rng.choice([1, 2, 3, 4, 98]) for i in range(40)}
    answers.update({"district": "seoul_mapo", "dong": "성산1동", "DEM02": rng.randint(18, 90),
                    "DEM07": rng.randint(0, 9000), "start": "2026-05-01T01:02:03+00:00"})
    paradata = [{"kind": "answer", "question": f"Q{i:02d}", "v": answers[f"Q{i:02d}"],
                 "utc": "2026-05-01T01:02:03.123456+00:00", "mono": rng.getrandbits(40),
                 "tz": "Asia/Seoul"} for i in range(0, 40, 3)]
    payload = {"format": 1, "interview_id": interview_id, "form_id": "three_city_2012",
               "form_version": "2026112201", "revision": 1, "device_id": device_id,
               "enumerator": "E01", "city": "seoul", "language": "ko",
               "created_utc": "2026-05-01T01:00:00+00:00",
               "finalised_utc": "2026-05-01T01:20:00+00:00", "time_zone": "Asia/Seoul",
               "answers": answers, "repeat_counts": {}, "paradata": paradata}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def fill_device(data: Path, count: int, form_id: str = "three_city_2012",
                payload: Any = None) -> None:
    """Seal ``count`` synthetic interviews into the device store (bulk insert, 500 per txn);
    ``payload(rng, interview_id, device_id)`` makes each JSON (default: synthetic_payload)."""
    import hashlib
    import uuid

    from sqlalchemy import insert

    from fieldapp.clock import now_text
    from fieldapp.crypto.seal import seal
    from fieldapp.recording import sealed_info
    from fieldapp.session import FieldSession
    from fieldapp.storage.tables import interviews, sealed

    rng = random.Random(count)
    with FieldSession.open(data, PASS) as session:
        form = session.form(form_id)
        make = payload or synthetic_payload
        for first in range(0, count, 500):
            rows_i, rows_s = [], []
            for _ in range(min(500, count - first)):
                iid, now = str(uuid.uuid4()), now_text()
                blob = seal(session.project_public_key,
                            make(rng, iid, session.keyring.device_id),
                            sealed_info(interview_id=iid, revision=1, form_id=form.form_id,
                                        form_version=form.version))
                rows_i.append(dict(id=iid, form_id=form.form_id, form_version=form.version,
                                   status="finalised", revision=1, key_id=session.keys.key_id,
                                   created_utc=now, updated_utc=now))
                rows_s.append(dict(interview_id=iid, revision=1, sealed_blob=blob,
                                   sha256=hashlib.sha256(blob).hexdigest(), sealed_utc=now))
            with session.store.engine.begin() as conn:
                conn.execute(insert(interviews), rows_i)
                conn.execute(insert(sealed), rows_s)


def make_device(folder: Path, count: int) -> dict:
    """Device with ``count`` sealed interviews, its registration bundle and its full bundle."""
    from fieldapp.crypto import floor_params, generate_project_keypair, write_project_public_key
    from fieldapp.session import FieldSession, init_device
    from fieldapp.sync.device import push_to_folder

    _, public = generate_project_keypair()
    write_project_public_key(folder / "project.pub", public)
    data = folder / f"device-{count}"
    init_device(data, project_key=folder / "project.pub", enumerator="E01", city="seoul",
                passphrase=PASS, kdf_params=floor_params(), forms=[FORM])
    for name in ("registration", "bundle"):
        (folder / name).mkdir()
    with FieldSession.open(data, PASS) as session:
        registration = push_to_folder(session, folder / "registration", register=True).path
    fill_device(data, count)
    with FieldSession.open(data, PASS) as session:
        start = time.perf_counter()
        bundle = push_to_folder(session, folder / "bundle").path
        seconds = time.perf_counter() - start
    assert bundle is not None and registration is not None
    return {"data": data, "registration": registration, "bundle": bundle,
            "bundle_seconds": seconds, "bundle_bytes": bundle.stat().st_size}


# -- child processes ------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """Peak resident memory (Linux VmHWM: fresh after exec, unlike ru_maxrss, which a child
    inherits from the process that forked it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, target: str, path: str, registration: str, trace: bool) -> None:
    """Measure one import (``mode`` import) or device push (``mode`` push) in this process."""
    import tracemalloc

    from fieldapp.session import FieldSession
    from fieldapp.storage.hub_store import HubStore
    from fieldapp.sync.device import push_to_hub
    from fieldapp.sync.hub_import import import_bundle

    with HubStore.open(target, create=True) as hub:  # schema, imports and trust: not measured
        import_bundle(hub, Path(registration), trust=True)
    # unlocking the device (Argon2id: tens of MB) is not part of the push either
    session = FieldSession.open(Path(path), PASS) if mode == "push" else None
    base = _peak_rss_mb()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    if session is None:
        with HubStore.open(target) as hub:
            new = import_bundle(hub, Path(path)).new
    else:
        with session:
            new = push_to_hub(session, target, batch=200).new
    seconds = time.perf_counter() - start
    out = {"seconds": seconds, "new": new, "rss_growth_mb": _peak_rss_mb() - base,
           "peak_rss_mb": _peak_rss_mb()}
    if trace:
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    print(json.dumps(out))


def run_child(mode: str, target: str, path: Path, registration: Path, trace: bool) -> dict:
    args = [sys.executable, __file__, "--child", mode, target, str(path), str(registration)]
    out = subprocess.run(args + (["--trace"] if trace else []), capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def measure(mode: str, target_for: Callable[[str], str], path_for: Callable[[str], Path],
            registration: Path, count: int) -> dict:
    plain = run_child(mode, target_for("plain"), path_for("plain"), registration, False)
    traced = run_child(mode, target_for("traced"), path_for("traced"), registration, True)
    assert plain["new"] == traced["new"] == count, (plain, traced)
    return {"interviews": count, "seconds": round(plain["seconds"], 2),
            "interviews_per_second": round(count / plain["seconds"]),
            "rss_growth_mb": round(plain["rss_growth_mb"], 1),
            "peak_rss_mb": round(plain["peak_rss_mb"], 1),
            "tracemalloc_peak_mb": round(traced["tracemalloc_peak_mb"], 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--child", nargs=4)
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.trace)
        return
    from tests.support.pgserver import PgServer, find_bindir

    out: dict[str, list[dict] | str] = {
        "python": platform.python_version(), "when": time.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cpu",
        "bundles": [], "sqlite_hub_import": [], "postgresql_hub_import": [],
        "device_push_to_postgresql": []}
    bindir = find_bindir()
    server = PgServer(bindir).start() if bindir else None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for count in (int(n) for n in args.sizes.split(",")):
                folder = Path(tmp) / str(count)
                folder.mkdir()
                dev = make_device(folder, count)
                bundle, reg = dev["bundle"], dev["registration"]
                out["bundles"].append({  # type: ignore[union-attr]
                    "interviews": count, "write_seconds": round(dev["bundle_seconds"], 2),
                    "mb": round(dev["bundle_bytes"] / 2**20, 1),
                    "bytes_per_interview": round(dev["bundle_bytes"] / count)})
                results = {"sqlite_hub_import": measure(
                    "import", lambda tag, f=folder: str(f / f"hub-{tag}"),
                    lambda tag, b=bundle: b, reg, count)}
                if server is not None:
                    def database(tag: str, kind: str, n: int = count) -> str:
                        name = f"bench_{kind}_{n}_{tag}"
                        server.admin(f"CREATE DATABASE {name}")
                        return server.url(name)

                    def device_copy(tag: str, f: Path = folder, d: Path = dev["data"]) -> Path:
                        copy = f / f"device-copy-{tag}"
                        shutil.copytree(d, copy)
                        return copy

                    results["postgresql_hub_import"] = measure(
                        "import", lambda tag: database(tag, "import"),
                        lambda tag, b=bundle: b, reg, count)
                    results["device_push_to_postgresql"] = measure(
                        "push", lambda tag: database(tag, "push"), device_copy, reg, count)
                for key, value in results.items():
                    out[key].append(value)  # type: ignore[union-attr]
                    print(f"{count}: {key} {value}", flush=True)
    finally:
        if server is not None:
            server.stop()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
