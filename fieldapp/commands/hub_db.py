"""``fieldapp hub …``: the central PostgreSQL hub's roles and intake (supervisor side).

::

    fieldapp hub setup --hub OWNER_URL [--prefix NAME]         the owner, once (and after upgrades)
    fieldapp hub add-device --hub URL --key project.key DEVICE --to FOLDER
                                          a role + password for a device (again: a new one)
    fieldapp hub revoke-device --hub URL DEVICE                 a stolen laptop: no more logins
    fieldapp hub intake --hub URL [--key project.key] [--once] [--interval S]
    fieldapp hub intake --hub URL --list [--status rejected]

Passwords never appear on a command line: the database URL's own password comes from the
usual libpq means (``~/.pgpass``, ``PGPASSWORD``), a device's from its keyring.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from fieldapp.commands.secrets import KEY_ENV, passphrase
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_, _

if TYPE_CHECKING:  # the façade loads only when a command runs
    from fieldapp.supervisor import IntakeReport, SupervisorSession


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``hub`` command group."""
    hub = subparsers.add_parser("hub", help="central PostgreSQL hub: roles, devices, intake")
    sub = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)

    setup = sub.add_parser("setup", help="database owner: migrate, create roles, grants and "
                                         "row-level security (idempotent)")
    setup.add_argument("--hub", required=True, metavar="OWNER_URL")
    setup.add_argument("--prefix", metavar="NAME",
                       help="role name prefix (default: the database name)")
    setup.set_defaults(func=cmd_setup)

    add = sub.add_parser("add-device", help="give a trusted device its own database role; "
                                            "the password goes to it in a return bundle")
    add.add_argument("--hub", required=True, metavar="URL")
    add.add_argument("--key", required=True, type=Path, metavar="project.key")
    add.add_argument("device", metavar="DEVICE_ID", help="device id (or a unique start)")
    add.add_argument("--to", type=Path, required=True, metavar="FOLDER",
                     help="write the return bundle (with the password, encrypted to the "
                          "device) here, e.g. a USB stick")
    add.set_defaults(func=cmd_add_device)

    revoke = sub.add_parser("revoke-device", help="stop a device's role from logging in")
    revoke.add_argument("--hub", required=True, metavar="URL")
    revoke.add_argument("device", metavar="DEVICE_ID", help="device id (or a unique start)")
    revoke.set_defaults(func=cmd_revoke_device)

    intake = sub.add_parser("intake", help="verify and apply the bundles devices inserted "
                                           "(a long-running service unless --once)")
    intake.add_argument("--hub", required=True, metavar="URL")
    intake.add_argument("--key", type=Path, metavar="project.key",
                        help="also write return rows (acknowledgements, decisions) after "
                             "each batch")
    intake.add_argument("--once", action="store_true", help="process what is pending, exit")
    intake.add_argument("--interval", type=float, default=5.0, metavar="SECONDS",
                        help="pause when the intake is empty (default 5)")
    intake.add_argument("--list", action="store_true", help="list intake rows instead")
    intake.add_argument("--status", choices=("pending", "applied", "rejected"))
    intake.set_defaults(func=cmd_intake)


def _open(args: argparse.Namespace, key: Path | None = None) -> SupervisorSession:
    from fieldapp.supervisor import SupervisorSession

    session = SupervisorSession.open(args.hub)
    if key is not None:
        try:
            session.unlock(key, passphrase("Project key passphrase", env=KEY_ENV))
        except BaseException:
            session.close()
            raise
    return session


def _device_id(session: SupervisorSession, text: str) -> str:
    matches = [d.device_id for d in session.devices() if d.device_id.startswith(text)]
    if len(matches) != 1:
        raise FieldAppError(N_("{device}: not exactly one trusted device has this id "
                               "({count} match)"), code="hub.device_id", device=text,
                            count=len(matches))
    return matches[0]


def cmd_setup(args: argparse.Namespace) -> int:
    """Create the group roles, grants and policies as the database owner."""
    from fieldapp.supervisor import SupervisorSession

    roles = SupervisorSession.set_up_database(args.hub, prefix=args.prefix)
    print(_("hub database ready; group roles: {supervisor} (supervisors), {coordinator} "
            "(read-only), {device} (devices, one role each)").format(
        supervisor=roles.supervisor, coordinator=roles.coordinator, device=roles.device))
    print(_("add a supervisor login:  CREATE ROLE name LOGIN IN ROLE {supervisor}; then "
            "\\password name in psql").format(supervisor=roles.supervisor))
    return 0


def cmd_add_device(args: argparse.Namespace) -> int:
    """Issue a device role; its password travels only inside the return bundle."""
    with _open(args, key=args.key) as session:
        device_id = _device_id(session, args.device)
        role, written = session.add_device(device_id, args.to)
    print(_("device {device} ({enumerator}) connects as role {role}; its password is in "
            "{path}, encrypted to the device").format(
        device=device_id[:8], enumerator=written.enumerator, role=role, path=written.path))
    print(_("on the device: fieldapp sync pull --data DIR --from FOLDER, then fieldapp sync "
            "push --data DIR --to postgresql+psycopg://HOST/DB (no password)"))
    return 0


def cmd_revoke_device(args: argparse.Namespace) -> int:
    """Disable a device's login."""
    with _open(args) as session:
        device_id = _device_id(session, args.device)
        role = session.revoke_device(device_id)
    print(_("role {role} can no longer log in (device {device})").format(
        role=role, device=device_id[:8]))
    return 0


def _print_report(report: IntakeReport) -> None:
    for result in report.applied:
        print(result.summary(), flush=True)
    for row, reason in report.rejected:
        print(_("error: intake row {row}: {reason}").format(row=row, reason=reason),
              file=sys.stderr, flush=True)


def cmd_intake(args: argparse.Namespace) -> int:
    """Process the intake once, or as a service until SIGTERM/SIGINT; or list it."""
    if args.list:
        with _open(args) as session:
            rows = session.intake(args.status)
        for r in rows:
            reason = f"  {r.reason}" if r.reason else ""
            print(f"{r.intake_id:>8}  {r.received_utc[:19]}Z  {r.status:<8}  "
                  f"{r.device_role}  {(r.bundle_id or '-')[:8]}{reason}")
        if not rows:
            print(_("the intake is empty"))
        return 0
    with _open(args, key=args.key) as session:
        if args.once:
            report = session.process_intake(progress=None)
            if args.key is not None and report.processed:
                session.write_return_rows()
            _print_report(report)
            print(_("{applied} bundle(s) applied, {rejected} rejected").format(
                applied=len(report.applied), rejected=len(report.rejected)))
            return 1 if report.rejected else 0
        stopping: list[bool] = []

        def stop(_signum: int, _frame: FrameType | None) -> Any:
            stopping.append(True)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        print(_("processing the intake of {hub} (stop with Ctrl-C)").format(hub=session.label),
              flush=True)
        session.run_intake(interval=args.interval, after_batch=_print_report,
                           stop=lambda: bool(stopping), on_lost=lambda exc: print(
                               _("error: {error}; trying again in {seconds} s").format(
                                   error=exc, seconds=args.interval), file=sys.stderr,
                               flush=True))
    return 0
