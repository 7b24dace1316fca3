"""The on-disk and in-bundle formats every part of fieldapp must agree on, defined once.

- the associated data ("question" field of the AAD) of an autosaved event;
- the time stamps every event's plaintext carries;
- the HPKE context of a sealed interview and the sealed payload's format number, and the one
  step that opens a sealed interview bound to that context.

A drift in any of these makes stored drafts or sealed interviews unreadable, so nothing else
builds these strings.
"""

from __future__ import annotations

import json
from typing import Any

from fieldapp.clock import local_zone_name, monotonic_ns, utc_now
from fieldapp.crypto import canonical, unseal
from fieldapp.crypto.errors import CryptoError, TamperedData

#: Version of the sealed payload (the dict :func:`fieldapp.recording.sealed_payload` builds).
SEALED_FORMAT = 1
#: AAD "question" of the encrypted supervisor note on a device.
NOTE_AAD_QUESTION = "note:supervisor"


def event_aad_question(kind: str, question: str, position: int) -> str:
    """The AAD "question" of an autosaved event: kind, question and position in the draft."""
    return f"{kind}:{question}#{position}"


def stamped(payload: dict[str, Any]) -> dict[str, Any]:
    """An event payload with its UTC time, monotonic clock and IANA time zone."""
    return {**payload, "utc": utc_now().isoformat(), "mono": monotonic_ns(),
            "tz": local_zone_name()}


def sealed_info(*, interview_id: str, revision: int, form_id: str, form_version: str) -> bytes:
    """The HPKE context that binds a sealed interview to its identity."""
    return canonical(SEALED_FORMAT, interview_id, revision, form_id, form_version,
                     domain="sealed-interview")


def open_sealed_blob(private_key: Any, blob: bytes, *, interview_id: str, revision: int,
                     form_id: str, form_version: str) -> bytes:
    """Supervisor side: a sealed interview's payload bytes, unsealed and bound to its id,
    revision, form and version (:func:`sealed_info`); TamperedData if it cannot be opened.
    The one unseal-and-bind step export, review and the quality helpers share."""
    try:
        return unseal(private_key, blob, sealed_info(
            interview_id=interview_id, revision=revision, form_id=form_id,
            form_version=form_version))
    except (CryptoError, ValueError):
        raise TamperedData(interview_id) from None


def loads_json(data: bytes) -> Any:
    """Parse a decrypted payload or event (JSON). msgspec (~3× faster than ``json`` on a
    sealed interview, which the hub opens by the hundred thousand) with ``json`` as the
    fallback for what msgspec refuses but ``json.dumps`` can write (NaN, Infinity);
    ValueError when the bytes are not JSON at all. msgspec is imported on first use."""
    from msgspec.json import decode

    try:
        return decode(data)
    except ValueError:  # msgspec.DecodeError is a ValueError
        return json.loads(data)
