"""A small questionnaire for UI behaviour the shipped forms do not exercise (live skip logic on
a field-list page, a roster with add/remove), installed on the test device."""

from __future__ import annotations

from pathlib import Path

from tests.support.devices import open_session
from tests.support.formtools import md_to_xlsx

HOUSEHOLD = """
| survey |
| | type | name | label::English (en) | label::Korean (ko) | required | relevant | appearance | constraint | constraint_message::English (en) | constraint_message::Korean (ko) |
| | begin group | g | Household | 가구 | | | field-list | | | |
| | select_one yn | pets | Any pets? | 반려동물이 있습니까? | yes | | | | | |
| | integer | npets | How many pets? | 몇 마리입니까? | yes | ${pets} = '1' | | . >= 1 and . <= 20 | From 1 to 20 | 1에서 20 사이 |
| | end group | | | | | | | | | |
| | begin repeat | member | Household member | 가구원 | | | | | | |
| | text | m_name | Name of member | 가구원 이름 | yes | | | | | |
| | end repeat | | | | | | | | | |
| | note | bye | Thank you | 감사합니다 | | | | | | |
| choices |
| | list_name | name | label::English (en) | label::Korean (ko) |
| | yn | 1 | Yes | 예 |
| | yn | 2 | No | 아니요 |
| settings |
| | form_id | version | default_language | form_title |
| | household_test | 1 | English (en) | Household test |
"""


def install_household(data: Path, tmp: Path) -> None:
    """Install the household test form on the device in ``data``."""
    path = md_to_xlsx(HOUSEHOLD, tmp / "household_test.xlsx")
    with open_session(data) as session:
        session.install_form(path)
