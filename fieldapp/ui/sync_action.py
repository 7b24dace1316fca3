"""The Home screen's Sync button: push, then apply return bundles, through the device façade.

Sync sends every finalised interview the hub has not acknowledged to a folder (USB stick,
shared folder: one signed ``*.fieldsync`` bundle) or a hub database URL, then applies the
supervisor's return bundles found in that folder, or this device's return rows in that
database (once it has its own database role). The work runs in the background
(``ops.run_op``); this module calls ``FieldSession.push`` / ``pull`` and words the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fieldapp.errors import FieldAppError
from fieldapp.i18n import _, ngettext
from fieldapp.paths import is_url


def needs_target(target: str) -> bool:
    """True when the enumerator must choose where to sync (none yet, or the stick is out)."""
    return not target or (not is_url(target) and not Path(target).is_dir())


def sync_now(session: Any, target: str) -> str:
    """Push, then pull return bundles (worker thread); a summary in the UI language."""
    parts = [_push(session, target)]
    if not is_url(target) or session.hub_credential() is not None:
        applied, errors = session.pull(target)
        if errors:
            raise FieldAppError(str(errors[0]))
        if applied:
            approved = sum(int(a.approved) for a in applied)
            reopened = sum(len(a.reopened) for a in applied)
            parts.append(_("{approved}, {reopened}").format(
                approved=ngettext("{n} approved", "{n} approved", approved).format(n=approved),
                reopened=ngettext("{n} sent back for changes", "{n} sent back for changes",
                                  reopened).format(n=reopened)))
    return _("Sync finished: {details}").format(details=_(" · ").join(parts))


def _push(session: Any, target: str) -> str:
    result = session.push(target)
    if is_url(target):
        return ngettext("{n} interview sent to the hub database",
                        "{n} interviews sent to the hub database",
                        result.count).format(n=result.count)
    if result.path is None:
        return _("nothing new to send")
    return ngettext("{n} interview written to {file}", "{n} interviews written to {file}",
                    result.count).format(n=result.count, file=result.path.name)


def choose_target(parent: Any) -> str:
    """Ask for the folder (USB stick or shared folder) that sync writes to."""
    from fieldapp.ui.qt import QFileDialog

    return QFileDialog.getExistingDirectory(
        parent, _("Choose the sync folder (USB stick or shared folder)"))
