"""Answer keys: a question name plus its repeat instance indices, e.g. ``m_age[2]``."""

from __future__ import annotations

import re

_KEY = re.compile(r"^([^\[\]]+)((?:\[\d+\])*)$")

Indices = tuple[int, ...]


def make_key(name: str, indices: Indices = ()) -> str:
    """``('m_age', (2,))`` → ``'m_age[2]'`` (indices are 1-based)."""
    return name + "".join(f"[{i}]" for i in indices)


def split_key(key: str) -> tuple[str, Indices]:
    """Inverse of :func:`make_key`; raises ValueError for a malformed key."""
    match = _KEY.match(key)
    if not match:
        raise ValueError(f"malformed answer key '{key}'")
    indices = tuple(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    return match.group(1), indices
