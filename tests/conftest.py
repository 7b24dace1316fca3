"""Suite-wide: every test starts in English (core messages render in the current language)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fieldapp import i18n


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Reset the message language before and after each test, whatever the test switched to."""
    i18n.setup("en")
    yield
    i18n.setup("en")
