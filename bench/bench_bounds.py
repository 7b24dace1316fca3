"""Bounded input (issue 9): how fast, and in how much memory, hostile workbooks are refused.

Run: .venv/bin/python bench/bench_bounds.py

Each case runs in a fresh child process (``resource`` peak RSS of that process, wall time of
the call alone): a questionnaire zip bomb (survey sheet unpacking to 256 MiB), a sheet with
30,000 rows, a cell in column XFD, a workbook whose part lies about its size, the largest
questionnaire the limits still accept (19,000 rows), and the same zip bomb given to
``fieldapp merge``. Target: refused in under 2 s and under 200 MB.
Writes bench/results/bounds.json (with the commit and whether the tree was clean).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import hostile_workbooks as hostile  # noqa: E402
from tests.support.formtools import md_to_xlsx  # noqa: E402

CHILD = r'''
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
kind, path = sys.argv[2], sys.argv[3]
start = time.perf_counter()
outcome = "accepted"
if kind == "form":
    from fieldapp.errors import FormError
    from fieldapp.questionnaire import load_questionnaire
    try:
        load_questionnaire(path)
    except FormError as exc:
        outcome = "refused: " + str(exc.issues[0])
else:
    from fieldapp.export.errors import MergeError
    from fieldapp.export.merge import merge
    try:
        merge([path], path + ".merged.xlsx")
    except MergeError as exc:
        outcome = "refused: " + str(exc)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": round(seconds, 3), "peak_rss_mb":
                  round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "outcome": outcome[:160]}))
'''

FORM = """
| survey |
| | type | name | label |
| | text | name | Name |
| settings |
| | form_id | version |
| | bounded | 1 |
"""


def big_legit(good: bytes) -> bytes:
    """A valid questionnaire of 19,000 text questions (inside every limit)."""
    part = hostile.survey_part(good)
    rows = b"".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>text</t></is></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>q{r}</t></is></c>'
        f'<c r="C{r}" t="inlineStr"><is><t>Question {r} 질문 問題</t></is></c></row>'.encode()
        for r in range(10, 19_010))
    return hostile.with_sheet_rows(good, part, rows, 1)


def dense(good: bytes) -> bytes:
    """450 rows of 1,000 short cells each: past the 400,000-cell limit in the widest rows."""
    part = hostile.survey_part(good)
    row = "".join('<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(1000))
    rows = "".join(f'<row r="{r}">{row}</row>' for r in range(10, 460)).encode()
    return hostile.with_sheet_rows(good, part, rows, 1)


def run(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), kind, str(path)],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def main() -> None:
    results = {"commit": git("rev-parse", "HEAD"), "tree_clean": git("status", "--porcelain")
               == "", "cases": {}}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        good = md_to_xlsx(FORM, folder / "good.xlsx").read_bytes()
        cases = {
            "zip bomb (256 MiB survey sheet)": ("form", hostile.zip_bomb(good)),
            "30,000 rows": ("form", hostile.many_rows(good)),
            "cell in column XFD": ("form", hostile.far_cell(good)),
            "450,000 cells (450 rows x 1,000)": ("form", dense(good)),
            "part lying about its size": ("form", hostile.lying_size(good)),
            "largest accepted: 19,000 questions": ("form", big_legit(good)),
            "merge: the zip bomb as an export": ("merge", hostile.zip_bomb(good)),
        }
        for name, (kind, data) in cases.items():
            path = folder / f"case-{len(results['cases'])}.xlsx"
            path.write_bytes(data)
            result = run(kind, path)
            result["file_mb"] = round(len(data) / 2**20, 2)
            results["cases"][name] = result
            print(name, result, flush=True)
    out = ROOT / "bench" / "results" / "bounds.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
