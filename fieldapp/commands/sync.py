"""``fieldapp sync push|pull``: bundles between devices and the supervisor's hub.

Device (``--data DIR``)::

    sync push --data DIR --to FOLDER [--register]     write a signed bundle
    sync push --data DIR --to postgresql+psycopg://…  push into a hub database
    sync pull --data DIR --from FOLDER|FILE           apply return bundles (decisions, acks)
    sync pull --data DIR --from postgresql+psycopg://HOST/DB   … or its return rows

Hub (``--hub FOLDER|DB_URL``)::

    sync pull --hub HUB --from FOLDER|FILE|DB_URL [--trust]   import bundles
    sync pull --hub DB_URL --from DB_URL                       apply its intake (same URL)
    sync push --hub DB_URL --key project.key --to DB_URL       return rows for devices
    sync push --hub HUB --key project.key --to FOLDER [--form FORM.xlsx]  return bundles
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fieldapp.commands.device import add_data_arg
from fieldapp.commands.hub import open_hub
from fieldapp.commands.secrets import DEVICE, naming, passphrase
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_, _
from fieldapp.paths import data_dir, is_url

if TYPE_CHECKING:  # the façades load only when a command runs
    from fieldapp.session import Applied, FieldSession
    from fieldapp.supervisor import ImportResult


def add_hub_arg(parser: argparse.ArgumentParser, required: bool = False) -> None:
    """The ``--hub FOLDER|DB_URL`` option shared by supervisor commands."""
    parser.add_argument("--hub", metavar="HUB", required=required,
                        help="hub folder (SQLite hub.db inside) or postgresql+psycopg:// URL")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sync`` command group."""
    sync = subparsers.add_parser("sync", help="move bundles between devices and the hub")
    sub = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    push = sub.add_parser("push", help="device: send sealed interviews; hub (--hub): write "
                                       "return bundles")
    add_data_arg(push)
    add_hub_arg(push)
    push.add_argument("--to", required=True, metavar="FOLDER|DB_URL")
    push.add_argument("--register", action="store_true",
                      help="device: write a bundle even if nothing is new (to register "
                           "this device with a hub)")
    push.add_argument("--batch", type=int, default=200, metavar="N",
                      help="device → database: interviews per committed bundle (default 200)")
    push.add_argument("--key", type=Path, metavar="project.key",
                      help="hub: the project private key (opens send-backs, device keys)")
    push.add_argument("--form", action="append", type=Path, default=[], metavar="FORM.xlsx",
                      help="hub: also send this questionnaire (new version) to every device")
    push.set_defaults(func=cmd_push)
    pull = sub.add_parser("pull", help="hub (--hub): import bundles; device: apply return "
                                       "bundles")
    add_data_arg(pull)
    add_hub_arg(pull)
    pull.add_argument("--from", dest="source", required=True, metavar="FOLDER|FILE|DB_URL")
    pull.add_argument("--trust", action="store_true",
                      help="hub: register the devices of these bundles (check their key "
                           "fingerprints with the enumerators first)")
    pull.set_defaults(func=cmd_pull)


def _session(args: argparse.Namespace) -> FieldSession:
    from fieldapp.session import FieldSession

    with naming(DEVICE):
        return FieldSession.open(data_dir(args.data), passphrase("Device passphrase"),
                                 program=f"fieldapp sync {args.sync_command}")


def cmd_push(args: argparse.Namespace) -> int:
    """Device push (bundle / database) or hub push (return bundles)."""
    if args.hub and is_url(args.to) and args.to == args.hub:
        return _hub_push_rows(args)
    if args.hub:
        return _hub_push(args)
    with _session(args) as session:
        if is_url(args.to):
            def progress(result: ImportResult) -> None:
                print(_("committed bundle {bundle}: {entries} interview record(s), {new} "
                        "new").format(bundle=result.bundle_id[:8], entries=result.entries,
                                      new=result.new), flush=True)

            def queued(bundle_id: str, count: int) -> None:
                print(_("sent bundle {bundle}: {count} interview record(s)").format(
                    bundle=bundle_id[:8], count=count), flush=True)

            pushed = session.push(args.to, batch=args.batch, progress=progress, queued=queued)
            if pushed.queued:
                print(_("sent {count} sealed interview record(s) in {bundles} bundle(s) to "
                        "the hub's intake; the supervisor's side verifies them, 'sync pull "
                        "--from URL' brings the acknowledgements").format(
                    count=pushed.count, bundles=len(pushed.bundle_ids)))
                return 0
            print(_("pushed {count} sealed interview record(s) in {bundles} bundle(s); all "
                    "acknowledged by the hub").format(count=pushed.count,
                                                      bundles=len(pushed.bundle_ids)))
            return 0
        written = session.push(Path(args.to), register=args.register)
    if written.path is None:
        print(_("nothing new to send: every sealed interview is acknowledged by the hub "
                "(use --register to write a registration bundle anyway)"))
    else:
        print(_("wrote {path} ({count} sealed interview record(s))").format(
            path=written.path, count=written.count))
    return 0


def _hub_push(args: argparse.Namespace) -> int:
    if is_url(args.to):
        raise FieldAppError(N_("return bundles are written to a folder (--to FOLDER)"),
                            code="sync.return-bundles-written-folder")
    if args.key is None:
        raise FieldAppError(N_("the project private key is needed here (--key project.key)"),
                            code="sync.project-private-key-needed")
    with open_hub(args, key=args.key) as hub:
        written = hub.write_returns(Path(args.to), forms=args.form)
    for w in written:
        print(_("wrote {path} for {enumerator} (device {device}): {decisions} decision(s), "
                "{acks} acknowledged, {forms} questionnaire(s)").format(
            path=w.path, enumerator=w.enumerator, device=w.device_id[:8],
            decisions=w.decisions, acks=w.acks, forms=w.forms))
    if not written:
        print(_("nothing to send: no device has new decisions or acknowledgements"))
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    """Hub import (files or a central database) or device application of return bundles."""
    if not args.hub and is_url(args.source):
        return _device_pull_rows(args)
    if args.hub:
        return _hub_pull(args)
    if is_url(args.source):
        raise FieldAppError(N_("a device pulls return bundles from a folder or file, not a "
                               "database (--from FOLDER|FILE)"),
                            code="sync.device-pulls-return-bundles")
    with _session(args) as session:
        applied, errors = session.pull(Path(args.source))
    return _print_applied(applied, errors)


def _print_applied(applied: list[Applied], errors: list[str]) -> int:
    for a in applied:
        line = _("{path}: {approved} approved, {sent_back} sent back, {acked} newly "
                 "acknowledged, {forms} questionnaire(s) installed")
        if a.again:
            line = _("{path} (applied before): {approved} approved, {sent_back} sent back, "
                     "{acked} newly acknowledged, {forms} questionnaire(s) installed")
        print(line.format(path=a.path, approved=a.approved, sent_back=len(a.reopened),
                          acked=a.acked, forms=a.forms))
        if a.credential is not None:
            print(_("  the hub database credential was stored in the device keyring"))
        for interview_id, revision, comment in a.reopened:
            if comment:
                print(_("  {id} re-opened as draft revision {revision} — supervisor: "
                        "{comment}").format(id=interview_id, revision=revision,
                                            comment=comment))
            else:
                print(_("  {id} re-opened as draft revision {revision}").format(
                    id=interview_id, revision=revision))
    if not applied and not errors:
        print(_("no return bundle for this device"))
    return _report_errors(errors)


def _device_pull_rows(args: argparse.Namespace) -> int:
    """Device: apply its return rows from the central hub (credential from the keyring)."""
    with _session(args) as session:
        applied, errors = session.pull(args.source)
    return _print_applied(applied, errors)


def _hub_push_rows(args: argparse.Namespace) -> int:
    """Hub database: return rows for every device with a role and something new."""
    if args.key is None:
        raise FieldAppError(N_("the project private key is needed here (--key project.key)"),
                            code="sync.project-private-key-needed")
    with open_hub(args, key=args.key) as hub:
        written = hub.write_return_rows(forms=args.form)
    for w in written:
        print(_("wrote a return row for {enumerator} (device {device}): {decisions} "
                "decision(s), {acks} acknowledged, {forms} questionnaire(s)").format(
            enumerator=w.enumerator, device=w.device_id[:8], decisions=w.decisions,
            acks=w.acks, forms=w.forms))
    if not written:
        print(_("nothing to send: no device with a database role has new decisions or "
                "acknowledgements"))
    return 0


def _hub_pull(args: argparse.Namespace) -> int:
    with open_hub(args, create=True) as hub:
        if is_url(args.source) and args.source == args.hub:
            report = hub.process_intake()  # the bundles devices inserted into this hub
            results = report.applied
            errors = [reason for _row, reason in report.rejected]
            skipped, note = 0, ""
            if not report.processed:
                note = _("the intake is empty")
        elif is_url(args.source):
            results, errors, skipped = hub.pull_central(args.source, trust=args.trust)
            note = _("{n} bundle(s) already here").format(n=skipped)
        else:
            results, errors, skipped = hub.import_bundles(Path(args.source), trust=args.trust)
            note = _("{n} return bundle(s) skipped").format(n=skipped) if skipped else ""
        odd = hub.odd_cities(r.device_id for r in results if not r.already_imported)
    for result in results:
        print(result.summary())
    if note:
        print(note)
    if not (results or errors or skipped or note):
        print(_("no bundles found in {source}").format(source=args.source))
    for device, cities in odd:
        print(_("warning: device {device} ({enumerator}) was set up for {city}, but this "
                "hub's devices are from {cities}: check it is meant for this hub").format(
            device=device.device_id[:8], enumerator=device.enumerator, city=device.city,
            cities=", ".join(cities)), file=sys.stderr)
    return _report_errors(errors)


def _report_errors(errors: list[str]) -> int:
    for error in errors:
        print(_("error: {message}").format(message=error), file=sys.stderr)
    return 1 if errors else 0
