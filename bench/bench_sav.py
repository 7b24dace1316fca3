"""SPSS/Stata export memory: the column store against the row-wise code it replaced.

Run: ``.venv/bin/python bench/bench_sav.py`` (writes bench/results/sav.json from one run;
``--sizes``, ``--rounds``, ``--baseline COMMIT``). The baseline commit (default a1ef1e7, the
last one with the row-wise writer) is exported with ``git archive`` into a temporary folder;
each case is a fresh process exporting the benchmark hub (``bench/data.py``, 110 columns,
unique free text) to .sav or .dta with the key already unlocked, through ``HubStore`` and
``export()`` — ``before_*`` with the baseline's ``fieldapp``, ``after_*`` with this tree's.
Rounds alternate the order; peak RSS is the main process's VmHWM (the export's helper
processes decrypt and build rows; they hold no table and are listed separately).
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
from data import CACHE, ROOT, hub, private_key

TREE = os.environ.get("BENCH_FIELDAPP_TREE")
if TREE:  # after data (which puts this checkout first): the baseline's fieldapp wins
    sys.path.insert(0, TREE)

RESULTS = ROOT / "bench" / "results" / "sav.json"
SCRIPT = Path(__file__).resolve()


def _export(n: int, out: Path, fmt: str) -> dict[str, Any]:
    import fieldapp
    from fieldapp.export.run import ExportOptions, export
    from fieldapp.storage.hub_store import HubStore

    folder, key = hub(n), private_key()
    target = out.with_suffix(f".{fmt}")
    with harness.Timer() as t, HubStore.open(folder) as opened:
        result = export(opened, key, ExportOptions(out=target, fmt=fmt, lang="ko",
                                                   status="all"))
    size = target.stat().st_size
    for path in result.paths:
        path.unlink(missing_ok=True)
    return t.result(interviews=result.interviews, file_mb=round(size / 1e6, 1),
                    tree=str(Path(fieldapp.__file__).parents[1]))


def case_sav(n: int, out: Path) -> dict[str, Any]:
    return _export(n, out, "sav")


def case_dta(n: int, out: Path) -> dict[str, Any]:
    return _export(n, out, "dta")


CASES: dict[str, Callable[[int, Path], dict[str, Any]]] = {"sav": case_sav, "dta": case_dta}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=0,
                        help="rounds per size (default 2 up to 10,000, else 1)")
    parser.add_argument("--baseline", default="a1ef1e7")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--case")
    parser.add_argument("--n", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.case:
        harness.case_main(CASES, args.case, args.n, args.out)
        return
    report = harness.header("bench_sav.py", sys.argv[1:])
    report["baseline"] = subprocess.run(["git", "-C", str(ROOT), "rev-parse", args.baseline],
                                        capture_output=True, text=True,
                                        check=True).stdout.strip()
    for n in args.sizes:  # data first, outside any timing
        hub(n)
    report["sizes"] = {}
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline,
                                  "fieldapp"], capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        for n in args.sizes:
            count = args.rounds or (2 if n <= 10_000 else 1)

            def run(name: str, n: int = n) -> dict[str, Any]:
                side, fmt = name.split("_")
                env = {"BENCH_FIELDAPP_TREE": tmp} if side == "before" else {}
                return harness.run_child(SCRIPT, fmt, n, CACHE / f"out-{name}-{n}", env=env)

            got = harness.rounds(["before_sav", "after_sav", "after_dta", "before_dta"],
                                 count, run, f"{n:>7}")
            report["sizes"][str(n)] = {
                "rounds": got, "cases": harness.summary(got),
                "ratios": {
                    f"after / before {fmt} ({key})": harness.paired(got, f"after_{fmt}",
                                                                    f"before_{fmt}", key)
                    for fmt in ("sav", "dta") for key in ("peak_mb", "seconds", "cpu")}}
            harness.write(args.results, report)
    harness.write(args.results, report)


if __name__ == "__main__":
    main()
