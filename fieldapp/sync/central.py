"""Pull from a central hub database into a local hub, with the same verification.

Every hub keeps each imported bundle's exact manifest, signature and entries.jsonl
(``hub_receipts``), and the sealed records by (interview, revision, sha256). A bundle can
therefore be replayed from the central database into another hub and verified exactly like
the original file: device signature, every hash, trust and conflict rules. Review decisions
and conflict resolutions are not copied: they belong to the hub where the supervisor made
them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from fieldapp.i18n import N_
from fieldapp.storage.hub_store import HubStore
from fieldapp.sync.errors import BundleRejected
from fieldapp.sync.hub_import import import_source
from fieldapp.sync.manifest import (
    ENTRIES,
    MANIFEST,
    RECORDS,
    SIGNATURE,
    ManifestError,
    parse_device_manifest,
)
from fieldapp.sync.results import ImportResult


class _Stream:
    """A member produced piece by piece (``records/sealed.bin`` from the hub's tables)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._buffer = chunks, b""

    def _fill(self, size: int) -> None:
        while len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                return
            self._buffer += chunk

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes (fewer only at the end)."""
        self._fill(size)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def readline(self, limit: int) -> bytes:
        """One line of at most ``limit`` bytes."""
        self._fill(limit)
        end = self._buffer.find(b"\n", 0, limit)
        return self.read(limit if end < 0 else end + 1)

    def __enter__(self) -> _Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self._buffer = b""


class HubSource:
    """A bundle rebuilt from a hub's receipt: members are read from its tables on demand.

    The hub keeps the exact manifest, signature and entries.jsonl of every receipt; both
    entries.jsonl and ``records/sealed.bin`` (record by record) are streamed from its tables.
    """

    def __init__(self, hub: HubStore, bundle_id: str, manifest: bytes, signature: bytes) -> None:
        self.name = f"{hub.label} bundle {bundle_id}"
        self._hub, self._manifest, self._signature = hub, manifest, signature
        self._bundle_id = bundle_id
        try:
            parsed = parse_device_manifest(manifest)
        except ManifestError as exc:
            raise BundleRejected(self.name, N_("manifest.json: {exc}"),
                                 code="central.manifest-json", exc=exc) from None
        self._forms = {f.path: f for f in parsed.forms}
        self._sizes = {MANIFEST: len(manifest), SIGNATURE: len(signature),
                       ENTRIES: parsed.entries_size, RECORDS: parsed.records_size}
        self._sizes.update({p: f.size for p, f in self._forms.items()})

    def names(self) -> list[str]:
        """The members the receipt describes."""
        return list(self._sizes)

    def size(self, name: str) -> int | None:
        """Declared size (the content is checked against the manifest hash when read)."""
        return self._sizes.get(name)

    def read(self, name: str, limit: int) -> bytes:
        """A small member's bytes from the hub's tables (empty if the hub lost them)."""
        if name == MANIFEST:
            return self._manifest
        if name == SIGNATURE:
            return self._signature
        f = self._forms[name]
        return self._hub.form_content(f.form_id, f.version) or b""

    def stream(self, name: str) -> _Stream:
        """entries.jsonl as kept, or records/sealed.bin rebuilt in entry order."""
        if name == ENTRIES:
            return _Stream(self._hub.receipt_entries(self._bundle_id))
        return _Stream(self._blobs())

    def _blobs(self) -> Iterator[bytes]:
        for chunk in self._hub.receipt_entries(self._bundle_id):
            for line in chunk.splitlines():
                try:
                    e = json.loads(line)
                    yield self._hub.record_blob(e["interview_id"], e["revision"],
                                                e["sha256"]) or b""
                except (ValueError, TypeError, KeyError):
                    return  # verification of entries.jsonl reports it


def pull_from_hub(local: HubStore, central: HubStore, *, trust: bool = False
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
