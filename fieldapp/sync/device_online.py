"""Device → central hub, online: signed bundles into the hub's intake as the device's role.

The role can do nothing else (:mod:`fieldapp.storage.hub_access`): verification and apply
happen on the supervisor's side (:mod:`fieldapp.sync.intake`), and acknowledgements come
back in return rows (:func:`fieldapp.sync.device_pull.pull_return_rows`).
"""

from __future__ import annotations

import io
from collections.abc import Callable

from fieldapp.device_parts import DeviceParts
from fieldapp.storage.hub_intake import submit_bundle

# the same records and questionnaires a folder push sends (package-internal helpers)
from fieldapp.sync.device import PushResult, _forms, _records, registration, write_device_bundle


def push_to_intake(session: DeviceParts, url: str, *, batch: int = 200,
                   progress: Callable[[str, int], None] | None = None) -> PushResult:
    """Insert unacknowledged sealed revisions into the central hub's intake as this device's
    own database role, one signed bundle per ``batch``.

    The role can do nothing else: verification and apply happen on the supervisor's side,
    and the acknowledgement comes back in a return row (``sync pull --from URL``). Each
    insert commits on its own; a killed push is run again (re-sent revisions are
    deduplicated by the hub).
    """
    index = session.store.sealed_index(only_unacked=True)
    ids = []
    for start in range(0, len(index), max(1, batch)):
        chunk = index[start:start + max(1, batch)]
        buffer = io.BytesIO()
        manifest = write_device_bundle(buffer, device=registration(session),
                                       signing_key=session.keys.signing_key,
                                       records=_records(session, chunk),
                                       forms=_forms(session, chunk))
        submit_bundle(url, buffer.getvalue())
        session.store.mark_sent(bundle_id=manifest.bundle_id,
                                entries=[(e.interview_id, e.revision) for e in chunk])
        ids.append(manifest.bundle_id)
        if progress is not None:
            progress(manifest.bundle_id, len(chunk))
    return PushResult(None, tuple(ids), len(index))
