"""Column headers of the survey and choices sheets: aliases, languages and column families.

A header reads as ``base[::sub][::language]``: ``label::Korean (ko)``, ``media::image::en``,
``bind::jr:requiredMsg::fr``, ``body::accept``, ``instance::tag``. The families ``bind::``,
``body::`` and ``instance::`` are XForm attributes; those that change what happens on a
laptop are honoured, the rest are accepted and listed once by ``forms check`` (never an
error): they describe ODK Collect's screen or the XML submission, which fieldapp does not
produce.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.i18n import N_

MULTILINGUAL = frozenset({"label", "hint", "constraint_message", "required_message",
                          "guidance_hint"})
MEDIA = frozenset({"image", "big-image", "audio", "video"})
COLUMN_ALIASES = {
    "caption": "label",
    "relevance": "relevant",
    "constraint message": "constraint_message",
    "constraining_message": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "required message": "required_message",
    "requiredmsg": "required_message",
    "jr:requiredmsg": "required_message",
    "calculate": "calculation",
    "list name": "list_name",
    "jr:count": "repeat_count",
    "count": "repeat_count",
    "read only": "read_only",
    "readonly": "read_only",
    "choice filter": "choice_filter",
    "guidance hint": "guidance_hint",
    "value": "name",
    "command": "type",
    "big_image": "big-image",
    "bigimage": "big-image",
}
#: Aliases pyxform knows on the survey sheet only (on choices these stay custom columns).
SURVEY_ALIASES = {"tag": "name"}
SURVEY_COLUMNS = frozenset({
    "type", "name", "label", "hint", "required", "required_message", "relevant",
    "constraint", "constraint_message", "calculation", "default", "appearance",
    "choice_filter", "read_only", "repeat_count", "parameters", "guidance_hint", "trigger",
})
#: ``bind::`` attributes with a meaning here → the column they stand for.
BIND_HONOURED = {
    "jr:requiredmsg": "required_message", "jr:constraintmsg": "constraint_message",
    "relevant": "relevant", "required": "required", "constraint": "constraint",
    "calculate": "calculation", "readonly": "read_only",
}
#: ``body::`` attributes with a meaning here (file type filter; text box height).
BODY_HONOURED = frozenset({"accept", "rows"})
#: Plain columns pyxform puts on the XForm body / bind that mean nothing on a laptop.
IGNORED_COLUMNS = {
    "autoplay": N_("media plays when the enumerator presses Play, never by itself"),
    "no_app_error_string": N_("ODK Collect's message for a missing app"),
    "noapperrorstring": N_("ODK Collect's message for a missing app"),
    "save_to": N_("entities are not kept on the laptop; the answer is recorded as usual"),
    "compact_tag": N_("SMS / compact submission tags are not used"),
    "sms_field": N_("SMS submission is not used"),
    "sms_option": N_("SMS submission is not used"),
    "sms_separator": N_("SMS submission is not used"),
    "sms_allow_media": N_("SMS submission is not used"),
    "sms_date_format": N_("SMS submission is not used"),
    "sms_datetime_format": N_("SMS submission is not used"),
    "sms_response": N_("SMS submission is not used"),
}
FAMILY_REASON = {
    "bind": N_("XForm bind attribute for ODK's engine"),
    "body": N_("display attribute for ODK Collect's screen"),
    "instance": N_("attribute of the XML submission, which fieldapp does not produce"),
}


@dataclass(frozen=True)
class Column:
    """What a header means: ``kind`` is ``plain``, ``text`` (per language), ``media``,
    ``body``, ``ignored`` or ``extra`` (a custom column kept as it is)."""

    kind: str
    key: str
    lang: str | None = None
    sub: str = ""
    reason: str = ""


def _base(header: str) -> tuple[str, list[str]]:
    if "::" in header:
        parts = [p.strip() for p in header.split("::")]
    else:
        head, sep, rest = header.partition(":")
        candidate = head.strip().lower()
        if sep and (candidate in MULTILINGUAL or candidate in MEDIA
                    or candidate in ("media", "bind", "body", "instance")):
            parts = [head.strip(), rest.strip()]
        else:
            parts = [header.strip()]
    key = parts[0].lower()
    key = COLUMN_ALIASES.get(key, COLUMN_ALIASES.get(" ".join(key.split("_")), key))
    return key, parts[1:]


def read_column(header: str, known: frozenset[str]) -> Column:
    """Classify one header of a sheet whose plain columns are ``known``."""
    key, rest = _base(header)
    if key in SURVEY_ALIASES and not rest and "type" in known:
        key = SURVEY_ALIASES[key]
    if key == "media" and rest:
        key, rest = COLUMN_ALIASES.get(rest[0].lower(), rest[0].lower()), rest[1:]
        if key not in MEDIA:
            return Column("ignored", header, reason=N_("unknown media kind"))
    if key in MEDIA:
        return Column("media", key, rest[0] if rest else None)
    if key in MULTILINGUAL:
        return Column("text", key, rest[0] if rest and rest[0] else None)
    if key in ("bind", "body", "instance") and rest:
        attribute = rest[0]
        lang = rest[1] if len(rest) > 1 and rest[1] else None
        if key == "bind" and attribute.lower() in BIND_HONOURED:
            target = BIND_HONOURED[attribute.lower()]
            return Column("text" if target in MULTILINGUAL else "plain", target, lang)
        if key == "body" and attribute.lower() in BODY_HONOURED:
            return Column("body", attribute.lower())
        return Column("ignored", header, reason=FAMILY_REASON[key])
    if key in IGNORED_COLUMNS:
        return Column("ignored", header, reason=IGNORED_COLUMNS[key])
    if key in ("rows",):
        return Column("body", key)
    if key in known:
        return Column("plain", key)
    return Column("extra", header.strip())
