"""The supervisor desk's features headless: ``quality``, ``bundles`` and ``targets``.

::

    fieldapp quality --hub HUB --key project.key [--all]
    fieldapp bundles --hub HUB FOLDER
    fieldapp targets --hub HUB [DISTRICT=N ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldapp.commands.hub import _hub_option, open_hub
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``quality``, ``bundles`` and ``targets``."""
    quality = subparsers.add_parser("quality", help="quality indicators per enumerator and "
                                                    "per interview from the paradata (hub)")
    _hub_option(quality)
    quality.add_argument("--key", required=True, type=Path, metavar="project.key")
    quality.add_argument("--all", action="store_true",
                         help="list every interview, not only flagged ones")
    quality.set_defaults(func=cmd_quality)

    bundles = subparsers.add_parser("bundles", help="what importing a folder of bundles would "
                                                    "do, without importing (hub)")
    _hub_option(bundles)
    bundles.add_argument("folder", type=Path, metavar="FOLDER")
    bundles.set_defaults(func=cmd_bundles)

    targets = subparsers.add_parser("targets", help="show or set target interviews per "
                                                    "district (hub)")
    _hub_option(targets)
    targets.add_argument("set", nargs="*", metavar="DISTRICT=N", help="0 removes a target")
    targets.set_defaults(func=cmd_targets)


def cmd_quality(args: argparse.Namespace) -> int:
    """Indicators per enumerator, then the flagged (or all) interviews."""
    with open_hub(args, key=args.key) as hub:
        report = hub.quality()
    print(f"{'enumerator':<14}{'city':<10}{'n':>5}{'median min':>12}{'too fast':>10}"
          f"{'straight':>10}{'DK/RF':>8}{'switches':>10}{'edits':>7}  flags")
    for e in report.enumerators:
        print(f"{e.enumerator[:13]:<14}{e.city[:9]:<10}{e.interviews:>5}"
              f"{e.median_net_s / 60:>12.1f}{e.too_fast_share:>10.0%}{e.straight_share:>10.0%}"
              f"{e.dk_rate:>8.0%}{e.switches:>10.1f}{e.edits_after_send_back:>7}  "
              f"{','.join(e.flags)}")
    if report.unreadable:
        print(report.note(), file=sys.stderr)
    shown = [q for q in report.interviews if args.all or q.flags]
    print(f"\n{len(shown)} interview(s){'' if args.all else ' flagged'} of "
          f"{len(report.interviews)}")
    for q in shown:
        print(f"  {q.interview_id}  {q.enumerator}  {q.net_s / 60:.1f} min  "
              f"{q.items} answered  straight {q.straight}/{q.batteries}  "
              f"DK/RF {q.dk}/{q.dk_base}  switches {q.switches}  "
              f"edits after send-back {q.edits_after_send_back}  {','.join(q.flags)}")
    return 0


def cmd_bundles(args: argparse.Namespace) -> int:
    """One line per bundle: who sent it and what importing it would do."""
    with open_hub(args) as hub:
        previews = [hub.preview_bundle(p) for p in hub.bundle_paths(args.folder)]
    for p in previews:
        who = (f"{p.enumerator} ({p.city}) device {p.device_id[:8]} key {p.fingerprint}, "
               f"{p.interviews} interview(s)" if p.device_id else "")
        reason = f": {p.reason}" if p.reason else ""
        print(f"{p.path.name}  {p.verdict}{reason}  {who}".rstrip())
    if not previews:
        print("no bundles")
    return 0


def cmd_targets(args: argparse.Namespace) -> int:
    """Print (after setting) the targets per district."""
    wanted: dict[str, int] = {}
    for item in args.set:
        name, sep, number = item.partition("=")
        if not sep or not name.strip() or not number.strip().isdigit():
            raise FieldAppError(N_("{item}: write DISTRICT=NUMBER"), code="targets.syntax",
                                item=item)
        wanted[name.strip()] = int(number)
    with open_hub(args) as hub:
        targets = hub.targets()
        if wanted:
            targets = hub.set_targets({**targets, **wanted})
    for name, number in targets.items():
        print(f"{name}  {number}")
    if not targets:
        print("no targets")
    return 0
