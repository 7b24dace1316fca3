"""Interview ids typed by people: the full UUID or any unique prefix of at least six
characters, as git accepts abbreviated commit ids."""

from __future__ import annotations

from collections.abc import Iterable

from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_

#: Shortest prefix accepted (fewer characters match too many ids to be safe).
MIN_PREFIX = 6
#: How many candidates an "ambiguous" error names.
SHOWN_CANDIDATES = 5


def resolve_prefix(given: str, ids: Iterable[str]) -> str:
    """The one id in ``ids`` equal to ``given`` or starting with it (case-insensitive).

    Errors (one line each): a prefix shorter than :data:`MIN_PREFIX`; a prefix matching
    several ids (the first few are named). When nothing matches, ``given`` is returned as
    it is, so the caller's own lookup reports it missing in its own words.
    """
    text = given.strip().lower()
    known = list(ids)
    if text in known:
        return text
    if len(text) < MIN_PREFIX and text:
        raise FieldAppError(N_("interview {id}: give at least {n} characters of its id"),
                            code="interview.prefix_short", id=given, n=MIN_PREFIX)
    matches = sorted(i for i in known if i.lower().startswith(text))
    if not matches:
        return given
    if len(matches) > 1:
        shown = ", ".join(matches[:SHOWN_CANDIDATES]) + (
            ", …" if len(matches) > SHOWN_CANDIDATES else "")
        raise FieldAppError(N_("interview {id} is ambiguous: {n} interviews start with it "
                               "({candidates}); give more characters"),
                            code="interview.ambiguous", id=given, n=len(matches),
                            candidates=shown)
    return matches[0]
