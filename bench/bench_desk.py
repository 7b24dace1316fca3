"""Supervisor's desk benchmark: the progress dashboard and the quality indicators of a hub
with 100,000 interviews, and the GUI's responsiveness while a 10,000-interview bundle imports.

Run by hand: ``.venv/bin/python bench/bench_desk.py [--count 100000] [--import-count 10000]``
(writes bench/results/desk.json with the commit and load; offscreen Qt). The data is made
once into ``--data`` (default /tmp/fieldapp-bench-desk-COUNT, ~10 min for 100k) and reused.
One real device seals N synthetic interviews with the real sealing code, shaped like recorded
interviews of the largest shipped form (:func:`interview_payloads`: 52 answers, ~58 paradata
events, ~9 KB), pushes one real bundle, and a SQLite hub imports it. Then, in this process:

* dashboard open: build the Progress tab and count (SQL), fill the table, draw both charts;
* re-filter: change the status filter (one SQL pass per group + redraw), median of 5;
* quality: ``SupervisorSession.quality()`` over every interview (decrypt + indicators) in a
  fresh session, with helper processes (the default) and in one process
  (``FIELDAPP_EXPORT_WORKERS=0``), interleaved ABBA, from nothing (the sealed indicators a
  session keeps beside the hub deleted first); wall and CPU (helpers included); then the
  cached call; then a fresh session that finds the kept indicators;
* quality tab: the computed report shown (flagged, then all interviews) and painted;
* districts: counts by district and Dong in a fresh session (the quality pass reads them),
  again (cached), and decrypting one by one as before;
* import gap: the Import tab looks at and imports a fresh 10,000-interview bundle in the
  background while a 5 ms timer records the longest gap between event-loop iterations.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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
#: the largest shipped questionnaire (52 questions): the most paradata per interview
DESK_FORM = ROOT / "questionnaires" / "risk_governance_2015.xlsx"


def interview_payloads(form_path: Path):  # type: ignore[no-untyped-def]
    """A maker of sealed-payload JSON shaped like a recorded interview of ``form_path``:
    every input question answered with one of its codes (don't know/refused included) or a
    plausible number/text, the paradata the device records — the starting language, one
    ``answer`` event per question with rising monotonic clock (median gap ~7 s), one in ten
    answers corrected, one interview in twenty suspended for half an hour and resumed."""
    import random

    from fieldapp.questionnaire import load_questionnaire

    form = load_questionnaire(form_path)
    inputs = []
    for q in form.iter_questions():
        if q.is_input:
            choices = form.choice_list(q)
            inputs.append((q.name, q.type, [c.name for c in choices.choices] if choices else []))

    def make(rng: random.Random, interview_id: str, device_id: str) -> bytes:
        mono = rng.getrandbits(40)
        second = 0

        def event(kind: str, question: str, **extra: object) -> dict:
            clock = f"{second // 3600 % 24:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
            return {"kind": kind, "question": question, **extra,
                    "utc": f"2026-05-01T{clock}.{rng.randrange(10**6):06d}+00:00",
                    "mono": mono, "tz": "Asia/Seoul"}

        answers: dict[str, object] = {}
        events = [event("language", "", to="ko")]
        for name, kind, codes in inputs:
            if codes:
                value: object = rng.choice(codes)
            elif kind in ("integer", "decimal"):
                value = rng.randint(0, 90)
            else:
                value = f"성산{rng.randint(1, 9)}동 {rng.randint(1, 999)}-{rng.randint(1, 99)}"
            gap = rng.lognormvariate(2.0, 0.8)
            if rng.random() < 0.05 / len(inputs):
                events.append(event("suspend", ""))
                gap += 1800
                mono += int(1800e9)
                second += 1800
                events.append(event("resume", ""))
            mono += int(gap * 1e9)
            second += int(gap)
            if rng.random() < 0.1:
                events.append(event("answer", name, v=codes[0] if codes else value))
                mono += int(rng.uniform(1, 5) * 1e9)
            answers[name] = value
            events.append(event("answer", name, v=value))
        payload = {"format": 1, "interview_id": interview_id, "form_id": form.form_id,
                   "form_version": form.version, "revision": 1, "device_id": device_id,
                   "enumerator": "E01", "city": "seoul", "language": "ko",
                   "created_utc": "2026-05-01T01:00:00+00:00",
                   "finalised_utc": "2026-05-01T01:20:00+00:00", "time_zone": "Asia/Seoul",
                   "answers": answers, "repeat_counts": {}, "damaged_events": [],
                   "paradata": events}
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()

    return form.form_id, make


def project_device(folder: Path, count: int, key_passphrase: str) -> tuple[Path, Path, Path]:
    """(project.key, registration bundle, bundle of ``count`` interviews) of one device."""
    from desk_data import PASS, fill_device

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
                passphrase=PASS, kdf_params=floor_params(), forms=[DESK_FORM])
    for name in ("registration", "bundle"):
        (folder / name).mkdir()
    with FieldSession.open(data, PASS) as session:
        registration = push_to_folder(session, folder / "registration", register=True).path
    form_id, make = interview_payloads(DESK_FORM)
    fill_device(data, count, form_id=form_id, payload=make)
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


def quality_once(hub: Path, key: Path, secret: str, workers: str | None,
                 kept: bool = False) -> dict:
    """One computation in a fresh session — from nothing, or (``kept``) with what the last
    session kept sealed beside the hub: wall, CPU of this process and of the helper
    processes (reaped when quality() returns), then the cached call."""
    from harness import cpu_now

    from fieldapp.quality_cache import FILE
    from fieldapp.supervisor import SupervisorSession

    if not kept:
        (hub / FILE).unlink(missing_ok=True)

    if workers is None:
        os.environ.pop("FIELDAPP_EXPORT_WORKERS", None)
    else:
        os.environ["FIELDAPP_EXPORT_WORKERS"] = workers
    with SupervisorSession.open(hub) as desk:
        desk.unlock(key, secret)
        cpu0, start = cpu_now(), time.perf_counter()
        report = desk.quality()
        first, cpu = time.perf_counter() - start, cpu_now() - cpu0
        start = time.perf_counter()
        desk.quality()
        cached = time.perf_counter() - start
    os.environ.pop("FIELDAPP_EXPORT_WORKERS", None)
    return {"interviews": len(report.interviews), "unreadable": report.unreadable,
            "first_seconds": round(first, 3), "first_cpu": round(cpu, 3),
            "cached_seconds": round(cached, 4)}


def bench_quality(hub: Path, key: Path, secret: str) -> dict:
    """Helpers (one per core) and one process, interleaved ABBA; paired ratio per round."""
    from harness import load

    runs: dict[str, list[dict]] = {"helpers": [], "one_process": []}
    for name in ("helpers", "one_process", "one_process", "helpers"):
        before = load()
        result = quality_once(hub, key, secret, None if name == "helpers" else "0")
        runs[name].append({**result, "load_before": before, "load_after": load()})
        print(name, json.dumps(result), flush=True)
    reopened = quality_once(hub, key, secret, None, kept=True)
    print("reopened", json.dumps(reopened), flush=True)
    ratios = [o["first_seconds"] / h["first_seconds"]
              for h, o in zip(runs["helpers"], reversed(runs["one_process"]), strict=True)]
    return {"runs": runs, "reopened_with_kept_indicators": reopened,
            "helpers_first_seconds_median": statistics.median(
                r["first_seconds"] for r in runs["helpers"]),
            "one_process_over_helpers_wall": [round(r, 2) for r in ratios]}


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


def bench_quality_tab(hub: Path, key: Path, secret: str) -> dict:
    """The Quality tab showing a computed report: flagged interviews, then every interview
    (a lazy model: the rows on screen are the only cells made), painted."""
    from fieldapp.supervisor import SupervisorSession
    from fieldapp.ui.qt import QApplication
    from fieldapp.ui.supervisor.quality_view import QualityTab

    with SupervisorSession.open(hub) as desk:
        desk.unlock(key, secret)
        report = desk.quality()
        tab = QualityTab(desk)
        tab.resize(1366, 700)
        tab.show()
        QApplication.processEvents()
        tab.report = report
        start = time.perf_counter()
        tab._show()  # what the end of a computation does
        tab.grab()
        flagged = time.perf_counter() - start
        start = time.perf_counter()
        tab.flagged_only.setChecked(False)
        tab.grab()
        everything = time.perf_counter() - start
        tab.close()
    return {"flagged": sum(bool(q.flags) for q in report.interviews),
            "interviews": len(report.interviews), "show_flagged_seconds": round(flagged, 3),
            "show_all_seconds": round(everything, 3)}


def bench_districts(hub: Path, key: Path, secret: str) -> dict:
    """Counts by district and Dong (answers inside the seals) in a fresh session: first
    (the quality pass reads them, on every core), again (cached), and the one-by-one
    decryption that counted them before (``count_hub`` without the quality pass)."""
    from fieldapp.quality_cache import FILE
    from fieldapp.storage.hub_store import HubStore
    from fieldapp.supervisor import SupervisorSession
    from fieldapp.sync.progress import count_hub

    (hub / FILE).unlink(missing_ok=True)
    with SupervisorSession.open(hub) as desk:
        desk.unlock(key, secret)
        start = time.perf_counter()
        counts = desk.progress()
        first = time.perf_counter() - start
        start = time.perf_counter()
        desk.progress()
        again = time.perf_counter() - start
        private = desk._key  # type: ignore[attr-defined]
    with HubStore.open(hub) as store:
        start = time.perf_counter()
        direct = count_hub(store, private)
        one_by_one = time.perf_counter() - start
    assert direct.by["district"] == counts.by["district"]
    return {"districts": len(counts.by["district"]), "dongs": len(counts.by["dong"]),
            "first_seconds": round(first, 3), "again_seconds": round(again, 3),
            "one_by_one_seconds": round(one_by_one, 3)}


def prepare(data: Path, count: int, import_count: int, secret: str) -> dict:
    """The hub of ``count`` interviews and the device of the import case, made once per
    ``data`` folder and reused (the same pre-made data for every run and every case)."""
    from fieldapp.supervisor import SupervisorSession

    ready = data / "ready.json"
    want = {"count": count, "import_count": import_count, "form": DESK_FORM.name}
    if ready.exists() and json.loads(ready.read_text(encoding="utf-8")).get("made") == want:
        return json.loads(ready.read_text(encoding="utf-8"))
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    start = time.perf_counter()
    key, registration, bundle = project_device(data, count, secret)
    with SupervisorSession.open(data / "hub", create=True) as desk:
        desk.import_bundle(registration, trust=True)
        desk.import_bundle(bundle)
    small = data / "small"
    small.mkdir()
    key2, registration2, bundle2 = project_device(small, import_count, secret)
    made = {"made": want, "seconds": round(time.perf_counter() - start, 1),
            "key": str(key), "small": [str(key2), str(registration2), str(bundle2)]}
    ready.write_text(json.dumps(made), encoding="utf-8")
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--import-count", type=int, default=10_000)
    parser.add_argument("--data", type=Path, default=None,
                        help="folder of pre-made data, made on first use "
                             "(default: /tmp/fieldapp-bench-desk-COUNT)")
    parser.add_argument("--only", choices=("dashboard", "quality", "import"), action="append",
                        help="run only these parts (prints them; the results file is "
                             "written only by a run of every part)")
    args = parser.parse_args()
    from harness import header, load, write

    from fieldapp.supervisor import SupervisorSession
    from fieldapp.ui.app import create_app

    app = create_app([])
    secret = "bench key passphrase"
    out: dict = header("bench_desk.py", sys.argv[1:])
    out["load_before"] = load()
    data = args.data or Path(tempfile.gettempdir()) / f"fieldapp-bench-desk-{args.count}"
    made = prepare(data, args.count, args.import_count, secret)
    out["data"] = {"folder": str(data), **made["made"], "made_seconds": made["seconds"]}
    parts = args.only or ["dashboard", "quality", "import"]
    key = Path(made["key"])
    if "dashboard" in parts:
        with SupervisorSession.open(data / "hub") as desk:
            desk.unlock(key, secret)
            settle(app)
            out["dashboard"] = bench_dashboard(desk)
        print(json.dumps(out["dashboard"]), flush=True)
    if "quality" in parts:
        out["quality"] = bench_quality(data / "hub", key, secret)
    if "quality" in parts:
        out["quality_tab"] = bench_quality_tab(data / "hub", key, secret)
        print(json.dumps(out["quality_tab"]), flush=True)
        out["districts"] = bench_districts(data / "hub", key, secret)
        print(json.dumps(out["districts"]), flush=True)
    if "import" in parts:
        with tempfile.TemporaryDirectory(prefix="bench-desk-import-") as tmp:
            key2, registration2, bundle2 = (Path(p) for p in made["small"])
            out["import"] = bench_import_gap(Path(tmp), key2, registration2, bundle2, secret)
        print(json.dumps(out["import"]), flush=True)
    out["load_after"] = load()
    if args.only:
        return
    write(RESULTS, out)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
