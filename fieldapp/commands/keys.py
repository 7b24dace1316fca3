"""``fieldapp keys create``: the project key pair (supervisor side)."""

from __future__ import annotations

import argparse
from pathlib import Path

from fieldapp.commands.secrets import KEY_ENV, passphrase
from fieldapp.crypto import (
    fingerprint,
    generate_project_keypair,
    write_project_private_key,
    write_project_public_key,
)
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_, _


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``keys`` command group."""
    keys = subparsers.add_parser("keys", help="project key pair (supervisors)")
    sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="write project.pub and project.key to a folder")
    create.add_argument("--out", required=True, type=Path, metavar="DIR")
    create.set_defaults(func=cmd_create)


def cmd_create(args: argparse.Namespace) -> int:
    """Create the project key pair; the private key is protected by a passphrase."""
    out: Path = args.out
    pub, key = out / "project.pub", out / "project.key"
    for path in (pub, key):
        if path.exists():
            raise FieldAppError(N_("{file} already exists: refusing to overwrite a project key"),
                                code="keys.already-exists-refusing-overwrite", file=path)
    secret = passphrase("Passphrase for the project private key", confirm=True, new=True,
                        env=KEY_ENV)
    out.mkdir(parents=True, exist_ok=True)
    private, public = generate_project_keypair()
    write_project_private_key(key, private, secret)
    write_project_public_key(pub, public)
    print(_("project key {fingerprint}").format(fingerprint=fingerprint(public)))
    print(_("  public  {path}  (give to every device / installer)").format(path=pub))
    print(_("  private {path}  (supervisors only; keep it and its passphrase safe)").format(
        path=key))
    return 0
