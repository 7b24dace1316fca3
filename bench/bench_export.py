"""Export benchmark: fieldapp vs the raw floor and the peers, paired rounds in one run.

Run: ``.venv/bin/python bench/bench_export.py`` (writes bench/results/export.json, or
``--results FILE``; every case of every size is re-measured: nothing is kept from older runs).
Options: ``--sizes``,
``--rounds`` (per size, default 3 up to 10,000 and 2 above), ``--city N`` (the city-scale
command comparison, default 5,000 interviews, ``--city-rounds`` 5).

Data (``bench/data.py``): a real hub built by the product's own import, and the same values
as plain rows on disk; nobody's timing includes generating data.

Cases, each in a fresh process, timing only the work (wall + CPU, helpers' CPU included):
- ``fieldapp``: the whole XLSX export from the hub through ``HubStore`` (key already
  unlocked): decrypt, data + labels + codebook + summary with charts + about, atomic replace.
- ``fieldapp_sav``: the same export to SPSS .sav (memory target).
- ``floor``: a tight loop writing the data sheet XML (inline strings) into zipfile, default
  deflate, rows streamed from the plain file.
- ``xlsxwriter``: constant_memory, the same data cells. ``openpyxl``: write-only, with lxml.
City scale: ``fieldapp_cli`` = the whole ``python -m fieldapp export`` process (start-up,
imports, Argon2id unlock of project.key at the product's default cost, export), measured from
outside; ``xlsxwriter`` = writing only the same data cells (in-process timer).
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
from data import CACHE, KEY_PASSPHRASE, ROOT, hub, plain_rows, private_key, project

RESULTS = ROOT / "bench" / "results" / "export.json"
SCRIPT = Path(__file__).resolve()


def case_fieldapp(n: int, out: Path, fmt: str = "xlsx") -> dict[str, Any]:
    from fieldapp.export.run import ExportOptions, export
    from fieldapp.storage.hub_store import HubStore

    folder, key = hub(n), private_key()
    with harness.Timer() as t, HubStore.open(folder) as opened:
        result = export(opened, key, ExportOptions(out=out, fmt=fmt, lang="ko",
                                                   status="all"))
    return t.result(interviews=result.interviews,
                    file_mb=round(sum(p.stat().st_size for p in result.paths
                                      if p.is_file()) / 1e6, 1))


def case_fieldapp_sav(n: int, out: Path) -> dict[str, Any]:
    return case_fieldapp(n, out.with_suffix(".sav"), "sav")


def case_floor(n: int, out: Path) -> dict[str, Any]:
    from xml.sax.saxutils import escape

    rows = plain_rows(n)
    with harness.Timer() as t:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z, \
                z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            parts: list[str] = []
            for row in rows:
                parts.append("<row>")
                for v in row:
                    if isinstance(v, int):
                        parts.append(f"<c><v>{v}</v></c>")
                    elif v:
                        parts.append(f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>')
                    else:
                        parts.append("<c/>")
                parts.append("</row>")
                if len(parts) > 20000:
                    f.write("".join(parts).encode())
                    parts = []
            f.write(("".join(parts) + "</sheetData></worksheet>").encode())
    return t.result(file_mb=round(out.stat().st_size / 1e6, 1))


def case_xlsxwriter(n: int, out: Path) -> dict[str, Any]:
    import xlsxwriter

    rows = plain_rows(n)
    with harness.Timer() as t:
        wb = xlsxwriter.Workbook(str(out), {"constant_memory": True,
                                            "strings_to_formulas": False,
                                            "strings_to_numbers": False,
                                            "strings_to_urls": False})
        ws = wb.add_worksheet("data")
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
        wb.close()
    return t.result(file_mb=round(out.stat().st_size / 1e6, 1))


def case_openpyxl(n: int, out: Path) -> dict[str, Any]:
    import lxml  # noqa: F401  (openpyxl's fast path must be present)
    import openpyxl
    from openpyxl.xml import LXML

    assert LXML, "openpyxl is not using lxml"
    rows = plain_rows(n)
    with harness.Timer() as t:
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("data")
        for row in rows:
            ws.append(row)
        wb.save(out)
    return t.result(file_mb=round(out.stat().st_size / 1e6, 1))


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def city_command(n: int, out: Path) -> dict[str, Any]:
    """The whole ``fieldapp export`` command at city scale, measured from outside."""
    out.unlink(missing_ok=True)
    return harness.run_process(
        [sys.executable, "-m", "fieldapp", "export", "--hub", str(hub(n, ("seoul",))),
         "--key", str(project()[1]), "--out", str(out), "--status", "all", "--lang", "ko"],
        env={"FIELDAPP_KEY_PASSPHRASE": KEY_PASSPHRASE})


def city_xlsxwriter(n: int, out: Path) -> dict[str, Any]:
    return harness.run_child(SCRIPT, "city_xlsxwriter_cells", n, out)


def case_city_xlsxwriter_cells(n: int, out: Path) -> dict[str, Any]:
    import xlsxwriter

    rows = list(plain_rows(n, ("seoul",)))
    with harness.Timer() as t:
        wb = xlsxwriter.Workbook(str(out), {"constant_memory": True,
                                            "strings_to_formulas": False,
                                            "strings_to_numbers": False,
                                            "strings_to_urls": False})
        ws = wb.add_worksheet("data")
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
        wb.close()
    return t.result()


CASES["city_xlsxwriter_cells"] = case_city_xlsxwriter_cells


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=0)
    parser.add_argument("--openpyxl-max", type=int, default=100_000)
    parser.add_argument("--sav-min", type=int, default=100_000,
                        help="sizes from which the .sav export is measured too (0: never)")
    parser.add_argument("--city", type=int, default=5_000)
    parser.add_argument("--city-rounds", type=int, default=5)
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="results file (one run of this command per file)")
    parser.add_argument("--case")
    parser.add_argument("--n", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.case:
        harness.case_main(CASES, args.case, args.n, args.out)
        return
    report = harness.header("bench_export.py", sys.argv[1:])
    report["sizes"] = {}
    for n in args.sizes:  # data first, outside any timing
        hub(n)
    if args.city:
        hub(args.city, ("seoul",))
    report["data_ready_utc"] = harness.header("", [])["started_utc"]
    for n in args.sizes:
        cases = ["fieldapp", "floor", "xlsxwriter"]
        if n <= args.openpyxl_max:
            cases.append("openpyxl")
        if args.sav_min and n >= args.sav_min:
            cases.append("fieldapp_sav")
        count = args.rounds or (3 if n <= 10_000 else 2)

        def run(name: str, n: int = n) -> dict[str, Any]:
            out = CACHE / f"out-{name}-{n}.xlsx"
            result = harness.run_child(SCRIPT, name, n, out)
            for p in (out, out.with_suffix(".sav")):
                p.unlink(missing_ok=True)
            return result

        got = harness.rounds(cases, count, run, f"{n:>7}")
        report["sizes"][str(n)] = {
            "rounds": got, "cases": harness.summary(got),
            "ratios": {
                "fieldapp / floor (wall)": harness.paired(got, "fieldapp", "floor"),
                "fieldapp / floor (cpu)": harness.paired(got, "fieldapp", "floor", "cpu"),
                "xlsxwriter / fieldapp (wall)": harness.paired(got, "xlsxwriter", "fieldapp"),
                "xlsxwriter / fieldapp (cpu)": harness.paired(got, "xlsxwriter", "fieldapp",
                                                              "cpu"),
                "openpyxl / fieldapp (wall)": harness.paired(got, "openpyxl", "fieldapp"),
                "openpyxl / fieldapp (cpu)": harness.paired(got, "openpyxl", "fieldapp",
                                                            "cpu"),
            }}
        harness.write(args.results, report)
    if args.city:
        n = args.city

        def run_city(name: str) -> dict[str, Any]:
            out = CACHE / f"out-{name}-{n}.xlsx"
            result = (city_command if name == "fieldapp_cli" else city_xlsxwriter)(n, out)
            out.unlink(missing_ok=True)
            return result

        got = harness.rounds(["fieldapp_cli", "xlsxwriter_cells"], args.city_rounds,
                             run_city, f"city {n}")
        report["city"] = {
            "interviews": n, "rounds": got, "cases": harness.summary(got),
            "ratios": {
                "fieldapp export command / xlsxwriter cells (wall)":
                    harness.paired(got, "fieldapp_cli", "xlsxwriter_cells"),
                "fieldapp export command / xlsxwriter cells (cpu)":
                    harness.paired(got, "fieldapp_cli", "xlsxwriter_cells", "cpu")}}
    harness.write(args.results, report)


if __name__ == "__main__":
    main()
