"""Time stamps for paradata: UTC, a monotonic clock and the device's IANA time zone."""

from __future__ import annotations

import datetime as dt
import os
import time
from functools import lru_cache
from pathlib import Path


def utc_now() -> dt.datetime:
    """Current time in UTC."""
    return dt.datetime.now(dt.UTC)


def monotonic_ns() -> int:
    """A clock that never goes backwards (for durations; meaningless across reboots)."""
    return time.monotonic_ns()


@lru_cache(maxsize=1)
def local_zone_name() -> str:
    """The device's IANA zone name (e.g. ``Asia/Seoul``), or a UTC offset if unknown.

    Read once per process: it sits on the autosave path.
    """
    env = os.environ.get("TZ", "").lstrip(":")
    if "/" in env:
        return env
    try:
        text = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        if text:
            return text
    except OSError:
        pass
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    offset = dt.datetime.now().astimezone().utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
