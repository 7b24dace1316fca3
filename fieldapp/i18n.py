"""UI message catalogs (gettext via Babel) shared by the CLI and the GUI; no Qt here.

``_()`` translates at display time, ``N_()`` marks module-level constants,
``ngettext()`` handles plurals. Catalogs live in ``fieldapp/locale/<lang>/LC_MESSAGES``.
"""

from __future__ import annotations

import gettext as _gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "fieldapp"
#: UI languages: code → name in that language.
UI_LANGUAGES = {"en": "English", "ko": "한국어", "zh": "简体中文", "ja": "日本語"}
#: Catalog directory names (Babel locales) for our short codes.
CATALOG_LOCALES = {"en": "en", "ko": "ko", "zh": "zh_Hans", "ja": "ja"}

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_current = "en"


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


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count."""
    return _translations.ngettext(singular, plural, n)
