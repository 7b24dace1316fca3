"""Building blocks shared by all questionnaire modules: text, rows, choice lists.

A survey row is a plain dict keyed by XLSForm column base names (``label``, ``hint``,
``constraint_message`` … hold ``{lang: text}`` dicts); the writer expands them into the
``label::English (en)`` … columns.  Select rows also carry the ``ChoiceList`` object
under the private key ``_list`` so the form assembler can collect the lists it uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGS = ("en", "ko", "zh", "ja")
LANG_NAMES = {
    "en": "English (en)",
    "ko": "Korean (ko)",
    "zh": "Chinese (zh)",
    "ja": "Japanese (ja)",
}
VERSION = "2026120302"

#: Translated columns, in sheet order, each expanded to four language columns.
TRANSLATED = ("label", "hint", "required_message", "constraint_message", "short_label")
SURVEY_COLUMNS = (
    "type", "name", "label", "hint", "required", "required_message", "relevant",
    "constraint", "constraint_message", "calculation", "appearance", "choice_filter",
    "default", "read_only",
    # custom columns (ignored by pyxform, read by fieldapp's loader and export)
    "source", "domain", "score", "missing", "inferred", "bands", "short_label",
)
CHOICE_EXTRA_COLUMNS = ("missing", "inferred", "city")

Text = dict[str, str]


def T(en: str, ko: str, zh: str, ja: str) -> Text:
    """One text in the four languages, always in the order en, ko, zh, ja."""
    return {"en": en, "ko": ko, "zh": zh, "ja": ja}


def same(text: str) -> Text:
    """A language-neutral text (digits) repeated in all four languages."""
    return T(text, text, text, text)


def fmt(text: Text, **values: object) -> Text:
    """``str.format`` applied to every language of ``text``."""
    return {lang: s.format(**values) for lang, s in text.items()}


# --------------------------------------------------------------------------- choices


@dataclass(frozen=True)
class Choice:
    name: str
    label: Text
    missing: bool = False
    inferred: bool = False
    city: str = ""


@dataclass(frozen=True)
class ChoiceList:
    name: str
    choices: tuple[Choice, ...]

    @property
    def has_missing(self) -> bool:
        return any(c.missing for c in self.choices)


DONT_KNOW = Choice("98", T("Don't know", "모름", "不知道", "わからない"), missing=True)
REFUSED = Choice("99", T("Refused", "응답 거절", "拒绝回答", "回答拒否"), missing=True)


def choices(name: str, *items: Choice, dk: bool = True) -> ChoiceList:
    """A choice list; ``dk`` appends don't know (98) and refused (99)."""
    extra = (DONT_KNOW, REFUSED) if dk else ()
    return ChoiceList(name, tuple(items) + extra)


def scale(name: str, labels: list[Text], inferred: tuple[int, ...] = ()) -> ChoiceList:
    """A 1…k scale; ``inferred`` lists the codes whose anchor wording is authored."""
    return choices(
        name,
        *(Choice(str(i), lab, inferred=i in inferred) for i, lab in enumerate(labels, 1)),
    )


def bipolar(name: str, pole_a: Text, pole_b: Text, *, points_inferred: bool,
            poles_inferred: bool = False) -> ChoiceList:
    """A 1–9 bipolar list: 1 = pole A, 9 = pole B, 2–8 labelled with the digit."""
    items = [Choice("1", pole_a, inferred=poles_inferred)]
    items += [Choice(str(i), same(str(i)), inferred=points_inferred) for i in range(2, 9)]
    items.append(Choice("9", pole_b, inferred=poles_inferred))
    return choices(name, *items)


# --------------------------------------------------------------------------- messages

REQ_SELECT = T(
    "An answer is required. If the respondent does not know or refuses, select "
    "“Don't know” or “Refused”.",
    "응답이 필요합니다. 응답자가 모르거나 응답을 거절하면 ‘모름’ 또는 ‘응답 거절’을 "
    "선택하십시오.",
    "此题必须作答。如受访者不知道或拒绝回答，请选择“不知道”或“拒绝回答”。",
    "回答が必要です。回答者がわからない場合や回答を拒否した場合は、「わからない」"
    "または「回答拒否」を選んでください。",
)
REQ_PLAIN = T("An answer is required.", "응답이 필요합니다.", "此题必须作答。", "回答が必要です。")
REQ_NUMBER = T(
    "An answer is required. If the respondent does not know, enter {dk}; if the "
    "respondent refuses, enter {rf}.",
    "응답이 필요합니다. 응답자가 모르면 {dk}, 응답을 거절하면 {rf}를 입력하십시오.",
    "此题必须作答。如受访者不知道，请填{dk}；如拒绝回答，请填{rf}。",
    "回答が必要です。回答者がわからない場合は{dk}、回答を拒否した場合は{rf}を"
    "入力してください。",
)
COUNT_HINT = T(
    "Enter the number (0–{max}). 998 = don't know, 999 = refused.",
    "숫자를 입력하십시오(0~{max}). 998 = 모름, 999 = 응답 거절",
    "请填写数字（0—{max}）。998 = 不知道，999 = 拒绝回答。",
    "数字を入力してください（0～{max}）。998＝わからない、999＝回答拒否",
)
COUNT_MESSAGE = T(
    "Enter a whole number from 0 to {max}, or 998 (don't know) or 999 (refused).",
    "0에서 {max} 사이의 정수를 입력하거나, 모르면 998, 응답을 거절하면 999를 "
    "입력하십시오.",
    "请填写0至{max}之间的整数；不知道请填998，拒绝回答请填999。",
    "0から{max}までの整数を入力してください。わからない場合は998、回答拒否の場合は"
    "999を入力してください。",
)
AGE_HINT = T(
    "Age in completed years (18–110). 998 = don't know, 999 = refused.",
    "만 나이를 입력하십시오(18~110). 998 = 모름, 999 = 응답 거절",
    "请填写周岁年龄（18—110）。998 = 不知道，999 = 拒绝回答。",
    "満年齢を入力してください（18～110）。998＝わからない、999＝回答拒否",
)
AGE_MESSAGE = T(
    "Age must be between 18 and 110 (only adults aged 18 or over are interviewed), or 998 "
    "(don't know) or 999 (refused).",
    "나이는 18세에서 110세 사이여야 합니다(만 18세 이상 성인만 조사 대상). 모르면 998, "
    "응답을 거절하면 999를 입력하십시오.",
    "年龄须在18至110岁之间（本调查只访问18周岁及以上的成年人）；不知道请填998，拒绝回答"
    "请填999。",
    "年齢は18～110歳の範囲で入力してください（調査対象は満18歳以上の方）。わからない場合は"
    "998、回答拒否の場合は999を入力してください。",
)
BIPOLAR_HINT = T(
    "1 is closest to the first statement and 9 to the second; the numbers in between "
    "show how close the respondent is to either side.",
    "1은 앞의 진술에, 9는 뒤의 진술에 가장 가깝다는 뜻이며, 그 사이의 숫자는 어느 "
    "쪽에 얼마나 가까운지를 나타냅니다.",
    "1表示最接近前一种说法，9表示最接近后一种说法，中间的数字表示更接近哪一边以及"
    "接近的程度。",
    "1は前者に、9は後者に最も近いことを表します。その間の数字は、どちらにどの程度"
    "近いかを表します。",
)


# --------------------------------------------------------------------------- rows

Row = dict[str, Any]


def _row(type_: str, name: str, **cols: Any) -> Row:
    row: Row = {"type": type_, "name": name}
    row.update({k: v for k, v in cols.items() if v not in (None, "")})
    return row


def select(lst: ChoiceList, name: str, label: Text, *, source: str, required: bool = True,
           appearance: str = "", **cols: Any) -> Row:
    """A ``select_one`` question; required unless told otherwise."""
    row = _row(f"select_one {lst.name}", name, label=label, appearance=appearance,
               source=source, **cols)
    row["_list"] = lst
    if required:
        row["required"] = "yes"
        row.setdefault("required_message", REQ_SELECT if lst.has_missing else REQ_PLAIN)
    return row


def likert(lst: ChoiceList, name: str, label: Text, **cols: Any) -> Row:
    """A scale item: ``select_one`` with ``appearance`` likert."""
    return select(lst, name, label, appearance="likert", **cols)


def count(name: str, label: Text, *, maximum: int, source: str, **cols: Any) -> Row:
    """An integer count 0…maximum with 998 (don't know) / 999 (refused)."""
    return _row(
        "integer", name, label=label, hint=fmt(COUNT_HINT, max=maximum), required="yes",
        required_message=fmt(REQ_NUMBER, dk=998, rf=999),
        constraint=f"(. >= 0 and . <= {maximum}) or . = 998 or . = 999",
        constraint_message=fmt(COUNT_MESSAGE, max=maximum), missing="998 999",
        source=source, **cols,
    )


def integer(name: str, label: Text, *, source: str, **cols: Any) -> Row:
    return _row("integer", name, label=label, required="yes", source=source, **cols)


def text(name: str, label: Text, *, source: str, **cols: Any) -> Row:
    """Free text: never required (the conventions exempt free text)."""
    return _row("text", name, label=label, source=source, **cols)


def note(name: str, label: Text, *, source: str = "", **cols: Any) -> Row:
    return _row("note", name, label=label, source=source, **cols)


def calculate(name: str, calculation: str, *, source: str = "", **cols: Any) -> Row:
    return _row("calculate", name, calculation=calculation, source=source, **cols)


def age(name: str, label: Text, *, source: str, **cols: Any) -> Row:
    """Age in completed years, 18–110, with 998 (don't know) / 999 (refused)."""
    return _row(
        "integer", name, label=label, hint=AGE_HINT, required="yes",
        required_message=fmt(REQ_NUMBER, dk=998, rf=999),
        constraint="(. >= 18 and . <= 110) or . = 998 or . = 999",
        constraint_message=AGE_MESSAGE, missing="998 999", source=source, **cols,
    )


def metadata() -> list[Row]:
    return [_row(t, t) for t in ("start", "end", "today", "deviceid")]


@dataclass
class Group:
    """A ``begin group`` … ``end group`` block named after its module."""

    name: str
    label: Text
    source: str
    rows: list[Row] = field(default_factory=list)
    appearance: str = ""
    relevant: str = ""
    kind: str = "group"  # "repeat" for a roster

    def flatten(self) -> list[Row]:
        begin = _row(f"begin {self.kind}", self.name, label=self.label,
                     appearance=self.appearance, relevant=self.relevant, source=self.source)
        return [begin, *self.rows, _row(f"end {self.kind}", self.name)]
