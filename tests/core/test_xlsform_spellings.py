"""Every spelling pinned pyxform knows — its type dictionary, select and header aliases,
settings — measured against pyxform itself: a form pyxform converts is accepted by fieldapp, or
refused only for a reason docs/xlsform.md lists. Also: what ``forms check`` says about a
refusal or a misspelt name is in the user's language, not only the template's English."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pyxform import aliases
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

from fieldapp.errors import FormError
from fieldapp.interview.defaults import default_value
from fieldapp.interview.engine import Interview
from fieldapp.questionnaire import load_markdown, load_questionnaire
from fieldapp.questionnaire.builder import REFUSED_PREFIX
from tools.forms_corpus import pyxform_verdict

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "xlsform.md").read_text(encoding="utf-8")
CHOICES = "| choices |\n| | list_name | name | label |\n| | yn | y | Yes |\n| | yn | n | No |\n"
#: select commands of pyxform's type dictionary that need a list name after them.
_NEEDS_LIST = {t for t in QUESTION_TYPE_DICT
               if t.startswith(("select", "add select", "q select", "rank"))}


def _pyxform_accepts(path: Path) -> bool:
    return pyxform_verdict(path) == "ok"  # pinned pyxform's verdict (tools/forms_corpus.py)


def _refusals_listed(error: FormError) -> bool:
    for issue in error.issues:
        _, sep, reason = str(issue).partition(REFUSED_PREFIX)
        if not sep or not any(reason.strip() in line for line in DOCS.splitlines()):
            return False
    return True


def _agree_with_pyxform(md: str, tmp_path: Path) -> None:
    path = tmp_path / "form.md"
    path.write_text(md, encoding="utf-8")
    try:
        load_questionnaire(path)
    except FormError as error:
        if _pyxform_accepts(path):
            assert _refusals_listed(error), str(error)


def _row(type_: str) -> str:
    name = "audit" if type_ == "audit" else "q"  # pyxform insists on that name
    calculation = "1 + 1" if "calc" in type_ else ""
    return f"| | {type_} | {name} | Q | {calculation} |\n"


TYPES = sorted(QUESTION_TYPE_DICT) + sorted(f"{s} yn{o}" for s in aliases.select
                                            if "file" not in s and "external" not in s
                                            for o in ("", " or_other", " or specify other"))


@pytest.mark.parametrize("type_", TYPES)
def test_every_type_spelling_pyxform_takes_is_taken(type_: str, tmp_path: Path) -> None:
    if type_ in _NEEDS_LIST:
        type_ += " yn"
    md = ("| survey |\n| | type | name | label | calculation |\n" + _row(type_)
          + "| | text | t | T | |\n" + CHOICES)
    _agree_with_pyxform(md, tmp_path)


SURVEY_HEADERS = sorted(set(aliases.survey_header) - {"command", "tag", "value"})


@pytest.mark.parametrize("header", SURVEY_HEADERS)
def test_every_survey_column_alias_pyxform_takes_is_taken(header: str, tmp_path: Path) -> None:
    value = {"relevance": "1 = 1", "relevant": "1 = 1", "constraint": ". != ''",
             "required": "yes", "read_only": "no", "readonly": "no", "appearance": "multiline",
             "calculation": "", "calculate": "", "count": "", "repeat_count": "",
             "jr:count": "", "image": "", "big-image": "", "audio": "", "video": ""
             }.get(header, "x")
    md = (f"| survey |\n| | type | name | label | {header} |\n| | text | q | Q | {value} |\n"
          "| | text | t | T | |\n")
    _agree_with_pyxform(md, tmp_path)


@pytest.mark.parametrize("header", ["tag", "value"])
def test_name_column_under_its_other_pyxform_spellings(header: str, tmp_path: Path) -> None:
    md = f"| survey |\n| | type | {header} | label |\n| | text | q | Q |\n| | text | t | T |\n"
    path = tmp_path / "form.md"
    path.write_text(md, encoding="utf-8")
    assert _pyxform_accepts(path)
    assert [q.name for q in load_questionnaire(path).iter_questions()] == ["q", "t"]


def test_tag_on_the_choices_sheet_stays_a_choice_property() -> None:
    form = load_markdown("| survey |\n| | type | name | label |\n| | select_one yn | q | Q |\n"
                         "| choices |\n| | list_name | name | label | tag |\n"
                         "| | yn | y | Yes | t1 |\n| | yn | n | No | t2 |\n")
    assert form.choices["yn"].get("y").properties["tag"] == "t1"


SETTINGS = sorted({*aliases.settings_header, "instance_name", "public_key", "submission_url",
                   "style", "clean_text_values", "allow_choice_duplicates", "default_language",
                   "version", "name", "namespaces", "auto_send", "auto_delete",
                   "omit_instanceID", "client_editable"})


@pytest.mark.parametrize("setting", SETTINGS)
def test_every_settings_column_is_taken(setting: str, tmp_path: Path) -> None:
    value = {"instance_name": "concat('hh-', ${q})", "style": "pages", "version": "3",
             "clean_text_values": "yes", "allow_choice_duplicates": "yes",
             "default_language": "English (en)", "namespaces": 'esri="http://esri.com/xforms"',
             "auto_send": "false", "auto_delete": "false", "omit_instanceID": "no",
             "client_editable": "no", "public_key": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
             }.get(setting, "x1")
    md = ("| survey |\n| | type | name | label |\n| | text | q | Q |\n"
          f"| settings |\n| | {setting} |\n| | {value} |\n")
    path = tmp_path / "form.md"
    path.write_text(md, encoding="utf-8")
    assert _pyxform_accepts(path)
    load_questionnaire(path)  # accepted: an ignored setting is a note, never an error


def test_calculate_with_a_dynamic_default_and_no_calculation(tmp_path: Path) -> None:
    """pyxform takes a calculate whose value is a dynamic default; so does fieldapp, and the
    default is its value from the start of the interview."""
    md = ("| survey |\n| | type | name | label | default |\n"
          "| | calculate | started_on | | today() |\n| | text | t | T | |\n")
    path = tmp_path / "form.md"
    path.write_text(md, encoding="utf-8")
    assert _pyxform_accepts(path)
    form = load_questionnaire(path)
    engine = Interview(form, now=dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC))
    assert default_value(engine, form.question("started_on")) == "2024-05-01"
    static = md.replace("today()", "5")
    (tmp_path / "static.md").write_text(static, encoding="utf-8")
    assert not _pyxform_accepts(tmp_path / "static.md")
    with pytest.raises(FormError, match="has no calculation"):
        load_questionnaire(tmp_path / "static.md")


HOSTILE = ("| survey |\n| | type | name | label | relevant |\n"
           "| | background-audio | rec | | |\n| | integer | age | Age | |\n"
           "| | text | job | Job | ${agee} > 15 |\n| | select_one yesno | q | Q | |\n"
           "| | end group | | | |\n"
           "| choices |\n| | list_name | name | label |\n| | yn | y | Yes |\n")


@pytest.mark.parametrize("lang", ["ko", "zh_Hans", "ja"])
def test_refusals_and_hints_speak_the_users_language(lang: str) -> None:
    with pytest.raises(FormError) as info:
        load_markdown(HOSTILE)
    english = info.value.render("en")
    for text in ("microphone", "did you mean", "no open 'begin group'"):
        assert text in english  # the issues this test is about are there
    shown = info.value.render(lang)
    for text in ("background audio", "microphone", "did you mean", "check the question",
                 "lists on the choices sheet", "above it"):
        assert text not in shown, shown
    assert "${age}" in shown and "'yn'" in shown  # the suggestions themselves stay


def test_entities_sheet_is_accepted_and_said_once_include_is_refused_on_one_line() -> None:
    form = load_markdown("| survey |\n| | type | name | label | save_to |\n"
                         "| | text | tree | Tree | species |\n| | text | t | T | |\n"
                         "| entities |\n| | list_name | label |\n| | trees | ${tree} |\n")
    notes = [str(n) for n in form.notices]
    assert sum("'entities' sheet is ignored" in n for n in notes) == 1
    assert sum("'save_to' is ignored" in n for n in notes) == 1
    with pytest.raises(FormError) as info:
        load_markdown("| survey |\n| | type | name | label |\n| | include other_form | x | |\n"
                      "| | text | t | T |\n")
    [issue] = info.value.issues
    assert issue.row == 2 and "\n" not in str(issue) and _refusals_listed(info.value)


INDEXED = """
| survey |
| | type | name | label | calculation | repeat_count |
| | begin repeat | hh | Member | | |
| | text | m | Name | | |
| | calculate | prev | | indexed-repeat(${m}, ${hh}, position(..) - 1) | |
| | end repeat | | | | |
| | calculate | second | | indexed-repeat(${m}, ${hh}, 2) | |
| | calculate | ninth | | indexed-repeat(${m}, ${hh}, 9) | |
| | begin repeat | plot | Plot | | 2 |
| | begin repeat | crop | Crop | | 2 |
| | text | c | Crop name | | |
| | end repeat | | | | |
| | end repeat | | | | |
| | calculate | p2c1 | | indexed-repeat(${c}, ${plot}, 2, ${crop}, 1) | |
"""


def test_indexed_repeat_reads_one_instance_of_a_repeat(tmp_path: Path) -> None:
    path = tmp_path / "indexed.md"
    path.write_text(INDEXED, encoding="utf-8")
    assert _pyxform_accepts(path)
    engine = Interview(load_questionnaire(path))
    for _ in range(3):
        engine.add_instance("hh")
    for key, value in (("m[1]", "Kim"), ("m[2]", "Lee"), ("m[3]", "Park"),
                       ("c[2][1]", "rice"), ("c[1][1]", "corn")):
        engine.answer(key, value)
    answers = engine.answers
    assert (answers["prev[2]"], answers["prev[3]"], answers["second"]) == ("Kim", "Lee", "Lee")
    assert "prev[1]" not in answers and "ninth" not in answers  # no such instance: empty
    assert answers["p2c1"] == "rice"
    engine.remove_instance("hh", 1)
    assert (engine.answers["second"], engine.answers["prev[2]"]) == ("Park", "Lee")


@pytest.mark.parametrize(("calculation", "said"), [
    ("indexed-repeat(${m}, ${m}, 1)", "'${m}' in indexed-repeat() is not a repeat"),
    ("indexed-repeat(${m}, 2, 1)", "takes a question, then pairs of a repeat and a position"),
    ("indexed-repeat(${m}, ${hh})", "'indexed-repeat()' takes 3 to 7 arguments, got 2"),
])
def test_indexed_repeat_misuse_is_a_row_cited_error_in_every_language(calculation: str,
                                                                       said: str) -> None:
    md = INDEXED.replace("indexed-repeat(${m}, ${hh}, 2)", calculation)
    with pytest.raises(FormError) as info:
        load_markdown(md)
    [issue] = info.value.issues
    assert (issue.row, issue.column) == (6, "calculation") and said in str(issue)
    for lang in ("ko", "zh_Hans", "ja"):
        shown = issue.render(lang)
        assert " takes " not in shown and "is not a repeat" not in shown, shown


COUNTED = """
| survey |
| | type | name | label | calculation | repeat_count |
| | begin repeat | hh | Member | | |
| | text | m | Name | | |
| | calculate | inside | | count(${hh}) | |
| | end repeat | | | | |
| | calculate | members | | count(${hh}) | |
| | begin repeat | plot | Plot | | 2 |
| | integer | ncrops | Crops | | |
| | begin repeat | crop | Crop | | ${ncrops} |
| | text | c | Crop name | | |
| | end repeat | | | | |
| | calculate | here | | count(${crop}) | |
| | end repeat | | | | |
| | calculate | crops | | count(${crop}) | |
"""


def test_count_of_a_repeat_counts_its_instances(tmp_path: Path) -> None:
    """``count(${repeat})``, as common in ODK and Kobo forms as pyxform accepts it: every
    instance from outside, those of the enclosing instance from inside another repeat."""
    path = tmp_path / "counted.md"
    path.write_text(COUNTED, encoding="utf-8")
    assert _pyxform_accepts(path)
    engine = Interview(load_questionnaire(path))
    for _ in range(3):
        engine.add_instance("hh")
    engine.answer("ncrops[1]", 2)
    engine.answer("ncrops[2]", 3)
    answers = engine.answers
    assert answers["members"] == 3 and answers["inside[2]"] == 3
    assert (answers["here[1]"], answers["here[2]"], answers["crops"]) == (2, 3, 5)
    engine.remove_instance("hh", 2)
    assert engine.answers["members"] == 2


def test_once_keeps_the_first_value_it_computed() -> None:
    """ODK's once(): a calculation wrapped in it is computed while the question is empty,
    then kept however the answers it read change (a draft's stored value is kept too)."""
    form = load_markdown("| survey |\n| | type | name | label | calculation |\n"
                         "| | text | a | A | |\n"
                         "| | calculate | first | | once(if(${a} = '', '', ${a})) |\n"
                         "| | calculate | latest | | ${a} |\n")
    engine = Interview(form)
    engine.answer("a", "x")
    engine.answer("a", "yy")
    assert (engine.answers["first"], engine.answers["latest"]) == ("x", "yy")
    engine.answer("a", None)  # emptied and given again: still the first value
    engine.answer("a", "zzz")
    assert engine.answers["first"] == "x"


def test_once_of_now_keeps_the_start_time_when_a_draft_is_resumed(tmp_path: Path) -> None:
    from tests.support.devices import make_device, make_project, open_session
    from tests.support.formtools import md_to_xlsx

    form_path = md_to_xlsx("| survey |\n| | type | name | label | calculation |\n"
                           "| | text | a | A | |\n| | calculate | began | | once(now()) |\n"
                           "| | text | b | B | |\n| settings |\n| | form_id | version |\n"
                           "| | once_form | 1 |\n", tmp_path / "once_form.xlsx")
    data = make_device(tmp_path / "device", make_project(tmp_path / "keys"),
                       forms=[form_path])
    with open_session(data) as session:
        recording = session.start_interview(session.form("once_form"))
        began = recording.engine.answers["began"]
        recording.answer("a", "x")
        interview_id = recording.interview_id
    with open_session(data) as session:
        resumed = session.resume(interview_id)
        resumed.answer("b", "y")
        assert resumed.engine.answers["began"] == began


def test_random_and_trigonometry_as_odk_has_them(tmp_path: Path) -> None:
    md = ("| survey |\n| | type | name | label | calculation |\n| | text | a | A | |\n"
          "| | calculate | draw | | once(random()) |\n"
          "| | calculate | angle | | round(atan2(1, 1) * 4 - pi(), 6) + round(sin(pi() div 2), 6)"
          " + round(cos(0), 6) + round(tan(0), 6) + round(asin(1) - acos(0) + atan(0), 6) |\n")
    path = tmp_path / "maths.md"
    path.write_text(md, encoding="utf-8")
    assert _pyxform_accepts(path)
    engine = Interview(load_questionnaire(path))
    engine.refresh()  # as the start of an interview does
    engine.answer("a", "x")
    draw = engine.answers["draw"]
    assert 0 <= draw < 1 and engine.answers["angle"] == 2
    engine.answer("a", "y")
    assert engine.answers["draw"] == draw  # once(): drawn one time
