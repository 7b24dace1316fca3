"""Every layout pyxform reads (.xlsx, .xls, .csv, .md) gives the same questionnaire; the
spellings and column families of real forms are understood; bounds and warnings."""

from __future__ import annotations

import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import pytest

from fieldapp.errors import FormError
from fieldapp.questionnaire import load_markdown, load_questionnaire
from fieldapp.questionnaire.bounds import LIMITS
from fieldapp.questionnaire.parse import normalize_type
from tests.support.cli import fieldapp_bare as fieldapp
from tests.support.formtools import md_to_xlsx
from tests.support.sample_forms import HOUSEHOLD

CSV_FORM = """survey,,,,
,type,name,label::English (en),label::Korean (ko)
,select one from yn,likes,Do you like it?,좋아합니까?
,integer,n,How many?,몇 개?
choices,,,,
,list_name,name,label::English (en),label::Korean (ko)
,yn,1,Yes,예
,yn,2,No,아니요
settings,,,,
,form_id,version,,
,csv_form,7,,
"""
MD_FORM = """
| survey |
| | type | name | label::English (en) | label::Korean (ko) |
| | select_one yn | likes | Do you like it? | 좋아합니까? |
| | integer | n | How many? | 몇 개? |
| choices |
| | list_name | name | label::English (en) | label::Korean (ko) |
| | yn | 1 | Yes | 예 |
| | yn | 2 | No | 아니요 |
| settings |
| | form_id | version |
| | csv_form | 7 |
"""


def test_csv_layout_reads_like_markdown(tmp_path: Path) -> None:
    path = tmp_path / "form.csv"
    path.write_text(CSV_FORM, encoding="utf-8")
    from_csv = load_questionnaire(path)
    from_md = load_markdown(MD_FORM)
    assert (from_csv.form_id, from_csv.version) == ("csv_form", "7")

    def reading(form):  # rows differ by design: a CSV problem cites the file's line
        return ([(q.name, q.type, dict(q.label), q.list_name) for q in form.iter_questions()],
                {n: [(c.name, dict(c.label)) for c in lst.choices]
                 for n, lst in form.choices.items()})

    assert reading(from_csv) == reading(from_md)


def test_csv_problems_cite_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(CSV_FORM.replace(",integer,n,", ",integr,n,"), encoding="utf-8")
    with pytest.raises(FormError) as info:
        load_questionnaire(path)
    [issue] = info.value.issues
    assert (issue.sheet, issue.row) == ("survey", 4) and "unknown question type" in issue.message


@pytest.mark.skipif(shutil.which("libreoffice") is None,
                    reason="LibreOffice not installed (apt-get install libreoffice-calc-nogui)")
def test_xls_workbook_reads_like_xlsx_whatever_its_name(tmp_path: Path) -> None:
    source = md_to_xlsx(HOUSEHOLD, tmp_path / "household.xlsx")
    broken = md_to_xlsx(HOUSEHOLD.replace("| integer | m_age |", "| integr | m_age |")
                        .replace("count(${m_age})", "count(${m_agee})"), tmp_path / "broken.xlsx")
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--headless", "--convert-to", "xls", "--outdir", str(tmp_path / "xls"),
                    str(source), str(broken)], check=True, capture_output=True, timeout=180)
    xls = tmp_path / "xls" / "household.xls"
    assert xls.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    expected = load_questionnaire(source)
    assert load_questionnaire(xls).children == expected.children
    misnamed = tmp_path / "misnamed.xlsx"  # an .xls saved under the new name still opens
    shutil.copy(xls, misnamed)
    assert load_questionnaire(misnamed).choices == expected.choices
    result = fieldapp("forms", "check", str(xls))
    assert result.returncode == 0 and result.stdout.startswith("OK household"), result.stderr
    cited = []  # the same problems at the same sheet, row and column in both formats
    for path in (broken, tmp_path / "xls" / "broken.xls"):
        with pytest.raises(FormError) as info:
            load_questionnaire(path)
        cited.append([(i.sheet, i.row, i.column, i.message) for i in info.value.issues])
    assert cited[0] == cited[1] and {c[:3] for c in cited[0]} == {
        ("survey", 9, "type"), ("survey", 15, "calculation")}


@pytest.mark.parametrize(("raw", "expected"), [
    ("select one from yn", ("select_one", "yn", False)),
    ("select all that apply from opts", ("select_multiple", "opts", False)),
    ("select_one yn or specify other", ("select_one", "yn", True)),
    ("select all that apply opts or other", ("select_multiple", "opts", True)),
    ("add select one prompt using yn", ("select_one", "yn", False)),
    ("Select One From Source", ("select_one", "Source", False)),
    ("phone number", ("text", None, False)),
    ("percentage", ("integer", None, False)),
    ("q picture", ("image", None, False)),
    ("add acknowledge prompt", ("acknowledge", None, False)),
    ("location", ("geopoint", None, False)),
    ("get device id", ("deviceid", None, False)),
    ("select_one_from_file towns.csv", ("select_one", "towns.csv", False)),
    ("select one external states", ("select_one", "states", False)),
    ("rank problems", ("rank", "problems", False)),
    ("begin lgroup", ("begin repeat", None, False)),
    ("begin loop over crops", ("begin loop", "crops", False)),
])
def test_legacy_and_alternative_type_names(raw: str, expected: tuple) -> None:
    assert normalize_type(raw) == expected


def test_implied_constraints_of_legacy_types() -> None:
    form = load_markdown("| survey |\n| | type | name | label |\n"
                         "| | phone number | tel | Phone |\n| | percentage | p | Share |\n")
    assert form.question("tel").type == "text"
    assert form.question("tel").constraint == r"regex(., '^\d*$')"
    assert form.question("p").constraint == "0 <= . and . <= 100"


def test_unlabelled_column_next_to_language_columns_as_pyxform() -> None:
    md = ("| survey |\n| | type | name | label | label::Korean (ko) | hint |\n"
          "| | text | a | Name | 이름 | Family name first |\n"
          "| settings |\n| | default_language |\n| | English (en) |\n")
    form = load_markdown(md)
    assert dict(form.question("a").label) == {"en": "Name", "ko": "이름"}
    assert form.default_language == "en"
    explicit = md.replace("| label | label::Korean (ko) | hint |",
                          "| label::English (en) | label::Korean (ko) | label |")
    form = load_markdown(explicit.replace("| Name | 이름 | Family name first |",
                                          "| Name (en) | 이름 | Name |"))
    assert form.question("a").label["en"] == "Name (en)"  # label::<default> wins


def test_column_families_and_settings() -> None:
    md = ("| survey |\n| | type | name | label | bind::jr:requiredMsg | bind::odk:length "
          "| body::accuracyThreshold | instance::hxl | required | trigger | calculation |\n"
          "| | text | a | A | Please answer | 10 | 5 | #name | yes | | |\n"
          "| | integer | b | B | | | | | | ${a} | 1 + 1 |\n"
          "| choices |\n| | list_name | name | label |\n| | yn | 1 | Yes |\n| | yn | 1 | Oui |\n"
          "| settings |\n| | form_id | allow_choice_duplicates | public_key | submission_url "
          "| style | instance_name |\n| | fam | yes | MIIB | https://x | pages | ${a} |\n")
    form = load_markdown(md)
    assert form.question("a").required_message["default"] == "Please answer"
    assert form.question("b").trigger == "${a}"
    assert form.instance_name == "${a}"
    notes = {n.column: n.message for n in form.notices}
    for column in ("bind::odk:length", "body::accuracyThreshold", "instance::hxl",
                   "public_key", "submission_url", "style"):
        assert "ignored" in notes[column], column
    result_lines = [str(n) for n in form.notices]
    assert all("\n" not in line for line in result_lines)


def test_trigger_sets_a_value_when_its_question_changes() -> None:
    from fieldapp.interview.engine import Interview

    md = ("| survey |\n| | type | name | label | trigger | calculation |\n"
          "| | select_one town | town | Town | | |\n"
          "| | text | mayor | Mayor | ${town} | instance('town')/root/item[name = ${town}]/mayor |\n"
          "| | calculate | seen | | ${town} | concat('at ', ${town}) |\n"
          "| choices |\n| | list_name | name | label | mayor |\n"
          "| | town | a | Anyang | Choi |\n| | town | b | Bucheon | Jung |\n")
    engine = Interview(load_markdown(md))
    changes = engine.answer("town", "a")
    assert changes["mayor"] == "Choi" and engine.answers["seen"] == "at a"
    engine.answer("mayor", "Choi Daeho")  # the enumerator corrects it: it stays
    engine.refresh()
    assert engine.answers["mayor"] == "Choi Daeho"
    engine.answer("town", "b")  # the trigger changes: computed again
    assert engine.answers["mayor"] == "Jung" and engine.answers["seen"] == "at b"


def test_forms_check_lists_notes_once_and_caps_them(tmp_path: Path) -> None:
    rows = "".join(f"| | text | q{i} | Q{i} | x |\n" for i in range(3))
    columns = " | ".join(f"instance::c{i}" for i in range(60))
    md = (f"| survey |\n| | type | name | label | {columns} |\n"
          + "".join(f"| | text | q{i} | Q{i} | " + " | ".join("v" for _ in range(60)) + " |\n"
                    for i in range(3)))
    path = md_to_xlsx(md, tmp_path / "many.xlsx")
    result = fieldapp("forms", "check", str(path))
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if line.startswith("  note:")]
    assert len(notes) == 51 and notes[-1] == "  note: … and 10 more not listed"
    assert "column 'instance::c0' is ignored (3 rows)" in notes[0]
    assert rows  # (the rows above are what each column holds)


def _with_extension(path: Path) -> None:
    """Add an x14 conditional-formatting extension, which openpyxl warns about."""
    ext = ('<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
           'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
           '<x14:conditionalFormattings/></ext></extLst></worksheet>')
    source = zipfile.ZipFile(path)
    items = [(info, source.read(info.filename)) for info in source.infolist()]
    source.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", ext.encode())
            target.writestr(info, data)


def test_openpyxl_warnings_never_reach_the_user(tmp_path: Path) -> None:
    path = md_to_xlsx(HOUSEHOLD, tmp_path / "ext.xlsx")
    _with_extension(path)
    import openpyxl

    with pytest.warns(UserWarning, match="extension is not supported"):  # the warning is real
        book = openpyxl.load_workbook(path, read_only=True)
        list(book["survey"].iter_rows(values_only=True))
        book.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_questionnaire(path)
    result = fieldapp("forms", "check", str(path))
    assert result.returncode == 0 and result.stderr == ""


def test_bounds_refuse_oversized_forms_quickly(tmp_path: Path) -> None:
    rows = "".join(f",text,q{i},Q\n" for i in range(LIMITS.max_rows + 5))
    path = tmp_path / "huge.csv"
    path.write_text("survey,,,\n,type,name,label\n" + rows, encoding="utf-8")
    with pytest.raises(FormError, match="more than 20,000 rows"):
        load_questionnaire(path)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            zeros = b"\0" * (1 << 20)
            for _ in range(50):
                member.write(zeros)
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(FormError, match=r"would unpack to 50 MB \(at most 48 MB"):
        load_questionnaire(bomb)
