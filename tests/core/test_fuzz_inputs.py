"""Hostile input, generated: thousands of answers files and questionnaires, and not one
internal error - only the user-facing errors (FieldAppError) may come out."""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldapp.answers_file import DryRun, apply_answers, completeness, read_answers_file
from fieldapp.errors import FieldAppError
from fieldapp.interview.engine import Interview
from fieldapp.interview.values import to_json
from fieldapp.questionnaire import load_questionnaire_bytes, load_rows
from fieldapp.questionnaire.reader import Row, SheetRows
from tests.support.devices import QUESTIONNAIRES
from tests.support.formtools import md_to_xlsx

MANY = settings(max_examples=1000, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SOME = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FORM = load_questionnaire_bytes((QUESTIONNAIRES / "three_city_2012.xlsx").read_bytes(),
                                "three_city_2012.xlsx")
NAMES = sorted({e.name for e, _ in FORM.iter_elements()})

# text with CJK, control characters and (often) lone surrogates
_plain = st.text(st.characters(exclude_categories=()), max_size=30)
texts = st.one_of(_plain, st.builds(lambda a, s, b: a + s + b, _plain,
                                    st.sampled_from(["\ud800", "\udc80", "\udfff"]), _plain))
leaves = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
                   st.floats(allow_nan=True, allow_infinity=True), texts,
                   st.sampled_from(["1", "2", "98", "seoul", "2012", "1990-01-01", ""]))
values = st.recursive(leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(texts, st.sampled_from(NAMES)),
                                                 inner, max_size=4)), max_leaves=12)
TEXT_NAMES = sorted(q.name for q in FORM.iter_questions() if q.type == "text")
answers = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(NAMES), texts), values, max_size=12),
    st.dictionaries(st.sampled_from(TEXT_NAMES), st.one_of(texts, values), max_size=4))


def _read(raw: bytes) -> tuple[str | None, dict]:
    fd, name = tempfile.mkstemp(suffix=".json")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        return read_answers_file(Path(name))
    finally:
        os.unlink(name)


def _check(raw: bytes) -> None:
    try:
        language, given_answers = _read(raw)
        engine = Interview(FORM, language=language)
        apply_answers(DryRun(engine), given_answers)
        completeness(engine)
    except FieldAppError:
        return
    for value in engine.answers.values():  # what the recorder encrypts must encode
        json.dumps({"v": to_json(value)}, ensure_ascii=False).encode("utf-8")


@MANY
@given(answers, st.sampled_from([None, "ko", "zh", "ja", "en", "xx"]))
def test_answers_files_never_cause_an_internal_error(data: dict, language: str | None) -> None:
    content = {"answers": data} if language is None else {"language": language, "answers": data}
    _check(json.dumps(content, ensure_ascii=True).encode("utf-8"))


@SOME
@given(st.binary(max_size=400))
def test_arbitrary_bytes_as_an_answers_file(raw: bytes) -> None:
    _check(raw)


# -- questionnaires ----------------------------------------------------------------------
TYPES = ["text", "integer", "decimal", "select_one yn", "select_multiple yn", "note",
         "calculate", "date", "begin group", "end group", "begin repeat", "end repeat",
         "select_one nolist", "begin_group", "geopoint", "start", "today", "", "integr",
         "select one from yn", "select_one", "range"]
EXPRESSIONS = ["", "${a} = 1", "${b} > ${a}", ". >= 18", "regex(., '(a+)+$')",
               "regex(., '(a)\\1')", "date(${a})", "${nope}", "((", "position(..)",
               "selected(${b}, 'y')", "count(${r})", "'unterminated", "${a} div 0",
               "if(${a}, 1)", "concat(" * 40]
COLUMNS = ["type", "name", "label", "label::English (en)", "label::Korean (ko)", "relevant",
           "constraint", "calculation", "required", "choice_filter", "repeat_count",
           "appearance", "default", "hint", "constraint_message", "bind::jr:x", "weird"]
cells = st.dictionaries(st.sampled_from(COLUMNS), st.one_of(
    texts, st.sampled_from(EXPRESSIONS), st.sampled_from(TYPES),
    st.sampled_from(["a", "b", "r", "a b", "1a", "yes", "no"])), max_size=7)
rows = st.lists(cells, max_size=12)


@MANY
@given(rows, st.lists(st.dictionaries(st.sampled_from(["list_name", "name", "label", "x"]),
                                      st.one_of(texts, st.sampled_from(["yn", "y", "n"])),
                                      max_size=4), max_size=5),
       st.dictionaries(st.sampled_from(["form_id", "version", "default_language",
                                        "form_title", "style"]), texts, max_size=3))
def test_questionnaires_never_cause_an_internal_error(survey: list, choices: list,
                                                      setting: dict) -> None:
    sheets = SheetRows(path="fuzz.xlsx")
    for name, table in (("survey", survey), ("choices", choices), ("settings", [setting])):
        headers = sorted({key for row in table for key in row})
        sheets.headers[name] = headers
        sheets.rows[name] = [Row(i + 2, dict(row)) for i, row in enumerate(table) if row]
    try:
        form = load_rows(sheets)
    except FieldAppError:
        return
    engine = Interview(form)
    for slot in list(engine.question_slots(relevant_only=False))[:20]:
        try:
            engine.answer(slot.key, "1")
        except FieldAppError:
            pass


VALID = md_to_xlsx("""
| survey |
| | type | name | label | relevant |
| | text | a | A | |
| | integer | b | B | ${a} != '' |
| choices |
| | list_name | name | label |
| | yn | y | Yes |
| settings |
| | form_id | version |
| | fuzz | 1 |
""", Path(tempfile.mkdtemp()) / "valid.xlsx").read_bytes()


@SOME
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=len(VALID) - 1),
                          st.integers(min_value=0, max_value=255)), max_size=6),
       st.integers(min_value=0, max_value=len(VALID)))
def test_damaged_workbooks_never_cause_an_internal_error(flips: list, cut: int) -> None:
    data = bytearray(VALID[:cut] if cut > 30 else VALID)
    for at, value in flips:
        if at < len(data):
            data[at] = value
    try:
        load_questionnaire_bytes(bytes(data), "damaged.xlsx")
    except FieldAppError:
        pass


@SOME
@given(st.lists(st.tuples(st.sampled_from(["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                           "xl/workbook.xml", "[Content_Types].xml"]),
                          st.binary(max_size=200)), max_size=2))
def test_workbooks_with_garbage_parts_never_cause_an_internal_error(parts: list) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID)) as src, zipfile.ZipFile(out, "w") as dst:
        replaced = dict(parts)
        for info in src.infolist():
            dst.writestr(info, replaced.get(info.filename, src.read(info)))
    try:
        load_questionnaire_bytes(out.getvalue(), "garbage.xlsx")
    except FieldAppError:
        pass
