"""The case label of an interview: the form's ``instance_name`` expression (ODK's submission
name), shown on Home instead of just the questionnaire's title.

It is answer data (``concat(${head_name}, ' ', ${village})``), so it is kept encrypted with
the device's data key, in the store's key-value table under ``case_label:<interview id>``:
no schema change, readable for drafts and finalised interviews alike on this device, never
sent anywhere (the supervisor recomputes it from the answers).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from fieldapp.crypto import decrypt_blob, encrypt_blob
from fieldapp.errors import ExpressionError
from fieldapp.questionnaire.expressions import evaluate, parse, to_string
from fieldapp.questionnaire.model import text_for

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


#: Questions whose answers tell cases apart on Home when they exist (the network's forms).
PLACE_QUESTIONS = ("district", "dong")


def card(engine: Any, last: str | None = None) -> dict[str, str]:
    """What Home shows about a case: label, district and Dong (their choice labels in the
    interview language), interview language and the last question shown."""
    facts: dict[str, str] = {"language": engine.language or ""}
    label = compute(engine)
    if label:
        facts["label"] = label
    for name in PLACE_QUESTIONS:
        value = engine.answers.get(name)
        if value not in (None, ""):
            facts[name] = _choice_label(engine, name, value)[:MAX_CHARS]
    if last:
        facts["last"] = last
    return facts


def _choice_label(engine: Any, name: str, value: Any) -> str:
    form = engine.form
    choices = form.choice_list(form.question(name)) if form.has(name) else None
    choice = choices.get(str(value)) if choices is not None else None
    if choice is None:
        return str(value)
    return text_for(choice.label, engine.language or "", form.default_language) or str(value)


def save(session: Any, record: Any, label: str | dict[str, str] | None) -> None:
    """Store the label (or a whole :func:`card`), encrypted; nothing for an empty one."""
    if not label:
        return
    facts = label if isinstance(label, dict) else {"label": label}
    keys = session.keys
    plain = json.dumps(facts, ensure_ascii=False).encode("utf-8")
    blob = encrypt_blob(keys.dek, keys.key_id, plain, form_id=record.form_id,
                        interview_id=record.interview_id, question=AAD_QUESTION, revision=0)
    session.store.set_meta(META_PREFIX + record.interview_id, base64.b64encode(blob).decode())


def load_card(session: Any, record: Any) -> dict[str, str]:
    """The stored facts of an interview ({} when absent or unreadable)."""
    raw = session.store.get_meta(META_PREFIX + record.interview_id)
    if not raw:
        return {}
    keys = session.keys
    try:
        plain = bytes(decrypt_blob(keys.dek, keys.key_id, base64.b64decode(raw),
                                   form_id=record.form_id, interview_id=record.interview_id,
                                   question=AAD_QUESTION, revision=0)).decode("utf-8")
    except Exception:  # a damaged label must not break the Home screen
        return {}
    if not plain.startswith("{"):
        return {"label": plain}  # stored by an earlier version: the label alone
    try:
        facts = json.loads(plain)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in facts.items()} if isinstance(facts, dict) else {}


def load(session: Any, record: Any) -> str | None:
    """The stored label of an interview, or None (absent or unreadable)."""
    return load_card(session, record).get("label")
