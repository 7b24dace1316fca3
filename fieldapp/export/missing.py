"""Missing-value codes: what kind each is, and labels for codes a form flags without a choice.

Choice lists label their own don't know / refused choices. Numeric questions flag missing
codes in the ``missing`` column (``998 999``, ``9999998 9999999``) without labels; the export
labels those in the label language so that SPSS/Stata value labels and the codebook say what
they are. The convention (questionnaires/README.md): a code ending in 8 is don't know, one
ending in 9 refused, one ending in 7 not applicable.
"""

from __future__ import annotations

from collections.abc import Mapping

KINDS = ("dont_know", "refused", "not_applicable", "other")

#: Labels of flagged codes, per kind and language (the questionnaires' own wording).
LABELS: dict[str, dict[str, str]] = {
    "dont_know": {"en": "Don't know", "ko": "모름", "zh": "不知道", "ja": "わからない"},
    "refused": {"en": "Refused", "ko": "응답 거절", "zh": "拒绝回答", "ja": "回答拒否"},
    "not_applicable": {"en": "Not applicable", "ko": "해당 없음", "zh": "不适用",
                       "ja": "非該当"},
    "other": {"en": "Missing", "ko": "결측", "zh": "缺失", "ja": "欠測"},
}


def missing_kind(code: str) -> str:
    """'dont_know' (…8, e.g. 98), 'refused' (…9), 'not_applicable' (…7) or 'other'."""
    text = str(code).strip()
    if text.endswith("8"):
        return "dont_know"
    if text.endswith("9"):
        return "refused"
    if text.endswith("7"):
        return "not_applicable"
    return "other"


def missing_labels(code: str) -> Mapping[str, str]:
    """The label of a flagged code in every language."""
    return LABELS[missing_kind(code)]
