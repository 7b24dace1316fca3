"""Bundle manifests: the signed table of contents of a ``*.fieldsync`` file.

``manifest.json`` is compact UTF-8 JSON with sorted keys. Format version 2: a device bundle
keeps its sealed records concatenated in ONE member (``records/sealed.bin``) and their per-record
entries in ``entries.jsonl`` (one compact JSON object per line, strictly sorted by
(interview id, revision), offsets contiguous); the signed manifest stays small and carries the
entry count and the sha256 and size of both members, so a reader streams them in step and
never holds more than one entry. Forms (``forms/<sha256>.xlsx``) and the decisions of return
bundles (``decisions/<interview>.<revision>.enc``, bounded per device) are still one member
each, at a path derived from their identity. Parsing is strict: any missing, extra-typed or
inconsistent field is a :class:`ManifestError`.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from typing import Any

from fieldapp.crypto.encoding import b64e, fingerprint_of
from fieldapp.i18n import N_
from fieldapp.sync.jsonfields import Fields, ManifestError, is_utc
from fieldapp.vocabulary import Decision, Status

FORMAT = "fieldapp-sync-bundle"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
ENTRIES = "entries.jsonl"  # device bundles: one entry per line, sorted
RECORDS = "records/sealed.bin"  # device bundles: the sealed records, concatenated, in entry order
SIGNATURE = "manifest.sig"  # device bundles: Ed25519 by the device key
MAC = "manifest.mac"  # return bundles: AES-GCM tag under the device's data key
CREDENTIAL = "credential.enc"  # return bundles: the hub database credential, under the DEK
KIND_DEVICE, KIND_RETURN = "device", "return"
DECISIONS = tuple(Decision)

MAX_MANIFEST = 64 * 1024 * 1024
MAX_RECORD = 16 * 1024 * 1024
MAX_FORM = 32 * 1024 * 1024
MAX_ENTRY_LINE = 4096

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Entry:
    """One sealed interview revision in a device bundle."""

    interview_id: str
    revision: int
    form_id: str
    form_version: str
    sha256: str
    size: int
    offset: int  # where the record starts in records/sealed.bin
    sealed_utc: str
    day: str
    #: "finalised", or "discarded" for a draft the enumerator discarded (written only then,
    #: so bundles of finalised interviews are as before)
    status: str = Status.FINALISED


@dataclass(frozen=True, slots=True)
class FormEntry:
    """A questionnaire version (.xlsx bytes) carried in a bundle."""

    form_id: str
    version: str
    title: str
    sha256: str
    size: int
    path: str


@dataclass(frozen=True, slots=True)
class Registration:
    """What the hub needs to know about a device: identity, keys and its sealed data key."""

    device_id: str
    enumerator: str
    city: str
    key_id: str
    signing_public_key: bytes
    fingerprint: str
    dek_sealed_project: bytes
    project_public_key: bytes

    @property
    def project_fingerprint(self) -> str:
        """Fingerprint of the project key this device seals to."""
        return fingerprint_of(self.project_public_key)


@dataclass(frozen=True)
class DeviceManifest:
    """Manifest of a device → hub bundle."""

    bundle_id: str
    created_utc: str
    device: Registration
    count: int  # lines of entries.jsonl = records in records/sealed.bin
    entries_sha256: str
    entries_size: int
    records_sha256: str
    records_size: int
    forms: tuple[FormEntry, ...]


@dataclass(frozen=True, slots=True)
class DecisionEntry:
    """A supervisor decision (its encrypted content is the member at ``path``)."""

    interview_id: str
    revision: int
    decision: str
    sha256: str
    size: int
    path: str


@dataclass(frozen=True)
class ReturnManifest:
    """Manifest of a hub → device return bundle."""

    bundle_id: str
    created_utc: str
    device_id: str
    project_fingerprint: str
    decisions: tuple[DecisionEntry, ...]
    acks: tuple[tuple[str, int, str], ...]  # (interview_id, revision, sha256)
    forms: tuple[FormEntry, ...]
    credential: tuple[str, int] | None = None  # (sha256, size) of CREDENTIAL, if carried


def decision_path(interview_id: str, revision: int) -> str:
    """Member name of an encrypted decision."""
    return f"decisions/{interview_id}.{revision}.enc"


def form_path(sha256: str) -> str:
    """Member name of a questionnaire workbook (content-addressed)."""
    return f"forms/{sha256}.xlsx"


def dumps(obj: dict[str, Any]) -> bytes:
    """The exact manifest bytes that get signed."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def device_manifest_bytes(m: DeviceManifest) -> bytes:
    """Serialise a device manifest."""
    d = m.device
    return dumps({
        "format": FORMAT, "format_version": FORMAT_VERSION, "kind": KIND_DEVICE,
        "bundle_id": m.bundle_id, "created_utc": m.created_utc, "device_id": d.device_id,
        "enumerator": d.enumerator, "city": d.city,
        "device_key": {"algorithm": "Ed25519", "public_key": b64e(d.signing_public_key),
                       "fingerprint": d.fingerprint},
        "registration": {"device_id": d.device_id, "key_id": d.key_id,
                         "dek_sealed_project": b64e(d.dek_sealed_project),
                         "project_public_key": b64e(d.project_public_key),
                         "project_fingerprint": d.project_fingerprint},
        "count": m.count,
        "entries": {"path": ENTRIES, "sha256": m.entries_sha256, "size": m.entries_size},
        "records": {"path": RECORDS, "sha256": m.records_sha256, "size": m.records_size},
        "forms": [asdict(f) for f in m.forms],
    })


_ENTRY_FIELDS = {f.name for f in fields(Entry)} - {"status"}
ENTRY_STATUSES = (Status.FINALISED, Status.DISCARDED)


def entry_line(entry: Entry) -> bytes:
    """One line of ``entries.jsonl`` (compact JSON, sorted keys, newline-terminated)."""
    data = asdict(entry)
    if entry.status == Status.FINALISED:
        del data["status"]
    return dumps(data) + b"\n"


def parse_entry_line(line: bytes, index: int, known: set[tuple[str, str]]) -> Entry:
    """Strictly parse line ``index`` of ``entries.jsonl`` (ManifestError names the field)."""
    where = f"entries[{index}]"
    if not line.endswith(b"\n") or len(line) > MAX_ENTRY_LINE:
        raise ManifestError(N_("{where} is not a complete line"),
                            code="manifest.not-complete-line", where=where)
    try:
        value = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ManifestError(N_("{where} is not valid UTF-8 JSON"),
                            code="manifest.not-valid-utf-json", where=where) from None
    e = Fields(value, where)
    entry = Entry(e.uuid("interview_id"), e.number("revision", 1), e.text("form_id", 128),
                  e.text("form_version", 64), e.sha("sha256"), e.number("size", 1),
                  e.number("offset"), e.text("sealed_utc", 32), e.text("day", 10),
                  e.text("status", 16) if "status" in value else Status.FINALISED)
    if set(value) - {"status"} != _ENTRY_FIELDS:
        raise ManifestError(N_("{where} has unknown fields"),
                            code="manifest.unknown-fields", where=where)
    if entry.status not in ENTRY_STATUSES or value.get("status") == Status.FINALISED:
        raise e.fail("status", N_("must be 'discarded' when present"),
                     code="manifest.discarded-when-present")
    if entry.size > MAX_RECORD:
        raise e.fail("size", N_("is larger than allowed"), code="manifest.larger-than-allowed")
    if not _DAY.match(entry.day):
        raise e.fail("day", N_("must be YYYY-MM-DD"), code="manifest.yyyy-mm-dd")
    if not is_utc(entry.sealed_utc):
        raise e.fail("sealed_utc", N_("must be an ISO-8601 UTC time"), code="manifest.iso-utc-time")
    if (entry.form_id, entry.form_version) not in known:
        raise e.fail("form_version", N_("refers to a questionnaire the bundle does not carry"),
                     code="manifest.refers-questionnaire-bundle-does")
    return entry


def return_manifest_bytes(m: ReturnManifest) -> bytes:
    """Serialise a return manifest (``credential`` only when the bundle carries one)."""
    extra: dict[str, object] = {}
    if m.credential is not None:
        extra["credential"] = {"path": CREDENTIAL, "sha256": m.credential[0],
                               "size": m.credential[1]}
    return dumps({**extra,
        "format": FORMAT, "format_version": FORMAT_VERSION, "kind": KIND_RETURN,
        "bundle_id": m.bundle_id, "created_utc": m.created_utc, "device_id": m.device_id,
        "project_fingerprint": m.project_fingerprint,
        "decisions": [asdict(d) for d in m.decisions],
        "acks": [{"interview_id": i, "revision": r, "sha256": s} for i, r, s in m.acks],
        "forms": [asdict(f) for f in m.forms],
    })


# -- parsing ------------------------------------------------------------------------------------

def parse_header(data: bytes) -> tuple[Fields, str]:
    """Decode the JSON and check format/version; return the object and its kind."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ManifestError(N_("manifest.json is not valid UTF-8 JSON"),
                            code="manifest.manifest-json-not-valid") from None
    top = Fields(value, "manifest")
    if top.text("format", 64) != FORMAT:
        raise ManifestError(N_("manifest.format is not a fieldapp sync bundle"),
                            code="manifest.manifest-format-not-fieldapp")
    version = top.number("format_version")
    if version == 1:
        raise ManifestError(N_("bundle format version 1 (one zip member per record, written by an "
                               "older fieldapp) is no longer read; update fieldapp on the "
                               "laptop and push again (unacknowledged interviews are re-sent)"),
                            code="manifest.bundle-format-version-zip")
    if version != FORMAT_VERSION:
        raise ManifestError(N_("bundle format version {version} is not supported by this fieldapp "
                               "(it reads version {FORMAT_VERSION}); update fieldapp"),
                            code="manifest.bundle-format-version-not", version=version,
                            FORMAT_VERSION=FORMAT_VERSION)
    kind = top.text("kind", 16)
    if kind not in (KIND_DEVICE, KIND_RETURN):
        raise ManifestError(N_("manifest.kind must be 'device' or 'return'"),
                            code="manifest.manifest-kind-device-return")
    return top, kind


def _forms(top: Fields) -> tuple[FormEntry, ...]:
    forms = []
    for f in top.items("forms"):
        entry = FormEntry(f.text("form_id", 128), f.text("version", 64),
                          f.text("title", 1000, empty=True), f.sha("sha256"), f.number("size"),
                          f.text("path", 200))
        if entry.path != form_path(entry.sha256):
            raise f.fail("path", N_("does not match the form's sha256"),
                         code="manifest.does-not-match-form")
        forms.append(entry)
    if len({(f.form_id, f.version) for f in forms}) != len(forms):
        raise ManifestError(N_("manifest.forms lists a questionnaire version twice"),
                            code="manifest.manifest-forms-lists-questionnaire")
    return tuple(forms)


def parse_device_manifest(data: bytes) -> DeviceManifest:
    """Strictly parse a device manifest (ManifestError names the bad field)."""
    top, kind = parse_header(data)
    if kind != KIND_DEVICE:
        raise ManifestError(N_("this is a return bundle, not a device bundle"),
                            code="manifest.return-bundle-not-device")
    key, reg = top.obj("device_key"), top.obj("registration")
    if key.text("algorithm", 16) != "Ed25519":
        raise key.fail("algorithm", N_("must be Ed25519"), code="manifest.ed")
    device = Registration(
        device_id=top.uuid("device_id"), enumerator=top.text("enumerator"),
        city=top.text("city", 64, empty=True), key_id=reg.text("key_id", 128),
        signing_public_key=key.b64("public_key"), fingerprint=key.text("fingerprint", 19),
        dek_sealed_project=reg.b64("dek_sealed_project"),
        project_public_key=reg.b64("project_public_key"))
    if reg.uuid("device_id") != device.device_id:
        raise reg.fail("device_id", N_("differs from manifest.device_id"),
                       code="manifest.differs-manifest-device-id")
    if len(device.signing_public_key) != 32 or len(device.project_public_key) != 32:
        raise ManifestError(N_("manifest public keys must be 32 bytes"),
                            code="manifest.manifest-public-keys-bytes")
    if fingerprint_of(device.signing_public_key) != device.fingerprint:
        raise key.fail("fingerprint", N_("does not match the public key"),
                       code="manifest.does-not-match-public")
    if reg.text("project_fingerprint", 19) != device.project_fingerprint:
        raise reg.fail("project_fingerprint", N_("does not match the project key"),
                       code="manifest.does-not-match-project")
    count = top.number("count")
    members = {}
    for name, path in (("entries", ENTRIES), ("records", RECORDS)):
        member = top.obj(name)
        if member.text("path", 200) != path:
            raise member.fail("path", N_("must be {file}"), code="manifest.error", file=path)
        members[name] = (member.sha("sha256"), member.number("size"))
    return DeviceManifest(top.uuid("bundle_id"), top.text("created_utc", 40), device, count,
                          *members["entries"], *members["records"], _forms(top))


def parse_return_manifest(data: bytes) -> ReturnManifest:
    """Strictly parse a return manifest."""
    top, kind = parse_header(data)
    if kind != KIND_RETURN:
        raise ManifestError(N_("this is a device bundle, not a return bundle"),
                            code="manifest.device-bundle-not-return")
    decisions, seen = [], set()
    for d in top.items("decisions"):
        entry = DecisionEntry(d.uuid("interview_id"), d.number("revision", 1),
                              d.text("decision", 16), d.sha("sha256"), d.number("size", 1),
                              d.text("path", 200))
        if entry.decision not in DECISIONS:
            raise d.fail("decision", N_("must be approve or send_back"),
                         code="manifest.approve-send-back")
        if entry.path != decision_path(entry.interview_id, entry.revision) or entry.path in seen:
            raise d.fail("path", N_("does not match the interview id and revision"),
                         code="manifest.does-not-match-interview")
        seen.add(entry.path)
        decisions.append(entry)
    acks = tuple((a.uuid("interview_id"), a.number("revision", 1), a.sha("sha256"))
                 for a in top.items("acks"))
    credential = None
    if "credential" in top.value:
        c = top.obj("credential")
        if c.text("path", 200) != CREDENTIAL:
            raise c.fail("path", N_("must be {CREDENTIAL}"),
                         code="manifest.error-2", CREDENTIAL=CREDENTIAL)
        credential = (c.sha("sha256"), c.number("size", 1))
    return ReturnManifest(top.uuid("bundle_id"), top.text("created_utc", 40),
                          top.uuid("device_id"), top.text("project_fingerprint", 19),
                          tuple(decisions), acks, _forms(top), credential)
