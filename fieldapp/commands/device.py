"""``fieldapp device init|passwd|recover``: set up and look after an enumerator's laptop."""

from __future__ import annotations

import argparse
from pathlib import Path

from fieldapp.commands.secrets import (
    DEVICE,
    KEY_ENV,
    NEW_ENV,
    PROJECT_KEY,
    naming,
    passphrase,
)
from fieldapp.commands.table import aligned
from fieldapp.crypto import load_project_private_key, params_for_new_keys
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_, _
from fieldapp.paths import bundled_questionnaires, data_dir, preset_project_key, preset_value

CITIES = ("seoul", "beijing", "tokyo")


def add_data_arg(parser: argparse.ArgumentParser) -> None:
    """The ``--data DIR`` option shared by device-side commands."""
    parser.add_argument("--data", metavar="DIR", default=None,
                        help="device data directory (default: FIELDAPP_HOME or the user "
                             "data directory)")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``device`` command group."""
    device = subparsers.add_parser("device", help="set up an enumerator's device")
    sub = device.add_subparsers(dest="device_command", metavar="ACTION", required=True)
    init = sub.add_parser("init", help="create the device keys and encrypted store")
    add_data_arg(init)
    init.add_argument("--project-key", type=Path, metavar="project.pub",
                      help="the project public key (default: the one a team build ships)")
    init.add_argument("--enumerator", required=True, metavar="ID")
    init.add_argument("--city", default=None, choices=("", *CITIES),
                      help="the device's city (default: the one a team build presets)")
    init.add_argument("--form", action="append", type=Path, default=None, metavar="FORM",
                      help="questionnaire to install (default: the bundled ones)")
    init.set_defaults(func=cmd_init)
    passwd = sub.add_parser("passwd", help="change the device passphrase")
    add_data_arg(passwd)
    passwd.set_defaults(func=cmd_passwd)
    recover = sub.add_parser("recover", help="supervisor: set a new passphrase with the "
                                             "project private key")
    add_data_arg(recover)
    recover.add_argument("--key", required=True, type=Path, metavar="project.key")
    recover.set_defaults(func=cmd_recover)
    check = sub.add_parser("check", help="check every interview's stored data (never writes)")
    add_data_arg(check)
    check.set_defaults(func=cmd_check)
    info = sub.add_parser("info", help="the device's id, enumerator, city and key "
                                       "fingerprints (no passphrase needed)")
    add_data_arg(info)
    info.set_defaults(func=cmd_info)


def _preset_city() -> str:
    city = preset_value("city")
    return city if city in CITIES else ""


def cmd_init(args: argparse.Namespace) -> int:
    """Create a device in the data directory."""
    from fieldapp.session import init_device

    project_key = args.project_key or preset_project_key()
    if project_key is None:
        raise FieldAppError(N_("--project-key is required: this build ships no project key"),
                            code="device.project-key-required-build")
    secret = passphrase("New device passphrase", confirm=True, new=True)
    forms = args.form if args.form is not None else bundled_questionnaires()
    info = init_device(data_dir(args.data), project_key=project_key,
                       enumerator=args.enumerator,
                       city=_preset_city() if args.city is None else args.city,
                       passphrase=secret,
                       kdf_params=params_for_new_keys(), forms=forms)
    print(_("device {device} for enumerator {enumerator} in {folder}").format(
        device=info.device_id, enumerator=info.enumerator, folder=info.data_dir))
    print(_("  device key {device_key}; project key {project_key}; {n} questionnaire(s) "
            "installed").format(device_key=info.device_fingerprint,
                                project_key=info.project_fingerprint, n=len(forms)))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    """Print what a supervisor compares before trusting the device (reads only the keyring)."""
    from fieldapp.session import describe_device

    info = describe_device(data_dir(args.data))
    rows = [(_("device"), info.device_id), (_("enumerator"), info.enumerator),
            (_("city"), info.city or "-"), (_("device key"), info.device_fingerprint),
            (_("project key"), info.project_fingerprint), (_("data"), str(info.data_dir))]
    for line in aligned(rows):
        print(line)
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    """Change the passphrase (only the key wrapping changes)."""
    from fieldapp.session import FieldSession

    old = passphrase("Current passphrase")
    new = passphrase("New passphrase", env=NEW_ENV, confirm=True, new=True)
    with naming(DEVICE), FieldSession.open(data_dir(args.data), old,
                                           program="fieldapp device passwd") as session:
        session.change_passphrase(old, new)
    print(_("passphrase changed"))
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    """Recover a device whose passphrase was forgotten, using the project private key."""
    from fieldapp.session import recover_device

    key_secret = passphrase("Project key passphrase", env=KEY_ENV, what=PROJECT_KEY)
    with naming(PROJECT_KEY, KEY_ENV, args.key):
        private = load_project_private_key(args.key, key_secret)
    new = passphrase("New device passphrase", env=NEW_ENV, confirm=True, new=True)
    recover_device(data_dir(args.data), project_private_key=private, new_passphrase=new)
    print(_("device passphrase reset; the enumerator can unlock with the new one"))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """List every interview with its readable and damaged events; exit 1 if any is damaged."""
    from fieldapp.session import FieldSession

    with naming(DEVICE), FieldSession.open(data_dir(args.data), passphrase("Device passphrase"),
                                           read_only=True) as session:
        report = session.check()
    for line in report.lines:
        print(line)
    print(_("database: {result}").format(result=report.database))
    if report.damaged:
        print(_("{n} interview(s) have damaged data: the readable answers are kept; the "
                "damaged events go to the supervisor encrypted").format(n=report.damaged))
        return 1
    print(_("every interview is readable"))
    return 0
