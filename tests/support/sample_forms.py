"""Small questionnaires written as markdown tables (see tests/support/formtools.py)."""

from __future__ import annotations

HOUSEHOLD = """
| survey |
| | type | name | label::English (en) | label::Korean (ko) | hint::English (en) | hint::Korean (ko) | required | relevant | constraint | constraint_message::English (en) | constraint_message::Korean (ko) | appearance | choice_filter | repeat_count | calculation |
| | start | start | | | | | | | | | | | | | |
| | deviceid | deviceid | | | | | | | | | | | | | |
| | select_one city | city | City | 도시 | | | yes | | | | | | | | |
| | select_one district | district | District | 구 | | | yes | | | | | | city=${city} | | |
| | integer | hh_size | Household size | 가구원 수 | Count everyone | 모두 세십시오 | yes | | . >= 1 and . <= 20 | 1 to 20 | 1에서 20 사이 | | | | |
| | begin repeat | member | Member | 가구원 | | | | | | | | | | ${hh_size} | |
| | text | m_name | Name | 이름 | | | yes | | | | | | | | |
| | integer | m_age | Age | 나이 | | | yes | | . < 120 | Too old | 너무 많음 | | | | |
| | end repeat | | | | | | | | | | | | | | |
| | begin group | anx | Anxiety | 불안 | | | | ${hh_size} > 0 | | | | field-list | | | |
| | select_one likert4 | ANX1 | Competition | 경쟁 | | | yes | | | | | likert | | | |
| | select_multiple worry or_other | worries | Worries | 걱정 | | | | | | | | | | | |
| | end group | | | | | | | | | | | | | | |
| | calculate | adults | | | | | | | | | | | | | count(${m_age}) |
| | note | bye | Thanks ${adults} | 감사 ${adults} | | | | | | | | | | | |
| choices |
| | list_name | name | label::English (en) | label::Korean (ko) | city |
| | city | seoul | Seoul | 서울 | |
| | city | tokyo | Tokyo | 도쿄 | |
| | district | mapo | Mapo | 마포구 | seoul |
| | district | setagaya | Setagaya | 세타가야구 | tokyo |
| | likert4 | 1 | Not at all | 전혀 | |
| | likert4 | 2 | A little | 조금 | |
| | likert4 | 98 | Don't know | 모름 | |
| | worry | a | Money | 돈 | |
| | worry | b | Health | 건강 | |
| settings |
| | form_id | version | form_title | default_language |
| | household | 2024010101 | Household | English (en) |
"""
KOBO_STYLE = """
| survey |
| | type | name | label | required | relevance | constraint | constraint message | appearance |
| | today | today | | | | | | |
| | select one yes_no | consent | Do you agree? | true | | | | horizontal |
| | begin_group | grp | Group | | ${consent} = 'yes' | | | |
| | decimal | weight | Weight (kg) | TRUE | | . > 0 | Must be positive | |
| | date | dob | Date of birth | no | | . < today() | In the past | |
| | end_group | | | | | | | |
| choices |
| | list name | name | label |
| | yes_no | yes | Yes |
| | yes_no | no | No |
"""
NESTED = """
| survey |
| | type | name | label | relevant | repeat_count | calculation | appearance |
| | integer | n_hh | Households | | | | |
| | begin repeat | hh | Household | | ${n_hh} | | |
| | text | head | Head | | | | |
| | select_multiple assets | assets | Assets | | | | minimal |
| | begin group | car_grp | Car | selected(${assets}, 'car') | | | field-list |
| | integer | cars | How many cars | | | | |
| | decimal | car_age | Age of newest car | ${cars} > 0 | | | |
| | end group | | | | | | |
| | begin repeat | child | Child | | | | |
| | text | child_name | Child name | | | | |
| | end repeat | | | | | | |
| | calculate | n_assets | | | | count-selected(${assets}) | |
| | end repeat | | | | | | |
| | calculate | total_cars | | | | sum(${cars}) | |
| choices |
| | list_name | name | label |
| | assets | car | Car |
| | assets | tv | Television |
"""
