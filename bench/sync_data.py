"""Sync benchmark data, made once and cached: one signed device bundle of N interviews.

The sealed records are the export benchmark's (``data.hub``: every interview sealed with HPKE
exactly as a device seals it, ~12 KB with its paradata); they are read back from that cached
hub, not sealed again. A bench device (real keys, created by ``init_device``) writes them into
a real bundle with the product's own writer (``write_device_bundle``), and its registration
bundle beside it. Nobody's timing includes making the bundle.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from data import CACHE, hub, project

DEVICE_PASS = "bench device passphrase"


def _source_hub(n: int) -> Path:
    return hub(10_000 if n <= 10_000 else 100_000)


def bundle(n: int) -> tuple[Path, Path]:
    """(registration bundle, device bundle of ``n`` interviews), built once."""
    folder = CACHE / "sync"
    reg, target = folder / "registration.fieldsync", folder / f"bundle-{n}.fieldsync"
    if reg.exists() and target.exists():
        return reg, target
    from fieldapp.atomic import atomic_output
    from fieldapp.crypto.kdf import floor_params
    from fieldapp.device_setup import init_device
    from fieldapp.session import FieldSession
    from fieldapp.sync.device import push_to_folder, registration, write_device_bundle

    folder.mkdir(parents=True, exist_ok=True)
    device = folder / "device"
    form = CACHE / "bench_form.xlsx"
    if not (device / "ready").exists():
        init_device(device, project_key=project()[0], enumerator="E-sync", city="seoul",
                    passphrase=DEVICE_PASS, kdf_params=floor_params(), forms=[form])
        (device / "ready").write_text("ok")
    with FieldSession.open(device, DEVICE_PASS) as session:
        if not reg.exists():
            (folder / "reg").mkdir(exist_ok=True)
            made = push_to_folder(session, folder / "reg", register=True).path
            assert made is not None
            made.rename(reg)
        db = sqlite3.connect(_source_hub(n) / "hub.db")

        def records() -> Iterator[tuple[tuple[str, int, str, str, str, str], bytes]]:
            for row in db.execute("SELECT interview_id, revision, form_id, form_version, "
                                  "sealed_utc, day, sealed_blob FROM hub_records "
                                  "ORDER BY interview_id, revision LIMIT ?", (n,)):
                yield tuple(row[:6]), bytes(row[6])  # type: ignore[misc]

        with atomic_output(target) as handle:
            write_device_bundle(handle, device=registration(session),
                                signing_key=session.keys.signing_key, records=records(),
                                forms=[("bench_form", "1", "Benchmark form", form.read_bytes())])
        db.close()
    return reg, target
