"""Deterministic answers for the crash test: Hangul, Han, Kana, emoji, 0–10 KB each."""

from __future__ import annotations

import random

QUESTIONS = 20
FORM_MD = "| survey |\n| | type | name | label |\n" + "".join(
    f"| | text | t{i} | Text {i} |\n" for i in range(QUESTIONS)
) + "| settings |\n| | form_id | version |\n| | crash | 1 |\n"
ALPHABET = "가나다라마바사한국어中文北京東京ひらがなカタカナ😀abc 123"


def value_for(i: int) -> tuple[str, str]:
    """The i-th autosave: which question and which text."""
    rng = random.Random(i)
    size = rng.choice([0, 1, 10, 200, 2000, 10000])
    body = "".join(rng.choice(ALPHABET) for _ in range(size))
    return f"t{i % QUESTIONS}", f"{i}:{body}"
