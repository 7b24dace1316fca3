"""Fixed costs of the command line: ``fieldapp --help`` and a city-scale export, before/after.

Run: ``.venv/bin/python bench/bench_cli.py`` (writes bench/results/cli.json from one run;
``--baseline COMMIT``, ``--rounds``, ``--city N``). The baseline's ``fieldapp`` (default
a1ef1e7) is exported with ``git archive``; each case is the whole ``python -m fieldapp``
process started in its tree, measured from outside (wall from spawn to exit, CPU of the
process and its helpers from ``wait4``), rounds alternating the order:

- ``help_*``: ``python -m fieldapp --help``;
- ``export_*``: ``python -m fieldapp export`` of the city-scale hub (``bench/data.py``: 5,000
  Seoul interviews, 110 columns) to XLSX — start-up, imports, the Argon2id unlock of
  project.key at the product's default cost, the export, its helpers.

Once per side, ``-X importtime`` of ``--help`` gives the number of modules imported and
their summed self time, and of the export the heavy libraries any of its processes loaded.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
from data import CACHE, KEY_PASSPHRASE, ROOT, hub, project

RESULTS = ROOT / "bench" / "results" / "cli.json"
HEAVY = ("sqlalchemy", "openpyxl", "numpy", "pandas", "pyreadstat", "PySide6", "lxml",
         "cryptography", "alembic")


def _export_argv(n: int, out: Path) -> list[str]:
    return [sys.executable, "-m", "fieldapp", "export", "--hub", str(hub(n, ("seoul",))),
            "--key", str(project()[1]), "--out", str(out), "--status", "all", "--lang", "ko"]


def _importtime(argv: list[str], cwd: Path) -> dict[str, Any]:
    proc = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], capture_output=True,
                          text=True, cwd=cwd, env={"FIELDAPP_KEY_PASSPHRASE": KEY_PASSPHRASE,
                                                   "PATH": "/usr/bin:/bin"})
    modules = [line.split("|") for line in proc.stderr.splitlines()
               if line.startswith("import time:") and "imported package" not in line]
    names = {m[2].strip() for m in modules}
    return {"modules": len(modules),
            "self_us_sum": sum(int(m[0].split(":")[1]) for m in modules),
            "heavy": sorted(h for h in HEAVY if h in names)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="a1ef1e7")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--city", type=int, default=5_000)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    report = harness.header("bench_cli.py", sys.argv[1:])
    report["baseline"] = subprocess.run(["git", "-C", str(ROOT), "rev-parse", args.baseline],
                                        capture_output=True, text=True,
                                        check=True).stdout.strip()
    hub(args.city, ("seoul",))  # data first, outside any timing
    out = CACHE / "out-cli.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline,
                                  "fieldapp"], capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        trees = {"before": Path(tmp), "after": ROOT}
        report["importtime"] = {
            side: {"help": _importtime([sys.executable, "-m", "fieldapp", "--help"], tree),
                   "export": _importtime(_export_argv(args.city, out), tree)}
            for side, tree in trees.items()}
        out.unlink(missing_ok=True)

        def run(name: str) -> dict[str, Any]:
            what, side = name.split("_")
            argv = ([sys.executable, "-m", "fieldapp", "--help"] if what == "help"
                    else _export_argv(args.city, out))
            result = harness.run_process(argv, env={"FIELDAPP_KEY_PASSPHRASE": KEY_PASSPHRASE},
                                         cwd=trees[side])
            out.unlink(missing_ok=True)
            return result

        got = harness.rounds(["help_before", "help_after", "export_after", "export_before"],
                             args.rounds, run, "cli")
    report["rounds"] = got
    report["cases"] = harness.summary(got)
    report["ratios"] = {f"{what} after / before ({key})": harness.paired(
        got, f"{what}_after", f"{what}_before", key)
        for what in ("help", "export") for key in ("seconds", "cpu")}
    harness.write(args.results, report)


if __name__ == "__main__":
    main()
