"""Look at the bundles in a folder before importing them: who sent each, how many interviews,
and what importing would do (new, already here, untrusted device, rejected and why).

Read-only: each bundle is verified completely (signature, hashes, questionnaires) and checked
against the hub, but nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fieldapp.i18n import _
from fieldapp.storage.hub_store import HubStore
from fieldapp.sync.bundle import ZipSource, bundle_files
from fieldapp.sync.errors import BundleRejected, UntrustedDevice
from fieldapp.sync.hub_import import _is_return_bundle, _precheck
from fieldapp.sync.verify import verify_device_bundle

NEW, ALREADY, UNTRUSTED, REJECTED, RETURN = "new", "already", "untrusted", "rejected", "return"


@dataclass(frozen=True)
class BundlePreview:
    """One bundle file and what importing it would do."""

    path: Path
    verdict: str  # NEW, ALREADY, UNTRUSTED, REJECTED or RETURN (meant for a device)
    device_id: str = ""
    enumerator: str = ""
    city: str = ""
    interviews: int = 0
    fingerprint: str = ""  # the device key fingerprint, to compare with the laptop's
    reason: str = ""


def bundle_paths(where: Path) -> list[Path]:
    """The bundle files in a folder (or the one file given)."""
    return bundle_files(Path(where))


def preview_bundle(hub: HubStore, path: Path) -> BundlePreview:
    """Verify one bundle and check it against the hub without writing anything."""
    who: dict[str, object] = {}
    try:
        with ZipSource.open(path) as source:
            if _is_return_bundle(source):
                return BundlePreview(path, RETURN)
            verified = verify_device_bundle(source)
            m = verified.manifest
            reg = m.device
            who = dict(device_id=reg.device_id, enumerator=reg.enumerator, city=reg.city,
                       interviews=m.count, fingerprint=reg.fingerprint)
            held = hub.receipt_sha256(m.bundle_id)
            if held is not None:
                if held == verified.manifest_sha256:
                    return BundlePreview(path, ALREADY, **who)  # type: ignore[arg-type]
                return BundlePreview(path, REJECTED, reason=_(
                    "already imported with a different manifest (replayed or forged)"),
                                     **who)  # type: ignore[arg-type]
            try:
                _precheck(hub, verified, trust=False)
            except UntrustedDevice:
                _precheck(hub, verified, trust=True)  # anything wrong besides trust?
                return BundlePreview(path, UNTRUSTED, **who)  # type: ignore[arg-type]
            return BundlePreview(path, NEW, **who)  # type: ignore[arg-type]
    except BundleRejected as exc:
        return BundlePreview(path, REJECTED, reason=exc.reason, **who)  # type: ignore[arg-type]
