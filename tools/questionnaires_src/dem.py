"""Module DEM: interview opening, sampling frame (FRM01–04) and demographics (DEM01–09).

instruments.md "Module DEM"; seed bases: 000:L510 (SHIM 2012: "sex, age, education,
standard of living, marital status") and 000:L1606 (WANG 2015 individual controls).
"""

from __future__ import annotations

from typing import Any

from .core import (
    REQ_NUMBER,
    Choice,
    Group,
    Row,
    T,
    age,
    calculate,
    choices,
    fmt,
    integer,
    metadata,
    note,
    scale,
    select,
    text,
)
from .districts import district_list

SRC_DEM = "instruments.md Module DEM; 000:L510 SHIM 2012 demographics; 000:L1606 WANG controls"

CITY = choices(
    "city",
    Choice("seoul", T("Seoul", "서울", "首尔", "ソウル")),
    Choice("beijing", T("Beijing", "베이징", "北京", "北京")),
    Choice("tokyo", T("Tokyo", "도쿄", "东京", "東京")),
    dk=False,
)
CONSENT = choices(
    "consent",
    Choice("1", T("Yes, agrees to take part", "예, 동의함", "是，同意", "はい、同意した")),
    Choice("2", T("No, does not agree", "아니요, 동의하지 않음", "否，不同意",
                  "いいえ、同意しない")),
    dk=False,
)
YES_NO = choices(
    "yes_no",
    Choice("1", T("Yes", "예", "是", "はい")),
    Choice("2", T("No", "아니요", "否", "いいえ")),
)
SEX = choices(
    "sex",
    Choice("1", T("Male", "남성", "男", "男性")),
    Choice("2", T("Female", "여성", "女", "女性")),
)
EDUCATION = scale("education", [
    T("Elementary school or less", "초등학교 졸업 이하", "小学及以下", "小学校卒業以下"),
    T("Middle school", "중학교 졸업", "初中", "中学校卒業"),
    T("High school (incl. vocational secondary)", "고등학교 졸업",
      "高中（含中专、职高、技校）", "高校卒業"),
    T("Junior or vocational college", "전문대학 졸업", "大专", "短大・高専・専門学校卒業"),
    T("University (bachelor's degree)", "4년제 대학교 졸업", "大学本科", "大学卒業"),
    T("Graduate school (master's or doctorate)", "대학원 졸업(석사·박사)",
      "研究生（硕士、博士）", "大学院修了（修士・博士）"),
], inferred=(1, 2, 3, 4, 5, 6))
LIVING = scale("living_standard", [
    T("Low", "하", "低", "下"),
    T("Lower-middle", "중하", "中等偏下", "中の下"),
    T("Middle", "중", "中等", "中の中"),
    T("Upper-middle", "중상", "中等偏上", "中の上"),
    T("High", "상", "高", "上"),
], inferred=(1, 2, 3, 4, 5))
MARITAL = scale("marital", [
    T("Never married", "미혼", "未婚", "未婚"),
    T("Married", "기혼(배우자 있음)", "已婚", "既婚（配偶者あり）"),
    T("Divorced", "이혼", "离婚", "離別"),
    T("Widowed", "사별", "丧偶", "死別"),
    T("Other", "기타", "其他", "その他"),
], inferred=(5,))
TENURE = scale("tenure", [
    T("Owned by me or my family", "자가(본인 또는 가족 소유)", "自有住房（本人或家人所有）",
      "持ち家（本人または家族の所有）"),
    T("Rented (any kind of lease)", "임차(전세·월세 등)", "租住（各种租赁形式）",
      "賃貸（借家・賃貸住宅）"),
    T("Other (e.g. employer housing, living rent-free)", "기타(관사, 무상 거주 등)",
      "其他（如单位宿舍、免费借住）", "その他（社宅・寮、無償で住んでいるなど）"),
], inferred=(1, 2, 3))
HUKOU = scale("hukou", [
    T("Beijing hukou (local)", "베이징 후커우(현지 호적)", "北京户口（本地户口）",
      "北京の戸口（地元の戸籍）"),
    T("Hukou outside Beijing (non-local)", "베이징 이외 지역 후커우(타지 호적)",
      "外地户口", "北京以外の戸口（他地域の戸籍）"),
], inferred=(1, 2))


def intro(topic: dict[str, str]) -> list[Row]:
    """Metadata, introduction/consent note and consent check (outside any group)."""
    intro_text = fmt(T(
        "Hello. I am an interviewer with the Seoul–Beijing–Tokyo research network on "
        "individualization and community. We are asking residents about {en}. Taking "
        "part is voluntary: you may skip any question or stop at any time. Your answers "
        "will be kept confidential and used only for research, in statistical form.",
        "안녕하십니까? 저는 서울·베이징·도쿄 ‘개인화와 공동체’ 연구 네트워크의 "
        "면접원입니다. 저희는 주민 여러분께 {ko}에 관해 여쭙고 있습니다. 조사 참여는 "
        "자발적이며, 원하지 않는 질문에는 답하지 않으셔도 되고 언제든지 중단하실 수 "
        "있습니다. 응답 내용은 비밀이 보장되며 통계 형태로 연구 목적에만 사용됩니다.",
        "您好！我是首尔—北京—东京“个体化与社区”研究网络的访问员。我们正在就{zh}向"
        "居民进行调查。参加调查完全自愿，您可以跳过任何问题，也可以随时停止。您的回答"
        "将严格保密，仅以统计形式用于研究。",
        "こんにちは。私はソウル・北京・東京の「個人化とコミュニティ」研究ネットワークの"
        "調査員です。住民の皆さまに{ja}についてお伺いしています。調査へのご協力は任意で、"
        "答えたくない質問には答えなくてもよく、いつでも中止できます。お答えいただいた"
        "内容の秘密は厳守し、統計的な形で研究のためだけに使用します。",
    ), **topic)
    consent_msg = T(
        "Do not continue without consent. Thank the person, close this form without "
        "saving and record the refusal on the contact sheet.",
        "동의 없이는 조사를 계속할 수 없습니다. 감사 인사를 드린 뒤 이 양식을 저장하지 "
        "말고 닫고, 접촉 기록지에 거절을 기록하십시오.",
        "未经同意不得继续访问。请向对方致谢，不保存并关闭本问卷，然后在接触记录表上登记"
        "拒访。",
        "同意が得られない場合は調査を続けないでください。お礼を述べ、このフォームを保存"
        "せずに閉じ、接触記録票に拒否を記録してください。",
    )
    return [
        *metadata(),
        note("INTRO", intro_text, source="authored (interview introduction and consent)",
             inferred="introduction wording authored"),
        select(CONSENT, "CONSENT",
               T("Does the respondent agree to take part in the interview?",
                 "응답자가 면접 조사 참여에 동의하였습니까?",
                 "受访者是否同意接受访问？",
                 "回答者は調査への協力に同意しましたか。"),
               source="authored (consent record)", constraint=". = '1'",
               constraint_message=consent_msg, inferred="consent item authored"),
    ]


def dem_group(wave, *, seoul_only: bool = False, wave_default: str = "") -> Group:
    """The DEM group.  ``wave`` is the form's wave list; ``seoul_only`` fixes the city."""
    city_extra: dict[str, Any] = {}
    if seoul_only:
        city_extra = {
            "default": "seoul", "constraint": ". = 'seoul'",
            "constraint_message": T(
                "This survey covers Seoul residents only. Select Seoul.",
                "이 조사는 서울 시민만을 대상으로 합니다. ‘서울’을 선택하십시오.",
                "本调查仅以首尔市民为对象，请选择“首尔”。",
                "この調査の対象はソウル市民のみです。「ソウル」を選んでください。"),
        }
    income_missing = "9999998 9999999"
    rows = [
        select(CITY, "city", T("City", "도시", "城市", "都市"),
               source="FRM01; instruments.md Fieldwork workflow facts", **city_extra),
        calculate("city_label", "jr:choice-name(${city}, '${city}')",
                  source="city name in the interview language, used in stems"),
        select(wave, "wave", T("Survey wave", "조사 차수", "调查轮次", "調査回"),
               source="FRM02; instruments.md Fieldwork workflow facts", default=wave_default),
        select(district_list(), "district",
               T("District where the respondent lives (gu / district / special ward)",
                 "응답자가 사는 구(자치구 / 구 / 특별구)",
                 "受访者居住的区（首尔的区 / 北京的区 / 东京的特别区）",
                 "回答者が住んでいる区（ソウルの区／北京の区／東京の特別区）"),
               source="FRM03; instruments.md Fieldwork workflow facts (gu / qu / ku)",
               choice_filter="city=${city}",
               inferred="district list compiled from current official lists, not the seeds"),
        text("dong",
             T("Lowest administrative unit: Dong (Seoul) / sub-district and community "
               "(Beijing) / town and chōme (Tokyo)",
               "최하위 행정 단위: 동(서울) / 가도·사구(베이징) / 마치·조메(도쿄)",
               "最基层行政单位：洞（首尔）/ 街道及社区（北京）/ 町丁目（东京）",
               "最小の行政単位：洞（ソウル）／街道・社区（北京）／町丁目（東京）"),
             hint=T(
                 "Seoul: administrative Dong, e.g. Sungsan 1-dong. Beijing: sub-district "
                 "(jiedao) and residential community (shequ), e.g. Qinghe sub-district, "
                 "Y community. Tokyo: town and chōme, e.g. Taishidō 2-chōme; in Setagaya "
                 "also write the district centre (machizukuri centre).",
                 "서울: 행정동(예: 성산1동). 베이징: 가도(街道)와 사구(社區)(예: 칭허 가도 "
                 "Y사구). 도쿄: 마치·조메(町丁目)(예: 다이시도 2조메). 세타가야구는 지구"
                 "(마치즈쿠리 센터)도 함께 적으십시오.",
                 "首尔：行政洞（如城山1洞）。北京：街道和社区（如清河街道Y社区）。东京："
                 "町丁目（如太子堂二丁目）；世田谷区还须注明所属的まちづくりセンター（社区营造"
                 "中心）辖区。",
                 "ソウル：行政洞（例：城山1洞）。北京：街道と社区（例：清河街道Y社区）。"
                 "東京：町丁目（例：太子堂二丁目）。世田谷区では地区（まちづくり"
                 "センター）名も記入してください。"),
             source="FRM04; 000:L290, L785, L1232 (Dong / 社区 / district centres)"),
        select(SEX, "DEM01", T("Respondent's sex", "응답자 성별", "受访者性别", "回答者の性別"),
               hint=T("Ask only if not obvious.", "분명하지 않은 경우에만 질문하십시오.",
                      "无法判断时再询问。", "明らかでない場合のみ尋ねてください。"),
               source="000:L510 SHIM (\"sex\"); 000:L1606 WANG", inferred="wording authored"),
        age("DEM02",
            T("How old are you (age in completed years)?", "귀하의 나이는 만으로 몇 세입니까?",
              "您今年多大年龄（周岁）？", "あなたの年齢は満何歳ですか。"),
            bands="18-29|30-39|40-49|50-59|60+",
            source="000:L510 SHIM (\"age\"); 000:L1606 WANG; bands 000:L510 (\"twenties\", "
            "\"over sixties\"), 000:L288 (\"30s and 40s\")",
            inferred="wording and 18+ eligibility authored; 998/999 don't know / refused "
            "codes authored; export bands per instruments.md DEM02"),
        select(EDUCATION, "DEM03",
               T("What is the highest level of education you have completed?",
                 "귀하의 최종 학력은 어떻게 되십니까?",
                 "您的最高学历是什么？",
                 "あなたが最後に卒業した学校はどれですか。"),
               source="000:L510 SHIM (\"education\"); 000:L1606 WANG",
               inferred="wording and harmonised categories authored (instruments.md DEM03)"),
        select(LIVING, "DEM04",
               T("Compared with other households in your city, how would you rate your "
                 "household's standard of living?",
                 "귀하가 사시는 도시의 다른 가구와 비교할 때, 귀댁의 생활수준은 어느 정도라고 "
                 "생각하십니까?",
                 "与本市其他家庭相比，您家的生活水平属于哪个层次？",
                 "お住まいの都市のほかの世帯と比べて、お宅の生活の程度はどれにあたると"
                 "思いますか。"),
               appearance="likert",
               source="000:L510 SHIM (\"standard of living\")",
               inferred="wording and 5-point scale inferred (instruments.md DEM04)"),
        select(MARITAL, "DEM05",
               T("What is your current marital status?", "귀하의 현재 혼인 상태는 어떻게 되십니까?",
                 "您目前的婚姻状况是？", "現在の婚姻状況は次のどれにあたりますか。"),
               source="000:L510 SHIM (\"marital status\"); 000:L1606 WANG (ref. unmarried)",
               inferred="wording authored; categories per instruments.md DEM05"),
        select(TENURE, "DEM06",
               T("Is the home you live in owned by you or your family, or rented?",
                 "현재 살고 계신 집은 본인이나 가족 소유입니까, 아니면 임차하신 집입니까?",
                 "您现在住的房子是自己（家）的还是租的？",
                 "現在お住まいの住宅は、ご本人またはご家族の持ち家ですか、それとも賃貸ですか。"),
               source="000:L1606 WANG (homeowner, ref. tenant)",
               inferred="wording and categories authored"),
        integer("DEM07",
                T("What was your own total income before tax over the past 12 months, from "
                  "all sources?",
                  "지난 1년간 귀하 개인의 총소득(세전, 모든 소득 포함)은 얼마입니까?",
                  "过去12个月，您个人的税前总收入（包括各种来源）是多少？",
                  "過去1年間のあなた個人の収入（税込み、すべての収入を含む）はいくら"
                  "ですか。"),
                hint=T(
                    "Record in local units. Seoul: 10,000 won; Beijing: yuan; Tokyo: 10,000 "
                    "yen. 9999998 = don't know, 9999999 = refused.",
                    "현지 단위로 기록하십시오. 서울: 만 원, 베이징: 위안, 도쿄: 만 엔. "
                    "9999998 = 모름, 9999999 = 응답 거절",
                    "按当地货币单位填写。首尔：万韩元；北京：元；东京：万日元。9999998 = "
                    "不知道，9999999 = 拒绝回答。",
                    "現地の単位で記入してください。ソウル：万ウォン、北京：元、東京：万円。"
                    "9999998＝わからない、9999999＝回答拒否"),
                constraint="(. >= 0 and . <= 9999990) or . = 9999998 or . = 9999999",
                constraint_message=T(
                    "Enter an amount from 0 to 9999990, or 9999998 (don't know) or "
                    "9999999 (refused).",
                    "0에서 9999990 사이의 금액을 입력하거나, 모르면 9999998, 응답을 "
                    "거절하면 9999999를 입력하십시오.",
                    "请填写0至9999990之间的金额；不知道请填9999998，拒绝回答请填9999999。",
                    "0から9999990までの金額を入力してください。わからない場合は9999998、"
                    "回答拒否の場合は9999999を入力してください。"),
                required_message=fmt(REQ_NUMBER, dk=9999998, rf=9999999),
                missing=income_missing,
                source="000:L1606 WANG (personal annual income, logged at analysis)",
                inferred="wording, 12-month reference period and currency units authored"),
        select(YES_NO, "DEM08",
               T("Do you currently receive public social assistance, such as basic "
                 "livelihood benefits?",
                 "현재 기초생활보장 급여 등 공적 사회부조를 받고 계십니까?",
                 "您目前是否领取低保等社会救助？",
                 "現在、生活保護などの公的扶助を受けていますか。"),
               source="000:L1606 WANG (receiving social assistance)",
               inferred="wording authored"),
        select(HUKOU, "DEM09",
               T("Is your household registration (hukou) in Beijing?",
                 "귀하의 후커우(戶口, 중국의 호적)는 베이징에 있습니까?",
                 "您的户口是北京户口还是外地户口？",
                 "あなたの戸口（中国の戸籍）は北京にありますか。"),
               relevant="${city} = 'beijing'",
               source="000:L1269 LIZ, 000:L785 HSK (hukou); instruments.md DEM09",
               inferred="wording authored; Beijing-only relevance inferred"),
    ]
    return Group(
        "DEM",
        T("Respondent and sampling frame", "응답자 및 표본 정보", "受访者与抽样信息",
          "回答者と標本の情報"),
        source=SRC_DEM,
        rows=rows,
    )
