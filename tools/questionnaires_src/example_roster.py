"""Form example_household_roster: a small household roster (a repeat group).

**Not one of the research network's instruments**: the seeds have no household roster. It
ships under ``questionnaires/examples/`` so that rosters can be tried on a shipped form (the
README's ``ANSWERS.json`` example records it); every row is marked as authored.
"""

from __future__ import annotations

from .core import Choice, Group, Row, T, choices, count, integer, note, select, text
from .dem import CITY, SEX

SRC = "authored example (not a network instrument; no seed source)"
TOPIC_NOTE = T(
    "EXAMPLE FORM. It shows a household roster (a repeat group: one entry per household "
    "member). It is not one of the research network's instruments and has no source in the "
    "seeds.",
    "예시 양식입니다. 가구원 명부(가구원마다 한 번씩 반복되는 문항 묶음)를 보여 줍니다. "
    "연구 네트워크의 조사표가 아니며, 근거 문헌도 없습니다.",
    "示例问卷。用于演示家庭成员表（每位家庭成员重复填写一组问题）。它不是研究网络的"
    "调查问卷，也没有文献来源。",
    "記入例の調査票です。世帯員名簿（世帯員ごとに繰り返す質問のまとまり）を示すものです。"
    "研究ネットワークの調査票ではなく、出典となる文献もありません。",
)
RELATION = choices(
    "relation",
    Choice("1", T("the respondent", "응답자 본인", "受访者本人", "回答者本人")),
    Choice("2", T("spouse or partner", "배우자·동거인", "配偶或伴侣", "配偶者・パートナー")),
    Choice("3", T("child", "자녀", "子女", "子ども")),
    Choice("4", T("parent", "부모", "父母", "親")),
    Choice("5", T("brother or sister", "형제자매", "兄弟姐妹", "きょうだい")),
    Choice("6", T("other relative", "기타 친척", "其他亲属", "その他の親族")),
    Choice("7", T("not related", "친척 아님", "非亲属", "親族ではない")),
)


def rows() -> list[Row]:
    """The example's survey rows after the metadata (the assembler adds the closing note)."""
    roster = Group(
        "hh",
        T("Household member", "가구원", "家庭成员", "世帯員"),
        source=SRC + "; roster: one entry per household member", kind="repeat",
        rows=[
            text("name", T("First name or initials of the household member",
                           "가구원의 이름 또는 이니셜", "家庭成员的名字或姓名缩写",
                           "世帯員の名前またはイニシャル"), source=SRC),
            select(RELATION, "rel", T("Relationship to the respondent", "응답자와의 관계",
                                      "与受访者的关系", "回答者との続柄"), source=SRC),
            select(SEX, "sex", T("Sex", "성별", "性别", "性別"), source=SRC),
            count("age", T("Age in completed years", "만 나이", "周岁年龄", "満年齢"),
                  maximum=120, source=SRC),
        ],
    )
    return [
        note("EXAMPLE", TOPIC_NOTE, source=SRC),
        select(CITY, "city", T("City", "도시", "城市", "都市"), source=SRC),
        integer("HH01", T("How many people usually live in this household, including you?",
                          "귀하를 포함하여 이 가구에 평소 함께 사는 사람은 몇 명입니까?",
                          "包括您在内，这个家庭平时共有几个人一起居住？",
                          "あなたを含めて、この世帯にふだん一緒に住んでいるのは何人ですか。"),
                constraint=". >= 1 and . <= 30",
                constraint_message=T("Enter a number from 1 to 30.",
                                     "1에서 30 사이의 숫자를 입력하십시오.",
                                     "请填写1至30之间的数字。",
                                     "1から30までの数字を入力してください。"),
                source=SRC),
        *roster.flatten(),
    ]
