"""One ordering of questionnaire versions, used wherever "the newest version" is chosen.

Versions are compared the way people read them: runs of digits as numbers, the rest as
text, so ``2`` < ``10``, ``v2`` < ``v10``, ``1.9`` < ``1.10`` and ``2024010101`` <
``2024010102``.
"""

from __future__ import annotations

import re

_RUNS = re.compile(r"\d+|\D+")


def version_key(version: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key for ``version`` (larger = newer)."""
    return tuple((0, int(run), "") if run.isdigit() else (1, 0, run)
                 for run in _RUNS.findall(version.strip()))


def newest(versions: list[str]) -> str:
    """The newest of ``versions`` (ValueError if there is none)."""
    return max(versions, key=version_key)
