"""Districts per city for the cascading ``district`` list (choice_filter ``city=${city}``).

Seoul: the 25 autonomous districts (gu).  Beijing: the 16 districts (Miyun and Yanqing
were counties until 2015; Dongcheng/Xicheng absorbed Chongwen/Xuanwu in 2010).
Tokyo: the 23 special wards (ku).  Names follow each language's standard usage:
Korean names of Chinese/Japanese places follow the National Institute of Korean
Language transcription rules; Chinese uses the official Simplified Chinese names used
by the Seoul and Tokyo governments; Japanese uses shinjitai kanji.
"""

from __future__ import annotations

from .core import Choice, T, choices

# (code suffix, en, ko, zh, ja)
SEOUL = [
    ("jongno", "Jongno-gu", "종로구", "钟路区", "鍾路区"),
    ("jung", "Jung-gu", "중구", "中区", "中区"),
    ("yongsan", "Yongsan-gu", "용산구", "龙山区", "龍山区"),
    ("seongdong", "Seongdong-gu", "성동구", "城东区", "城東区"),
    ("gwangjin", "Gwangjin-gu", "광진구", "广津区", "広津区"),
    ("dongdaemun", "Dongdaemun-gu", "동대문구", "东大门区", "東大門区"),
    ("jungnang", "Jungnang-gu", "중랑구", "中浪区", "中浪区"),
    ("seongbuk", "Seongbuk-gu", "성북구", "城北区", "城北区"),
    ("gangbuk", "Gangbuk-gu", "강북구", "江北区", "江北区"),
    ("dobong", "Dobong-gu", "도봉구", "道峰区", "道峰区"),
    ("nowon", "Nowon-gu", "노원구", "芦原区", "蘆原区"),
    ("eunpyeong", "Eunpyeong-gu", "은평구", "恩平区", "恩平区"),
    ("seodaemun", "Seodaemun-gu", "서대문구", "西大门区", "西大門区"),
    ("mapo", "Mapo-gu", "마포구", "麻浦区", "麻浦区"),
    ("yangcheon", "Yangcheon-gu", "양천구", "阳川区", "陽川区"),
    ("gangseo", "Gangseo-gu", "강서구", "江西区", "江西区"),
    ("guro", "Guro-gu", "구로구", "九老区", "九老区"),
    ("geumcheon", "Geumcheon-gu", "금천구", "衿川区", "衿川区"),
    ("yeongdeungpo", "Yeongdeungpo-gu", "영등포구", "永登浦区", "永登浦区"),
    ("dongjak", "Dongjak-gu", "동작구", "铜雀区", "銅雀区"),
    ("gwanak", "Gwanak-gu", "관악구", "冠岳区", "冠岳区"),
    ("seocho", "Seocho-gu", "서초구", "瑞草区", "瑞草区"),
    ("gangnam", "Gangnam-gu", "강남구", "江南区", "江南区"),
    ("songpa", "Songpa-gu", "송파구", "松坡区", "松坡区"),
    ("gangdong", "Gangdong-gu", "강동구", "江东区", "江東区"),
]

BEIJING = [
    ("dongcheng", "Dongcheng District", "둥청구", "东城区", "東城区"),
    ("xicheng", "Xicheng District", "시청구", "西城区", "西城区"),
    ("chaoyang", "Chaoyang District", "차오양구", "朝阳区", "朝陽区"),
    ("fengtai", "Fengtai District", "펑타이구", "丰台区", "豊台区"),
    ("shijingshan", "Shijingshan District", "스징산구", "石景山区", "石景山区"),
    ("haidian", "Haidian District", "하이뎬구", "海淀区", "海淀区"),
    ("mentougou", "Mentougou District", "먼터우거우구", "门头沟区", "門頭溝区"),
    ("fangshan", "Fangshan District", "팡산구", "房山区", "房山区"),
    ("tongzhou", "Tongzhou District", "퉁저우구", "通州区", "通州区"),
    ("shunyi", "Shunyi District", "순이구", "顺义区", "順義区"),
    ("changping", "Changping District", "창핑구", "昌平区", "昌平区"),
    ("daxing", "Daxing District", "다싱구", "大兴区", "大興区"),
    ("huairou", "Huairou District", "화이러우구", "怀柔区", "懐柔区"),
    ("pinggu", "Pinggu District", "핑구구", "平谷区", "平谷区"),
    ("miyun", "Miyun District", "미윈구", "密云区", "密雲区"),
    ("yanqing", "Yanqing District", "옌칭구", "延庆区", "延慶区"),
]

TOKYO = [
    ("chiyoda", "Chiyoda-ku", "지요다구", "千代田区", "千代田区"),
    ("chuo", "Chūō-ku", "주오구", "中央区", "中央区"),
    ("minato", "Minato-ku", "미나토구", "港区", "港区"),
    ("shinjuku", "Shinjuku-ku", "신주쿠구", "新宿区", "新宿区"),
    ("bunkyo", "Bunkyō-ku", "분쿄구", "文京区", "文京区"),
    ("taito", "Taitō-ku", "다이토구", "台东区", "台東区"),
    ("sumida", "Sumida-ku", "스미다구", "墨田区", "墨田区"),
    ("koto", "Kōtō-ku", "고토구", "江东区", "江東区"),
    ("shinagawa", "Shinagawa-ku", "시나가와구", "品川区", "品川区"),
    ("meguro", "Meguro-ku", "메구로구", "目黑区", "目黒区"),
    ("ota", "Ōta-ku", "오타구", "大田区", "大田区"),
    ("setagaya", "Setagaya-ku", "세타가야구", "世田谷区", "世田谷区"),
    ("shibuya", "Shibuya-ku", "시부야구", "涩谷区", "渋谷区"),
    ("nakano", "Nakano-ku", "나카노구", "中野区", "中野区"),
    ("suginami", "Suginami-ku", "스기나미구", "杉并区", "杉並区"),
    ("toshima", "Toshima-ku", "도시마구", "丰岛区", "豊島区"),
    ("kita", "Kita-ku", "기타구", "北区", "北区"),
    ("arakawa", "Arakawa-ku", "아라카와구", "荒川区", "荒川区"),
    ("itabashi", "Itabashi-ku", "이타바시구", "板桥区", "板橋区"),
    ("nerima", "Nerima-ku", "네리마구", "练马区", "練馬区"),
    ("adachi", "Adachi-ku", "아다치구", "足立区", "足立区"),
    ("katsushika", "Katsushika-ku", "가쓰시카구", "葛饰区", "葛飾区"),
    ("edogawa", "Edogawa-ku", "에도가와구", "江户川区", "江戸川区"),
]

CITY_DISTRICTS = {"seoul": SEOUL, "beijing": BEIJING, "tokyo": TOKYO}


def district_list():
    """The ``district`` choice list; names are ``<city>_<district>``, no missing codes."""
    items = [
        Choice(f"{city}_{code}", T(en, ko, zh, ja), city=city)
        for city, rows in CITY_DISTRICTS.items()
        for code, en, ko, zh, ja in rows
    ]
    return choices("district", *items, dk=False)
