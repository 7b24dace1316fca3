"""Fonts per language: the right CJK glyph forms for Korean, Chinese and Japanese.

With several CJK fonts installed Qt picks one for every Han character, so Korean text may be
drawn with Chinese forms. We name the regional font first (Noto Sans CJK KR/SC/JP, else the
platform's own), then the others as fallbacks for mixed text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fieldapp.ui.qt import QFont, QFontDatabase

#: Font files a build may ship in ``<resource root>/fonts`` (Linux bundles: Noto Sans CJK).
FONT_SUFFIXES = (".ttc", ".otf", ".ttf")

FAMILIES: dict[str, tuple[str, ...]] = {
    "ko": ("Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo",
           "NanumGothic"),
    "zh": ("Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei UI", "Microsoft YaHei",
           "PingFang SC", "WenQuanYi Micro Hei"),
    "ja": ("Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic UI", "Meiryo UI", "Hiragino Sans",
           "IPAexGothic"),
    "en": ("Noto Sans", "Segoe UI", "Helvetica Neue", "Ubuntu", "Cantarell", "DejaVu Sans"),
}

#: Base pixel sizes by role before the user's scale is applied.
SIZES = {"ui": 15, "small": 13, "title": 22, "question": 22, "stem": 20, "choice": 18,
         "hint": 15, "key": 14, "item": 18}


@cache
def _installed() -> frozenset[str]:
    return frozenset(QFontDatabase.families())


def add_bundled(folder: Path) -> list[str]:
    """Register the fonts shipped in ``folder`` with Qt (a Linux bundle carries Noto Sans CJK:
    its tarball may land on a system without CJK fonts); returns the families added."""
    added: list[str] = []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in FONT_SUFFIXES:
                ident = QFontDatabase.addApplicationFont(str(path))
                if ident >= 0:
                    added += QFontDatabase.applicationFontFamilies(ident)
    if added:
        _installed.cache_clear()
    return added


def families(lang: str) -> list[str]:
    """Installed families for ``lang`` first, then the other scripts as fallbacks."""
    order = [lang] + [other for other in ("en", "ko", "zh", "ja") if other != lang]
    if lang == "en":  # Latin text: a Latin face, then any CJK face for mixed input
        order = ["en", "ko", "zh", "ja"]
    installed = _installed()
    names = [name for code in order for name in FAMILIES.get(code, ()) if name in installed]
    return names or [QFont().defaultFamily()]


def font(lang: str, role: str = "ui", scale: float = 1.0, bold: bool = False) -> QFont:
    """A QFont for text in ``lang`` at a role's size times ``scale``."""
    result = QFont()
    result.setFamilies(families(lang))
    result.setPixelSize(max(9, round(SIZES.get(role, SIZES["ui"]) * scale)))
    if bold:
        result.setWeight(QFont.Weight.DemiBold)
    return result
