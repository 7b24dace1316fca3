"""Merge benchmark: fieldapp merge vs python-calamine's bare read and an unzip floor, paired
rounds in one run.

Run: ``.venv/bin/python bench/bench_merge.py`` (writes bench/results/merge.json; all cases
re-measured). Inputs: three city exports (Seoul, Beijing, Tokyo hubs of ``--n`` interviews
each, written by ``fieldapp`` from real hubs, ``bench/data.py``), made before any timing.

Cases, each in a fresh process, timing only the work (wall + CPU):
- ``merge``: ``fieldapp.export.merge.merge`` of the three exports (checks, dedup, data +
  codebook + summary + report sheets written).
- ``calamine``: python-calamine reading the three ``data`` sheets whole (the peer: a bare
  read, no checks, nothing written).
- ``floor``: unzipping the three ``data`` sheet parts (touching the bytes, no parsing).
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
from data import CACHE, CITIES, ROOT, hub, private_key

RESULTS = ROOT / "bench" / "results" / "merge.json"
SCRIPT = Path(__file__).resolve()


def city_exports(n: int) -> list[Path]:
    """One fieldapp export per city (made once, cached)."""
    from fieldapp.export.run import ExportOptions, export
    from fieldapp.storage.hub_store import HubStore

    paths = []
    for city in CITIES:
        target = CACHE / f"export-{city}-{n}.xlsx"
        if not target.exists():
            with HubStore.open(hub(n, (city,))) as opened:
                export(opened, private_key(), ExportOptions(out=target, lang="ko"))
        paths.append(target)
    return paths


def case_merge(n: int, out: Path) -> dict[str, Any]:
    from fieldapp.export.merge import merge

    paths = city_exports(n)
    with harness.Timer() as t:
        result = merge(paths, out)
    return t.result(rows=result.rows)


def case_calamine(n: int, out: Path) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    paths = city_exports(n)
    with harness.Timer() as t:
        rows = sum(len(CalamineWorkbook.from_path(str(p)).get_sheet_by_name("data")
                       .to_python()) - 1 for p in paths)
    return t.result(rows=rows)


def case_floor(n: int, out: Path) -> dict[str, Any]:
    paths = city_exports(n)
    with harness.Timer() as t:
        size = 0
        for p in paths:
            with zipfile.ZipFile(p) as z:
                with z.open("xl/worksheets/sheet1.xml") as f:  # the data sheet
                    while block := f.read(1 << 20):
                        size += len(block)
    return t.result(xml_mb=round(size / 1e6, 1))


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5_000, help="interviews per city")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--case")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.case:
        harness.case_main(CASES, args.case, args.n, args.out)
        return
    report = harness.header("bench_merge.py", sys.argv[1:])
    city_exports(args.n)

    def run(name: str) -> dict[str, Any]:
        out = CACHE / f"out-merge-{name}.xlsx"
        result = harness.run_child(SCRIPT, name, args.n, out)
        out.unlink(missing_ok=True)
        return result

    got = harness.rounds(["merge", "calamine", "floor"], args.rounds, run, f"3x{args.n}")
    report.update({
        "interviews_per_city": args.n, "rounds": got, "cases": harness.summary(got),
        "ratios": {
            "merge / calamine read (wall)": harness.paired(got, "merge", "calamine"),
            "merge / calamine read (cpu)": harness.paired(got, "merge", "calamine", "cpu"),
            "merge / unzip floor (wall)": harness.paired(got, "merge", "floor"),
            "calamine / unzip floor (wall)": harness.paired(got, "calamine", "floor")}})
    harness.write(RESULTS, report)


if __name__ == "__main__":
    main()
