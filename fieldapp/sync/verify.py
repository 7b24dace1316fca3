"""Whole-bundle verification before anything is applied.

Checks, in order: the zip is readable; ``manifest.json`` parses strictly; the signature
verifies with the device key the manifest names; the member set is exactly the manifest's
(no extra, missing or duplicate file, sizes as declared); ``entries.jsonl`` and
``records/sealed.bin`` are streamed in step (:func:`iter_records`, one entry held at a time): every
line parses strictly, entries are strictly sorted (no duplicate), offsets are contiguous,
every record's sha256 matches its entry and looks like a sealed blob, and both members hash
to what the signed manifest says; every form's sha256 matches. Any failure raises
:class:`BundleRejected` naming the bundle, the member and the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from fieldapp.crypto import BadSignature, CryptoError, canonical
from fieldapp.crypto.seal import ENC_LEN, SEAL_VERSION, TAG_LEN
from fieldapp.crypto.signing import SIGNATURE_LEN, public_key_from_bytes, verify
from fieldapp.errors import FormError
from fieldapp.i18n import N_
from fieldapp.questionnaire import load_questionnaire_bytes
from fieldapp.sync.errors import BundleRejected
from fieldapp.sync.manifest import (
    ENTRIES,
    MANIFEST,
    MAX_ENTRY_LINE,
    MAX_FORM,
    MAX_MANIFEST,
    RECORDS,
    SIGNATURE,
    DeviceManifest,
    Entry,
    ManifestError,
    parse_device_manifest,
    parse_entry_line,
)


class Stream(Protocol):
    """A member opened for streaming (read errors are BundleRejected)."""

    def read(self, size: int) -> bytes: ...

    def readline(self, limit: int) -> bytes: ...

    def __enter__(self) -> Stream: ...

    def __exit__(self, *exc: object) -> None: ...


class Source(Protocol):
    """Where bundle members come from: a zip file, or a hub database (central pull)."""

    name: str

    def names(self) -> list[str]: ...

    def size(self, name: str) -> int | None: ...

    def read(self, name: str, limit: int) -> bytes: ...

    def stream(self, name: str) -> Stream: ...


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
            raise BundleRejected(source.name, N_("{name} appears twice in the bundle"),
                                 code="verify.appears-twice-bundle", name=name)
        seen.add(name)
        if name not in expected and name not in (MANIFEST, auth):
            raise BundleRejected(source.name, N_("unexpected file {name} (not in the manifest)"),
                                 code="verify.unexpected-file-not-manifest",
                                 name=name)
    for name, size in expected.items():
        if name not in seen:
            raise BundleRejected(source.name, N_("{name} is missing (listed in the manifest)"),
                                 code="verify.missing-listed-manifest", name=name)
        if source.size(name) != size:
            raise BundleRejected(source.name, N_("{name}: size differs from the manifest"),
                                 code="verify.size-differs-manifest", name=name)


def read_checked(source: Source, name: str, sha256: str, size: int, limit: int) -> bytes:
    """Read a member and check it against its manifest sha256 and size."""
    data = source.read(name, limit)
    if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
        raise BundleRejected(source.name, N_("{name}: content does not match the manifest "
                                             "(sha256)"),
                             code="verify.content-does-not-match", name=name)
    return data


def check_sealed(source: Source, name: str, blob: bytes) -> None:
    """A sealed record starts with the seal version byte and is long enough to hold a tag."""
    if blob[:1] != bytes([SEAL_VERSION]) or len(blob) < 1 + ENC_LEN + TAG_LEN:
        raise BundleRejected(source.name, N_("{name}: not a sealed interview record"),
                             code="verify.not-sealed-interview-record", name=name)


def iter_records(source: Source, manifest: DeviceManifest, *, verified: bool = False
                 ) -> Iterator[tuple[Entry, bytes]]:
    """Stream ``entries.jsonl`` and ``records/sealed.bin`` in step: each checked (entry, blob).

    Holds one entry and one record at a time. The whole-member checks (count, sizes, sha256
    of both members against the signed manifest) come after the last record, so a consumer
    must not commit anything before the generator is exhausted. ``verified``: a second pass
    over a bundle this function already checked whole; the per-record sha256 is then left
    to the whole-member hashes (equal to the signed ones only if both members are the very
    bytes whose records were each checked), every other check still runs.
    """
    known = {(f.form_id, f.version) for f in manifest.forms}
    entries_hash, records_hash = hashlib.sha256(), hashlib.sha256()
    count = entries_size = offset = 0
    previous: tuple[str, int] | None = None
    with source.stream(ENTRIES) as entries, source.stream(RECORDS) as records:
        while line := entries.readline(MAX_ENTRY_LINE + 1):
            entries_hash.update(line)
            entries_size += len(line)
            if count >= manifest.count:
                raise BundleRejected(source.name, N_("{ENTRIES}: more entries than the manifest's "
                                                     "count"),
                                     code="verify.more-entries-than-manifest",
                                     ENTRIES=ENTRIES)
            try:
                entry = parse_entry_line(line, count, known)
            except ManifestError as exc:
                raise BundleRejected(source.name, N_("{ENTRIES}: {exc}"),
                                     code="verify.error", ENTRIES=ENTRIES,
                                     exc=exc) from None
            key = (entry.interview_id, entry.revision)
            if previous is not None and key <= previous:
                raise BundleRejected(source.name, N_("{ENTRIES}: entries[{count}] is listed twice "
                                                     "or out of order (entries are sorted by "
                                                     "interview id and revision)"),
                                     code="verify.entries-listed-twice-out",
                                     ENTRIES=ENTRIES, count=count)
            if entry.offset != offset:
                raise BundleRejected(source.name, N_("{ENTRIES}: entries[{count}].offset does not "
                                                     "follow the previous record"),
                                     code="verify.entries-offset-does-not",
                                     ENTRIES=ENTRIES, count=count)
            blob = records.read(entry.size)
            records_hash.update(blob)
            offset += len(blob)
            where = (f"{RECORDS} (entries[{count}], interview {entry.interview_id} revision "
                     f"{entry.revision})")
            if len(blob) != entry.size or (not verified
                                           and hashlib.sha256(blob).hexdigest() != entry.sha256):
                raise BundleRejected(source.name, N_("{where}: content does not match the "
                                                     "manifest (sha256)"),
                                     code="verify.content-does-not-match-4",
                                     where=where)
            check_sealed(source, where, blob)
            previous, count = key, count + 1
            yield entry, blob
        if records.read(1):
            raise BundleRejected(source.name, N_("{RECORDS}: more data than its entries describe"),
                                 code="verify.more-data-than-entries",
                                 RECORDS=RECORDS)
    if count != manifest.count:
        raise BundleRejected(source.name, N_("{ENTRIES}: {count} entries, the manifest says "
                                             "{count2}"),
                             code="verify.entries-manifest-says",
                             ENTRIES=ENTRIES, count=count,
                             count2=manifest.count)
    if entries_size != manifest.entries_size or (entries_hash.hexdigest()
                                                 != manifest.entries_sha256):
        raise BundleRejected(source.name, N_("{ENTRIES}: content does not match the manifest "
                                             "(sha256)"),
                             code="verify.content-does-not-match-2",
                             ENTRIES=ENTRIES)
    if offset != manifest.records_size or records_hash.hexdigest() != manifest.records_sha256:
        raise BundleRejected(source.name, N_("{RECORDS}: content does not match the manifest "
                                             "(sha256)"),
                             code="verify.content-does-not-match-3",
                             RECORDS=RECORDS)


def read_manifest(source: Source, auth: str, auth_max: int) -> tuple[bytes, bytes]:
    """The raw manifest bytes and its authenticator (signature or MAC)."""
    present = set(source.names())
    for name in (MANIFEST, auth):
        if name not in present:
            raise BundleRejected(source.name, N_("{name} is missing (not a complete bundle)"),
                                 code="verify.missing-not-complete-bundle", name=name)
    return source.read(MANIFEST, MAX_MANIFEST), source.read(auth, auth_max)


def verify_device_bundle(source: Source, held_form: Callable[[str, str], str | None] | None = None
                         ) -> VerifiedBundle:
    """Verify a device bundle completely; raise BundleRejected on the first problem.

    ``held_form(form_id, version)`` gives the sha256 of a questionnaire the hub already
    holds: a carried form with exactly those bytes was loaded and checked when the hub first
    received it, so it is not parsed again (a city's second bundle of the day skips the
    ~0.3 s workbook read; any other bytes are loaded and checked as before)."""
    manifest_bytes, signature = read_manifest(source, SIGNATURE, SIGNATURE_LEN)
    try:
        manifest = parse_device_manifest(manifest_bytes)
    except ManifestError as exc:
        raise BundleRejected(source.name, N_("manifest.json: {exc}"),
                             code="verify.manifest-json", exc=exc) from None
    try:
        key = public_key_from_bytes(manifest.device.signing_public_key)
        verify(key, signature, signed_message(manifest_bytes))
    except (BadSignature, CryptoError):
        raise BundleRejected(source.name, N_("manifest.sig: bad signature (the manifest was "
                                             "altered or not signed by the device key it names)"),
                             code="verify.manifest-sig-bad-signature") from None
    expected = {ENTRIES: manifest.entries_size, RECORDS: manifest.records_size}
    expected.update({f.path: f.size for f in manifest.forms})
    check_members(source, expected, SIGNATURE)
    for _ in iter_records(source, manifest):
        pass
    for form in manifest.forms:
        content = read_checked(source, form.path, form.sha256, form.size, MAX_FORM)
        if held_form is not None and held_form(form.form_id, form.version) == form.sha256:
            continue  # the same bytes (sha256 checked just now) as a copy already checked
        check_form_content(source.name, form.form_id, form.version, content)
    digest = hashlib.sha256(manifest_bytes).hexdigest()
    return VerifiedBundle(source.name, manifest, manifest_bytes, signature, digest)


def check_form_content(source: str, form_id: str, version: str, content: bytes) -> None:
    """A questionnaire carried in a bundle must load (bounded, like any workbook) and be
    the version it claims, before anything of the bundle is applied."""
    try:
        form = load_questionnaire_bytes(content, f"{form_id}.xlsx")
    except FormError as exc:
        first = exc.issues[0] if exc.issues else "unreadable"
        raise BundleRejected(source, N_("questionnaire {form_id} version {version} in the bundle "
                                        "is not a valid questionnaire: {first}"),
                             code="verify.questionnaire-version-bundle-not",
                             form_id=form_id, version=version,
                             first=first) from None
    if (form.form_id, form.version) != (form_id, version):
        raise BundleRejected(source, N_("questionnaire {form_id} version {version} in the bundle "
                                        "is really {form_id2} version {version2}"),
                             code="verify.questionnaire-version-bundle-really",
                             form_id=form_id, version=version, form_id2=form.form_id,
                             version2=form.version)
