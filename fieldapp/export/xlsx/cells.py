"""Cell XML: every string is an inline string (never a formula), escaped deterministically.

* ``& < >`` and CR become entities (XML parsers would turn a bare CR into LF);
* characters XML 1.0 forbids (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/FFFF)
  become the OOXML escape ``_xHHHH_``; text that already looks like such an escape gets its
  underscore escaped (``_x005F_``), as Excel does, so readers that decode escapes
  (Excel, LibreOffice, calamine) give back exactly the recorded text;
* text starting with ``= + - @``, tab or CR (or their full-width forms) also gets the
  ``quotePrefix`` style, Excel's own "this is text" flag, which does not change the value.
"""

from __future__ import annotations

import datetime as dt
import re

#: Excel's limits.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767

#: Style ids in styles.xml (see package.STYLES).
STYLE_TEXT_PREFIX, STYLE_DATE, STYLE_DATETIME, STYLE_HEADER, STYLE_SCORE, STYLE_PERCENT = (
    1, 2, 3, 4, 5, 6)
STYLE_WRAP, STYLE_HEADER_WRAP, STYLE_TOP = 7, 8, 9

RISKY_PREFIXES = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_SPECIAL = re.compile(
    "[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_SPACE = frozenset(" \t\n\r\u3000")
_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_DATE = _EPOCH.date()


def _replace(match: re.Match[str]) -> str:
    text = match.group()
    entity = _ENTITIES.get(text)
    if entity is not None:
        return entity
    if len(text) == 1:
        return f"_x{ord(text):04X}_"
    return "_x005F_" + text[1:]


def has_illegal(text: str) -> bool:
    """True if ``text`` holds characters that must be escaped in XML."""
    return _ILLEGAL.search(text) is not None


def escape(text: str) -> str:
    """Escape text for element content (see module docstring)."""
    return _SPECIAL.sub(_replace, text)


def escape_attr(text: str) -> str:
    """Escape text for a double-quoted attribute."""
    return escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def text_cell(text: str) -> str:
    """An inline-string cell for ``text`` (length limits are the caller's business)."""
    if not text:
        return "<c/>"
    style = ' s="1"' if text[0] in RISKY_PREFIXES else ""
    padded = text[0] in _SPACE or text[-1] in _SPACE
    if _SPECIAL.search(text) is not None:
        text = _SPECIAL.sub(_replace, text)
    if padded:
        return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'
    return f'<c t="inlineStr"{style}><is><t>{text}</t></is></c>'


def styled_text_cell(text: str, style: int) -> str:
    """A text cell with an explicit style (headers)."""
    return text_cell(text).replace("<c ", f'<c s="{style}" ', 1) if text else "<c/>"


def number_cell(value: int | float, style: int = 0) -> str:
    """A numeric cell."""
    s = f' s="{style}"' if style else ""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "<c/>"
        return f"<c{s}><v>{value!r}</v></c>"
    return f"<c{s}><v>{value}</v></c>"


def date_serial(value: dt.date) -> int:
    """Excel's serial day number of a date (1900 date system)."""
    return (value - _EPOCH_DATE).days


def datetime_serial(value: dt.datetime) -> float:
    """Excel's serial number of a naive datetime."""
    delta = value.replace(tzinfo=None) - _EPOCH
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400


def utf16_length(text: str) -> int:
    """Length as Excel counts it (UTF-16 code units)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def cell(value: object) -> str:
    """A cell for any exported Python value (None, bool, int, float, str, date, datetime)."""
    if value is None:
        return "<c/>"
    if isinstance(value, str):
        return text_cell(value)
    if isinstance(value, bool):
        return number_cell(int(value))
    if isinstance(value, (int, float)):
        return number_cell(value)
    if isinstance(value, dt.datetime):
        return number_cell(datetime_serial(value), STYLE_DATETIME)
    if isinstance(value, dt.date):
        return number_cell(date_serial(value), STYLE_DATE)
    return text_cell(str(value))
