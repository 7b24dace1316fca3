"""One clock: UTC time stamps in the formats fieldapp stores, a monotonic clock for
durations, and the device's IANA time zone.

- :func:`utc_now` — an aware ``datetime`` in UTC.
- :func:`utc_text` / :func:`parse_utc` — the fixed-width text stored in databases
  (``2024-05-01T10:00:00.000000+00:00``: sorts as text, identical on every backend).
- :func:`now_text` — :func:`utc_text` of now.
- :func:`now_seconds` — ``2026-11-22T02:45:00Z``, for files people read (key files,
  exports).
"""

from __future__ import annotations

import datetime as dt
import time
from functools import lru_cache


def utc_now() -> dt.datetime:
    """Current time in UTC."""
    return dt.datetime.now(dt.UTC)


def utc_text(moment: dt.datetime) -> str:
    """Fixed-width UTC ISO-8601 text for a timezone-aware datetime (sorts as text)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware (use clock.utc_now())")
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def parse_utc(text: str) -> dt.datetime:
    """Inverse of :func:`utc_text`."""
    return dt.datetime.fromisoformat(text)


def now_text() -> str:
    """The current time as :func:`utc_text`."""
    return utc_text(utc_now())


def now_seconds() -> str:
    """The current UTC time to the second, e.g. ``2026-11-22T02:45:00Z``."""
    return utc_now().replace(microsecond=0).isoformat().replace("+00:00", "Z")


def monotonic_ns() -> int:
    """A clock that never goes backwards (for durations; meaningless across reboots)."""
    return time.monotonic_ns()


@lru_cache(maxsize=1)
def local_zone_name() -> str:
    """The device's IANA zone name (e.g. ``Asia/Seoul``) on every platform, via tzlocal
    (Windows zone names are mapped); a UTC offset if the zone cannot be found.

    Read once per process: it sits on the autosave path.
    """
    try:
        from tzlocal import get_localzone_name

        name = get_localzone_name()
        if name:
            return str(name)
    except Exception:  # tzlocal raises several kinds for unconfigured systems
        pass
    offset = dt.datetime.now().astimezone().utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
