"""Passphrases for the CLI: from an environment variable (scripts) or a hidden prompt.

One scheme, one variable per passphrase (README "Passphrases"):

* ``FIELDAPP_PASSPHRASE`` — the device passphrase (unlock; chosen at ``device init``);
* ``FIELDAPP_KEY_PASSPHRASE`` — the project private key's passphrase (``--key project.key``,
  ``keys create``); when it is not set, ``FIELDAPP_PASSPHRASE`` is used for it too;
* ``FIELDAPP_NEW_PASSPHRASE`` — the new device passphrase of ``device passwd|recover``.

A wrong passphrase is reported naming which one was wrong and where it came from.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fieldapp.crypto.errors import WrongPassphrase
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_, _

MIN_LENGTH = 8

DEVICE_ENV = "FIELDAPP_PASSPHRASE"  # the device passphrase
KEY_ENV = ("FIELDAPP_KEY_PASSPHRASE", "FIELDAPP_PASSPHRASE")  # project private key
NEW_ENV = "FIELDAPP_NEW_PASSPHRASE"  # a device's new passphrase (passwd, recover)

#: ``what`` values for :func:`naming`
DEVICE = N_("the device passphrase")
PROJECT_KEY = N_("the project key passphrase")


def passphrase(prompt: str, *, env: str | tuple[str, ...] = DEVICE_ENV,
               confirm: bool = False, new: bool = False, what: str = DEVICE) -> str:
    """Read a passphrase from the first set variable in ``env`` or the terminal."""
    names = (env,) if isinstance(env, str) else env
    value = next((os.environ[n] for n in names if n in os.environ), None)
    if value is None:
        if not sys.stdin.isatty():
            raise FieldAppError(N_("no passphrase: set {env} ({what}) or run in a terminal"),
                                code="passphrase.missing", env=names[0], what=_lazy(what))
        value = getpass.getpass(f"{prompt}: ")
        if confirm and getpass.getpass("Repeat it: ") != value:
            raise FieldAppError(N_("the two passphrases differ"), code="passphrase.differ")
    if new and len(value) < MIN_LENGTH:
        raise FieldAppError(N_("the passphrase is too short: use at least {n} characters "
                               "(a few words work well)"), code="passphrase.short",
                            n=MIN_LENGTH)
    return value


def source_of(env: str | tuple[str, ...]) -> str:
    """Where a passphrase was read from: the variable that is set, else the prompt."""
    names = (env,) if isinstance(env, str) else env
    return next((n for n in names if n in os.environ), "prompt")


@contextmanager
def naming(what: str, env: str | tuple[str, ...] = DEVICE_ENV,
           path: Path | str | None = None) -> Iterator[None]:
    """Turn a bare "wrong passphrase" into one line saying which passphrase was wrong."""
    try:
        yield
    except WrongPassphrase:
        if path is None:
            raise FieldAppError(N_("wrong passphrase: {what} (from {source}) does not "
                                   "unlock this device"), code="passphrase.wrong",
                                what=_lazy(what), source=source_of(env)) from None
        raise FieldAppError(N_("wrong passphrase: {what} (from {source}) does not unlock "
                               "{path}"), code="passphrase.wrong", what=_lazy(what),
                            source=source_of(env), path=path) from None


class _lazy:
    """A marked phrase translated when the message is rendered."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return _(self.text)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)
