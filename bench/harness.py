"""Shared benchmark harness: interleaved paired rounds, wall and CPU time, honest metadata.

Every case runs in a fresh child process (``python bench/<script> --case NAME --n N``) that
times only its measured section and prints one JSON line: ``seconds`` (wall), ``cpu``
(user + system of the process and of every helper it waited for, over that section) and
``peak_mb`` (VmHWM). A case that times the whole process (``whole_process``) is measured
from outside instead: wall from spawn to exit, CPU from ``wait4``.

A *round* runs every case of a size once; the order alternates between rounds (ABC, CBA, …)
so that drift in the machine's load hits each side equally. Ratios are taken *within a
round* (paired), and the results file reports their min and median over the rounds, with
the machine's load average before and after each round, the commit and whether the tree was
clean. One command writes one results file from one run: nothing is kept from older runs.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def git_state() -> dict[str, Any]:
    """The commit measured and whether the working tree had uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True,
                              text=True, check=False).stdout.strip()

    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "fieldapp", "bench",
                "pyproject.toml", ":(exclude)bench/results", ":(exclude)bench/README.md")
    return {"commit": git("rev-parse", "HEAD"), "clean": not dirty,
            "dirty_files": dirty.splitlines()[:20]}


def load() -> list[float]:
    """The 1-minute load average (other jobs on the machine)."""
    return [round(x, 2) for x in os.getloadavg()]


def header(script: str, argv: Sequence[str]) -> dict[str, Any]:
    """What every results file starts with."""
    import importlib.metadata as md

    versions = {}
    for name in ("cryptography", "openpyxl", "xlsxwriter", "lxml", "python-calamine",
                 "SQLAlchemy", "pandas", "PySide6"):
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            pass
    return {"script": script, "command": " ".join(["python", f"bench/{script}", *argv]),
            "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            **git_state(), "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cpu", "versions": versions}


def cpu_now() -> float:
    """CPU seconds of this process plus its reaped children so far."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: reset at exec, unlike ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Timer:
    """Wall and CPU over a ``with`` block (inside a case's child process)."""

    def __enter__(self) -> Timer:
        self.wall0, self.cpu0 = time.perf_counter(), cpu_now()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.wall0
        self.cpu = cpu_now() - self.cpu0

    def result(self, **extra: Any) -> dict[str, Any]:
        return {"seconds": round(self.seconds, 4), "cpu": round(self.cpu, 4), **extra}


def case_main(cases: dict[str, Callable[[int, Path], dict[str, Any]]], name: str, n: int,
              out: Path) -> None:
    """Run one case in this (child) process and print its JSON line."""
    result = cases[name](n, out)
    result["peak_mb"] = peak_mb()
    print(json.dumps(result), flush=True)


def run_child(script: Path, name: str, n: int, out: Path, env: dict[str, str] | None = None
              ) -> dict[str, Any]:
    """One case in a fresh process; helper peaks (``worker VmHWM`` lines) are collected."""
    proc = subprocess.run([sys.executable, str(script), "--case", name, "--n", str(n),
                           "--out", str(out)], capture_output=True, text=True,
                          env={**os.environ, "FIELDAPP_WORKER_STATS": "1", **(env or {})},
                          cwd=ROOT)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-3:]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    helpers = [round(int(ln.split()[2]) / 1024, 1) for ln in proc.stderr.splitlines()
               if ln.startswith("worker VmHWM") and ln.split()[2].isdigit()]
    if helpers:
        result["helper_peak_mb"] = helpers
    return result


def run_process(argv: Sequence[str], env: dict[str, str] | None = None,
                cwd: Path | None = None) -> dict[str, Any]:
    """A whole command, measured from outside: wall from spawn to exit, CPU from wait4
    (its own and its reaped helpers'), peak RSS of the process itself."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})}, cwd=cwd or ROOT)
    assert proc.stderr is not None
    errors = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        return {"error": errors.decode(errors="replace").strip().splitlines()[-3:]}
    return {"seconds": round(wall, 4), "cpu": round(usage.ru_utime + usage.ru_stime, 4),
            "peak_mb": round(usage.ru_maxrss / 1024, 1)}


def rounds(cases: Sequence[str], count: int, run: Callable[[str], dict[str, Any]],
           label: str) -> list[dict[str, Any]]:
    """``count`` rounds of every case, order alternating (ABAB…/BABA…)."""
    out = []
    for r in range(count):
        order = list(cases) if r % 2 == 0 else list(reversed(cases))
        entry: dict[str, Any] = {"order": order, "load_before": load(), "cases": {}}
        for name in order:
            entry["cases"][name] = result = run(name)
            print(f"{label} round {r + 1}/{count} {name:<18} {json.dumps(result)}",
                  flush=True)
        entry["load_after"] = load()
        out.append(entry)
    return out


def paired(rounds_: list[dict[str, Any]], num: str, den: str, key: str = "seconds"
           ) -> dict[str, Any] | None:
    """min / median / max of ``num / den`` over the rounds where both ran."""
    ratios = []
    for entry in rounds_:
        a, b = entry["cases"].get(num, {}), entry["cases"].get(den, {})
        if key in a and key in b and b[key] > 0:
            ratios.append(a[key] / b[key])
    if not ratios:
        return None
    return {"min": round(min(ratios), 3), "median": round(statistics.median(ratios), 3),
            "max": round(max(ratios), 3), "pairs": len(ratios)}


def summary(rounds_: list[dict[str, Any]]) -> dict[str, Any]:
    """Per case: median and min of wall and CPU seconds, max of peak memory."""
    names = {n for entry in rounds_ for n in entry["cases"]}
    out: dict[str, Any] = {}
    for name in sorted(names):
        got = [e["cases"][name] for e in rounds_ if "seconds" in e["cases"].get(name, {})]
        if not got:
            out[name] = {"error": [e["cases"][name].get("error") for e in rounds_
                                   if name in e["cases"]][:1]}
            continue
        out[name] = {
            "wall_median": round(statistics.median(g["seconds"] for g in got), 3),
            "wall_min": round(min(g["seconds"] for g in got), 3),
            "cpu_median": round(statistics.median(g.get("cpu", 0) for g in got), 3),
            "peak_mb_max": max(g.get("peak_mb", 0) for g in got),
        }
        helper = [max(g["helper_peak_mb"]) for g in got if g.get("helper_peak_mb")]
        if helper:
            out[name]["helper_peak_mb_max"] = max(helper)
            out[name]["helpers"] = max(len(g["helper_peak_mb"]) for g in got
                                       if g.get("helper_peak_mb"))
    return out


def write(path: Path, report: dict[str, Any]) -> None:
    """Write the results file (the whole run, nothing merged from older runs)."""
    report["finished_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
