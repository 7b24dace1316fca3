"""The codebook and about of a CSV, SPSS or Stata export, as two CSV files beside it.

``OUT_codebook.csv`` holds the same rows as an XLSX export's ``codebook`` sheet (full labels
in every language, which codes are missing values); ``OUT_about.csv`` the ``about`` rows
(provenance, score formula, warnings such as labels the format made shorter). UTF-8 with BOM,
text protected against formula injection like the data CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fieldapp.export.about import ExportInfo
from fieldapp.export.atomic import AtomicFile
from fieldapp.export.codebook import codebook_rows, languages
from fieldapp.export.csv_files import csv_value
from fieldapp.export.layout import Layout


def companion_path(target: Path, name: str) -> Path:
    """``OUT_codebook.csv`` / ``OUT_about.csv`` beside ``OUT.<ext>``."""
    return target.with_name(f"{target.stem}_{name}.csv")


def _write(path: Path, rows: Sequence[Sequence[Any]]) -> AtomicFile:
    atomic = AtomicFile(path)
    try:
        text = io.TextIOWrapper(atomic.file, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        for row in rows:
            writer.writerow([csv_value(v) for v in row])
        text.flush()
        text.detach()
    except BaseException:
        atomic.abort()
        raise
    return atomic


def write_companions(target: Path, layout: Layout, info: ExportInfo) -> list[AtomicFile]:
    """Write both files to temporary names; the caller commits (or aborts) them."""
    done = [_write(companion_path(target, "codebook"),
                   codebook_rows(layout.tables, languages(layout.variables())))]
    try:
        done.append(_write(companion_path(target, "about"), info.rows()))
    except BaseException:
        done[0].abort()
        raise
    return done
