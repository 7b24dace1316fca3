"""The case label of an interview: the form's ``instance_name`` expression (ODK's submission
name), shown on Home instead of just the questionnaire's title.

It is answer data (``concat(${head_name}, ' ', ${village})``), so it is kept encrypted with
the device's data key, in the store's key-value table under ``case_label:<interview id>``:
no schema change, readable for drafts and finalised interviews alike on this device, never
sent anywhere (the supervisor recomputes it from the answers).
"""

from __future__ import annotations

import base64
from typing import Any

from fieldapp.crypto import decrypt_blob, encrypt_blob
from fieldapp.errors import ExpressionError
from fieldapp.questionnaire.expressions import evaluate, parse, to_string

META_PREFIX = "case_label:"
AAD_QUESTION = "case-label"
MAX_CHARS = 200


def compute(engine: Any) -> str | None:
    """The label the form's ``instance_name`` gives the interview's answers now, or None."""
    text = engine.form.instance_name
    if not text:
        return None
    try:
        label = " ".join(to_string(evaluate(parse(text), engine.context((), ()))).split())
    except ExpressionError:
        return None
    return label[:MAX_CHARS] or None


def save(session: Any, record: Any, label: str | None) -> None:
    """Store the label, encrypted (nothing when the form has no instance_name)."""
    if label is None:
        return
    keys = session.keys
    blob = encrypt_blob(keys.dek, keys.key_id, label.encode("utf-8"), form_id=record.form_id,
                          interview_id=record.interview_id, question=AAD_QUESTION, revision=0)
    session.store.set_meta(META_PREFIX + record.interview_id, base64.b64encode(blob).decode())


def load(session: Any, record: Any) -> str | None:
    """The stored label of an interview, or None (absent or unreadable)."""
    raw = session.store.get_meta(META_PREFIX + record.interview_id)
    if not raw:
        return None
    keys = session.keys
    try:
        plain = decrypt_blob(keys.dek, keys.key_id, base64.b64decode(raw),
                               form_id=record.form_id, interview_id=record.interview_id,
                               question=AAD_QUESTION, revision=0)
        return bytes(plain).decode("utf-8")
    except Exception:  # a damaged label must not break the Home screen
        return None
