"""Property tests: any workbook hypothesis makes — well-formed or not, damaged bytes, odd text
layouts — is either a questionnaire or a row-cited FormError: never another exception, never
a warning on the terminal. Accepted ones open in the interview engine."""

from __future__ import annotations

import datetime as dt
import io
import warnings

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldapp.errors import FormError
from fieldapp.interview.engine import Interview
from fieldapp.interview.errors import AnswerError
from fieldapp.interview.navigation import Navigator
from fieldapp.questionnaire import load_questionnaire_bytes

HEADERS = ["type", "name", "label", "label::English (en)", "label::Korean (ko)", "hint",
           "required", "relevant", "constraint", "calculation", "choice_filter", "appearance",
           "parameters", "repeat_count", "default", "image", "media::audio::en", "big-image",
           "bind::jr:requiredMsg", "body::accept", "instance::tag", "trigger", "list_name",
           "label::default", "read_only", "form_id", "version", "default_language",
           "allow_choice_duplicates", "instance_name", "", " ", "::", "label:::", "bind::"]
TYPES = ["text", "integer", "decimal", "select_one yn", "select_multiple yn", "begin group",
         "end group", "begin repeat", "end repeat", "calculate", "note", "range", "rank yn",
         "geopoint", "geoshape", "image", "file", "select_one_from_file f.csv",
         "begin loop over yn", "end loop", "background-audio", "acknowledge", "hidden",
         "xml-external", "select_one", "select one from yn or specify other", "today",
         "username", "audit", "barcode", "select_one_external yn", "weird type"]
EXPRESSIONS = ["${a}", "${b} > 1", ". > 0", "instance('yn')/root/item[name = '1']/label",
               "../a", "current()/../b", "/data/a", "pulldata('f', 'a', 'b', ${a})",
               "search('f', 'matches', 'c', ${a})", "start=1 end=0 step=0", "yes", "no", "a",
               "b", "c", "yn", "1", "2", "false", "null", "‘x’", "count(${c})",
               "if(${a} = '1', 'x', 'y')", "area(${a})", "randomize=true"]
CELLS = st.one_of(
    st.sampled_from(TYPES), st.sampled_from(EXPRESSIONS),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.integers(-10, 10**6), st.floats(allow_nan=False, allow_infinity=False), st.none(),
    st.booleans(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)))
SHEETS = ["survey", "choices", "settings", "external_choices", "entities", "notes", "Survey"]


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    names = draw(st.lists(st.sampled_from(SHEETS), min_size=1, max_size=4, unique=True))
    for name in names:
        sheet = book.create_sheet(name)
        width = draw(st.integers(1, 8))
        sheet.append(draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width)))
        for _ in range(draw(st.integers(0, 10))):
            sheet.append(draw(st.lists(CELLS, min_size=0, max_size=width + 1)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def plausible_workbooks(draw: st.DrawFn) -> bytes:
    """Surveys that are nearly right (type, name and label on every row), so the builder,
    the validator and the engine see many accepted forms too."""
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    extra = draw(st.lists(st.sampled_from(["relevant", "constraint", "calculation",
                                           "required", "parameters", "appearance",
                                           "choice_filter", "default", "repeat_count"]),
                          max_size=3, unique=True))
    survey.append(["type", "name", "label", *extra])
    for index in range(draw(st.integers(1, 12))):
        name = draw(st.sampled_from([f"q{index}", "a", "b", "c"]))
        survey.append([draw(st.sampled_from(TYPES)), name, f"Question {index}",
                       *[draw(st.one_of(st.none(), st.sampled_from(EXPRESSIONS)))
                         for _ in extra]])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for code in ("1", "2", "3"):
        choices.append(["yn", code, f"Choice {code}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _load(content: bytes, name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning escaping the loader fails the test
        try:
            form = load_questionnaire_bytes(content, name)
        except FormError as exc:
            assert exc.issues and all(str(i) for i in exc.issues)
            return
        engine = Interview(form)
        for page in Navigator(engine).pages():
            for key in page.keys:
                for value in ("1", 1, "a b", "37.5 127; 37.6 127.1; 37.6 127", None):
                    try:
                        engine.answer(key, value)
                    except AnswerError:
                        pass
        engine.refresh()


SLOW = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SLOW
@given(workbooks())
def test_any_workbook_is_a_form_or_a_form_error(content: bytes) -> None:
    _load(content, "generated.xlsx")


@SLOW
@given(plausible_workbooks())
def test_nearly_right_workbook_is_a_form_or_a_form_error(content: bytes) -> None:
    _load(content, "plausible.xlsx")


@SLOW
@given(workbooks(), st.data())
def test_damaged_workbook_bytes_are_a_form_error(content: bytes, data: st.DataObject) -> None:
    # positions as fractions: the workbook's length varies (openpyxl stamps the save time)
    cut = int(len(content) * data.draw(st.floats(0, 1)))
    flips = data.draw(st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                                         st.integers(0, 255)), max_size=6))
    damaged = bytearray(content[:cut] if data.draw(st.booleans()) else content)
    for where, value in flips:
        if damaged:
            damaged[int(where * len(damaged))] = value
    _load(bytes(damaged), data.draw(st.sampled_from(["f.xlsx", "f.xls", "f.csv", "f.md", "f"])))


@SLOW
@given(st.lists(st.lists(st.one_of(st.sampled_from(SHEETS + TYPES + HEADERS + EXPRESSIONS),
                                   st.text(max_size=8)), max_size=6), max_size=20),
       st.sampled_from(["csv", "md"]))
def test_text_layouts_are_a_form_or_a_form_error(rows: list[list[str]], layout: str) -> None:
    if layout == "csv":
        import csv

        out = io.StringIO()
        csv.writer(out).writerows(rows)
        text = out.getvalue()
    else:
        text = "\n".join("| " + " | ".join(c.replace("|", "/") for c in row) + " |"
                         for row in rows)
    _load(text.encode("utf-8"), f"form.{layout}")
