"""Quality indicators kept between sessions, sealed to the project key.

Measuring 100,000 interviews takes seconds even on every core; a supervisor who opens the
desk again the next morning should not wait for it again. After a computation that measured
something new, the indicators of the current copies (keyed by record id and the copy's
sha256, so a changed copy is measured again) are written next to a folder hub's database,
sealed with HPKE to the project public key: only the unlocked project key opens it, like the
interviews themselves. A cache that cannot be opened, was measured with other thresholds or
by another version of the indicators is ignored (and replaced on the next write). A server
hub keeps its indicators for the session only (there is no folder of its own to write to).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Mapping
from operator import attrgetter
from pathlib import Path
from typing import Any

import msgspec

from fieldapp.atomic import atomic_output
from fieldapp.crypto import canonical, seal, unseal
from fieldapp.crypto.errors import CryptoError
from fieldapp.quality import InterviewQuality, Thresholds
from fieldapp.quality_measure import MEASURE_VERSION

FILE = "quality-cache.sealed"
FORMAT = 1
_INFO = canonical(FORMAT, domain="quality-cache")
#: measured fields (flags and time outliers are computed against the peers each time)
_FIELDS = tuple(f.name for f in dataclasses.fields(InterviewQuality)
                if f.name not in ("flags", "time_outliers"))
_NAMES = _FIELDS.index("item_names")
_VALUES = attrgetter(*_FIELDS)
_ALL = [f.name for f in dataclasses.fields(InterviewQuality)]
_OUTLIERS_AT = _ALL.index("time_outliers")  # put back (as 0) when loading; flags is last
assert _ALL[-1] == "flags" and len(_FIELDS) == len(_ALL) - 2

CacheKey = tuple[int, str]


def load(folder: Path | None, private_key: Any, thresholds: Thresholds
         ) -> dict[CacheKey, InterviewQuality]:
    """The indicators kept for this hub ({} when there are none that fit)."""
    if folder is None:
        return {}
    try:
        sealed = (folder / FILE).read_bytes()
        data = msgspec.msgpack.decode(unseal(private_key, sealed, _INFO))
        if data.get("format") != FORMAT or data.get("measure") != MEASURE_VERSION \
                or data.get("fields") != list(_FIELDS) \
                or data.get("thresholds") != dataclasses.asdict(thresholds):
            return {}
        names = [tuple(n) for n in data["names"]]
        out: dict[CacheKey, InterviewQuality] = {}
        for record_id, sha, values in data["items"]:
            if len(values) != len(_FIELDS):
                return {}
            values[_NAMES] = names[values[_NAMES]]
            values.insert(_OUTLIERS_AT, 0)
            out[(record_id, sha)] = InterviewQuality(*values)
        return out
    except (OSError, CryptoError, ValueError, TypeError, KeyError, IndexError):
        return {}  # none, damaged, of another project or format: measure again


def save(folder: Path | None, public_key: Any, thresholds: Thresholds,
         items: Mapping[CacheKey, InterviewQuality | None], keep: Iterable[CacheKey]) -> None:
    """Write the indicators of the ``keep`` copies (the current ones), sealed."""
    if folder is None or not folder.is_dir():
        return
    names: dict[tuple[str, ...], int] = {}
    rows = []
    for key in keep:
        item = items.get(key)
        if item is None:
            continue
        values = list(_VALUES(item))
        values[_NAMES] = names.setdefault(item.item_names, len(names))
        rows.append((key[0], key[1], values))
    data = msgspec.msgpack.encode({
        "format": FORMAT, "measure": MEASURE_VERSION, "fields": list(_FIELDS),
        "thresholds": dataclasses.asdict(thresholds), "names": list(names), "items": rows})
    with atomic_output(folder / FILE, mode=0o600) as handle:
        handle.write(seal(public_key, data, _INFO))


def save_in_background(folder: Path | None, public_key: Any, thresholds: Thresholds,
                       items: Mapping[CacheKey, InterviewQuality | None],
                       keep: Iterable[CacheKey]) -> threading.Thread | None:
    """:func:`save` a snapshot of ``items`` in a thread, so the report is shown without
    waiting for the file (about 0.7 s at 100,000 interviews). Join the thread before the
    next save and before forgetting the key; a write that fails (full disk) only means the
    next session measures again."""
    if folder is None:
        return None
    snapshot, kept = dict(items), list(keep)

    def write() -> None:
        try:
            save(folder, public_key, thresholds, snapshot, kept)
        except OSError:
            pass

    thread = threading.Thread(target=write, name="fieldapp-quality-cache")
    thread.start()
    return thread
