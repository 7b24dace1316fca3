"""Whole-bundle verification before anything is applied.

Checks, in order: the zip is readable; ``manifest.json`` parses strictly; the signature
verifies with the device key the manifest names; the member set is exactly the manifest's
(no extra, missing or duplicate file, sizes as declared); every member's sha256 matches;
every record looks like a sealed blob. Any failure raises :class:`BundleRejected` naming the
bundle, the member and the reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from fieldapp.crypto import BadSignature, CryptoError, canonical
from fieldapp.crypto.seal import ENC_LEN, SEAL_VERSION, TAG_LEN
from fieldapp.crypto.signing import SIGNATURE_LEN, public_key_from_bytes, verify
from fieldapp.sync.errors import BundleRejected
from fieldapp.sync.manifest import (
    MANIFEST,
    MAX_FORM,
    MAX_MANIFEST,
    MAX_RECORD,
    SIGNATURE,
    DeviceManifest,
    ManifestError,
    parse_device_manifest,
)


class Source(Protocol):
    """Where bundle members come from: a zip file, or a hub database (central pull)."""

    name: str

    def names(self) -> list[str]: ...

    def size(self, name: str) -> int | None: ...

    def read(self, name: str, limit: int) -> bytes: ...


@dataclass(frozen=True)
class VerifiedBundle:
    """A device bundle that passed every check (members are re-hashed when applied)."""

    source: str
    manifest: DeviceManifest
    manifest_bytes: bytes
    signature: bytes
    manifest_sha256: str


def signed_message(manifest_bytes: bytes) -> bytes:
    """What the device key signs: the exact manifest bytes, domain-separated."""
    return canonical(manifest_bytes, domain="sync-bundle-manifest")


def check_members(source: Source, expected: dict[str, int], auth: str) -> None:
    """The zip holds exactly the manifest, its authenticator and ``expected`` (name → size)."""
    names = source.names()
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise BundleRejected(source.name, f"{name} appears twice in the bundle")
        seen.add(name)
        if name not in expected and name not in (MANIFEST, auth):
            raise BundleRejected(source.name, f"unexpected file {name} (not in the manifest)")
    for name, size in expected.items():
        if name not in seen:
            raise BundleRejected(source.name, f"{name} is missing (listed in the manifest)")
        if source.size(name) != size:
            raise BundleRejected(source.name, f"{name}: size differs from the manifest")


def read_checked(source: Source, name: str, sha256: str, size: int, limit: int) -> bytes:
    """Read a member and check it against its manifest sha256 and size."""
    data = source.read(name, limit)
    if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
        raise BundleRejected(source.name, f"{name}: content does not match the manifest "
                                          "(sha256)")
    return data


def check_sealed(source: Source, name: str, blob: bytes) -> None:
    """A sealed record starts with the seal version byte and is long enough to hold a tag."""
    if blob[:1] != bytes([SEAL_VERSION]) or len(blob) < 1 + ENC_LEN + TAG_LEN:
        raise BundleRejected(source.name, f"{name}: not a sealed interview record")


def read_manifest(source: Source, auth: str, auth_max: int) -> tuple[bytes, bytes]:
    """The raw manifest bytes and its authenticator (signature or MAC)."""
    present = set(source.names())
    for name in (MANIFEST, auth):
        if name not in present:
            raise BundleRejected(source.name, f"{name} is missing (not a complete bundle)")
    return source.read(MANIFEST, MAX_MANIFEST), source.read(auth, auth_max)


def verify_device_bundle(source: Source) -> VerifiedBundle:
    """Verify a device bundle completely; raise BundleRejected on the first problem."""
    manifest_bytes, signature = read_manifest(source, SIGNATURE, SIGNATURE_LEN)
    try:
        manifest = parse_device_manifest(manifest_bytes)
    except ManifestError as exc:
        raise BundleRejected(source.name, f"manifest.json: {exc}") from None
    try:
        key = public_key_from_bytes(manifest.device.signing_public_key)
        verify(key, signature, signed_message(manifest_bytes))
    except (BadSignature, CryptoError):
        raise BundleRejected(source.name, "manifest.sig: bad signature (the manifest was "
                                          "altered or not signed by the device key it "
                                          "names)") from None
    expected = {e.path: e.size for e in manifest.entries}
    expected.update({f.path: f.size for f in manifest.forms})
    check_members(source, expected, SIGNATURE)
    for entry in manifest.entries:
        blob = read_checked(source, entry.path, entry.sha256, entry.size, MAX_RECORD)
        check_sealed(source, entry.path, blob)
    for form in manifest.forms:
        read_checked(source, form.path, form.sha256, form.size, MAX_FORM)
    digest = hashlib.sha256(manifest_bytes).hexdigest()
    return VerifiedBundle(source.name, manifest, manifest_bytes, signature, digest)
