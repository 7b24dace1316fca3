"""Autosave before and after the writer guard (issue 9), interleaved A/B in one run.

Run: .venv/bin/python bench/bench_writer_guard.py [BASELINE_COMMIT]

The baseline commit (default: the parent of the writer-guard commit, ebc040c) is exported
into a temporary folder with ``git archive``; each round runs one child process per tree,
alternating A, B, B, A, … so that machine noise hits both alike. Each child records 1,000
answers of ~2 KB CJK text through ``RecordingInterview.answer()`` (engine, AES-GCM, durable
SQLite commit) and the plain-sqlite3 floor in alternating blocks, and prints p50/p99. The
results file records both commits, whether the tree was clean, every round and the paired
ratios (B/A per round: min and median).
Writes bench/results/writer_guard.json.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "ebc040c"
ROUNDS = 6
CHILD = r'''
import os, sqlite3, statistics, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from fieldapp.session import FieldSession
try:
    from tests.support.formtools import md_to_xlsx
except ImportError:  # a baseline tree from before tests/support/formtools.py
    from tests.formtools import md_to_xlsx
from tests.support.devices import PASSPHRASE, make_device, make_project
N = int(sys.argv[2])
TEXT = ("가나다라마바사 北京東京 ひらがな " * 40)[:700]
FORM = "| survey |\n| | type | name | label |\n" + "".join(
    f"| | text | t{i} | T{i} |\n" for i in range(20)) + \
    "| settings |\n| | form_id | version |\n| | bench | 1 |\n"
def pct(v, q):
    v = sorted(v); return v[min(len(v) - 1, int(q * len(v)))]
with tempfile.TemporaryDirectory() as tmp:
    folder = Path(tmp)
    data = make_device(folder / "dev", make_project(folder / "keys"),
                       forms=[md_to_xlsx(FORM, folder / "f.xlsx")])
    conn = sqlite3.connect(folder / "floor.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL"); conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, i TEXT, q TEXT, b BLOB)")
    blob = os.urandom(2000)
    ours, floor = [], []
    with FieldSession.open(data, PASSPHRASE) as session:
        rec = session.start_interview(session.form("bench"))
        for block in range(10):
            for i in range(block * N // 10, (block + 1) * N // 10):
                t = time.perf_counter(); rec.answer(f"t{i % 20}", f"{i}:{TEXT}")
                ours.append(time.perf_counter() - t)
            for i in range(block * N // 10, (block + 1) * N // 10):
                t = time.perf_counter(); conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO t (i, q, b) VALUES (?, ?, ?)", ("x", f"t{i}", blob))
                conn.execute("COMMIT"); floor.append(time.perf_counter() - t)
import json
print(json.dumps({"p50": pct(ours, .5) * 1e3, "p99": pct(ours, .99) * 1e3,
                  "floor_p50": pct(floor, .5) * 1e3, "floor_p99": pct(floor, .99) * 1e3}))
'''


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def export_tree(commit: str, folder: Path) -> Path:
    archive = folder / "tree.tar"
    subprocess.run(["git", "archive", "-o", str(archive), commit], cwd=ROOT, check=True)
    target = folder / commit
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target


def measure(tree: Path, answers: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(answers)], cwd=tree,
                         env=env, capture_output=True, text=True, check=True).stdout
    return {k: round(v, 3) for k, v in json.loads(out.strip().splitlines()[-1]).items()}


def main() -> None:
    baseline = sys.argv[1] if len(sys.argv) > 1 else BASELINE
    head = git("rev-parse", "HEAD")
    clean = git("status", "--porcelain") == ""
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"before": export_tree(baseline, Path(tmp)), "after": ROOT}
        for n in range(ROUNDS):
            order = ("before", "after") if n % 2 == 0 else ("after", "before")
            row = {name: measure(trees[name], 1000) for name in order}
            rounds.append(row)
            print(n, row, flush=True)
    ratios = {q: [r["after"][q] / r["before"][q] for r in rounds] for q in ("p50", "p99")}
    result = {
        "baseline_commit": git("rev-parse", baseline), "commit": head, "tree_clean": clean,
        "answers_per_child": 1000, "rounds": rounds,
        "paired_ratio_after_over_before": {
            q: {"min": round(min(v), 2), "median": round(statistics.median(v), 2)}
            for q, v in ratios.items()},
        "median": {name: {q: round(statistics.median(r[name][q] for r in rounds), 3)
                          for q in ("p50", "p99", "floor_p50", "floor_p99")}
                   for name in ("before", "after")},
    }
    out = ROOT / "bench" / "results" / "writer_guard.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["median"], indent=2), result["paired_ratio_after_over_before"])


if __name__ == "__main__":
    main()
