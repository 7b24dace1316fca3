"""The headless commands as a script would run them: keys, device, record, list, show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import ANSWERS, THREE_CITY, run, write_answers
from tests.support.devices import QUESTIONNAIRES
from tests.support.formtools import md_to_xlsx


@pytest.fixture(scope="module")
def device(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cli")
    assert run("keys", "create", "--out", str(root / "keys")).returncode == 0
    result = run("device", "init", "--data", str(root / "dev"), "--project-key",
                 str(root / "keys" / "project.pub"), "--enumerator", "E07", "--city", "seoul")
    assert result.returncode == 0, result.stderr
    assert "3 questionnaire(s) installed" in result.stdout
    return root / "dev", root / "keys"


def test_record_finalise_list_show(device) -> None:
    data, keys = device
    answers = write_answers(data.parent, ANSWERS)
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(answers), "--finalize")
    assert result.returncode == 0, result.stderr
    interview = result.stdout.strip()
    listing = run("list", "--data", str(data)).stdout
    assert f"{interview}  three_city_2012 v" in listing and "finalised" in listing
    sealed = run("show", "--data", str(data), interview)
    assert sealed.returncode == 1 and "only a supervisor can open it" in sealed.stderr
    opened = run("show", "--data", str(data), interview, "--key", str(keys / "project.key"))
    assert opened.returncode == 0, opened.stderr
    assert "language ko" in opened.stdout and "  dong = 성산1동" in opened.stdout
    assert "  CITY4 = 99" in opened.stdout


def test_constraint_violation_names_question_and_message(device) -> None:
    data, _ = device
    answers = write_answers(data.parent, {**ANSWERS, "DEM02": 12}, language="ja")
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(answers), "--finalize")
    assert result.returncode == 1
    assert "question DEM02:" in result.stderr and "18" in result.stderr
    assert "nothing was recorded" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("DEM02") == 1  # one problem, one line


def test_failed_record_leaves_nothing_and_lists_every_problem(device) -> None:
    data, _ = device
    before = run("list", "--data", str(data)).stdout
    bad = {**ANSWERS, "DEM02": 12, "ANX1": 7, "NOPE": 1, "TYPO2": "x", "FAM3": {"a": 1}}
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(write_answers(data.parent, bad)), "--finalize")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert all(line.startswith("error: ") for line in lines)
    for name in ("DEM02", "ANX1", "NOPE", "TYPO2", "FAM3"):
        assert sum(f"question {name}:" in line for line in lines) == 1, name
    assert run("list", "--data", str(data)).stdout == before  # no draft left behind
    # a failed finalise of otherwise valid answers leaves nothing either
    partial = {k: v for k, v in ANSWERS.items() if not k.startswith("CITY")}
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(write_answers(data.parent, partial)), "--finalize")
    assert result.returncode == 1 and "question CITY1:" in result.stderr
    assert run("list", "--data", str(data)).stdout == before


def test_relevance_applies_and_draft_resumes(device) -> None:
    data, _ = device
    partial = {k: v for k, v in ANSWERS.items() if not k.startswith(("FAM", "CITY"))}
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(write_answers(data.parent, {**partial, "DEM09": 1})))
    assert result.returncode == 1 and "question DEM09" in result.stderr  # Beijing only
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(write_answers(data.parent, partial)), "--finalize")
    assert result.returncode == 1 and "FAM1" in result.stderr  # required, missing
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(write_answers(data.parent, partial)))
    assert result.returncode == 0, result.stderr
    draft = result.stdout.strip()
    # continuing a draft records every valid answer and lists the problems of the others
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(write_answers(data.parent, {"FAM1": 9, "FAM2": 2})), "--interview", draft)
    assert result.returncode == 1 and "question FAM1:" in result.stderr
    assert "1 valid answer(s) were recorded" in result.stderr
    shown = run("show", "--data", str(data), draft).stdout
    assert "  FAM2 = 2" in shown and "FAM1" not in shown
    other = QUESTIONNAIRES / "neighbourhood_panel.xlsx"
    result = run("record", "--data", str(data), "--form", str(other), "--answers",
                 str(write_answers(data.parent, {})), "--interview", draft)
    assert result.returncode == 1 and "is a draft of three_city_2012" in result.stderr
    rest = {k: v for k, v in ANSWERS.items() if k.startswith(("FAM", "CITY"))}
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(write_answers(data.parent, rest)), "--interview", draft, "--finalize")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == draft


BROKEN = """
| survey |
| | type | name | label | relevant |
| | text | born | Born (YYYY-MM-DD) | |
| | integer | since | Years in the Dong | date(${born}) < today() |
| settings |
| | form_id | version |
| | broken_cli | 1 |
"""


def test_questionnaire_errors_are_named_and_keep_the_answer(device, tmp_path: Path) -> None:
    # finding 6 from the command line: a mistyped date breaks a relevance; the answer it
    # guards stays, and the enumerator is told the form and question (and so is the paradata)
    data, _ = device
    form = md_to_xlsx(BROKEN, tmp_path / "broken.xlsx")

    def answers(given: dict) -> str:
        path = tmp_path / f"answers-{len(list(tmp_path.glob('answers-*')))}.json"
        path.write_text(json.dumps({"answers": given}), encoding="utf-8")
        return str(path)

    first = run("record", "--data", str(data), "--form", str(form), "--answers",
                answers({"born": "1990-04-01", "since": 12}))
    assert first.returncode == 0 and first.stderr == ""
    draft = first.stdout.strip()
    result = run("record", "--data", str(data), "--form", str(form), "--answers",
                 answers({"born": "1990-13-45"}), "--interview", draft)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: broken_cli: question since "
                                                   "(relevant):")
    assert "no answer was removed" in lines[0]
    assert "  since = 12" in run("show", "--data", str(data), draft).stdout
    korean = run("record", "--data", str(data), "--form", str(form), "--answers",
                 answers({"born": "1990-13-46"}), "--interview", draft,
                 env={"FIELDAPP_LANG": "ko"})
    assert korean.returncode == 0 and "broken_cli" in korean.stderr
    assert "no answer was removed" not in korean.stderr  # said in the user's language


def test_wrong_passphrase_exit_and_no_change(device) -> None:
    data, _ = device
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    result = run("list", "--data", str(data), env={"FIELDAPP_PASSPHRASE": "wrong one"})
    assert result.returncode != 0 and "wrong passphrase" in result.stderr
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_bad_answers_file(device, tmp_path: Path) -> None:
    data, _ = device
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers", str(bad))
    assert result.returncode == 1 and "not valid UTF-8 JSON (line 1)" in result.stderr
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(write_answers(tmp_path, {"NOPE": 1})))
    assert result.returncode == 1 and "question NOPE: no such question" in result.stderr


@pytest.mark.parametrize(("content", "expected"), [
    ('{"answers": {"DEM02": ' + "9" * 5000 + "}}", "too many digits"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"answers": {"dong": "\\ud800abc"}}', "question dong: the text contains a broken"),
    ('{"answers": {"dong": {"a": 1}}}', "question dong: expected text"),
    ('{"answers": {"dong": ["a"]}}', "question dong: expected text"),
    ('{"answers": {"DEM02": 99999999999}}', "question DEM02: expected a whole number between"),
    ('{"answers": {"\\udc80": 1}}', "question \\udc80: no such question"),
    (b"\xff\xfe{", "not valid UTF-8 JSON"),
])
def test_hostile_answers_files_fail_in_one_clear_line(device, tmp_path: Path, content,
                                                      expected: str) -> None:
    data, _ = device
    before = run("list", "--data", str(data)).stdout
    path = tmp_path / "hostile.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = run("record", "--data", str(data), "--form", str(THREE_CITY), "--answers",
                 str(path))
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr and "internal error" not in result.stderr
    assert run("list", "--data", str(data)).stdout == before


@pytest.mark.parametrize("suffix", [".xls", ".csv", ".txt"])
def test_questionnaire_in_another_format_is_a_clear_error(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"form{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook")
    result = run("forms", "check", str(path))
    assert result.returncode == 1 and "internal error" not in result.stderr
    assert "save it as" in result.stderr


def test_passwd_and_supervisor_recovery(tmp_path: Path, device) -> None:
    _, keys = device
    data = tmp_path / "dev2"
    assert run("device", "init", "--data", str(data), "--project-key",
               str(keys / "project.pub"), "--enumerator", "E09", "--form",
               str(THREE_CITY)).returncode == 0
    changed = run("device", "passwd", "--data", str(data),
                  env={"FIELDAPP_NEW_PASSPHRASE": "second passphrase"})
    assert changed.returncode == 0, changed.stderr
    assert run("list", "--data", str(data)).returncode != 0  # old one no longer works
    ok = run("list", "--data", str(data), env={"FIELDAPP_PASSPHRASE": "second passphrase"})
    assert ok.returncode == 0
    # forgotten: the supervisor resets it with the project private key
    recovered = run("device", "recover", "--data", str(data), "--key",
                    str(keys / "project.key"), env={"FIELDAPP_NEW_PASSPHRASE": "third phrase"})
    assert recovered.returncode == 0, recovered.stderr
    assert run("list", "--data", str(data),
               env={"FIELDAPP_PASSPHRASE": "third phrase"}).returncode == 0
