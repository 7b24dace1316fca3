"""Question type names: every spelling the XLSForm spec and pyxform accept → one canonical type.

The table follows pyxform 4.5's question-type dictionary and its select/control regular
expressions (legacy ``q …``/``add … prompt`` names, ``select one from X``, ``select all that
apply X``, ``… or specify other``, ``phone number``, ``percentage``, …). Matching ignores case
and repeated spaces, so a form pyxform rejects only for capitalisation still loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fieldapp.i18n import N_

#: Types recorded on a laptop and the spellings that mean them.
_ALIASES: dict[str, tuple[str, ...]] = {
    "integer": ("int", "q int", "add integer prompt"),
    "decimal": ("q decimal", "add decimal prompt"),
    "text": ("string", "q string", "add text prompt"),
    "note": ("q note", "add note prompt"),
    "date": ("q date", "add date prompt"),
    "time": (),
    "datetime": ("date time", "q date time", "q datetime", "add date time prompt",
                 "add datetime prompt"),
    "calculate": ("calculation", "q calculate", "add calculate prompt"),
    "acknowledge": ("q acknowledge", "add acknowledge prompt", "trigger"),
    "geopoint": ("gps", "location", "q geopoint", "q location", "add location prompt"),
    "geotrace": ("q geotrace",),
    "geoshape": ("q geoshape",),
    "start-geopoint": (),
    "barcode": ("q barcode", "add barcode prompt"),
    "image": ("photo", "q image", "q picture", "add image prompt", "add photo prompt"),
    "audio": ("q audio", "add audio prompt"),
    "video": ("q video", "add video prompt"),
    "file": ("add file prompt",),
    "range": (),
    "hidden": (),
    "start": ("start time", "get start time"),
    "end": ("end time", "get end time"),
    "today": ("get today",),
    "deviceid": ("device id", "imei", "get device id", "uri:deviceid"),
    "username": ("uri:username",),
    "email": ("uri:email",),
    "phonenumber": ("get phone number", "uri:phonenumber"),
    "simserial": ("sim id", "get sim id", "uri:simserial"),
    "subscriberid": ("subscriber id", "get subscriber id", "uri:subscriberid"),
    "audit": (),
    "xml-external": (),
    "csv-external": (),
    "begin group": ("begin_group", "begin field-list", "begin_field-list"),
    "end group": ("end_group", "end field-list", "end_field-list"),
    "begin repeat": ("begin_repeat", "begin lgroup", "begin_lgroup", "begin looped group",
                     "begin_looped group"),
    "end repeat": ("end_repeat", "end lgroup", "end_lgroup", "end looped group",
                   "end_looped group"),
}
#: Spellings that carry a constraint, as pyxform writes them into the bind.
IMPLIED: dict[str, tuple[str, str]] = {
    "phone number": ("text", r"regex(., '^\d*$')"),
    "percentage": ("integer", "0 <= . and . <= 100"),
    "number of days in last month": ("integer", "0 <= . and . <= 31"),
    "number of days in last six months": ("integer", "0 <= . and . <= 183"),
    "number of days in last year": ("integer", "0 <= . and . <= 365"),
}
#: Types pyxform accepts that cannot be recorded on a laptop, with the reason (one line,
#: the same text as in docs/xlsform.md; translated when shown).
REFUSED: dict[str, str] = {
    "background-audio": N_("background audio recording needs a phone's microphone service "
                           "running during the whole interview"),
    "background-geopoint": N_("background location needs a GPS receiver reporting while the "
                              "form is filled"),
    "osm": N_("OpenStreetMap feature capture needs ODK Collect's OSM mapping app"),
    "cascading select": N_("the pre-2013 'cascading select' type is obsolete; use "
                           "choice_filter"),
    "include": N_("'include' of another form is not supported (pyxform has no include "
                  "either)"),
}
_LOOKUP: dict[str, str] = {}
for _canonical, _spellings in _ALIASES.items():
    _LOOKUP[_canonical] = _canonical
    for _spelling in _spellings:
        _LOOKUP[_spelling] = _canonical
del _canonical, _spellings

_SELECT_COMMANDS = {
    "select_one": "select_one", "select one": "select_one", "select1": "select_one",
    "q select1": "select_one", "select one from": "select_one",
    "select one using": "select_one", "add select one prompt using": "select_one",
    "select_multiple": "select_multiple", "select multiple": "select_multiple",
    "select all that apply": "select_multiple", "select all that apply from": "select_multiple",
    "select multiple from": "select_multiple", "select multiple using": "select_multiple",
    "q select": "select_multiple", "add select multiple prompt using": "select_multiple",
    "rank": "rank",
}
_FROM_FILE = {
    "select_one_from_file": "select_one", "select one from file": "select_one",
    "select_multiple_from_file": "select_multiple",
    "select multiple from file": "select_multiple",
}
_EXTERNAL = {"select_one_external": "select_one", "select one external": "select_one",
             "select_multiple_external": "select_multiple"}
_OTHER = r"(?:\s+(?P<other>or specify other|or_other|or other))?"


def _alternation(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore


_SELECT = re.compile(rf"^(?P<cmd>{_alternation(_SELECT_COMMANDS)})\s+(?P<list>\S+){_OTHER}$")
_FILE = re.compile(rf"^(?P<cmd>{_alternation(_FROM_FILE)})\s+(?P<list>\S+){_OTHER}$")
_EXT = re.compile(rf"^(?P<cmd>{_alternation(_EXTERNAL)})\s+(?P<list>\S+){_OTHER}$")
_BEGIN_LOOP = re.compile(r"^begin[\s_]loop(?:\s+over)?\s+(?P<list>\S+)$")


@dataclass(frozen=True)
class TypeSpec:
    """A survey row's type, read: the canonical type and what the type cell also said."""

    kind: str
    list_name: str | None = None
    or_other: bool = False
    source: str = ""  # "file" (select_*_from_file) or "external" (external_choices sheet)
    constraint: str | None = None  # implied by the type name (percentage, phone number…)
    refused: str | None = None  # why a laptop cannot record it


def read_type(raw: str) -> TypeSpec:
    """Read a type cell. Unknown types come back as they were written (lower case)."""
    text = " ".join(raw.split())
    lowered = text.lower()
    if lowered in IMPLIED:
        kind, constraint = IMPLIED[lowered]
        return TypeSpec(kind, constraint=constraint)
    if lowered in _LOOKUP:
        return TypeSpec(_LOOKUP[lowered])
    for pattern, table, source in ((_FILE, _FROM_FILE, "file"), (_EXT, _EXTERNAL, "external"),
                                   (_SELECT, _SELECT_COMMANDS, "")):
        match = pattern.match(lowered)
        if match:
            # the list (or file) name keeps the author's case: list names are case-sensitive
            start = match.start("list")
            name = text[start:start + len(match.group("list"))]
            return TypeSpec(table[match.group("cmd")], name, bool(match.group("other")), source)
    if lowered in _SELECT_COMMANDS or lowered in _FROM_FILE or lowered in _EXTERNAL:
        return TypeSpec(_SELECT_COMMANDS.get(lowered) or _FROM_FILE.get(lowered)
                        or _EXTERNAL[lowered], source="file" if lowered in _FROM_FILE else "")
    loop = _BEGIN_LOOP.match(lowered)
    if loop:
        start = loop.start("list")
        return TypeSpec("begin loop", text[start:start + len(loop.group("list"))])
    if lowered in ("end loop", "end_loop"):
        return TypeSpec("end loop")
    for name, reason in REFUSED.items():
        if lowered == name or lowered.startswith(name + " "):
            return TypeSpec(name, refused=reason)
    return TypeSpec(lowered)
