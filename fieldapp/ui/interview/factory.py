"""Which widget class shows which question type (one class per type, as in formpack)."""

from __future__ import annotations

from fieldapp.questionnaire.model import Question
from fieldapp.ui.interview.attach import FileWidget
from fieldapp.ui.interview.base import Ctx, QuestionWidget
from fieldapp.ui.interview.choices import SelectOneWidget
from fieldapp.ui.interview.multi import SelectMultipleWidget
from fieldapp.ui.interview.note import NoteWidget
from fieldapp.ui.interview.number import NumberWidget
from fieldapp.ui.interview.range_rank import RangeWidget, RankWidget
from fieldapp.ui.interview.scale import BipolarWidget, LikertWidget, is_bipolar
from fieldapp.ui.interview.simple import AcknowledgeWidget, BarcodeWidget, GeoWidget
from fieldapp.ui.interview.typed import DateWidget, TextWidget

BY_TYPE: dict[str, type[QuestionWidget]] = {
    "select_one": SelectOneWidget,
    "select_multiple": SelectMultipleWidget,
    "integer": NumberWidget,
    "decimal": NumberWidget,
    "text": TextWidget,
    "date": DateWidget,
    "time": DateWidget,
    "datetime": DateWidget,
    "note": NoteWidget,
    "range": RangeWidget,
    "rank": RankWidget,
    "acknowledge": AcknowledgeWidget,
    "barcode": BarcodeWidget,
    **dict.fromkeys(("geopoint", "geotrace", "geoshape", "start-geopoint"), GeoWidget),
    **dict.fromkeys(("image", "audio", "video", "file"), FileWidget),
}


def widget_class(ctx: Ctx, question: Question) -> type[QuestionWidget]:
    """The widget class for ``question`` (scales by their appearance and labels)."""
    if question.type == "select_one" and question.appearances & {"likert", "horizontal"}:
        choices = ctx.engine.form.choice_list(question)
        points = [c for c in choices.choices if not c.missing] if choices else []
        if is_bipolar(points, ctx.lang, ctx.engine.form.default_language):
            return BipolarWidget
        if "likert" in question.appearances:
            return LikertWidget
    if question.read_only and question.type != "note":
        return NoteWidget
    return BY_TYPE.get(question.type, TextWidget)


def create(ctx: Ctx, key: str, *, compact: bool = False) -> QuestionWidget:
    """A widget for the question at answer key ``key``."""
    question = ctx.engine.slot(key).element
    assert isinstance(question, Question)
    return widget_class(ctx, question)(ctx, key, compact=compact)
