"""Form three_city_2012: SHIM's 2012 survey in Seoul, Beijing and Tokyo (ANX, FAM, CITY).

Seed: 000:L503–562 (Shim, Kim & Kim 2014); instruments.md §4.1–4.3 and the proposed
modules ANX, FAM, CITY.  English item wording is verbatim, character for character
(including the seeds' lower-case initials and grammar).
"""

from __future__ import annotations

from .core import BIPOLAR_HINT, Choice, Group, T, bipolar, choices, likert, scale

WAVE = choices(
    "wave",
    Choice("2012", T("2012 survey", "2012년 조사", "2012年调查", "2012年調査")),
    dk=False,
)
TOPIC = T("everyday life, the family and the future of your city",
          "일상생활과 가족, 그리고 도시의 미래",
          "日常生活、家庭和城市的未来",
          "日常生活、家族、そして都市の将来")

# ANX: the seed gives no scale; 4 points "not at all" … "very strong" (instruments.md).
ANX_SCALE = scale("anx4", [
    T("Not at all strong", "전혀 느끼지 않는다", "一点也不强烈", "まったく感じない"),
    T("Not very strong", "별로 느끼지 않는다", "不太强烈", "あまり感じない"),
    T("Somewhat strong", "다소 강하게 느낀다", "比较强烈", "やや強く感じる"),
    T("Very strong", "매우 강하게 느낀다", "非常强烈", "とても強く感じる"),
], inferred=(1, 2, 3, 4))

# FAM: 1 and 4 are verbatim (000:L533); 2 and 3 are inferred (instruments.md §4.2).
SERIOUS_SCALE = scale("serious4", [
    T("not serious at all", "전혀 심각하지 않다", "一点也不严重", "まったく深刻でない"),
    T("not very serious", "별로 심각하지 않다", "不太严重", "あまり深刻でない"),
    T("somewhat serious", "다소 심각하다", "比较严重", "やや深刻だ"),
    T("very serious", "매우 심각하다", "非常严重", "とても深刻だ"),
], inferred=(2, 3))

SRC_ANX = "000:L508 SHIM 2012 three-city survey; wording verbatim"
ANX_ITEMS = [
    ("ANX1", "work", T(
        "I feel anxious that I might fall behind because the competition is too severe "
        "in our society",
        "우리 사회는 경쟁이 너무 치열해서 내가 뒤처질까 봐 불안하다",
        "我们社会的竞争太激烈了，我担心自己会落在别人后面",
        "私たちの社会は競争が激しすぎるので、自分が取り残されるのではないかと不安だ")),
    ("ANX2", "family", T(
        "I am worried whether I could manage it if a member of the family get sick or "
        "encounters an accident",
        "가족 중 누군가가 병에 걸리거나 사고를 당하면 내가 감당할 수 있을지 걱정된다",
        "如果家人生病或遭遇意外，我担心自己能不能应付得了",
        "家族の誰かが病気になったり事故にあったりしたら、自分でやっていけるか心配だ")),
    ("ANX3", "family", T(
        "I am worried if my home economy becomes needy due to economic crisis",
        "경제 위기로 우리 집 살림이 어려워질까 봐 걱정된다",
        "我担心经济危机会使我家的经济状况变得拮据",
        "経済危機のために家計が苦しくなるのではないかと心配だ")),
    ("ANX4", "relation", T(
        "I feel lonely and desolate because I have no one who understands me",
        "나를 이해해 주는 사람이 없어서 외롭고 쓸쓸하다",
        "因为没有人理解我，我感到孤独、凄凉",
        "自分をわかってくれる人がいないので、孤独でわびしい")),
]

SRC_FAM = "000:L533 SHIM 2012 three-city survey; wording verbatim"
FAM_ITEMS = [
    ("FAM1", "second_modern", T("divorce", "이혼", "离婚", "離婚")),
    ("FAM2", "second_modern", T("low fertility", "저출산", "低生育率", "少子化")),
    ("FAM3", "first_modern", T(
        "decrease in the parent’s role in home education",
        "가정교육에서 부모 역할의 약화",
        "父母在家庭教育中作用的减弱",
        "家庭教育における親の役割の低下")),
    ("FAM4", "second_modern", T(
        "isolation and suicide of the elderly", "노인의 고립과 자살", "老年人的孤立与自杀",
        "高齢者の孤立と自殺")),
    ("FAM5", "second_modern", T(
        "individualist tendency", "개인주의 경향", "个人主义倾向", "個人主義的な傾向")),
    ("FAM6", "first_modern", T(
        "decrease in mutual help in the family", "가족 간 상부상조의 감소",
        "家庭成员之间互助的减少", "家族内の助け合いの減少")),
    ("FAM7", "first_modern", T(
        "conflict in the property distribution", "재산 분배를 둘러싼 갈등",
        "财产分配引起的纠纷", "財産の分配をめぐる争い")),
]

SRC_CITY = "000:L556 SHIM 2012 three-city survey; pole wording verbatim"
# (name, pole A, pole B); the item label joins the poles with " vs. " as the seed does.
CITY_ITEMS = [
    ("CITY1",
     T("a city with local government initiative", "지방정부가 주도하는 도시",
       "地方政府主导的城市", "自治体が主導する都市"),
     T("a city with citizens' participation", "시민이 참여하는 도시", "市民参与的城市",
       "市民が参加する都市")),
    ("CITY2",
     T("a city of contemporary trend according to international standard",
       "국제적 기준에 맞춘 현대적 흐름의 도시", "符合国际标准的现代潮流城市",
       "国際標準に沿った現代的な潮流の都市"),
     T("a city with traditional cultural characteristics", "전통문화의 특성을 지닌 도시",
       "具有传统文化特色的城市", "伝統文化の特色をもつ都市")),
    ("CITY3",
     T("a city with many high-rise apartments", "고층 아파트가 많은 도시",
       "高层住宅楼很多的城市", "高層マンションが多い都市"),
     T("a city with alleys and communities", "골목길과 공동체가 있는 도시",
       "有小巷和邻里社区的城市", "路地とコミュニティがある都市")),
    ("CITY4",
     T("a city with rationality and effectiveness", "합리성과 효율성을 갖춘 도시",
       "讲求理性和效率的城市", "合理性と効率性のある都市"),
     T("a city with affection and closeness", "정과 친밀감이 있는 도시",
       "有人情味和亲近感的城市", "人情と親しみのある都市")),
]


# The paper's short labels (000:L522-528, instruments.md §4.1 "Short label"), for tables and
# charts; ko/zh/ja translate them.
ANX_SHORT = {
    "ANX1": T("anxiety over the competition", "경쟁에 대한 불안", "对竞争的焦虑", "競争への不安"),
    "ANX2": T("worries about family accidents", "가족의 사고에 대한 걱정", "对家人意外的担忧",
              "家族の事故への心配"),
    "ANX3": T("worries about household living due to economic crisis",
              "경제 위기로 인한 살림 걱정", "对经济危机下家庭生计的担忧",
              "経済危機による家計の心配"),
    "ANX4": T("loneliness and heartlessness", "외로움과 쓸쓸함", "孤独与凄凉", "孤独とわびしさ"),
}
# The paper's result labels where they differ from the item (000:L545-547, §4.2).
FAM_SHORT = {
    "FAM2": T("no children or low fertility", "무자녀·저출산", "不生育或低生育率",
              "子どもをもたないこと・少子化"),
    "FAM4": T("isolation of the elderly", "노인의 고립", "老年人的孤立", "高齢者の孤立"),
    "FAM7": T("conflict in property distribution", "재산 분배 갈등", "财产分配纠纷",
              "財産分配をめぐる争い"),
}
# Pole B, toward which the 0-100 score runs (000:L562 "Scores are reported for pole B").
CITY_SHORT = {
    "CITY1": T("citizens' participation", "시민 참여", "市民参与", "市民の参加"),
    "CITY2": T("traditional cultural characteristics", "전통문화의 특성", "传统文化特色",
               "伝統文化の特色"),
    "CITY3": T("alleys and communities", "골목길과 공동체", "小巷和邻里社区",
               "路地とコミュニティ"),
    "CITY4": T("affection and closeness", "정과 친밀감", "人情味和亲近感", "人情と親しみ"),
}


def anx_group() -> Group:
    rows = [
        likert(ANX_SCALE, name, label, source=SRC_ANX + "; short label 000:L528",
               domain=domain, score="scale", short_label=ANX_SHORT[name],
               inferred="4-point scale and all anchors inferred (instruments.md §4.1)")
        for name, domain, label in ANX_ITEMS
    ]
    return Group(
        "ANX",
        T("How strong a feeling do you have about the following everyday life anxiety?",
          "다음과 같은 일상생활의 불안을 얼마나 강하게 느끼십니까?",
          "对于以下日常生活中的焦虑，您的感受有多强烈？",
          "日常生活における次のような不安を、どの程度強く感じていますか。"),
        source=SRC_ANX + "; subscales work / family / relation (000:L508)",
        rows=rows, appearance="field-list",
    )


def fam_group() -> Group:
    rows = [
        likert(SERIOUS_SCALE, name, label,
               source=SRC_FAM + ("; short label 000:L545-547" if name in FAM_SHORT else ""),
               domain=domain, score="scale", short_label=FAM_SHORT.get(name),
               inferred="scale anchors 2-3 inferred (instruments.md §4.2)")
        for name, domain, label in FAM_ITEMS
    ]
    return Group(
        "FAM",
        T("How serious do you think the following family-related risks are in our society?",
          "우리 사회에서 다음과 같은 가족 관련 위험이 얼마나 심각하다고 생각하십니까?",
          "您认为以下与家庭有关的风险在我们社会中有多严重？",
          "私たちの社会において、次のような家族に関わるリスクはどの程度深刻だと"
          "思いますか。"),
        source=SRC_FAM + "; scale 1-4 (000:L533); types per verbal classification, "
        "not the seed's (1,2,3,4)/(5,6,7) numbering (instruments.md §4.2)",
        rows=rows, appearance="field-list",
    )


def city_lists() -> list:
    return [
        bipolar(f"{name.lower()}_bip", pole_a, pole_b, points_inferred=True)
        for name, pole_a, pole_b in CITY_ITEMS
    ]


def city_group() -> Group:
    rows = []
    for (name, pole_a, pole_b), lst in zip(CITY_ITEMS, city_lists(), strict=True):
        label = {
            lang: (f"{pole_a[lang]} vs. {pole_b[lang]}" if lang == "en"
                   else f"{pole_a[lang]} ↔ {pole_b[lang]}")
            for lang in pole_a
        }
        rows.append(likert(
            lst, name, label, hint=BIPOLAR_HINT, source=SRC_CITY, score="scale",
            short_label=CITY_SHORT[name],
            inferred="9-point scale inferred (instruments.md §4.3: points and anchors not "
            "reported); score 0-100 toward pole B"))
    return Group(
        "CITY",
        T("Which direction of development do you think is better for the desirable "
          "future of the city of ${city_label}?",
          "${city_label}의 바람직한 미래를 위해서는 어느 방향의 발전이 더 낫다고 "
          "생각하십니까?",
          "为了${city_label}这座城市理想的未来，您认为哪个发展方向更好？",
          "${city_label}の望ましい将来のためには、どちらの方向に発展するのがよいと"
          "思いますか。"),
        source=SRC_CITY + "; city name substituted via ${city_label}",
        rows=rows, appearance="field-list",
    )


def modules() -> list[Group]:
    return [anx_group(), fam_group(), city_group()]
