"""Text in SpreadsheetML: XML character references and OOXML ``_xHHHH_`` escapes, cell
references and numbers (helpers of the streaming reader)."""

from __future__ import annotations

import re
from typing import Any

_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"([A-Z]+)")


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name[0] == "#":
        code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
    return _NAMED[name]


def unescape(text: str) -> str:
    """XML character references and entities, then OOXML ``_xHHHH_`` escapes."""
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if "_x" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def col_index(ref: str) -> int:
    """0-based column of a cell reference (``AB12`` → 27), -1 if there is none."""
    letters = _REF.match(ref)
    if not letters:
        return -1
    n = 0
    for ch in letters.group(1):
        n = n * 26 + ord(ch) - 64
    return n - 1


def number(raw: str) -> Any:
    """A ``<v>`` value as int or float (text if it is neither)."""
    try:
        return int(raw) if raw.lstrip("-").isdigit() else float(raw)
    except ValueError:
        return unescape(raw)
