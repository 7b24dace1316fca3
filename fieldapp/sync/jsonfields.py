"""Strict, typed access to JSON objects; errors name the field path, never the value."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from fieldapp.crypto.encoding import b64d
from fieldapp.errors import FieldAppError, Message
from fieldapp.i18n import N_

_SHA = re.compile(r"^[0-9a-f]{64}$")


class ManifestError(FieldAppError, ValueError):
    """The manifest is malformed; the message names the field, never a value."""


class Fields:
    """Typed access to one JSON object, naming the field path in every error."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise ManifestError(N_("{where} must be an object"),
                                code="jsonfields.object", where=where)
        self.value, self.where = value, where

    def _get(self, name: str) -> Any:
        if name not in self.value:
            raise ManifestError(N_("{where}.{name} is missing"),
                                code="jsonfields.missing", where=self.where, name=name)
        return self.value[name]

    def fail(self, name: str, what: str, *, code: str | None = None,
             **fields: object) -> ManifestError:
        """An error naming this field; ``what`` is a template filled from ``fields``."""
        return ManifestError(N_("{field} {problem}"), code=code or "manifest.field",
                             field=f"{self.where}.{name}", problem=Message(what, fields))

    def text(self, name: str, max_len: int = 255, empty: bool = False) -> str:
        """A string of at most ``max_len`` characters (non-empty unless ``empty``)."""
        v = self._get(name)
        if not isinstance(v, str) or len(v) > max_len or (not empty and not v):
            raise self.fail(name, N_("must be a non-empty string") if not empty
                            else N_("must be text"))
        if "\x00" in v or not _encodable(v):  # no database stores these: refuse them here
            raise self.fail(name, N_("must not contain NUL or unpaired surrogate characters"),
                            code="jsonfields.text-characters")
        return v

    def number(self, name: str, low: int = 0) -> int:
        """An integer ≥ ``low`` (never a bool, below 2**53)."""
        v = self._get(name)
        if isinstance(v, bool) or not isinstance(v, int) or not low <= v < 2**53:
            raise self.fail(name, N_("must be an integer ≥ {low}"),
                            code="jsonfields.integer", low=low)
        return v

    def uuid(self, name: str) -> str:
        """A UUID in canonical lower-case form."""
        v = self.text(name, 36)
        try:
            ok = str(uuid.UUID(v)) == v
        except ValueError:
            ok = False
        if not ok:
            raise self.fail(name, N_("must be a lower-case UUID"),
                            code="jsonfields.lower-case-uuid")
        return v

    def sha(self, name: str) -> str:
        """A sha256 as 64 lower-case hex digits."""
        v = self.text(name, 64)
        if not _SHA.match(v):
            raise self.fail(name, N_("must be 64 lower-case hex digits"),
                            code="jsonfields.lower-case-hex-digits")
        return v

    def b64(self, name: str, max_len: int = 4096) -> bytes:
        """Bytes given as strict standard base64."""
        text = self.text(name, max_len)
        try:
            return b64d(text)
        except ValueError:
            raise self.fail(name, N_("is not valid base64"),
                            code="jsonfields.not-valid-base") from None

    def items(self, name: str) -> Iterator[Fields]:
        """Each element of a list field, consumed as it goes (the parsed element is released
        once the caller has converted it)."""
        v = self._get(name)
        if not isinstance(v, list):
            raise self.fail(name, N_("must be a list"), code="jsonfields.list")
        for i, item in enumerate(v):
            yield Fields(item, f"{self.where}.{name}[{i}]")
            v[i] = None

    def obj(self, name: str) -> Fields:
        """A nested object."""
        return Fields(self._get(name), f"{self.where}.{name}")


def is_utc(text: str) -> bool:
    """True for ISO-8601 text with a zero UTC offset."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return False
    return moment.utcoffset() is not None and moment.utcoffset() == timedelta(0)


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
