"""Reading untrusted XLSX: checks before any parsing (reliability.md §5.2).

* the file must be a ZIP whose entry count, total uncompressed size and per-entry
  compression ratio stay under fixed limits (zip bombs), with the parts a workbook needs and
  no macro project;
* XML with a DTD or entity declaration is refused (billion laughs, XXE) — our sheet reader
  never expands entities other than XML's five and numeric references, and openpyxl, when
  used, must run with defusedxml (``openpyxl.DEFUSEDXML``);
* formulas are never evaluated: a formula cell is read as the text of its formula.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from fieldapp.export.errors import MergeError
from fieldapp.i18n import N_
from fieldapp.zip_errors import ZIP_READ_ERRORS


@dataclass(frozen=True)
class Limits:
    """Bounds for one input file."""

    max_entries: int = 2_000
    max_total: int = 8 << 30  # uncompressed bytes (a 100,000-interview export is < 2 GiB)
    max_ratio: float = 200.0  # per entry above 1 MiB (our sheets compress ~5-30×)
    max_small_part: int = 64 << 20  # workbook.xml, rels, sharedStrings, codebook …


LIMITS = Limits()
REQUIRED = ("[Content_Types].xml", "xl/workbook.xml")


def require_defusedxml() -> None:
    """Refuse to run without defusedxml protecting openpyxl (and our small-part parsing)."""
    try:
        import defusedxml  # noqa: F401
        import openpyxl
    except ImportError:
        raise MergeError(N_("merge needs defusedxml and openpyxl installed"),
                         code="safety.merge-needs-defusedxml-openpyxl") from None
    if openpyxl.DEFUSEDXML is not True:
        raise MergeError(N_("merge refuses to run: openpyxl is not protected by defusedxml"),
                         code="safety.merge-refuses-run-openpyxl")


def open_checked(path: Path, limits: Limits = LIMITS) -> zipfile.ZipFile:
    """Open ``path`` as a ZIP after checking it is a plausible, non-hostile workbook."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise MergeError(N_("{file}: file not found"),
                         code="safety.file-not-found", file=path) from None
    except ZIP_READ_ERRORS:
        raise MergeError(N_("{file}: not an .xlsx workbook (not a ZIP file, or corrupted)"),
                         code="safety.not-xlsx-workbook-not", file=path
                         ) from None
    try:
        check_entries(path, archive.infolist(), limits)
    except MergeError:
        archive.close()
        raise
    return archive


def check_entries(path: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """The zip-bomb and structure checks on the central directory."""
    if len(infos) > limits.max_entries:
        raise MergeError(N_("{file}: refused: {count} parts in the archive (limit {max_entries}; "
                            "a zip bomb?)"),
                         code="safety.refused-parts-archive-limit", file=path,
                         count=len(infos), max_entries=limits.max_entries)
    total = sum(i.file_size for i in infos)
    if total > limits.max_total:
        raise MergeError(N_("{file}: refused: {total:,} bytes when unpacked (limit {max_total:,}; "
                            "a zip bomb?)"),
                         code="safety.refused-bytes-when-unpacked", file=path, total=total,
                         max_total=limits.max_total)
    for info in infos:
        if info.file_size > (1 << 20) and info.file_size > limits.max_ratio * max(
                info.compress_size, 1):
            raise MergeError(N_("{file}: refused: part {filename} expands {value:.0f}× (limit "
                                "{max_ratio:.0f}×; a zip bomb?)"),
                             code="safety.refused-part-expands-limit", file=path,
                             filename=info.filename,
                             value=info.file_size / max(info.compress_size, 1),
                             max_ratio=limits.max_ratio)
        if info.flag_bits & 0x1:
            raise MergeError(N_("{file}: refused: encrypted parts (password-protected file)"),
                             code="safety.refused-encrypted-parts-password", file=path)
    names = {i.filename for i in infos}
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        raise MergeError(N_("{file}: not an .xlsx workbook (no {missing})"),
                         code="safety.not-xlsx-workbook-no", file=path, missing=missing[0])
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise MergeError(N_("{file}: refused: the workbook contains macros"),
                         code="safety.refused-workbook-contains-macros", file=path)
