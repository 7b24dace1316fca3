"""Cold start of the frozen app next to the source tree's (whole processes, offscreen).

    python packaging/coldstart.py build/frozen/seoul/fieldapp [--runs 10] [--out FILE.json]

Each round runs, interleaved: the frozen GUI and ``python main.py`` until the first window is
painted (``FIELDAPP_EXIT_AFTER_SHOW=1``; a fresh home, so the first-run screen), then the
frozen and source CLI for ``--version`` and ``forms check``. One warm-up round (page cache) is
not counted. Prints and writes medians and minima in seconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORM = ROOT / "questionnaires" / "three_city_2012.xlsx"


def timed(cmd: list[str], home: str, cwd: str) -> float:
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "FIELDAPP_EXIT_AFTER_SHOW": "1"}
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - start


def measure(app: Path, runs: int) -> dict[str, list[float]]:
    """Seconds per run for each case."""
    py, repo = sys.executable, str(ROOT)
    cases = {
        "gui_frozen": ([str(app / "fieldapp-gui")], False),
        "gui_source": ([py, str(ROOT / "main.py")], False),
        "cli_version_frozen": ([str(app / "fieldapp"), "--version"], False),
        "cli_version_source": ([py, "-m", "fieldapp", "--version"], True),
        "forms_check_frozen": ([str(app / "fieldapp"), "forms", "check", str(FORM)], False),
        "forms_check_source": ([py, "-m", "fieldapp", "forms", "check", str(FORM)], True),
    }
    samples: dict[str, list[float]] = {name: [] for name in cases}
    with tempfile.TemporaryDirectory(prefix="fieldapp-coldstart-") as home:
        for round_ in range(runs + 1):
            for name, (cmd, in_repo) in cases.items():
                seconds = timed(cmd, home, repo if in_repo else home)
                if round_:
                    samples[name].append(seconds)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("app", type=Path, help="the frozen bundle folder")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    samples = measure(args.app.resolve(), args.runs)
    result = {"runs": args.runs,
              "median": {k: round(statistics.median(v), 3) for k, v in samples.items()},
              "min": {k: round(min(v), 3) for k, v in samples.items()},
              "samples": {k: [round(x, 3) for x in v] for k, v in samples.items()}}
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("cold start, median (min) s: " + ", ".join(
        f"{k} {result['median'][k]} ({result['min'][k]})" for k in samples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
