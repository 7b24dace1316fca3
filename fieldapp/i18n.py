"""UI message catalogs (gettext via Babel) shared by the CLI and the GUI; no Qt here.

``_()`` translates at display time, ``N_()`` marks module-level constants,
``ngettext()`` handles plurals. Catalogs live in ``fieldapp/locale/<lang>/LC_MESSAGES``.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Mapping
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "fieldapp"
#: UI languages: code → name in that language.
UI_LANGUAGES = {"en": "English", "ko": "한국어", "zh": "简体中文", "ja": "日本語"}
#: Catalog directory names (Babel locales) for our short codes.
CATALOG_LOCALES = {"en": "en", "ko": "ko", "zh": "zh_Hans", "ja": "ja"}

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_current = "en"
_catalogs: dict[str, _gettext.NullTranslations] = {}


def setup(lang: str) -> None:
    """Switch the UI language (falls back to English source text when no catalog exists)."""
    global _translations, _current
    locale = CATALOG_LOCALES.get(lang, lang)
    _translations = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale], fallback=True)
    _current = lang


def current_language() -> str:
    """The active UI language code."""
    return _current


def _(message: str) -> str:
    """Translate ``message`` into the UI language."""
    return _translations.gettext(message)


def translate_in(message: str, lang: str | None = None) -> str:
    """Translate ``message`` into ``lang`` (the current language when None)."""
    if lang is None or lang == _current:
        return _translations.gettext(message)
    catalog = _catalogs.get(lang)
    if catalog is None:
        locale = CATALOG_LOCALES.get(lang, lang)
        catalog = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale], fallback=True)
        _catalogs[lang] = catalog
    return catalog.gettext(message)


def language_from_environment(environ: Mapping[str, str], default: str = "en") -> str:
    """The UI language a command line should speak: ``FIELDAPP_LANG``, else the POSIX locale
    variables (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, ``LANGUAGE``); ``default`` (a team
    build's preset language, else English) when none is set, as on Windows."""
    for name in ("FIELDAPP_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = environ.get(name, "")
        if not value:
            continue
        code = value.split(":")[0].split(".")[0].split("@")[0].replace("-", "_").lower()
        short = code.split("_")[0]
        if short in UI_LANGUAGES:
            return short
        if name != "LANGUAGE":
            return "en"
    return default if default in UI_LANGUAGES else "en"


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count."""
    return _translations.ngettext(singular, plural, n)


# ----- formatting for the UI locale (Babel is imported lazily: it is slow to load) ---------
#: Babel locale identifiers for our short codes.
BABEL_LOCALES = {"en": "en_GB", "ko": "ko_KR", "zh": "zh_Hans_CN", "ja": "ja_JP"}


def babel_locale(lang: str | None = None) -> str:
    """The Babel locale for a UI language (the current one by default)."""
    return BABEL_LOCALES.get(lang or _current, "en_GB")


def format_date(value: object, format: str = "medium", lang: str | None = None) -> str:
    """A date in the UI language (e.g. ``2026. 11. 22.`` / ``2026年11月22日``)."""
    from babel.dates import format_date as fmt

    return str(fmt(value, format=format, locale=babel_locale(lang)))  # type: ignore[arg-type]


def _local(value: object) -> object:
    import datetime as dt

    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


def format_time(value: object, format: str = "short", lang: str | None = None) -> str:
    """A local time of day, 24-hour, in the UI locale ("short" = H:mm, "medium" = H:mm:ss)."""
    from babel.dates import format_skeleton

    skeleton = "Hms" if format == "medium" else "Hm"
    return str(format_skeleton(skeleton, _local(value), locale=babel_locale(lang)))  # type: ignore[arg-type]


def format_datetime(value: object, format: str = "short", lang: str | None = None) -> str:
    """A local date and time in the UI locale (the date's ``format``, then a 24-hour time)."""
    local = _local(value)
    return f"{format_date(local, format, lang)} {format_time(local, 'short', lang)}"


def format_number(value: float, lang: str | None = None) -> str:
    """A number with the UI locale's grouping and decimal signs."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=babel_locale(lang)))


def format_percent(value: float, lang: str | None = None) -> str:
    """A fraction (0.42) as a percentage in the UI locale (42%)."""
    from babel.numbers import format_percent as fmt

    return str(fmt(value, locale=babel_locale(lang)))
