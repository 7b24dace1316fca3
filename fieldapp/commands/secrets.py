"""Passphrases for the CLI: from an environment variable (scripts) or a hidden prompt."""

from __future__ import annotations

import getpass
import os
import sys

from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_

MIN_LENGTH = 8


KEY_ENV = ("FIELDAPP_KEY_PASSPHRASE", "FIELDAPP_PASSPHRASE")  # project private key


def passphrase(prompt: str, *, env: str | tuple[str, ...] = "FIELDAPP_PASSPHRASE",
               confirm: bool = False, new: bool = False) -> str:
    """Read a passphrase from the first set variable in ``env`` or the terminal."""
    names = (env,) if isinstance(env, str) else env
    value = next((os.environ[n] for n in names if n in os.environ), None)
    if value is None:
        if not sys.stdin.isatty():
            raise FieldAppError(N_("no passphrase: set {names} or run in a terminal"),
                                code="secrets.no-passphrase-set-run", names=names[0])
        value = getpass.getpass(f"{prompt}: ")
        if confirm and getpass.getpass("Repeat it: ") != value:
            raise FieldAppError(N_("the two passphrases differ"),
                                code="secrets.two-passphrases-differ")
    if new and len(value) < MIN_LENGTH:
        raise FieldAppError(N_("the passphrase is too short: use at least {MIN_LENGTH} characters "
                               "(a few words work well)"),
                            code="secrets.passphrase-too-short-use", MIN_LENGTH=MIN_LENGTH)
    return value
