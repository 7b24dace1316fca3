"""Date helpers following JavaRosa conventions (day numbers count from 1970-01-01)."""

from __future__ import annotations

import datetime as dt
import math
import re

EPOCH = dt.date(1970, 1, 1)
_EPOCH_DATETIME = dt.datetime(1970, 1, 1)
_ONE_DAY = dt.timedelta(days=1)
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
    r"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?"
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def parse_date_text(text: str) -> dt.date | dt.datetime | None:
    """Parse ``YYYY-MM-DD`` or an ISO 8601 date-time; None when the text is neither."""
    text = text.strip()
    try:
        if _DATE_RE.fullmatch(text):
            return dt.date.fromisoformat(text)
        if _DATETIME_RE.fullmatch(text):
            return dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return None


def day_number(value: dt.date) -> float:
    """Days since 1970-01-01; date-times give fractional days of their wall-clock time."""
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=None) - _EPOCH_DATETIME) / _ONE_DAY
    return float((value - EPOCH).days)


def from_day_number(days: float) -> dt.date | None:
    """The date ``floor(days)`` days after 1970-01-01, or None when out of range."""
    if not math.isfinite(days):
        return None
    try:
        return EPOCH + dt.timedelta(days=math.floor(days))
    except (OverflowError, ValueError):
        return None


def _time_part(value: dt.date, attribute: str) -> int:
    return int(getattr(value, attribute, 0))


_FORMATTERS = {
    "Y": lambda d: f"{d.year:04d}",
    "y": lambda d: f"{d.year % 100:02d}",
    "m": lambda d: f"{d.month:02d}",
    "n": lambda d: str(d.month),
    "b": lambda d: _MONTHS[d.month - 1],
    "d": lambda d: f"{d.day:02d}",
    "e": lambda d: str(d.day),
    "a": lambda d: _WEEKDAYS[d.weekday()],
    "H": lambda d: f"{_time_part(d, 'hour'):02d}",
    "h": lambda d: str(_time_part(d, "hour")),
    "M": lambda d: f"{_time_part(d, 'minute'):02d}",
    "S": lambda d: f"{_time_part(d, 'second'):02d}",
    "3": lambda d: f"{_time_part(d, 'microsecond') // 1000:03d}",
    "%": lambda d: "%",
}


def format_date(value: dt.date, fmt: str) -> str:
    """Format like ODK's ``format-date``: %Y %y %m %n %b %d %e %a %H %h %M %S %3 %%."""
    out: list[str] = []
    i = 0
    while i < len(fmt):
        formatter = _FORMATTERS.get(fmt[i + 1]) if fmt[i] == "%" and i + 1 < len(fmt) else None
        if formatter is None:
            out.append(fmt[i])
            i += 1
        else:
            out.append(formatter(value))
            i += 2
    return "".join(out)
