"""``fieldapp export`` and ``fieldapp merge``: supervisor and coordinator data files."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from fieldapp.commands.hub import open_hub
from fieldapp.commands.secrets import KEY_ENV, PROJECT_KEY, naming, passphrase
from fieldapp.crypto import load_project_private_key
from fieldapp.errors import FieldAppError
from fieldapp.errors import shown as shown_text
from fieldapp.i18n import N_, _
from fieldapp.paths import data_dir
from fieldapp.vocabulary import HUB_STATUSES, Status

if TYPE_CHECKING:  # the façade (and all it imports) loads only when a command runs
    from fieldapp.supervisor import SummaryOptions

#: The export formats (``SupervisorSession``'s ``FORMATS``; a test keeps them equal).
FORMATS = ("xlsx", "csv", "sav", "dta")

#: ``--status`` values; the default counts as data: what the enumerator finalised and what
#: the supervisor approved (sent-back, conflicting and discarded ones only on request).
DEFAULT_STATUS = "finalised+approved"
STATUS_CHOICES = (DEFAULT_STATUS, *(s.value for s in HUB_STATUSES), "all")
_INCLUDED = {DEFAULT_STATUS: (Status.FINALISED, Status.APPROVED)}
_LEFT_OUT: dict[str, str] = {
    Status.FINALISED: N_("finalised"), Status.APPROVED: N_("approved"),
    Status.SENT_BACK: N_("sent back to the enumerator"),
    Status.CONFLICT: N_("in an open conflict"),
    Status.DISCARDED: N_("discarded by the enumerator")}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``export`` and ``merge``."""
    export = subparsers.add_parser(
        "export", help="decrypt interviews and write XLSX / SAV / DTA / CSV")
    where = export.add_mutually_exclusive_group(required=True)
    where.add_argument("--hub", metavar="HUB", help="supervisor hub: folder or "
                       "postgresql+psycopg:// URL")
    where.add_argument("--data", metavar="DIR", help="a device's data directory")
    export.add_argument("--key", required=True, type=Path, metavar="project.key")
    export.add_argument("--out", required=True, type=Path, metavar="FILE")
    export.add_argument("--format", choices=FORMATS, default=None,
                        help="default: from the --out suffix, else xlsx")
    export.add_argument("--lang", default=None, help="language of labels (en, ko, zh, ja)")
    export.add_argument("--status", choices=STATUS_CHOICES, default=DEFAULT_STATUS,
                        help="which interviews (default: finalised+approved; sent_back, "
                             "conflict and discarded only when asked for; all = everything)")
    export.add_argument("--form", default=None, metavar="FORM_ID",
                        help="questionnaire to export when the source holds several")
    export.add_argument("--map", action="append", default=[], metavar="Q=text",
                        help="export question Q as text (when its type changed between "
                             "versions); repeatable")
    _summary_options(export)
    export.set_defaults(func=cmd_export)
    merge = subparsers.add_parser("merge", help="merge fieldapp XLSX exports (e.g. cities)")
    merge.add_argument("inputs", nargs="+", type=Path, metavar="EXPORT.xlsx")
    merge.add_argument("--out", required=True, type=Path, metavar="MERGED.xlsx")
    merge.add_argument("--labels", action="store_true",
                       help="also write a labels sheet (choice labels instead of codes)")
    merge.add_argument("--lang", default=None, help="language of the labels sheet")
    _summary_options(merge)
    merge.set_defaults(func=cmd_merge)


def _summary_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cities", default=None, metavar="seoul,tokyo,beijing",
                        help="order of the cities in the summary sheet (city codes; default "
                             "the papers' order seoul,tokyo,beijing)")
    parser.add_argument("--pooled", action="store_true",
                        help="also pool all cities in the summary (an 'all cities' series)")


def _summary(args: argparse.Namespace) -> SummaryOptions:
    from fieldapp.supervisor import DEFAULT_CITY_ORDER, SummaryOptions

    order = DEFAULT_CITY_ORDER
    if args.cities is not None:
        order = tuple(c.strip().lower() for c in args.cities.split(",") if c.strip())
        if not order:
            raise FieldAppError(N_("--cities: give city codes separated by commas, e.g. "
                                   "seoul,tokyo,beijing"), code="export.cities-give-city-codes")
    return SummaryOptions(city_order=order, pooled=args.pooled)


def _mapping(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, target = item.partition("=")
        if not sep or not name:
            raise FieldAppError(N_("--map {item}: expected QUESTION=text"),
                                code="export.map-expected-question-text", item=item)
        out[name.strip()] = target.strip()
    return out


class ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.active = sys.stderr.isatty()
        self.start = time.monotonic()

    def __call__(self, done: int, total: int | None) -> bool:
        if not self.active:
            return True
        if total:
            filled = int(30 * done / total)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,}"
        else:
            bar = f"{done:,}"
        sys.stderr.write(f"\r{self.label} {bar}  {time.monotonic() - self.start:.0f}s ")
        sys.stderr.flush()
        return True

    def close(self) -> None:
        if self.active:
            sys.stderr.write("\n")


def output_format(out: Path, fmt: str | None) -> str:
    """The format to write: ``--format``, else from the suffix of ``--out``; a suffix that
    names no format, or another one than ``--format``, is an error (never a silent XLSX)."""
    suffix = out.suffix.lstrip(".").lower()
    if fmt is None:
        if suffix not in FORMATS:
            raise FieldAppError(N_("--out {path}: the file name must end in {suffixes} (or "
                                   "give --format)"), code="export.suffix", path=out,
                                suffixes=", ".join(f".{f}" for f in FORMATS))
        return suffix
    if suffix != fmt:
        raise FieldAppError(N_("--out {path} does not end in .{fmt}, the --format given"),
                            code="export.suffix_mismatch", path=out, fmt=fmt)
    return fmt


def cmd_export(args: argparse.Namespace) -> int:
    """Decrypt and export; prints the written files and any warnings."""
    from fieldapp.supervisor import ExportOptions, SupervisorSession

    fmt = output_format(args.out, args.format)
    mapping = _mapping(args.map)
    bar = ProgressBar("exporting")
    options = ExportOptions(out=args.out, fmt=fmt, lang=args.lang, status=args.status,
                            form_id=args.form, mapping=mapping, progress=bar,
                            summary=_summary(args))
    try:
        left_out: Counter[str] = Counter()
        if args.hub:
            with open_hub(args, key=args.key) as hub:
                result = hub.export(options)
                if args.status != "all":
                    left_out = Counter(s.status for s in hub.interviews()
                                       if s.status not in _INCLUDED.get(args.status,
                                                                        (args.status,)))
        else:
            with naming(PROJECT_KEY, KEY_ENV, args.key):
                key = load_project_private_key(args.key, passphrase(
                    "Project key passphrase", env=KEY_ENV, what=PROJECT_KEY))
            result = SupervisorSession.export_device(data_dir(args.data), key, options)
    finally:
        bar.close()
    for warning in result.info.warnings:
        print(_("warning: {message}").format(message=shown_text(warning)), file=sys.stderr)
    for path in result.paths:
        print(path)
    print(_("{n} interview(s) exported (status {status})").format(
        n=result.interviews, status=args.status), file=sys.stderr)
    for reason, n in sorted(result.info.skipped.items()):
        print(_("  left out: {n} {reason}").format(n=n, reason=shown_text(reason)), file=sys.stderr)
    for status, n in sorted(left_out.items()):
        print(_("  left out: {n} {what} (ask with --status {status})").format(
            n=n, what=_(_LEFT_OUT.get(status, status)), status=status), file=sys.stderr)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    """Merge exports; prints the merged file and the report's counts."""
    from fieldapp.supervisor import SupervisorSession

    bar = ProgressBar("merging")
    try:
        result = SupervisorSession.merge(args.inputs, args.out, lang=args.lang,
                                         labels=args.labels, progress=bar,
                                         summary=_summary(args))
    finally:
        bar.close()
    print(result.path)
    print(_("{rows} interview(s) merged; {duplicates} identical duplicate(s) dropped; "
            "{conflicts} conflict(s); {mismatches} codebook mismatch(es) — see sheet "
            "merge_report").format(rows=result.rows, duplicates=result.duplicates,
                                   conflicts=result.conflicts, mismatches=result.mismatches),
          file=sys.stderr)
    return 0
