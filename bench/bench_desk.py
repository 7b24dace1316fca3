"""Supervisor's desk benchmark: the progress dashboard and the quality indicators of a hub
with 100,000 interviews, and the GUI's responsiveness while a 10,000-interview bundle imports.

Run by hand: ``.venv/bin/python bench/bench_desk.py [--count 100000] [--import-count 10000]``
(writes bench/results/desk.json; offscreen Qt). One real device seals N synthetic interviews
with the real sealing code (bench_sync's payloads: ~45 answers and a slice of paradata), pushes
one real bundle, and a SQLite hub imports it. Then, in this process:

* dashboard open: build the Progress tab and count (SQL), fill the table, draw both charts;
* re-filter: change the status filter (one SQL pass per group + redraw), median of 5;
* quality: ``SupervisorSession.quality()`` over every interview (decrypt + indicators), then
  again (cached);
* import gap: the Import tab looks at and imports a fresh 10,000-interview bundle in the
  background while a 5 ms timer records the longest gap between event-loop iterations.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RESULTS = ROOT / "bench" / "results" / "desk.json"


def project_device(folder: Path, count: int, key_passphrase: str) -> tuple[Path, Path, Path]:
    """(project.key, registration bundle, bundle of ``count`` interviews) of one device."""
    from bench_sync import FORM, PASS, fill_device

    from fieldapp.crypto import (
        floor_params,
        generate_project_keypair,
        write_project_private_key,
        write_project_public_key,
    )
    from fieldapp.session import FieldSession, init_device
    from fieldapp.sync.device import push_to_folder

    private, public = generate_project_keypair()
    write_project_public_key(folder / "project.pub", public)
    write_project_private_key(folder / "project.key", private, key_passphrase, floor_params())
    data = folder / "device"
    init_device(data, project_key=folder / "project.pub", enumerator="E01", city="seoul",
                passphrase=PASS, kdf_params=floor_params(), forms=[FORM])
    for name in ("registration", "bundle"):
        (folder / name).mkdir()
    with FieldSession.open(data, PASS) as session:
        registration = push_to_folder(session, folder / "registration", register=True).path
    fill_device(data, count)
    with FieldSession.open(data, PASS) as session:
        bundle = push_to_folder(session, folder / "bundle").path
    assert registration is not None and bundle is not None
    return folder / "project.key", registration, bundle


def settle(app: object) -> None:
    from fieldapp.ui.qt import QApplication

    for _ in range(3):
        QApplication.processEvents()


def bench_dashboard(desk: object) -> dict:
    """Open the Progress tab (counts + table + charts painted) and re-filter it."""
    from fieldapp.ui.supervisor.dashboard_view import DashboardTab

    start = time.perf_counter()
    tab = DashboardTab(desk)
    tab.resize(1366, 700)
    tab.show()
    tab.refresh()
    tab.grab()  # painted
    opened = time.perf_counter() - start
    total = tab.counts.total
    times = []
    for status in ("finalised", "approved", "", "finalised", ""):
        start = time.perf_counter()
        tab.status.setCurrentIndex(tab.status.findData(status))  # apply() runs on the change
        tab.grab()
        times.append(time.perf_counter() - start)
    from fieldapp.storage.hub_dashboard import cube

    sql = []
    for _ in range(5):
        start = time.perf_counter()
        cells = cube(desk.hub)  # type: ignore[attr-defined]
        sql.append(time.perf_counter() - start)
    tab.close()
    return {"interviews": total, "open_seconds": opened,
            "refilter_median_seconds": statistics.median(times),
            "refilter_max_seconds": max(times), "cube_sql_median_seconds": statistics.median(sql),
            "cube_cells": len(cells)}


def bench_quality(desk: object) -> dict:
    start = time.perf_counter()
    report = desk.quality()  # type: ignore[attr-defined]
    first = time.perf_counter() - start
    start = time.perf_counter()
    desk.quality()  # type: ignore[attr-defined]
    cached = time.perf_counter() - start
    return {"interviews": len(report.interviews), "first_seconds": first,
            "cached_seconds": cached}


def bench_import_gap(folder: Path, key: Path, registration: Path, bundle: Path,
                     key_passphrase: str) -> dict:
    """The Import tab imports ``bundle`` while a timer measures event-loop gaps."""
    from fieldapp.supervisor import SupervisorSession
    from fieldapp.ui import ops
    from fieldapp.ui.qt import QApplication, QTimer
    from fieldapp.ui.supervisor.import_view import ImportTab

    usb = folder / "usb"
    usb.mkdir()
    (usb / bundle.name).symlink_to(bundle)
    desk = SupervisorSession.open(folder / "hub2", create=True)
    desk.import_bundle(registration, trust=True)
    tab = ImportTab(desk)
    tab.show()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    start = time.perf_counter()
    tab.folder.setText(str(usb))
    tab.scan()
    while tab.task is not None or ops.pending():
        QApplication.processEvents()
        time.sleep(0.001)
    scanned = time.perf_counter() - start
    scan_gap = max(gaps)
    gaps.clear()
    start = time.perf_counter()
    tab.start_import()
    while tab.task is not None or ops.pending():
        QApplication.processEvents()
        time.sleep(0.001)
    imported = time.perf_counter() - start
    timer.stop()
    count = desk.dashboard().total
    desk.close()
    return {"interviews": count, "look_seconds": scanned, "look_max_gap_ms": 1000 * scan_gap,
            "import_seconds": imported, "import_max_gap_ms": 1000 * max(gaps),
            "import_p99_gap_ms": 1000 * sorted(gaps)[int(0.99 * (len(gaps) - 1))]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--import-count", type=int, default=10_000)
    parser.add_argument("--only", choices=("dashboard", "quality", "import"), action="append",
                        help="run only these parts (default: all)")
    args = parser.parse_args()
    from fieldapp.supervisor import SupervisorSession
    from fieldapp.ui.app import create_app

    app = create_app([])
    secret = "bench key passphrase"
    out: dict = {"date": time.strftime("%Y-%m-%d"), "machine": platform.platform(),
                 "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="bench-desk-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        key, registration, bundle = project_device(root, args.count, secret)
        desk = SupervisorSession.open(root / "hub", create=True)
        desk.import_bundle(registration, trust=True)
        desk.import_bundle(bundle)
        out["setup_seconds"] = time.perf_counter() - start
        desk.unlock(key, secret)
        settle(app)
        parts = args.only or ["dashboard", "quality", "import"]
        if "dashboard" in parts:
            out["dashboard"] = bench_dashboard(desk)
            print(json.dumps(out["dashboard"]))
        if "quality" in parts:
            out["quality"] = bench_quality(desk)
            print(json.dumps(out["quality"]))
        desk.close()
        if "import" in parts:
            small = root / "small"
            small.mkdir()
            key2, registration2, bundle2 = project_device(small, args.import_count, secret)
            out["import"] = bench_import_gap(small, key2, registration2, bundle2, secret)
            print(json.dumps(out["import"]))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    if RESULTS.exists() and args.only:  # keep the parts not re-run
        out = {**json.loads(RESULTS.read_text(encoding="utf-8")), **out}
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
