"""History details and conflict reasons, stored language-neutral and shown translated.

A hub is read by supervisors in four languages, and one hub can be read by a Korean and a
Japanese supervisor in turn, so the hub stores the English template and its fields (JSON:
``{"t": template, "f": {field: value}}``; a field may itself be such a note) and renders
them when read, in the reader's language. Text stored by older versions (plain English) and
free text typed by a supervisor are shown as they are.
"""

from __future__ import annotations

import json
from typing import Any

from fieldapp.errors import render_template
from fieldapp.i18n import N_

RECEIVED = N_("from device {device} ({enumerator}), bundle {bundle}")
OLDER = N_("{where}; older than revision {current}, kept for the history")
CONFLICT = N_("{where}: {reason}")
TWICE = N_("revision {revision} arrived twice with different content")
TWICE_TWO = N_("revision {revision} arrived twice with different content on two devices "
               "({a} and {b})")
EDITED_TWO = N_("edited on two devices ({a} and {b})")
IN_CONFLICT = N_("revision {revision} arrived while the interview is in conflict")
AFTER_APPROVAL = N_("revision {revision} arrived after revision {approved} was approved")
WITH_COMMENT = N_("with a comment")
KEPT = N_("kept record {record}: {reason}")
APPROVAL_SENT = N_("approval sent in {file}")
SEND_BACK_SENT = N_("send-back sent in {file}")


def note(template: str, **fields: Any) -> dict[str, Any]:
    """A note to store (nest it as a field of another, or :func:`stored` it)."""
    return {"t": template, "f": fields}


def stored(value: dict[str, Any]) -> str:
    """The text column value of a note."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def shown(text: str | None, lang: str | None = None) -> str:
    """A stored detail in ``lang`` (the current language by default)."""
    if not text or not text.startswith('{"f":'):
        return text or ""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return _render(value, lang) if _is_note(value) else text


def _is_note(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"t", "f"} \
        and isinstance(value["t"], str) and isinstance(value["f"], dict)


def _render(value: dict[str, Any], lang: str | None) -> str:
    fields = {k: _render(v, lang) if _is_note(v) else v for k, v in value["f"].items()}
    return render_template(value["t"], fields, lang)
