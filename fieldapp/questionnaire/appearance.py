"""The ``search()`` appearance: a select question whose choices are rows of a CSV file.

``search('households')`` offers every row of ``households.csv``;
``search('households', 'matches', 'village', ${village})`` only rows whose ``village`` column
equals the answer (``contains``, ``startswith``, ``endswith`` compare text; a second
column/value pair narrows further, as in ODK Collect). The question's list on the
``choices`` sheet has one row naming the CSV columns: its ``name`` is the column holding
the codes, its label (per language) the column(s) shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_

MODES = ("matches", "contains", "startswith", "endswith")
_CALL = re.compile(r"search\s*\(")


class SearchError(FieldAppError, ValueError):
    """The appearance is not a readable ``search()`` call."""


@dataclass(frozen=True)
class SearchSpec:
    """A parsed ``search()`` appearance."""

    file: str  # the CSV file name (``.csv`` added)
    mode: str = ""
    filters: tuple[tuple[str, str], ...] = ()  # (column, expression giving the value)


def _arguments(text: str) -> list[str]:
    args, depth, quote, current = [], 0, "", []
    for char in text:
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            current.append(char)
        elif char == "(":
            depth += 1
            current.append(char)
        elif char == ")":
            if depth == 0:
                args.append("".join(current).strip())
                return args
            depth -= 1
            current.append(char)
        elif char == "," and depth == 0:
            args.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    raise SearchError(N_("the closing ')' is missing"), code="appearance.closing-missing")


def _literal(arg: str) -> str:
    if len(arg) >= 2 and arg[0] == arg[-1] and arg[0] in "'\"":
        return arg[1:-1]
    raise SearchError(N_("{arg} should be a quoted text"),
                      code="appearance.should-quoted-text", arg=arg)


def search_spec(appearance: str) -> SearchSpec | None:
    """The search() call of an appearance, or None when it has none."""
    match = _CALL.search(appearance)
    if match is None:
        return None
    args = _arguments(appearance[match.end():])
    if not args or not args[0]:
        raise SearchError(N_("the CSV file name is missing"),
                          code="appearance.csv-file-name-missing")
    file = _literal(args[0])
    if not file.lower().endswith(".csv"):
        file += ".csv"
    if len(args) == 1:
        return SearchSpec(file)
    mode = _literal(args[1]).lower()
    if mode not in MODES:
        raise SearchError(N_("'{mode}' is not one of {join}"),
                          code="appearance.not", mode=mode, join=', '.join(MODES))
    rest = args[2:]
    if len(rest) not in (2, 4):
        raise SearchError(N_("give a column and a value (or two pairs) after the mode"),
                          code="appearance.give-column-value-two")
    filters = tuple((_literal(rest[i]), rest[i + 1]) for i in range(0, len(rest), 2))
    return SearchSpec(file, mode, filters)


def matches(mode: str, cell: str, wanted: str) -> bool:
    """One filter: ``matches`` compares whole text, the others parts of it."""
    if mode == "contains":
        return wanted in cell
    if mode == "startswith":
        return cell.startswith(wanted)
    if mode == "endswith":
        return cell.endswith(wanted)
    return cell == wanted
