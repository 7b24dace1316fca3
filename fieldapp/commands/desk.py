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
from fieldapp.commands.table import table
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_, _
from fieldapp.names import VERDICT_NAMES, shown


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
    """Indicators per enumerator, then the flagged (or all) interviews (flags as codes:
    docs/quality.md names each)."""
    with open_hub(args, key=args.key) as hub:
        report = hub.quality()
    rows: list[list[object]] = [[_("Enumerator"), _("City"), _("Interviews"),
                                 _("Median minutes"), _("Too fast"), _("Straight-lining"),
                                 _("Don't know/refused"), _("Language switches"),
                                 _("Edits after send-back"), _("Flags")]]
    rows += [[e.enumerator, e.city, e.interviews, f"{e.median_net_s / 60:.1f}",
              f"{e.too_fast_share:.0%}", f"{e.straight_share:.0%}", f"{e.dk_rate:.0%}",
              f"{e.switches:.1f}", e.edits_after_send_back, ",".join(e.flags)]
             for e in report.enumerators]
    for line in table(rows, numeric=[False, False, *[True] * 7]):
        print(line)
    if report.unreadable:
        print(report.note(), file=sys.stderr)
    shown = [q for q in report.interviews if args.all or q.flags]
    print()
    print((_("{n} of {total} interview(s)") if args.all else
           _("{n} of {total} interview(s) flagged")).format(n=len(shown),
                                                          total=len(report.interviews)))
    rows = [[_("Interview"), _("Enumerator"), _("Minutes"), _("Questions"),
             _("Straight-lined batteries"), _("Don't know/refused"), _("Language switches"),
             _("Edits after send-back"), _("Flags")]]
    rows += [[q.interview_id, q.enumerator, f"{q.net_s / 60:.1f}", q.items,
              f"{q.straight}/{q.batteries}", f"{q.dk}/{q.dk_base}", q.switches,
              q.edits_after_send_back, ",".join(q.flags)] for q in shown]
    if shown:
        for line in table(rows, numeric=[False, False, *[True] * 6]):
            print(line)
    return 0


def cmd_bundles(args: argparse.Namespace) -> int:
    """One line per bundle: who sent it and what importing it would do."""
    with open_hub(args) as hub:
        previews = [hub.preview_bundle(p) for p in hub.bundle_paths(args.folder)]
    for p in previews:
        who = _("{enumerator} ({city}) device {device} key {key}, {n} interview(s)").format(
            enumerator=p.enumerator, city=p.city, device=p.device_id[:8], key=p.fingerprint,
            n=p.interviews) if p.device_id else ""
        verdict = shown(VERDICT_NAMES, p.verdict)
        if p.reason:
            verdict = _("{verdict}: {reason}").format(verdict=verdict, reason=p.reason)
        print(f"{p.path.name}  {verdict}  {who}".rstrip())
    if not previews:
        print(_("no bundles"))
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
    for line in table(targets.items(), numeric=[False, True]):
        print(line)
    if not targets:
        print(_("no targets"))
    return 0
