"""Export and merge benchmark: fieldapp vs the peers and the floor, measured in one run.

Run: ``.venv/bin/python bench/bench_export.py [--sizes 10000 30000 100000] [--pandas-max N]``
(writes bench/results/export.json). Each case runs in a fresh subprocess; peak memory is
that process's max RSS. Synthetic data: 93 questions (62 scale items 1–4 with 98/99, 11
yes/no, 8 counts, 12 CJK text answers) + 17 metadata columns = 110 columns; interviews
are sealed with HPKE to a project key exactly as devices seal them (payload with paradata),
cached in bench/.cache/ between runs.

Cases: ``fieldapp`` (the whole export: decrypt + data, labels, codebook, summary with charts,
about), ``ours_sheet`` (our writer, data sheet only, pre-generated rows), ``floor`` (a tight
loop writing the same sheet XML into zipfile, default deflate), ``openpyxl`` (write-only),
``xlsxwriter`` (constant_memory), ``pandas`` (to_excel, openpyxl engine; only up to
--pandas-max rows). Merge: ``merge`` (three city exports; ``merge_labels`` also writes the
labels sheet) vs ``pandas_read`` (read_excel of the three data sheets, calamine engine;
``pandas_read_openpyxl``: pandas' default engine) and reader comparisons on one export.
``--only CASE...`` re-runs some cases and keeps the other results. Generated data lives in
$FIELDAPP_BENCH_CACHE (default: the system temp folder), not in the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
#: Generated hubs and exports (GBs at 100,000): outside the repository unless overridden.
CACHE = Path(os.environ.get("FIELDAPP_BENCH_CACHE")
             or Path(tempfile.gettempdir()) / "fieldapp-bench-export")
RESULTS = ROOT / "bench" / "results" / "export.json"
CITIES = ("seoul", "beijing", "tokyo")
SCALE = [f"S{i:02d}" for i in range(1, 63)]
YESNO = [f"Y{i:02d}" for i in range(1, 12)]
COUNTS = [f"N{i}" for i in range(1, 9)]
TEXTS = [f"T{i:02d}" for i in range(1, 13)]
WORDS = ["서울 시민", "北京市民", "東京の住民", "마을 공동체", "社区参与", "近所づきあい",
         "안전한 사회", "经济危机", "孤独を感じる", "이웃과 인사", "行政服务", "地域活動"]


# ----- data --------------------------------------------------------------------------------
def write_form(path: Path) -> None:
    """The synthetic questionnaire (XLSForm) with modules, domains, scores."""
    import openpyxl

    wb = openpyxl.Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", "label::English (en)", "label::Korean (ko)", "score",
                   "domain", "missing", "source"])
    survey.append(["begin group", "DEM", "Frame", "틀", "", "", "", ""])
    survey.append(["select_one city", "city", "City", "도시", "", "", "", "bench"])
    survey.append(["select_one wave", "wave", "Wave", "조사", "", "", "", "bench"])
    survey.append(["text", "district", "District", "구", "", "", "", "bench"])
    survey.append(["text", "dong", "Dong", "동", "", "", "", "bench"])
    survey.append(["end group", "", "", "", "", "", "", ""])
    for m in range(6):
        survey.append(["begin group", f"M{m + 1}", f"Module {m + 1}", f"모듈 {m + 1}", "", "",
                       "", ""])
        for name in SCALE[m * 11:(m + 1) * 11]:
            survey.append(["select_one agree", name, f"Item {name}", f"문항 {name}", "scale",
                           f"d{int(name[1:]) % 3}", "", "bench"])
        survey.append(["end group", "", "", "", "", "", "", ""])
    survey.append(["begin group", "OTHER", "Other", "기타", "", "", "", ""])
    for name in YESNO:
        survey.append(["select_one yes_no", name, f"Did {name}?", f"{name}?", "", "", "", ""])
    for name in COUNTS:
        survey.append(["integer", name, f"How many {name}?", f"{name} 수", "count", "",
                       "998 999", ""])
    for name in TEXTS:
        survey.append(["text", name, f"Describe {name}", f"{name} 설명", "", "", "", ""])
    survey.append(["end group", "", "", "", "", "", "", ""])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)", "label::Korean (ko)",
                    "missing"])
    for code, en, ko in [("1", "Not at all", "전혀"), ("2", "A little", "조금"),
                         ("3", "Somewhat", "다소"), ("4", "Very", "매우"),
                         ("98", "Don't know", "모름"), ("99", "Refused", "거절")]:
        choices.append(["agree", code, en, ko, "yes" if code in ("98", "99") else ""])
    choices.append(["yes_no", "1", "Yes", "예", ""])
    choices.append(["yes_no", "2", "No", "아니요", ""])
    for city in CITIES:
        choices.append(["city", city, city.title(), city, ""])
    for wave in ("2015", "2016"):
        choices.append(["wave", wave, wave, wave, ""])
    settings = wb.create_sheet("settings")
    settings.append(["form_id", "version", "form_title", "default_language"])
    settings.append(["bench_form", "1", "Benchmark form", "English (en)"])
    wb.save(path)


def answers(rng: random.Random, city: str) -> dict:
    """One interview's answers (JSON values as devices seal them)."""
    out: dict = {"city": city, "wave": rng.choice(("2015", "2016")),
                 "district": f"{city}_d{rng.randint(1, 20)}", "dong": f"동{rng.randint(1, 14)}"}
    for name in SCALE:
        out[name] = rng.choice(("1", "2", "3", "4", "1", "2", "3", "4", "98", "99"))
    for name in YESNO:
        out[name] = rng.choice(("1", "2"))
    for name in COUNTS:
        out[name] = rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 998))
    for name in TEXTS:
        out[name] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
    return out


@dataclass
class Record:
    interview_id: str
    revision: int
    form_id: str
    form_version: str
    status: str
    sealed_blob: bytes
    device_id: str
    enumerator: str
    city: str
    received_utc: object = None


class BenchSource:
    """A synthetic hub: sealed records in a SQLite file, streamed."""

    def __init__(self, path: Path, form: Path) -> None:
        self.path = path
        self.form = form

    def forms(self) -> Iterator[tuple[str, str, bytes]]:
        yield "bench_form", "1", self.form.read_bytes()

    def count(self, status: str | None = None) -> int:
        with sqlite3.connect(self.path) as conn:
            return conn.execute("select count(*) from rec").fetchone()[0]

    def records(self, status: str | None = None) -> Iterator[Record]:
        conn = sqlite3.connect(self.path)
        try:
            for row in conn.execute("select id, blob, city, device from rec order by rowid"):
                yield Record(row[0], 1, "bench_form", "1", "approved", row[1], row[3], "E01",
                             row[2])
        finally:
            conn.close()


def hub(n: int, city: str | None = None) -> tuple[Path, Path, Path]:
    """(hub sqlite, form, private key file) for ``n`` interviews, generated once."""
    from fieldapp.crypto import generate_project_keypair, seal
    from fieldapp.crypto.seal import private_key_bytes
    from fieldapp.recording import sealed_info

    CACHE.mkdir(parents=True, exist_ok=True)
    form = CACHE / "bench_form.xlsx"
    if not form.exists():
        write_form(form)
    key_file = CACHE / "project.raw"
    if not key_file.exists():
        private, _ = generate_project_keypair()
        key_file.write_bytes(private_key_bytes(private))
    from fieldapp.crypto.seal import private_key_from_bytes

    private = private_key_from_bytes(key_file.read_bytes())
    public = private.public_key()
    path = CACHE / f"hub-{city or 'mixed'}-{n}.sqlite"
    if path.exists():
        return path, form, key_file
    rng = random.Random(f"{city}-{n}")
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    conn.execute("create table rec (id text, blob blob, city text, device text)")
    rows = []
    for i in range(n):
        where = city or CITIES[i % 3]
        iid = f"{where[:3]}-{n}-{i:07d}-{rng.getrandbits(48):012x}"
        ans = answers(rng, where)
        payload = {"format": 1, "interview_id": iid, "form_id": "bench_form",
                   "form_version": "1", "revision": 1, "device_id": f"dev-{i % 40}",
                   "enumerator": f"E{i % 40:02d}", "city": where, "language": "ko",
                   "created_utc": "2026-03-01T01:02:03.123456+00:00",
                   "finalised_utc": "2026-03-01T01:32:03.123456+00:00",
                   "time_zone": "Asia/Seoul", "answers": ans, "repeat_counts": {},
                   "paradata": [{"kind": "answer", "question": k, "v": v,
                                 "utc": "2026-03-01T01:05:00.000000+00:00",
                                 "mono": 123456789 + j, "tz": "Asia/Seoul"}
                                for j, (k, v) in enumerate(ans.items())]}
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        blob = seal(public, data, sealed_info(interview_id=iid, revision=1,
                                              form_id="bench_form", form_version="1"))
        rows.append((iid, blob, where, f"dev-{i % 40}"))
        if len(rows) >= 5000:
            conn.executemany("insert into rec values (?,?,?,?)", rows)
            rows = []
    conn.executemany("insert into rec values (?,?,?,?)", rows)
    conn.commit()
    conn.close()
    tmp.rename(path)
    return path, form, key_file


def plain_rows(n: int) -> Iterator[list]:
    """The same 110 columns as plain values (for the peers, which do not decrypt)."""
    rng = random.Random(f"plain-{n}")
    header = ["interview_id", "form_id", "form_version", "city", "wave", "district", "dong",
              "enumerator", "device_id", "language", "start_utc", "end_utc", "start_local",
              "end_local", "time_zone", "status", "revision", *SCALE, *YESNO, *COUNTS, *TEXTS]
    yield header
    for i in range(n):
        city = CITIES[i % 3]
        a = answers(rng, city)
        yield ([f"id-{i:07d}", "bench_form", "1", city, int(a["wave"]), a["district"],
                a["dong"], f"E{i % 40:02d}", f"dev-{i % 40}", "ko", "2026-03-01 01:02:03",
                "2026-03-01 01:32:03", "2026-03-01 10:02:03", "2026-03-01 10:32:03",
                "Asia/Seoul", "approved", 1] + [int(a[k]) for k in SCALE]
               + [int(a[k]) for k in YESNO] + [a[k] for k in COUNTS] + [a[k] for k in TEXTS])


# ----- cases (each runs in its own process) ------------------------------------------------
def case_fieldapp(n: int, out: Path) -> dict:
    from fieldapp.crypto.seal import private_key_from_bytes
    from fieldapp.export.run import ExportOptions, export

    path, form, key = hub(n)
    source = BenchSource(path, form)
    start = time.perf_counter()
    result = export(source, private_key_from_bytes(key.read_bytes()),
                    ExportOptions(out=out, fmt="xlsx", lang="ko"))
    return {"seconds": time.perf_counter() - start, "interviews": result.interviews}


def case_decrypt_only(n: int, out: Path) -> dict:
    from fieldapp.crypto.seal import private_key_from_bytes
    from fieldapp.recording import open_sealed

    path, form, key = hub(n)
    private = private_key_from_bytes(key.read_bytes())
    start = time.perf_counter()
    for record in BenchSource(path, form).records():
        open_sealed(private, record, record.form_id, record.form_version)
    return {"seconds": time.perf_counter() - start}


def case_ours_sheet(n: int, out: Path) -> dict:
    from fieldapp.export.xlsx.package import Package, header_row
    from fieldapp.export.xlsx.rowxml import RowEncoder

    start = time.perf_counter()
    package = Package(out.parent)
    sheet = package.stream("data")
    rows = plain_rows(n)
    sheet.row(header_row(next(rows)))
    encoder = RowEncoder()
    for row in rows:
        sheet.row(encoder.row(row, lambda i, t: t))
    with open(out, "wb") as f:
        package.save(f)
    package.discard()
    return {"seconds": time.perf_counter() - start}


def case_floor(n: int, out: Path) -> dict:
    from xml.sax.saxutils import escape

    start = time.perf_counter()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z, \
            z.open("xl/worksheets/sheet1.xml", "w") as f:
        f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        parts: list[str] = []
        for row in plain_rows(n):
            parts.append("<row>")
            for v in row:
                if isinstance(v, int):
                    parts.append(f"<c><v>{v}</v></c>")
                else:
                    parts.append(f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>')
            parts.append("</row>")
            if len(parts) > 20000:
                f.write("".join(parts).encode())
                parts = []
        f.write(("".join(parts) + "</sheetData></worksheet>").encode())
    return {"seconds": time.perf_counter() - start}


def case_openpyxl(n: int, out: Path) -> dict:
    import openpyxl

    start = time.perf_counter()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("data")
    for row in plain_rows(n):
        ws.append(row)
    wb.save(out)
    return {"seconds": time.perf_counter() - start}


def case_xlsxwriter(n: int, out: Path) -> dict:
    import xlsxwriter

    start = time.perf_counter()
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False})
    ws = wb.add_worksheet("data")
    for r, row in enumerate(plain_rows(n)):
        ws.write_row(r, 0, row)
    wb.close()
    return {"seconds": time.perf_counter() - start}


def case_pandas(n: int, out: Path) -> dict:
    import pandas

    start = time.perf_counter()
    rows = plain_rows(n)
    header = next(rows)
    pandas.DataFrame(list(rows), columns=header).to_excel(out, index=False, engine="openpyxl")
    return {"seconds": time.perf_counter() - start}


def _city_exports(n: int) -> list[Path]:
    from fieldapp.crypto.seal import private_key_from_bytes
    from fieldapp.export.run import ExportOptions, export

    paths = []
    for city in CITIES:
        target = CACHE / f"export-{city}-{n}.xlsx"
        if not target.exists():
            path, form, key = hub(n, city)
            export(BenchSource(path, form), private_key_from_bytes(key.read_bytes()),
                   ExportOptions(out=target, fmt="xlsx", lang="ko"))
        paths.append(target)
    return paths


def case_prepare_merge(n: int, out: Path) -> dict:
    return {"exports": [str(p) for p in _city_exports(n)]}


def case_merge(n: int, out: Path) -> dict:
    from fieldapp.export.merge import merge

    paths = _city_exports(n)
    start = time.perf_counter()
    result = merge(paths, out)
    return {"seconds": time.perf_counter() - start, "rows": result.rows}


def case_merge_labels(n: int, out: Path) -> dict:
    from fieldapp.export.merge import merge

    paths = _city_exports(n)
    start = time.perf_counter()
    result = merge(paths, out, labels=True)
    return {"seconds": time.perf_counter() - start, "rows": result.rows}


def case_pandas_read(n: int, out: Path, engine: str = "calamine") -> dict:
    import pandas

    paths = _city_exports(n)
    start = time.perf_counter()
    frames = [pandas.read_excel(p, sheet_name="data", engine=engine) for p in paths]
    rows = sum(len(f) for f in frames)
    return {"seconds": time.perf_counter() - start, "rows": rows}


def case_pandas_read_openpyxl(n: int, out: Path) -> dict:
    return case_pandas_read(n, out, "openpyxl")


def case_read_ours(n: int, out: Path) -> dict:
    from fieldapp.export.merge.safety import open_checked
    from fieldapp.export.merge.xlsxread import Workbook

    path = _city_exports(n)[0]
    start = time.perf_counter()
    with open_checked(path) as archive:
        rows = sum(1 for _ in Workbook(archive, path.name).rows("data"))
    return {"seconds": time.perf_counter() - start, "rows": rows}


def case_read_openpyxl(n: int, out: Path) -> dict:
    import openpyxl

    path = _city_exports(n)[0]
    start = time.perf_counter()
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = sum(1 for _ in wb["data"].iter_rows(values_only=True))
    return {"seconds": time.perf_counter() - start, "rows": rows}


def case_read_calamine(n: int, out: Path) -> dict:
    from python_calamine import CalamineWorkbook

    path = _city_exports(n)[0]
    start = time.perf_counter()
    rows = len(CalamineWorkbook.from_path(str(path)).get_sheet_by_name("data").to_python())
    return {"seconds": time.perf_counter() - start, "rows": rows}


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: reset at exec, unlike ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def run_case(name: str, n: int) -> dict:
    """Run one case in a subprocess; returns seconds, peak MB and output size."""
    out = CACHE / f"out-{name}-{n}.xlsx"
    out.unlink(missing_ok=True)
    proc = subprocess.run([sys.executable, __file__, "--case", name, "--n", str(n),
                           "--out", str(out)], capture_output=True, text=True,
                          env={**os.environ, "FIELDAPP_WORKER_STATS": "1"})
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    helper = [ln for ln in proc.stderr.splitlines() if ln.startswith("worker VmHWM")]
    if helper:
        result["helper_peak_mb"] = round(int(helper[-1].split()[2]) / 1024, 1)
    if out.exists():
        result["file_mb"] = round(out.stat().st_size / 1e6, 1)
        if not name.startswith(("read", "pandas_read")):
            out.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--pandas-max", type=int, default=10_000)
    parser.add_argument("--merge-max", type=int, default=100_000)
    parser.add_argument("--only", nargs="+", help="run only these cases")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each case K times, interleaved, and keep the fastest")
    parser.add_argument("--case")
    parser.add_argument("--n", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.case:
        result = CASES[args.case](args.n, args.out)
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return
    previous = json.loads(RESULTS.read_text()) if args.only and RESULTS.exists() else {}
    report: dict = {"python": platform.python_version(),
                    "machine": f"{platform.machine()}, {os.cpu_count()} cpu",
                    "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "runs": dict(previous.get("runs", {}))}
    for n in args.sizes:
        hub(n)
        cases = ["fieldapp", "decrypt_only", "ours_sheet", "floor", "xlsxwriter", "openpyxl"]
        if n <= args.pandas_max:
            cases += ["pandas"]
        if n <= args.merge_max:
            cases += ["prepare_merge", "merge", "merge_labels", "pandas_read", "read_ours",
                      "read_openpyxl", "read_calamine"]
            if n <= args.pandas_max:
                cases += ["pandas_read_openpyxl"]
        if args.only:
            cases = [c for c in cases if c in args.only or c == "prepare_merge"]
        results = dict(previous.get("runs", {}).get(str(n), {}))
        for attempt in range(args.repeat):
            for name in cases:
                if name == "prepare_merge" and attempt:
                    continue
                result = run_case(name, n)
                best = results.get(name) if attempt else None
                if best is None or "error" in best or result.get("seconds", 0) < best.get(
                        "seconds", float("inf")):
                    results[name] = result
                print(f"{n:>7} {name:<22} {json.dumps(result)}", flush=True)
        report["runs"][str(n)] = results
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
