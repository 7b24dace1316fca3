"""What the device-side domain code needs of an unlocked device, and nothing more.

:class:`~fieldapp.session.FieldSession` (the device façade) satisfies this protocol; the
recorder (:mod:`fieldapp.recording`) and device sync (:mod:`fieldapp.sync.device`,
:mod:`fieldapp.sync.device_pull`) take it instead of the façade, so they never import it.
"""

from __future__ import annotations

from typing import Any, Protocol

from fieldapp.crypto import DeviceKeyring, UnlockedKeys
from fieldapp.storage.store import Store


class DeviceParts(Protocol):
    """An unlocked device: its store, keys, keyring and the project public key."""

    store: Store
    keys: UnlockedKeys
    keyring: DeviceKeyring
    project_public_key: Any
