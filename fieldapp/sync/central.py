"""Pull from a central hub database into a local hub, with the same verification.

Every hub keeps each imported bundle's exact manifest and signature (``hub_receipts``), and
the sealed records by (interview, revision, sha256). A bundle can therefore be replayed from
the central database into another hub and verified exactly like the original file: device
signature, every hash, trust and conflict rules. Review decisions and conflict resolutions
are not copied: they belong to the hub where the supervisor made them.
"""

from __future__ import annotations

from fieldapp.sync.errors import BundleRejected
from fieldapp.sync.hub import Hub
from fieldapp.sync.hub_import import import_source
from fieldapp.sync.manifest import MANIFEST, SIGNATURE, ManifestError, parse_device_manifest
from fieldapp.sync.records import ImportResult


class HubSource:
    """A bundle rebuilt from a hub's receipt: members are read from its tables on demand."""

    def __init__(self, hub: Hub, bundle_id: str, manifest: bytes, signature: bytes) -> None:
        self.name = f"{hub.label} bundle {bundle_id}"
        self._hub, self._manifest, self._signature = hub, manifest, signature
        try:
            parsed = parse_device_manifest(manifest)
        except ManifestError as exc:
            raise BundleRejected(self.name, f"manifest.json: {exc}") from None
        self._records = {e.path: e for e in parsed.entries}
        self._forms = {f.path: f for f in parsed.forms}
        self._sizes = {MANIFEST: len(manifest), SIGNATURE: len(signature)}
        self._sizes.update({p: e.size for p, e in self._records.items()})
        self._sizes.update({p: f.size for p, f in self._forms.items()})

    def names(self) -> list[str]:
        """The members the receipt describes."""
        return list(self._sizes)

    def size(self, name: str) -> int | None:
        """Declared size (the content is checked against the manifest hash when read)."""
        return self._sizes.get(name)

    def read(self, name: str, limit: int) -> bytes:
        """A member's bytes from the hub's tables (empty if the hub lost them)."""
        if name == MANIFEST:
            return self._manifest
        if name == SIGNATURE:
            return self._signature
        if name in self._records:
            e = self._records[name]
            return self._hub.record_blob(e.interview_id, e.revision, e.sha256) or b""
        f = self._forms[name]
        return self._hub.form_content(f.form_id, f.version) or b""


def pull_from_hub(local: Hub, central: Hub, *, trust: bool = False
                  ) -> tuple[list[ImportResult], list[str], int]:
    """Import every bundle ``central`` holds that ``local`` lacks: (results, errors, skipped)."""
    results, errors, skipped = [], [], 0
    for bundle_id, manifest, signature in central.receipts():
        if local.receipt_sha256(bundle_id) is not None:
            skipped += 1
            continue
        try:
            results.append(import_source(local, HubSource(central, bundle_id, manifest,
                                                          signature), trust=trust))
        except BundleRejected as exc:
            errors.append(str(exc))
    return results, errors, skipped
