"""Form neighbourhood_panel: Seoul 14-Dong panel core (NBR) plus WANG add-ons (PAR, CID, SC)
and the Ishida add-on (JP: JPL1, JPL2; optional JPV: JPV1).

Seeds: 000:L294–298 (HAN, Dong panel, waves 2015-09 / 2016-08), 000:L1576–1606 (WANG
2015 Ministry of Civil Affairs community-governance survey, Chinese original) and
000:L437, L445–447 (SHIM quoting Ishida et al. 2010, Japan).
"""

from __future__ import annotations

from .core import (
    Choice,
    Group,
    T,
    calculate,
    choices,
    count,
    likert,
    scale,
    select,
    text,
)
from .dem import YES_NO

WAVE = choices(
    "wave",
    Choice("201509", T("September 2015 (wave 1)", "2015년 9월(1차 조사)", "2015年9月（第一轮）",
                       "2015年9月（第1回調査）")),
    Choice("201608", T("August 2016 (wave 2)", "2016년 8월(2차 조사)", "2016年8月（第二轮）",
                       "2016年8月（第2回調査）")),
    dk=False,
)
TOPIC = T("your neighbours and neighbourhood life", "이웃과 동네 생활",
          "邻里关系和社区生活", "近所づきあいと地域での暮らし")

SRC_DONG = "000:L294 HAN Seoul 14-Dong panel"
OTHER = T("other (specify)", "기타(구체적으로 기록)", "其他（请注明）", "その他（具体的に記入）")
SPECIFY = T("Other: please specify", "기타 내용을 구체적으로 적어 주십시오.", "其他：请注明",
            "その他の内容を具体的に記入してください。")

PUBLIC_PRIVATE = choices(
    "public_private",
    Choice("1", T(
        "mobilization: the administration mobilizes residents to carry out its plans",
        "동원: 행정이 계획한 일에 주민을 동원하는 관계",
        "动员：政府动员居民配合完成其安排的工作",
        "動員：行政が自らの計画のために住民を動員する関係"), inferred=True),
    Choice("2", T(
        "partnership: the administration and residents work together as partners",
        "협력(파트너십): 행정과 주민이 동반자로서 함께 일하는 관계",
        "伙伴关系：政府与居民作为伙伴共同合作",
        "パートナーシップ：行政と住民がパートナーとして協力する関係"), inferred=True),
    Choice("3", OTHER, inferred=True),
)
PROBLEM_SOLVING = choices(
    "problem_solving",
    Choice("1", T("do nothing", "아무것도 하지 않는다", "什么也不做", "何もしない")),
    Choice("2", T("relying on personal network", "개인적인 인맥에 의지한다", "依靠个人关系网",
                  "個人的なつながりに頼る")),
    Choice("3", T("raising petition", "민원을 제기한다", "向有关部门反映、请愿",
                  "行政に陳情する")),
    Choice("4", T("joining in collective solution", "주민들이 함께 해결하는 일에 참여한다",
                  "参与居民的集体解决", "住民による共同の解決に参加する")),
    Choice("5", T("directly leading such collective solution",
                  "그러한 공동 해결을 직접 이끈다", "亲自牵头这种集体解决",
                  "そうした共同の解決を自ら主導する")),
    Choice("6", OTHER, inferred=True),
)
AGREE5 = scale("agree5", [
    T("Strongly disagree", "전혀 그렇지 않다", "非常不同意", "まったくそう思わない"),
    T("Somewhat disagree", "별로 그렇지 않다", "比较不同意", "あまりそう思わない"),
    T("Neither agree nor disagree", "보통이다", "说不上同意不同意", "どちらともいえない"),
    T("Somewhat agree", "다소 그렇다", "比较同意", "ややそう思う"),
    T("Strongly agree", "매우 그렇다", "非常同意", "とてもそう思う"),
], inferred=(1, 2, 3, 4, 5))


def nbr_group() -> Group:
    rows = [
        count("NBR01", T(
            "how many neighbors do you have with whom you exchange greetings in everyday life?",
            "평소 일상생활에서 인사를 나누며 지내는 이웃은 몇 명입니까?",
            "在日常生活中，您有多少个互相打招呼的邻居？",
            "ふだんの生活の中で、あいさつを交わす近所の人は何人いますか。"),
            maximum=500, score="count", source=SRC_DONG + "; wording verbatim; also WANG "
            "SC2 打招呼邻居数 (000:L1604)",
            inferred="response format (integer, bands 0/1-2/3-5/6-10/11+ at export) "
            "inferred (instruments.md NBR01)"),
        count("NBR02", T(
            "how many close neighbors do you have who will help you when you become helpless?",
            "혼자 힘으로 어찌할 수 없는 어려움에 처했을 때 귀하를 도와줄 가까운 이웃은 몇 "
            "명입니까?",
            "当您陷入无助的境地时，有多少关系亲近的邻居会帮助您？",
            "あなたが困って自分ではどうにもならなくなったとき、助けてくれる親しい近所の"
            "人は何人いますか。"),
            maximum=100, score="count", source=SRC_DONG + "; wording verbatim",
            inferred="response format and bands inferred (instruments.md NBR02)"),
        select(PUBLIC_PRIVATE, "NBR03", T(
            "Which of the following best describes the relationship between local government "
            "(the district office and the Dong / sub-district office) and residents in your "
            "neighbourhood?",
            "귀하가 사는 동네에서 행정(구청·동 주민센터)과 주민 사이의 관계, 즉 민관 관계를 "
            "가장 잘 나타내는 것은 다음 중 무엇입니까?",
            "在您所在的社区，以下哪一项最能说明政府部门（区政府、街道办事处）与居民之间的"
            "关系？",
            "お住まいの地域における行政（区役所など）と住民との関係、つまり官民関係を"
            "最もよく表しているのは、次のどれですか。"),
            source="000:L298 HAN Dong panel (\"nature of public-private relation\"); "
            "categories 'mobilization' / 'partnership' named in seed",
            inferred="question wording and category explanations authored; the seed's other "
            "categories (~50% of answers) are unnamed, so 'other (specify)' added"),
        text("NBR03_OTH", SPECIFY, relevant="${NBR03} = '3'", source="authored"),
        select(PROBLEM_SOLVING, "NBR04", T(
            "When you face a life issue in your neighbourhood, how do you usually solve it?",
            "동네에서 생활상의 문제에 부딪히면 주로 어떻게 해결하십니까?",
            "当您在社区生活中遇到问题时，通常怎样解决？",
            "地域での暮らしの中で問題に直面したとき、ふだんはどのように解決しますか。"),
            source="000:L298 HAN Dong panel; categories verbatim",
            inferred="question wording paraphrased from 'how to solve their life issues when "
            "they face them'; 'other' added"),
        text("NBR04_OTH", SPECIFY, relevant="${NBR04} = '6'", source="authored"),
    ]
    return Group(
        "NBR",
        T("Neighbours and neighbourhood life", "이웃과 동네 생활", "邻里与社区生活",
          "近所づきあいと地域の暮らし"),
        source="000:L294-298 HAN Seoul 14-Dong panel; instruments.md Module NBR core", rows=rows,
    )


SRC_PAR = "000:L1578-1580 WANG 2015 MCA survey (participation DVs); zh wording verbatim"
# (name, domain, label, hint): zh is the seed's own wording; en/ko/ja translate it and
# use functional equivalents for the China-specific bodies (see TRANSLATION_NOTES.md).
PAR_ITEMS = [
    ("PAR1", "mobilised", T(
        "the residents' committee election (or the election of your residents' association)",
        "주민자치위원회(주민 자치 조직) 위원 선거", "参加居委会换届选举",
        "町内会・自治会の役員選挙"), None),
    ("PAR2", "mobilised", T(
        "community “creation” campaigns", "지역사회 만들기 캠페인", "参加社区创建",
        "地域づくりのキャンペーン"), T(
        "e.g. campaigns to build a model or “civilised” community",
        "예: 모범 동네·살기 좋은 동네 만들기 등 행정이 주도하는 캠페인",
        "如创建文明社区、和谐社区等活动",
        "例：行政が主導する模範地区づくりなどのキャンペーン")),
    ("PAR3", "autonomous", T(
        "supervision of community affairs", "동네 일에 대한 감시·감독", "参加社区事务监督",
        "地域の運営の監視・チェック"), T(
        "e.g. monitoring the work or the accounts of the residents' committee",
        "예: 주민 조직의 사업이나 회계를 살펴보고 감시하는 일",
        "如监督居委会的工作或财务",
        "例：自治会などの事業や会計をチェックすること")),
    ("PAR4", "autonomous", T(
        "community cultural activities (culture, sports, leisure)",
        "동네 문화·체육·여가 활동", "参加社区文化活动", "地域の文化・スポーツ・余暇活動"), None),
    ("PAR5", "autonomous", T(
        "community public-welfare activities", "동네 공익 활동", "参加社区公益活动",
        "地域の公益活動"), T(
        "e.g. volunteering or charity for the community", "예: 동네를 위한 봉사·자선 활동",
        "如社区志愿服务、慈善活动", "例：地域のためのボランティア・慈善活動")),
    ("PAR6", "autonomous", T(
        "community public affairs", "동네 공공 사안의 논의·처리", "参加社区公共事务",
        "地域の公共的な課題への取り組み"),
        T("e.g. residents' meetings or consultations on neighbourhood issues",
          "예: 주민총회, 동네 문제에 관한 주민 협의", "如居民会议、社区议事协商",
          "例：住民集会や地域の問題についての話し合い")),
    ("PAR7", "autonomous", T(
        "community online interaction", "동네 온라인 소통", "参加社区网络互动",
        "地域のオンライン交流"), T(
        "e.g. neighbourhood online forums or group chats",
        "예: 동네 온라인 카페, 단체 대화방", "如社区微信群、业主论坛",
        "例：地域の掲示板サイトやグループチャット")),
]


def par_group() -> Group:
    rows = [
        select(YES_NO, name, label, hint=hint, source=SRC_PAR, domain=domain,
               inferred="en/ko/ja translated from zh; 'ever' reference period and yes/no "
               "wording authored (seed codes 1 = participated, 0 = not; here 1 yes, 2 no)")
        for name, domain, label, hint in PAR_ITEMS
    ]
    return Group(
        "PAR",
        T("Have you ever taken part in each of the following in your community?",
          "귀하는 사시는 동네에서 다음과 같은 활동에 참여한 적이 있습니까?",
          "以下各项，您是否参加过？",
          "あなたは、お住まいの地域で次のような活動に参加したことがありますか。"),
        source=SRC_PAR + "; mobilised = PAR1-2, autonomous = PAR3-7", rows=rows,
        appearance="field-list",
    )


SRC_CID = "000:L1602 WANG 社区认同 (4 items, averaged, alpha 0.91); zh wording verbatim"
CID_ITEMS = [
    ("CID1", T("I feel at home in my neighbourhood", "우리 동네에 있으면 내 집처럼 편안하다",
               "在小区有家的感觉", "この地域にいると、わが家にいるような気持ちになる"),
     T("feel at home", "내 집 같은 편안함", "有家的感觉", "わが家のような気持ち")),
    ("CID2", T("I like my neighbourhood", "나는 우리 동네가 좋다", "喜欢我的小区",
               "自分の住む地域が好きだ"),
     T("like my neighbourhood", "동네가 좋음", "喜欢小区", "地域が好き")),
    ("CID3", T("I am proud to tell others where I live",
               "다른 사람에게 내가 사는 곳을 말하는 것이 자랑스럽다", "告诉别人我住在哪里很自豪",
               "自分がどこに住んでいるかを人に話すのは誇らしい"),
     T("proud of where I live", "사는 곳에 대한 자부심", "为住处自豪", "住む場所への誇り")),
    ("CID4", T("I am willing to live in this neighbourhood for a long time",
               "이 동네에서 오래 살고 싶다", "愿意在这个小区长期住下去",
               "この地域にずっと住み続けたい"),
     T("willing to stay long", "오래 살고 싶음", "愿意长期居住", "住み続けたい")),
]


def cid_group() -> Group:
    rows = [
        likert(AGREE5, name, label, source=SRC_CID, domain="community_identity",
               score="scale", short_label=short,
               inferred="5-point agree scale inferred (instruments.md CID); "
               "小区 (residential compound) rendered as 'neighbourhood' in en/ko/ja; short "
               "label authored")
        for name, label, short in CID_ITEMS
    ]
    return Group(
        "CID",
        T("How much do you agree or disagree with each of the following statements about "
          "where you live?",
          "귀하가 사시는 동네에 대한 다음 각 진술에 얼마나 동의하십니까?",
          "对于以下关于您所住小区的说法，您在多大程度上同意？",
          "お住まいの地域について、次のそれぞれにどの程度そう思いますか。"),
        source=SRC_CID, rows=rows, appearance="field-list",
    )


SRC_SC = "000:L1604 WANG 社会资本 (variable names only; format not reported)"
SC_INF = "question wording, format and range authored from the variable name"


def sc_group() -> Group:
    rows = [
        count("SC1", T(
            "How many members of the residents' committee (or your residents' association) "
            "do you know?",
            "주민자치위원회(주민 자치 조직) 위원 중 아는 사람은 몇 명입니까?",
            "您认识多少位居委会成员？",
            "町内会・自治会の役員のうち、知っている人は何人いますか。"),
            maximum=100, source=SRC_SC + "; 认识居委会人数", inferred=SC_INF),
        calculate("SC2", "${NBR01}", missing="998 999",
                  source=SRC_SC + "; 打招呼邻居数 = NBR01 (single item)",
                  inferred="SC2 is not asked again: copied from NBR01 (same concept)"),
        count("SC3", T(
            "In the past 12 months, how many residents of your neighbourhood have you "
            "visited at their homes?",
            "지난 1년 동안 동네 주민 가운데 몇 명의 집을 방문하셨습니까?",
            "过去12个月，您到多少位社区居民家里拜访过？",
            "この1年間に、近所に住む人のうち何人のお宅を訪ねましたか。"),
            maximum=200, source=SRC_SC + "; 拜访居民数",
            inferred=SC_INF + "; 12-month reference period inferred"),
        count("SC4", T(
            "How many neighbours can you talk to about your worries?",
            "고민을 털어놓을 수 있는 이웃은 몇 명입니까?",
            "有多少位邻居是您可以倾诉心事的？",
            "悩みごとを打ち明けられる近所の人は何人いますか。"),
            maximum=100, source=SRC_SC + "; 可倾诉邻居数", inferred=SC_INF),
        count("SC5", T(
            "In the past month, how many times did you visit neighbours at their homes?",
            "지난 한 달 동안 이웃집을 몇 번 방문하셨습니까?",
            "过去一个月，您去邻居家拜访过几次？",
            "この1か月間に、近所の人のお宅を何回訪ねましたか。"),
            maximum=100, source=SRC_SC + "; 拜访邻居次数",
            inferred=SC_INF + "; 1-month reference period inferred"),
        count("SC6", T(
            "In the past month, how many times did neighbours visit you at your home?",
            "지난 한 달 동안 이웃이 귀댁을 몇 번 방문했습니까?",
            "过去一个月，邻居到您家拜访过几次？",
            "この1か月間に、近所の人があなたのお宅を何回訪ねてきましたか。"),
            maximum=100, source=SRC_SC + "; 被邻居拜访次数",
            inferred=SC_INF + "; 1-month reference period inferred"),
        select(YES_NO, "SC7", T(
            "When you are out, could you ask a neighbour to receive a delivery for you?",
            "집을 비울 때 이웃에게 택배 등을 대신 받아 달라고 부탁할 수 있습니까?",
            "您不在家时，能否委托邻居代收快递或邮件？",
            "留守のときに、近所の人に宅配便などの受け取りを頼むことができますか。"),
            source=SRC_SC + "; 能否委托邻居收件", inferred=SC_INF),
        select(YES_NO, "SC8", T(
            "If you needed to borrow something, could you borrow it from a neighbour?",
            "필요한 물건이 있을 때 이웃에게서 빌릴 수 있습니까?",
            "如果需要向邻居借东西，能借到吗？",
            "必要なものを近所の人から借りようとしたら、借りられますか。"),
            source=SRC_SC + "; 向邻居借东西是否能借到", inferred=SC_INF),
    ]
    return Group(
        "SC",
        T("Contacts with neighbours", "이웃과의 교류", "邻里交往", "近所の人との交流"),
        source=SRC_SC + "; SC2 = NBR01 (instruments.md: use a single item)", rows=rows,
    )


SRC_JP = "000:L437, L445-447 SHIM quoting Ishida et al. 2010 (Japan)"
JP_ASSOC = choices(
    "jp_assoc",
    Choice("1", T("non-participation", "참여하지 않는다", "不参加", "参加していない")),
    Choice("2", T("several times a year", "1년에 몇 번", "一年几次", "年に数回")),
    Choice("3", T("about once a month or more often", "한 달에 한 번 정도 또는 그 이상",
                  "大约每月一次或更频繁", "月に1回程度かそれ以上"), inferred=True),
)
JP_VOLUNTEER = choices(
    "jp_volunteer",
    Choice("1", T("want to participate", "참여하고 싶다", "愿意参加", "参加したい")),
    Choice("2", T("do not want to participate", "참여하고 싶지 않다", "不愿意参加",
                  "参加したくない"), inferred=True),
)


def jp_group() -> Group:
    rows = [
        select(JP_ASSOC, "JPL1", T(
            "How often do you take part in the activities of your neighbourhood association "
            "or residents' association?",
            "귀하는 반상회나 주민자치위원회 같은 동네 주민 조직의 활동에 얼마나 자주 "
            "참여하십니까?",
            "您多久参加一次居委会或其他居民组织的活动？",
            "あなたは、町内会・自治会の活動にどのくらい参加していますか。"),
            source=SRC_JP + "; fn 11: 'non-participation' 51.5%, 'several times a year' "
            "35.8% (JP-10, JP-11)",
            inferred="question wording authored; categories 1-2 verbatim, 3 ('more often', "
            "not named in the seed) authored; asked in every city (the seed figures are "
            "Japanese)"),
        select(JP_VOLUNTEER, "JPL2", T(
            "Would you like to take part in volunteer activities?",
            "귀하는 자원봉사 활동에 참여하고 싶으십니까?",
            "您愿意参加志愿服务活动吗？",
            "あなたは、ボランティア活動に参加したいと思いますか。"),
            source=SRC_JP + "; fn 11: 'want to participate' 59.9% (JP-13)",
            inferred="question wording and the 'do not want' category authored; asked in "
            "every city"),
    ]
    return Group(
        "JP",
        T("Neighbourhood association and volunteering", "동네 주민 조직과 자원봉사",
          "居民组织与志愿服务", "町内会・自治会とボランティア"),
        source=SRC_JP + "; instruments.md Module NBR add-on JP (JPL1, JPL2)", rows=rows,
    )


JP_IMPORTANT = choices(
    "jp_important",
    Choice("1", T("life, health, myself", "생명·건강·나 자신", "生命、健康、自己",
                  "生命・健康・自分")),
    Choice("2", T("the family", "가족", "家庭", "家族")),
    Choice("3", T("children", "자녀", "子女", "子ども"), inferred=True),
    Choice("4", T("love, spiritual matters", "사랑·정신적인 것", "爱情、精神", "愛情・精神"),
           inferred=True),
    Choice("5", T("money, property", "돈·재산", "金钱、财产", "金・財産"), inferred=True),
    Choice("6", T("work, reputation", "일·신용", "工作、信誉", "仕事・信用"), inferred=True),
    Choice("7", T("the nation, society", "국가·사회", "国家、社会", "国家・社会"), inferred=True),
    Choice("8", OTHER, inferred=True),
)


def jpv_group() -> Group:
    rows = [
        select(JP_IMPORTANT, "JPV1", T(
            "What is the most important thing in your life?",
            "귀하의 삶에서 가장 중요한 것은 무엇입니까?",
            "对您的人生来说，最重要的是什么？",
            "あなたの人生で一番大切なものは何ですか。"),
            hint=T("Do not read out the options: let the respondent answer in their own "
                   "words, then select the closest category.",
                   "보기를 읽어 주지 말고, 응답자가 자유롭게 답하게 한 뒤 가장 가까운 항목을 "
                   "선택하십시오.",
                   "不要读出选项：请受访者自由回答，再选择最接近的类别。",
                   "選択肢は読み上げず、回答者に自由に答えてもらい、最も近いものを選んで"
                   "ください。"),
            source=SRC_JP + "; question verbatim; 'the family' and 'life, health, myself' "
            "verbatim (JP-1..6, 1958-2008)",
            inferred="the other categories and the open-answer protocol authored (the seed "
            "names only two of the options)"),
        text("JPV1_OTH", SPECIFY, relevant="${JPV1} = '8'", source="authored"),
    ]
    return Group(
        "JPV",
        T("What matters most in life", "삶에서 가장 중요한 것", "人生中最重要的东西",
          "人生で一番大切なもの"),
        source=SRC_JP + "; instruments.md Module NBR add-on JP, optional JPV1", rows=rows,
    )


def modules() -> list[Group]:
    return [nbr_group(), par_group(), cid_group(), sc_group(), jp_group(), jpv_group()]
