"""Core messages that reach the screen but are not marked for extraction where they are raised.

``fieldapp.interview.values`` raises InvalidValue with plain English text and the engine
translates it with ``_(str(exc))``; listing the texts here puts them in the catalog.
"""

from __future__ import annotations

from fieldapp.i18n import N_

VALUE_ERRORS = (
    N_("expected one choice"),
    N_("expected a whole number"),
    N_("expected a number"),
    N_("expected a finite number"),
    N_("expected a date as YYYY-MM-DD"),
    N_("expected a date and time in ISO format"),
    N_("expected a time as HH:MM"),
)
