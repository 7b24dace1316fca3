"""The ``bands`` column: collapsed bands a form author declares for a numeric question.

``1-4|5|6-9`` reads as three bands (1 to 4, 5, 6 to 9); ``11+`` is open-ended. Bands are
reported in the export summary (e.g. GOVCIT's government / middle / citizen split) and never
change the stored answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_

_PART = re.compile(r"^\s*(-?\d+)\s*(?:(-|–)\s*(-?\d+)|(\+))?\s*$")


class BandError(FieldAppError, ValueError):
    """A ``bands`` text that cannot be read (shown in the user's language)."""

    code = "form.bands"


@dataclass(frozen=True)
class Band:
    """Codes ``low`` … ``high`` (``high`` None: open-ended)."""

    low: int
    high: int | None

    @property
    def label(self) -> str:
        """``1–4``, ``5`` or ``11+``."""
        if self.high is None:
            return f"{self.low}+"
        return str(self.low) if self.high == self.low else f"{self.low}–{self.high}"

    def holds(self, value: float) -> bool:
        """True if ``value`` falls in the band."""
        return value >= self.low and (self.high is None or value <= self.high)


def parse_bands(text: str) -> tuple[Band, ...]:
    """Bands from ``1-4|5|6-9``; :class:`BandError` (a ValueError) naming the problem
    (empty text: no bands)."""
    if not text.strip():
        return ()
    bands: list[Band] = []
    for part in text.split("|"):
        match = _PART.match(part)
        if match is None:
            raise BandError(N_("'{band}' is not a band (write e.g. 1-4|5|6-9 or 11+)"),
                            code="form.bands-not-a-band", band=part.strip())
        low = int(match.group(1))
        high = None if match.group(4) else int(match.group(3) or low)
        if high is not None and high < low:
            raise BandError(N_("band '{band}' ends before it starts"),
                            code="form.bands-backwards", band=part.strip())
        bands.append(Band(low, high))
    for a, b in pairwise(bands):
        if a.high is None or b.low <= a.high:
            raise BandError(N_("bands '{first}' and '{second}' overlap or are out of order"),
                            code="form.bands-overlap", first=a.label, second=b.label)
    return tuple(bands)
