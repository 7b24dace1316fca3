"""Form risk_governance_2015: HAN's Seoul citizens' survey on risk governance (Oct–Nov 2015).

Seeds: 000:L226 (GOVCIT, nationwide Korea), 000:L245–273 (Sewol / MERS).  The ten
evaluation items are asked twice, in parallel groups RGOV_SEWOL (RGS01–10) and
RGOV_MERS (RGM01–10) with identical wording and codes.
"""

from __future__ import annotations

from .core import BIPOLAR_HINT, Choice, Group, T, bipolar, choices, likert, scale, select
from .dem import YES_NO

WAVE = choices(
    "wave",
    Choice("201510", T("October–November 2015", "2015년 10~11월", "2015年10—11月",
                       "2015年10～11月")),
    dk=False,
)
TOPIC = T("how recent disasters and risks in Korea were handled",
          "최근 한국에서 일어난 재난과 위험에 대한 대응",
          "韩国近年来灾难与风险的应对情况",
          "近年韓国で起きた災害やリスクへの対応")

EVAL4 = scale("eval4", [
    T("Very poor", "매우 나쁘다", "非常差", "とても悪い"),
    T("Somewhat poor", "다소 나쁘다", "比较差", "やや悪い"),
    T("Somewhat good", "다소 좋다", "比较好", "やや良い"),
    T("Very good", "매우 좋다", "非常好", "とても良い"),
], inferred=(1, 2, 3, 4))
AGREE4 = scale("agree4", [
    T("Strongly disagree", "전혀 그렇지 않다", "非常不同意", "まったくそう思わない"),
    T("Somewhat disagree", "별로 그렇지 않다", "比较不同意", "あまりそう思わない"),
    T("Somewhat agree", "다소 그렇다", "比较同意", "ややそう思う"),
    T("Strongly agree", "매우 그렇다", "非常同意", "とてもそう思う"),
], inferred=(1, 2, 3, 4))
REALISED4 = scale("realised4", [
    T("Not realised at all", "전혀 실현되지 않았다", "一点也没有实现", "まったく実現していない"),
    T("Not much realised", "별로 실현되지 않았다", "实现得不多", "あまり実現していない"),
    T("Somewhat realised", "다소 실현되었다", "实现了一些", "ある程度実現した"),
    T("Fully realised", "완전히 실현되었다", "完全实现了", "完全に実現した"),
], inferred=(1, 2, 3, 4))

SRC_RG = "000:L247 HAN Seoul risk-governance survey 2015; wording verbatim; domains 000:L254"
RG_INF = "4-point scale inferred (instruments.md RGOV: raw scale not reported)"
RG_MEDIA_INF = RG_INF + "; media domain assignment inferred"
RG_TASK_INF = RG_INF + "; must-do domain assignment inferred"
# (number, domain, inferred, label)
RG_ITEMS = [
    ("01", "institutional", RG_INF, T(
        "government's initial response", "정부의 초기 대응", "政府的初期应对",
        "政府の初動対応")),
    ("02", "institutional", RG_INF, T(
        "transparent information by government authorities", "정부 당국의 투명한 정보 공개",
        "政府部门透明的信息公开", "政府当局による透明な情報公開")),
    ("03", "media", RG_MEDIA_INF, T(
        "the reliability of mass media", "대중매체(신문·방송)의 신뢰성", "大众媒体的可信度",
        "マスメディアの信頼性")),
    ("04", "media", RG_MEDIA_INF, T(
        "the reliability of social media", "소셜 미디어(SNS)의 신뢰성", "社交媒体的可信度",
        "ソーシャルメディア（SNS）の信頼性")),
    ("05", "institutional", RG_INF, T(
        "the control tower role of the Blue House", "청와대의 컨트롤타워 역할",
        "青瓦台（总统府）作为灾难应对总指挥的作用", "青瓦台（大統領府）の司令塔としての役割")),
    ("06", "institutional", RG_INF, T(
        "response of the ruling party", "여당의 대응", "执政党的应对", "与党の対応")),
    ("07", "institutional", RG_INF, T(
        "the response of the opposition party", "야당의 대응", "在野党的应对", "野党の対応")),
    ("08", "must_do", RG_TASK_INF, T(
        "investigating those responsible for aggravating the disaster",
        "재난을 키운 책임자에 대한 조사", "调查导致灾难扩大的责任人",
        "災害を拡大させた責任者の究明")),
    ("09", "must_do", RG_TASK_INF, T(
        "formulating preventive measures in order not to repeat the same disaster",
        "같은 재난이 되풀이되지 않도록 하는 재발 방지 대책 마련",
        "制定预防措施，避免同样的灾难再次发生",
        "同じ災害を繰り返さないための再発防止策の策定")),
    ("10", "must_do", RG_TASK_INF, T(
        "providing sympathy and condolence the victims and their families",
        "피해자와 그 가족에 대한 위로와 애도", "向受害者及其家属表示同情和哀悼",
        "被害者とその家族へのいたわりと哀悼")),
]

SEWOL_STEM = T(
    "Thinking about the Sewol ferry disaster (16 April 2014), how would you evaluate each "
    "of the following?",
    "세월호 참사(2014년 4월 16일)와 관련하여 다음 각 항목을 어떻게 평가하십니까?",
    "就“世越号”沉船事故（2014年4月16日）而言，您如何评价以下各项？",
    "セウォル号沈没事故（2014年4月16日）について、次のそれぞれをどのように評価しますか。",
)
MERS_STEM = T(
    "Thinking about the MERS disaster (2015), how would you evaluate each of the following?",
    "메르스(MERS, 중동호흡기증후군) 사태(2015년)와 관련하여 다음 각 항목을 어떻게 "
    "평가하십니까?",
    "就中东呼吸综合征（MERS）疫情（2015年）而言，您如何评价以下各项？",
    "MERS（中東呼吸器症候群）の流行（2015年）について、次のそれぞれをどのように"
    "評価しますか。",
)


# Short labels for tables and charts (authored; the seed has none for single RG items).
RG_SHORT = {
    "01": T("initial response", "초기 대응", "初期应对", "初動対応"),
    "02": T("transparent information", "투명한 정보 공개", "信息公开透明", "透明な情報公開"),
    "03": T("mass media", "대중매체", "大众媒体", "マスメディア"),
    "04": T("social media", "소셜 미디어", "社交媒体", "ソーシャルメディア"),
    "05": T("Blue House as control tower", "청와대 컨트롤타워", "青瓦台总指挥作用",
            "青瓦台の司令塔"),
    "06": T("ruling party", "여당", "执政党", "与党"),
    "07": T("opposition party", "야당", "在野党", "野党"),
    "08": T("investigating responsibility", "책임자 규명", "追究责任人", "責任者の究明"),
    "09": T("preventive measures", "재발 방지 대책", "预防措施", "再発防止策"),
    "10": T("sympathy for the victims", "피해자 위로", "慰问受害者", "被害者へのいたわり"),
}


def rg_group(group: str, prefix: str, stem: dict[str, str], disaster: str) -> Group:
    rows = [
        likert(EVAL4, f"{prefix}{num}", label, source=f"{SRC_RG} (RG{num}, {disaster})",
               domain=domain, score="scale", inferred=inferred, short_label=RG_SHORT[num])
        for num, domain, inferred, label in RG_ITEMS
    ]
    return Group(group, stem, source=f"{SRC_RG}; {disaster} block; item stem authored",
                 rows=rows, appearance="field-list")


SRC_SG = "000:L273 HAN (goals of the bereaved families' association; President Park's promise)"
SG_ITEMS = [
    ("SG1", T("a thorough investigation of truth and responsibility",
              "진실과 책임에 대한 철저한 규명", "彻底查明真相、追究责任",
              "真相と責任の徹底的な究明"),
     T("truth and responsibility", "진실과 책임 규명", "查明真相、追究责任", "真相と責任の究明")),
    ("SG2", T("the construction of safe Korea", "안전한 대한민국 건설", "建设安全的韩国",
              "安全な韓国の建設"),
     T("safe Korea", "안전한 대한민국", "安全的韩国", "安全な韓国")),
    ("SG3", T("President Park's promise of state reform", "박근혜 대통령의 국가 개조 약속",
              "朴槿惠总统关于国家改造的承诺", "朴槿恵大統領の国家改造の約束"),
     T("promise of state reform", "국가 개조 약속", "国家改造的承诺", "国家改造の約束")),
]


def sg_group() -> Group:
    rows = [
        likert(REALISED4, name, label, source=SRC_SG + "; wording verbatim",
               domain="sewol_goal", score="scale", short_label=short,
               inferred="4-point realisation scale inferred (raw scale not reported)")
        for name, label, short in SG_ITEMS
    ]
    return Group(
        "SG",
        T("After the Sewol ferry disaster, the association of the bereaved families demanded "
          "two goals, and President Park promised state reform. How far do you think each "
          "of the following has been realised?",
          "세월호 참사 이후 유가족 단체는 두 가지 목표를 요구했고, 박근혜 대통령은 국가 "
          "개조를 약속했습니다. 다음 각 항목은 어느 정도 실현되었다고 생각하십니까?",
          "“世越号”事故发生后，遇难者家属团体提出了两项要求，朴槿惠总统也承诺进行国家"
          "改造。您认为以下各项在多大程度上得到了实现？",
          "セウォル号沈没事故の後、遺族の団体は二つの目標を求め、朴槿恵大統領は国家改造を"
          "約束しました。次のそれぞれは、どの程度実現したと思いますか。"),
        source=SRC_SG + "; group stem authored", rows=rows, appearance="field-list",
    )


SRC_SE = ("000:L267 HAN Sewol emotion and solidarity domains (SEWOL-1..3); the seed names the "
          "three domains, not the items")
SE_INF = ("item newly authored for a domain named in the seed (instruments.md RGOV 'optional "
          "Sewol emotion block'); 4-point agree scale inferred")
# (name, domain, label, short label)
SE_ITEMS = [
    ("SE1", "solidarity", T(
        "I felt the pain of the victims' families as if it were my own.",
        "유가족의 고통을 내 일처럼 느꼈다.",
        "我对遇难者家属的痛苦感同身受。",
        "遺族の苦しみを自分のことのように感じた。"),
     T("felt the families' pain", "유가족의 고통 공감", "对家属痛苦感同身受",
       "遺族の苦しみへの共感")),
    ("SE2", "solidarity", T(
        "I wanted to stand by the victims' families.",
        "유가족과 함께하고 싶었다.",
        "我想和遇难者家属站在一起。",
        "遺族に寄り添いたいと思った。"),
     T("stand by the families", "유가족과 함께하고 싶음", "想和家属站在一起",
       "遺族に寄り添いたい")),
    ("SE3", "action_solidarity", T(
        "I sympathised with the citizens' rallies in support of the victims' families.",
        "유가족을 지지하는 시민 집회에 공감했다.",
        "我对声援遇难者家属的市民集会感到认同。",
        "遺族を支援する市民の集会に共感した。"),
     T("sympathy for citizens' rallies", "시민 집회에 공감", "认同市民集会",
       "市民の集会への共感")),
    ("SE4", "action_solidarity", T(
        "I sympathised with the hunger strikes demanding the truth about the disaster.",
        "참사의 진상 규명을 요구하는 단식 농성에 공감했다.",
        "我对要求查明事故真相的绝食抗议感到认同。",
        "事故の真相究明を求めるハンガーストライキに共感した。"),
     T("sympathy for the hunger strikes", "단식 농성에 공감", "认同绝食抗议",
       "ハンガーストライキへの共感")),
    ("SE5", "anger", T(
        "I felt angry about how the disaster was handled.",
        "참사가 처리되는 방식에 분노를 느꼈다.",
        "我对这场事故的处理方式感到愤怒。",
        "事故への対応のあり方に怒りを感じた。"),
     T("anger", "분노", "愤怒", "怒り")),
    ("SE6", "anger", T(
        "I felt ashamed as a member of our society.",
        "우리 사회의 한 사람으로서 부끄러움을 느꼈다.",
        "作为社会的一员，我感到羞愧。",
        "この社会の一員として恥ずかしさを感じた。"),
     T("shame", "부끄러움", "羞愧", "恥ずかしさ")),
    ("SE7", "anger", T(
        "I felt frustrated and powerless.",
        "좌절감과 무력감을 느꼈다.",
        "我感到沮丧和无力。",
        "挫折感と無力感を覚えた。"),
     T("frustration", "좌절감", "沮丧", "挫折感")),
]


def se_group() -> Group:
    rows = [
        likert(AGREE4, name, label, source=SRC_SE, domain=domain, score="scale",
               short_label=short, inferred=SE_INF)
        for name, domain, label, short in SE_ITEMS
    ]
    return Group(
        "SEWOL_EMO",
        T("Thinking about the Sewol ferry disaster and the events that followed it, how much "
          "do you agree with each of the following statements?",
          "세월호 참사와 그 이후에 일어난 일들을 생각할 때, 다음 각 진술에 얼마나 "
          "동의하십니까?",
          "回想“世越号”沉船事故及其后发生的事情，您在多大程度上同意以下各种说法？",
          "セウォル号沈没事故とその後の出来事について、次のそれぞれにどの程度そう思いますか。"),
        source=SRC_SE + "; optional block; domains: solidarity = emotional drive for "
        "solidarity with the victims' families (SEWOL-1), action_solidarity = sympathy for the "
        "citizens' rally and hunger strike (SEWOL-2), anger = anger, shame and frustration "
        "(SEWOL-3); group stem authored",
        rows=rows, appearance="field-list",
    )


SRC_MERS = "000:L263-265 HAN (MERS behaviour and anger)"
MA_ITEMS = [
    ("MA1", T("got angered with the inability of the government", "정부의 무능함에 화가 났다",
              "对政府的无能感到愤怒", "政府の無能さに怒りを覚えた"),
     T("anger at the government's inability", "정부의 무능에 대한 분노", "对政府无能的愤怒",
       "政府の無能さへの怒り")),
    ("MA2", T("felt serious damage of national pride",
              "국가적 자존심이 심각하게 손상되었다고 느꼈다",
              "感到国家尊严受到严重损害", "国の誇りが深く傷ついたと感じた"),
     T("damaged national pride", "국가적 자존심의 손상", "国家尊严受损", "国の誇りの傷つき")),
    ("MA3", T("came to distrust the hospitals", "병원을 불신하게 되었다", "开始不信任医院",
              "病院を信用できなくなった"),
     T("distrust of the hospitals", "병원에 대한 불신", "对医院的不信任", "病院への不信")),
    ("MA4", T("got angered because no one took responsibility for the disaster",
              "아무도 이 재난에 책임을 지지 않아 화가 났다",
              "因为没有人为这场灾难承担责任而感到愤怒",
              "誰もこの災害の責任を取らなかったことに怒りを覚えた"),
     T("absence of responsibility", "책임의 부재", "无人担责", "責任の不在")),
]


def mb_group() -> Group:
    item = select(YES_NO, "MB1", T(
        "During the MERS disaster, did you cancel or postpone an appointment with friends "
        "or medical doctors?",
        "메르스 사태 때 친구와의 약속이나 병원 진료 예약을 취소하거나 연기한 적이 있습니까?",
        "MERS疫情期间，您是否取消或推迟过与朋友的约会或看医生的预约？",
        "MERSの流行中に、友人との約束や病院の受診予約を取り消したり延期したりしましたか。"),
        source=SRC_MERS + "; wording adapted from 'cancelled or postponed the appointment "
        "with friends and medical doctors' (MERS-1)",
        inferred="question form (tense, 'an appointment', 'or' for the seed's 'and': either "
        "kind of appointment counts, as in ko/zh/ja) authored; yes/no format inferred "
        "(instruments.md §2.2)")
    return Group(
        "MB",
        T("Behaviour during the MERS disaster", "메르스 사태 당시의 행동", "MERS疫情期间的行为",
          "MERS流行中の行動"),
        source=SRC_MERS, rows=[item],
    )


def ma_group() -> Group:
    rows = [
        likert(AGREE4, name, label, source=SRC_MERS + "; wording verbatim"
               + ("; short label verbatim ('absence of responsibility', MERS-3)"
                  if name == "MA4" else ""),
               domain="mers_anger", score="scale", short_label=short,
               inferred="4-point agree scale inferred (raw scale not reported)"
               + ("" if name == "MA4" else "; short label authored"))
        for name, label, short in MA_ITEMS
    ]
    return Group(
        "MA",
        T("Thinking about the MERS disaster, how much do you agree with each of the "
          "following? “During the MERS disaster, I …”",
          "메르스 사태와 관련하여 다음 각 항목에 얼마나 동의하십니까? (메르스 사태 당시 "
          "나는 …)",
          "关于MERS疫情，您在多大程度上同意以下说法？（MERS疫情期间，我……）",
          "MERSの流行について、次のそれぞれにどの程度そう思いますか。（MERS流行の当時、"
          "私は…）"),
        source=SRC_MERS + "; group stem authored", rows=rows, appearance="field-list",
    )


SRC_GC = "000:L226 HAN nationwide survey (GOVCIT, 2008 candlelight vigil)"
GOVCIT_LISTS = {
    "GOVCIT1": bipolar("govcit1_bip", T(
        "follow government since it represents the official authority backed up by election",
        "정부는 선거로 뒷받침된 공식적 권위를 대표하므로 정부를 따라야 한다",
        "政府代表经选举授权的正式权威，因此应当服从政府",
        "政府は選挙に裏付けられた公式の権威を代表しているので、政府に従うべきだ"), T(
        "the government should respect citizens' judgment because it is citizens who face "
        "such risk if it breaks out",
        "위험이 실제로 닥치면 그것을 겪는 것은 시민이므로 정부는 시민의 판단을 존중해야 한다",
        "一旦风险发生，承受风险的是民众，因此政府应当尊重民众的判断",
        "リスクが現実になったときにそれに直面するのは市民なので、政府は市民の判断を"
        "尊重すべきだ"), points_inferred=False),
    "GOVCIT2": bipolar("govcit2_bip", T("legitimate", "정당했다", "正当的", "正当だった"),
                       T("illegitimate", "정당하지 않았다", "不正当的", "正当ではなかった"),
                       points_inferred=True),
    "GOVCIT3": bipolar("govcit3_bip", T("peaceful", "평화적이었다", "和平的", "平和的だった"),
                       T("violent", "폭력적이었다", "暴力的", "暴力的だった"),
                       points_inferred=True),
}
VIGIL_INF = ("wording authored; 1-9 format inferred (the seed reports only the poles); "
             "1 = legitimate / peaceful pole; bands 1-4 / 5 / 6-9 as GOVCIT1; short label "
             "authored (pole B)")
#: The collapse the papers report for the 1-9 items (instruments.md §1, Block D).
GOVCIT_BANDS = "1-4|5|6-9"


def govcit_group() -> Group:
    rows = [
        likert(GOVCIT_LISTS["GOVCIT1"], "GOVCIT1", T(
            "When we face a risk as highly uncertain as mad-cow disease, which of these two "
            "opinions do you feel closer to?",
            "광우병처럼 불확실성이 매우 높은 위험에 직면했을 때, 다음 두 의견 중 어느 쪽에 더 "
            "가깝다고 느끼십니까?",
            "当面对像疯牛病这样高度不确定的风险时，您觉得自己更接近以下哪一种意见？",
            "狂牛病（BSE）のように不確実性の高いリスクに直面したとき、次の二つの意見の"
            "うち、どちらに近いと感じますか。"),
            hint=BIPOLAR_HINT, source=SRC_GC + "; poles verbatim, 1-9 scale per seed; bands "
            "1-4 / 5 / 6-9 = closer to government / middle / closer to citizens (GOVCIT-1..3)",
            bands=GOVCIT_BANDS, short_label=T(
                "respect citizens' judgment", "시민의 판단 존중", "尊重民众的判断",
                "市民の判断の尊重"),
            inferred="question wording paraphrased from L226; collapse 1-4 / 5 / 6-9 "
            "inferred (cut-points not stated); short label authored (pole B)"),
        likert(GOVCIT_LISTS["GOVCIT2"], "GOVCIT2", T(
            "How would you evaluate the 2008 candlelight vigil (against US beef imports): "
            "legitimate or illegitimate?",
            "2008년 (미국산 쇠고기 수입 반대) 촛불집회는 정당했다고 보십니까, 정당하지 "
            "않았다고 보십니까?",
            "您如何评价2008年（反对进口美国牛肉的）烛光集会：是正当的还是不正当的？",
            "2008年の（米国産牛肉の輸入に反対する）ろうそく集会は、正当だったと思いますか、"
            "それとも正当ではなかったと思いますか。"),
            hint=BIPOLAR_HINT, source=SRC_GC + "; companion item (legitimate vs illegitimate)",
            bands=GOVCIT_BANDS, short_label=T(
                "vigil illegitimate", "촛불집회는 정당하지 않았다", "烛光集会不正当",
                "ろうそく集会は正当ではなかった"),
            inferred=VIGIL_INF),
        likert(GOVCIT_LISTS["GOVCIT3"], "GOVCIT3", T(
            "And was the 2008 candlelight vigil peaceful or violent?",
            "그리고 2008년 촛불집회는 평화적이었다고 보십니까, 폭력적이었다고 보십니까?",
            "那么，2008年的烛光集会是和平的还是暴力的？",
            "では、2008年のろうそく集会は平和的だったと思いますか、それとも暴力的だったと"
            "思いますか。"),
            hint=BIPOLAR_HINT, source=SRC_GC + "; companion item (peaceful vs violent)",
            bands=GOVCIT_BANDS, short_label=T(
                "vigil violent", "촛불집회는 폭력적이었다", "烛光集会是暴力的",
                "ろうそく集会は暴力的だった"),
            inferred=VIGIL_INF),
    ]
    return Group(
        "GOVCIT",
        T("Government authority and citizens' judgment", "정부의 권위와 시민의 판단",
          "政府权威与民众判断", "政府の権威と市民の判断"),
        source=SRC_GC + "; nationwide item reused in the Seoul form", rows=rows,
    )


def modules() -> list[Group]:
    return [
        rg_group("RGOV_SEWOL", "RGS", SEWOL_STEM, "Sewol"),
        se_group(),
        sg_group(),
        rg_group("RGOV_MERS", "RGM", MERS_STEM, "MERS"),
        mb_group(),
        ma_group(),
        govcit_group(),
    ]
