"""Open a sealed interview for export: unseal, check identity, parse all but the paradata.

The paradata (every event of the interview) is usually most of the payload and export does
not use it. It is the last key that ``RecordingInterview.sealed_payload`` writes, and the
bytes ``,"paradata":[`` cannot occur inside a JSON string (its quotes would be escaped), so
the object is parsed up to that key; if that fails for any reason the whole payload is
parsed instead.
"""

from __future__ import annotations

from typing import Any

from fieldapp.crypto.errors import TamperedData
from fieldapp.formats import loads_json, open_sealed_blob

_PARADATA = b',"paradata":['
_loads = loads_json


def payload_without_paradata(data: bytes) -> dict[str, Any]:
    """The sealed payload's JSON object with ``paradata`` left out."""
    at = data.rfind(_PARADATA)
    if at > 0 and data.endswith(b"]}"):
        try:
            payload = _loads(data[:at] + b"}")
        except ValueError:
            payload = None
        if isinstance(payload, dict) and "answers" in payload:
            return payload
    payload = _loads(data)
    if not isinstance(payload, dict):
        raise ValueError("payload is not an object")
    payload.pop("paradata", None)
    return payload


def open_for_export(private_key: Any, record: Any) -> dict[str, Any]:
    """Unseal ``record`` (bound to its id, revision, form and version); TamperedData if
    it cannot be opened or is not the interview it claims to be."""
    data = open_sealed_blob(private_key, record.sealed_blob, interview_id=record.interview_id,
                            revision=record.revision, form_id=record.form_id,
                            form_version=record.form_version)
    try:
        payload = payload_without_paradata(data)
    except (ValueError, UnicodeDecodeError):
        raise TamperedData(record.interview_id) from None
    if payload.get("interview_id") != record.interview_id:
        raise TamperedData(record.interview_id)
    return payload
