"""Codebook compatibility across exports: the union layout and every mismatch found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from fieldapp.export.layout import MAIN, Layout, Table, meta_variable
from fieldapp.export.merge import report as r
from fieldapp.export.merge.inputs import ExportFile
from fieldapp.export.merge.report import ReportLine, line
from fieldapp.export.schema import TEXT, Code, Variable

#: The merged data sheet's second column: the export file each row came from.
SOURCE = "source_file"


def _merge_labels(a: dict, b: dict) -> dict:
    return {**b, **{k: v for k, v in a.items() if v}}


def _union_codes(a: Sequence[Code], b: Sequence[Code]) -> tuple[Code, ...]:
    by_code = {c.code: c for c in a}
    out = list(a)
    for code in b:
        if code.code in by_code:
            merged = replace(by_code[code.code],
                             labels=_merge_labels(dict(by_code[code.code].labels),
                                                  dict(code.labels)))
            out[out.index(by_code[code.code])] = merged
            by_code[code.code] = merged
        else:
            out.append(code)
    return tuple(out)


def _compare(sheet: str, merged: Variable, reference: Variable, var: Variable, first: str,
             other: str, report: list[ReportLine]) -> Variable:
    """Check ``var`` (from ``other``) against the first file's ``reference``; fold it into
    the merged definition."""
    merged = replace(merged, labels=_merge_labels(dict(merged.labels), dict(var.labels)),
                     versions=tuple(dict.fromkeys(merged.versions + var.versions)))
    if (reference.qtype, reference.kind) != (var.qtype, var.kind):
        report.append(line(r.MISMATCH, other, sheet, var.name, "", (r.TYPE_DIFFERS, {
            "here": f"{var.qtype}/{var.kind}", "there": f"{reference.qtype}/{reference.kind}",
            "first": first})))
        return replace(merged, kind=TEXT, qtype="text", codes=(), score="", domain="")
    codes_a = {c.code: c.missing for c in reference.codes}
    codes_b = {c.code: c.missing for c in var.codes}
    if codes_a != codes_b:
        only_a = sorted(set(codes_a) - set(codes_b))
        only_b = sorted(set(codes_b) - set(codes_a))
        flags = sorted(c for c in set(codes_a) & set(codes_b) if codes_a[c] != codes_b[c])
        parts: list[tuple[str, dict[str, str]]] = []
        if only_b:
            parts.append((r.CODES_HERE, {"codes": " ".join(only_b)}))
        if only_a:
            parts.append((r.CODES_THERE, {"first": first, "codes": " ".join(only_a)}))
        if flags:
            parts.append((r.FLAG_DIFFERS, {"codes": " ".join(flags)}))
        report.append(line(r.MISMATCH, other, sheet, var.name, "", *parts))
    return replace(merged, codes=_union_codes(merged.codes, var.codes))


def union_layout(files: Sequence[ExportFile], report: list[ReportLine]) -> Layout:
    """The merged tables (first file's order; new columns after their predecessor)."""
    tables: dict[str, dict[str, Variable]] = {}
    orders: dict[str, list[str]] = {}
    owners: dict[tuple[str, str], str] = {}
    references: dict[tuple[str, str], Variable] = {}
    for file in files:
        for sheet, variables in file.tables.items():
            merged = tables.setdefault(sheet, {})
            order = orders.setdefault(sheet, [])
            previous = None
            for var in variables:
                if sheet == MAIN and var.name == SOURCE:  # an input that is itself a merge:
                    continue  # its rows keep their source_file (see merge._Mapper)
                if var.name in merged:
                    merged[var.name] = _compare(sheet, merged[var.name],
                                                references[(sheet, var.name)], var,
                                                owners[(sheet, var.name)], file.name, report)
                else:
                    merged[var.name] = var
                    owners[(sheet, var.name)] = file.name
                    references[(sheet, var.name)] = var
                    at = (order.index(previous) + 1 if previous is not None and previous in order
                          else len(order))
                    order.insert(at, var.name)
                previous = var.name
    for sheet, order in orders.items():
        for name in order:
            absent = [f.name for f in files if name not in
                      {v.name for v in f.tables.get(sheet, [])}]
            if absent and len(absent) < len(files):
                report.append(line(r.NOT_EVERYWHERE, ", ".join(absent), sheet, name, "",
                                   (r.ADDED_LATER, {})))
    main_cols = [tables[MAIN][n] for n in orders[MAIN]]
    source = meta_variable(SOURCE, TEXT, "Export file the row came from")
    main_cols.insert(1, source)
    repeats = [Table(sheet, [tables[sheet][n] for n in orders[sheet]], repeat=sheet)
               for sheet in orders if sheet != MAIN]
    return Layout(Table(MAIN, main_cols), repeats)
