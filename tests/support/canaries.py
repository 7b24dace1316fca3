"""Canary text searched for on disk in every encoding and normal form it could take."""

from __future__ import annotations

import unicodedata


def encoded_variants(text: str) -> list[bytes]:
    out = []
    for form in ("NFC", "NFD"):
        normal = unicodedata.normalize(form, text)
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            out.append(normal.encode(encoding))
    return out
