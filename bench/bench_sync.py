"""Sync benchmark: importing one device bundle into a SQLite hub, against its floor and a peer.

Run: ``.venv/bin/python bench/bench_sync.py`` (writes bench/results/sync.json from one run of
every case at every size; ``--sizes``, ``--rounds``). Paired rounds, order alternating, wall
and CPU time and peak RSS per case (``bench/harness.py``).

Data (``bench/sync_data.py``, made before any timing and cached): one signed bundle of N
interviews whose sealed records are the export benchmark's real HPKE seals (~12 KB each,
answers + paradata), written by the product's bundle writer; 1,000, 10,000 and 100,000.

Cases, each in a fresh process with a fresh target, timing only the import:
- ``fieldapp``: ``import_bundle`` into a SQLite hub (schema made and the device trusted
  beforehand, untimed): the signature, whole-bundle verification (both members streamed and
  hashed, every entry parsed strictly, the questionnaire loaded), then one transaction:
  receipt, device, form, every record (duplicate/conflict rules), history, entries kept.
- ``floor``: the same bundle unzipped with ``zipfile``, each entry line ``json.loads``-ed, each
  record's sha256 checked, and the rows ``executemany``-ed (500 per call) by the stdlib
  ``sqlite3`` into a table like ``hub_records`` (same columns, unique and device indexes), one
  transaction, the hub's pragmas (WAL, synchronous=FULL). No signature, no checks beyond the
  hashes, no interview rows or history.
- ``orm``: the same reading, then a plain SQLAlchemy ORM bulk insert
  (``session.execute(insert(Model), rows)``, 500 rows per call, one commit) into the same
  table, same pragmas: what an application built on SQLAlchemy would write without any of
  fieldapp's checks — the peer a reader of this project would compare against.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
from data import CACHE, ROOT
from sync_data import bundle

RESULTS = ROOT / "bench" / "results" / "sync.json"
SCRIPT = Path(__file__).resolve()
BATCH = 500
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
           "PRAGMA secure_delete=ON")
TABLE = """CREATE TABLE records (id INTEGER PRIMARY KEY, interview_id VARCHAR(36) NOT NULL,
 revision INTEGER NOT NULL, sha256 VARCHAR(64) NOT NULL, device_id VARCHAR(36) NOT NULL,
 form_id VARCHAR(128) NOT NULL, form_version VARCHAR(64) NOT NULL, sealed_blob BLOB NOT NULL,
 sealed_utc VARCHAR(32) NOT NULL, day VARCHAR(10) NOT NULL, received_utc VARCHAR(32) NOT NULL,
 bundle_id VARCHAR(36) NOT NULL)"""
INDEXES = ("CREATE UNIQUE INDEX records_key ON records (interview_id, revision, sha256)",
           "CREATE INDEX records_device ON records (device_id)")
NOW = "2026-12-03T00:00:00.000000+00:00"


def case_fieldapp(n: int, out: Path) -> dict[str, Any]:
    from fieldapp.storage.hub_store import HubStore
    from fieldapp.sync.hub_import import import_bundle

    reg, path = bundle(n)
    with HubStore.open(out, create=True) as hub:
        import_bundle(hub, reg, trust=True)
        with harness.Timer() as t:
            result = import_bundle(hub, path)
    assert result.new == n, result
    return t.result(new=result.new)


def _rows(path: Path) -> Iterator[tuple[Any, ...]]:
    """(bundle unzipped) each record with its entry, sha256 checked."""
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        device, bundle_id = manifest["device_id"], manifest["bundle_id"]
        with z.open("entries.jsonl") as entries, z.open("records/sealed.bin") as records:
            for line in entries:
                e = json.loads(line)
                blob = records.read(e["size"])
                if hashlib.sha256(blob).hexdigest() != e["sha256"]:
                    raise SystemExit("sha256 mismatch")
                yield (e["interview_id"], e["revision"], e["sha256"], device, e["form_id"],
                       e["form_version"], blob, e["sealed_utc"], e["day"], NOW, bundle_id)


def _batches(path: Path) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in _rows(path):
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def case_floor(n: int, out: Path) -> dict[str, Any]:
    _, path = bundle(n)
    out.mkdir(parents=True)
    conn = sqlite3.connect(out / "floor.db", isolation_level=None)
    for statement in (*PRAGMAS, TABLE, *INDEXES):
        conn.execute(statement)
    sql = ("INSERT INTO records (interview_id, revision, sha256, device_id, form_id, "
           "form_version, sealed_blob, sealed_utc, day, received_utc, bundle_id) "
           "VALUES (?,?,?,?,?,?,?,?,?,?,?)")
    with harness.Timer() as t:
        conn.execute("BEGIN IMMEDIATE")
        for batch in _batches(path):
            conn.executemany(sql, batch)
        conn.execute("COMMIT")
    count = conn.execute("SELECT count(*) FROM records").fetchone()[0]
    conn.close()
    assert count == n
    return t.result(new=count)


def case_orm(n: int, out: Path) -> dict[str, Any]:
    from sqlalchemy import (
        Index,
        Integer,
        LargeBinary,
        String,
        create_engine,
        event,
        func,
        insert,
        select,
    )
    from sqlalchemy.orm import DeclarativeBase, Session, mapped_column

    class Base(DeclarativeBase):
        pass

    class Record(Base):  # annotations left out: this module uses postponed annotations
        __tablename__ = "records"
        id = mapped_column(Integer, primary_key=True)
        interview_id = mapped_column(String(36), nullable=False)
        revision = mapped_column(Integer, nullable=False)
        sha256 = mapped_column(String(64), nullable=False)
        device_id = mapped_column(String(36), nullable=False, index=True)
        form_id = mapped_column(String(128), nullable=False)
        form_version = mapped_column(String(64), nullable=False)
        sealed_blob = mapped_column(LargeBinary, nullable=False)
        sealed_utc = mapped_column(String(32), nullable=False)
        day = mapped_column(String(10), nullable=False)
        received_utc = mapped_column(String(32), nullable=False)
        bundle_id = mapped_column(String(36), nullable=False)
        __table_args__ = (Index("records_key", "interview_id", "revision", "sha256",
                                unique=True),)

    _, path = bundle(n)
    out.mkdir(parents=True)
    engine = create_engine(f"sqlite:///{out / 'orm.db'}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi: Any, _record: Any) -> None:
        for pragma in PRAGMAS:
            dbapi.execute(pragma)

    Base.metadata.create_all(engine)
    keys = ("interview_id", "revision", "sha256", "device_id", "form_id", "form_version",
            "sealed_blob", "sealed_utc", "day", "received_utc", "bundle_id")
    with harness.Timer() as t, Session(engine) as session:
        for batch in _batches(path):
            session.execute(insert(Record), [dict(zip(keys, row, strict=True))
                                             for row in batch])
        session.commit()
    with Session(engine) as session:
        count = session.scalar(select(func.count()).select_from(Record))
    engine.dispose()
    assert count == n
    return t.result(new=count)


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=0,
                        help="rounds per size (default 5 up to 1,000, 3 up to 10,000, else 2)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--case")
    parser.add_argument("--n", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.case:
        harness.case_main(CASES, args.case, args.n, args.out)
        return
    report = harness.header("bench_sync.py", sys.argv[1:])
    for n in args.sizes:  # data first, outside any timing
        bundle(n)
    report["data_ready_utc"] = harness.header("", [])["started_utc"]
    report["bundles"] = {str(n): {"mb": round(bundle(n)[1].stat().st_size / 1e6, 1)}
                         for n in args.sizes}
    report["sizes"] = {}
    for n in args.sizes:
        count = args.rounds or (5 if n <= 1_000 else 3 if n <= 10_000 else 2)

        def run(name: str, n: int = n) -> dict[str, Any]:
            out = CACHE / f"out-sync-{name}-{n}"
            shutil.rmtree(out, ignore_errors=True)
            result = harness.run_child(SCRIPT, name, n, out)
            shutil.rmtree(out, ignore_errors=True)
            return result

        got = harness.rounds(["fieldapp", "floor", "orm"], count, run, f"{n:>7}")
        report["sizes"][str(n)] = {
            "rounds": got, "cases": harness.summary(got),
            "ratios": {
                "fieldapp / floor (wall)": harness.paired(got, "fieldapp", "floor"),
                "fieldapp / floor (cpu)": harness.paired(got, "fieldapp", "floor", "cpu"),
                "fieldapp / orm (wall)": harness.paired(got, "fieldapp", "orm"),
                "fieldapp / orm (cpu)": harness.paired(got, "fieldapp", "orm", "cpu"),
                "orm / floor (wall)": harness.paired(got, "orm", "floor"),
                "orm / floor (cpu)": harness.paired(got, "orm", "floor", "cpu"),
            }}
        harness.write(args.results, report)
    harness.write(args.results, report)


if __name__ == "__main__":
    main()
