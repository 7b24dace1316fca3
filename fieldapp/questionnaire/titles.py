"""A questionnaire's titles by language, kept beside the installed form on a device.

The settings sheet's ``title_translated::<language>`` columns give the title per language
(:attr:`Questionnaire.titles`). Installing a form stores them as JSON under
:func:`titles_key` in the device's meta table, so Home can show each title in the screen
language without parsing the form.
"""

from __future__ import annotations

import json
from collections.abc import Mapping


def titles_key(form_id: str, version: str) -> str:
    """The device meta key of one questionnaire version's titles."""
    return f"form_titles/{form_id}/{version}"


def encode_titles(titles: Mapping[str, str]) -> str:
    """Titles by language as stored (JSON)."""
    return json.dumps(dict(titles), ensure_ascii=False, sort_keys=True)


def decode_titles(raw: str | None) -> dict[str, str]:
    """Stored titles back ({} when none or unreadable)."""
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
