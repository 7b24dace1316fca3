"""The Home screen's Sync button, isolated here so the GUI depends on sync in one place.

Sync pushes every finalised interview the hub has not acknowledged to a folder (USB stick,
shared folder: one signed ``*.fieldsync`` bundle) or a hub database URL, then applies the
supervisor's return bundles found in that folder. The work runs in the background
(``ops.run_op``); this module only calls ``fieldapp.sync.device`` and words the result.
When this build has no device-side sync the button says so.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from fieldapp.i18n import _, ngettext

DEVICE_MODULE = "fieldapp.sync.device"
LAST_SYNC_META = "last_sync"  # = fieldapp.dashboard.LAST_SYNC_META


class SyncUnavailable(Exception):
    """This build has no device-side sync."""


def _device() -> ModuleType | None:
    try:
        module = importlib.import_module(DEVICE_MODULE)
    except ImportError:
        return None
    return module if callable(getattr(module, "push", None)) else None


def available() -> bool:
    """True when this build can push to a hub."""
    return _device() is not None


def is_url(target: str) -> bool:
    """A database URL rather than a folder."""
    return "://" in target


def needs_target(target: str) -> bool:
    """True when the enumerator must choose where to sync (none yet, or the stick is out)."""
    return not target or (not is_url(target) and not Path(target).is_dir())


def sync_now(session: Any, target: str) -> str:
    """Push, then pull return bundles (worker thread); a summary in the UI language."""
    device = _device()
    if device is None:
        raise SyncUnavailable(_("Sync is not available in this build of fieldapp."))
    parts = [_push(device, session, target)]
    pulled = _pull(session, target)
    if pulled:
        parts.append(pulled)
    session.store.set_meta(LAST_SYNC_META, dt.datetime.now(dt.UTC).isoformat())
    return _("Sync finished: {details}").format(details=_(" · ").join(parts))


def _push(device: ModuleType, session: Any, target: str) -> str:
    to_folder = getattr(device, "push_to_folder", None)
    to_hub = getattr(device, "push_to_hub", None)
    if to_folder is None or to_hub is None:  # only the one-call API: its own wording
        return str(device.push(session, target))
    if is_url(target):
        result = to_hub(session, target)
        return ngettext("{n} interview sent to the hub database",
                        "{n} interviews sent to the hub database",
                        result.count).format(n=result.count)
    result = to_folder(session, Path(target))
    if result.path is None:
        return _("nothing new to send")
    return ngettext("{n} interview written to {file}", "{n} interviews written to {file}",
                    result.count).format(n=result.count, file=result.path.name)


def _pull(session: Any, target: str) -> str:
    if is_url(target):
        return ""
    try:
        pull_returns = importlib.import_module("fieldapp.sync.device_pull").pull_returns
    except (ImportError, AttributeError):
        return ""
    applied, errors = pull_returns(session, Path(target))
    if errors:
        from fieldapp.errors import FieldAppError

        raise FieldAppError(str(errors[0]))
    approved = sum(int(a.approved) for a in applied)
    reopened = sum(len(a.reopened) for a in applied)
    if not applied:
        return ""
    return _("{approved}, {reopened}").format(
        approved=ngettext("{n} approved", "{n} approved", approved).format(n=approved),
        reopened=ngettext("{n} sent back for changes", "{n} sent back for changes",
                          reopened).format(n=reopened))


def choose_target(parent: Any) -> str:
    """Ask for the folder (USB stick or shared folder) that sync writes to."""
    from fieldapp.ui.qt import QFileDialog

    return QFileDialog.getExistingDirectory(
        parent, _("Choose the sync folder (USB stick or shared folder)"))
