"""The real-forms corpus: every form pinned pyxform converts is accepted by fieldapp (or refused
only for a feature docs/xlsform.md lists as not recordable on a laptop, with that reason on one
line), ≥ 90 % are accepted, and every accepted form can be interviewed from start to end.

The manifest (``tests/forms/real/manifest.json``) names each form's public source, commit and
licence, with both verdicts. The BSD/Apache/MIT-licensed files are committed (so CI re-checks
them); the others are fetched separately (see the manifest's ``about``). The checks on the
files run for every file present.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import warnings
from pathlib import Path

import pytest

from fieldapp.errors import FormError
from fieldapp.interview.engine import Interview
from fieldapp.interview.errors import AnswerError
from fieldapp.interview.navigation import Navigator
from fieldapp.questionnaire import load_questionnaire
from fieldapp.questionnaire.builder import REFUSED_PREFIX
from tests.support.corpus import ENTRIES, FOLDER
from tests.support.corpus import value_for_corpus as _value
from tools.forms_corpus import fieldapp_verdict, pyxform_verdict

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "xlsform.md").read_text(encoding="utf-8")


def _present(entry: dict) -> Path:
    path = FOLDER / entry["file"]
    if not path.exists():  # one reason for all, so the summary groups them in one line
        pytest.skip(f"real-forms corpus not in {FOLDER} (each entry's url in "
                    "tests/forms/real/manifest.json says where to get it)")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
    return path


def _refusal_is_listed(issue_text: str) -> bool:
    """'[sheet …] not recordable on a laptop: REASON' with REASON on one line of the docs."""
    _, sep, reason = issue_text.partition(REFUSED_PREFIX)
    return bool(sep) and any(reason.strip() in line for line in DOCS.splitlines())


def test_manifest_sources_and_policy() -> None:
    assert len(ENTRIES) >= 40
    for entry in ENTRIES:
        assert entry["url"].startswith(f"https://github.com/{entry['repo']}/blob/{entry['commit']}/")
        assert entry["licence"] and len(entry["sha256"]) == 64
        assert entry["fieldapp"] == "accepted" or entry["fieldapp"].startswith("refused: ")
    valid = [e for e in ENTRIES if e["pyxform"] == "ok"]
    assert len(valid) >= 40
    accepted = [e for e in valid if e["fieldapp"] == "accepted"]
    assert len(accepted) / len(valid) >= 0.9
    for entry in valid:
        if entry["fieldapp"] != "accepted":
            issues = entry["fieldapp"][len("refused: "):].split(" | ")
            assert all(_refusal_is_listed(i) for i in issues), entry["file"]


#: corpus folders whose licence lets the files live in this repository (files/LICENSES/)
COMMITTED = ("formhub/", "xlsform-offline/", "correlaid/", "odk-web-forms/")


def test_the_permissively_licensed_forms_are_in_the_repository() -> None:
    """So every CI run re-checks real files, not only the recorded verdicts: the BSD, Apache
    and MIT forms are committed (with their notices); ≥ 20 of them pyxform converts."""
    committed = [e for e in ENTRIES if e["file"].startswith(COMMITTED)]
    repo_files = ROOT / "tests" / "forms" / "real" / "files"
    for entry in committed:
        path = repo_files / entry["file"]
        assert path.is_file(), entry["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert entry["licence"].split()[0].startswith(("BSD", "Apache", "MIT"))
    valid = [e for e in committed if e["pyxform"] == "ok"]
    assert len(valid) >= 20
    assert all(e["fieldapp"] == "accepted" for e in valid)
    notices = {p.name for p in (repo_files / "LICENSES").iterdir()}
    assert notices >= {"formhub.txt", "correlaid.txt", "apache-2.0.txt"}


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_recorded_verdicts_hold(entry: dict) -> None:
    path = _present(entry)
    assert pyxform_verdict(path) == entry["pyxform"]
    ours = fieldapp_verdict(path)
    if entry["pyxform"] == "ok":
        assert ours == entry["fieldapp"]
    else:  # a form pyxform rejects: only whether we accept it is recorded exactly
        assert ours.split(":")[0] == entry["fieldapp"].split(":")[0]


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["fieldapp"] == "accepted"],
                         ids=[e["file"] for e in ENTRIES if e["fieldapp"] == "accepted"])
def test_accepted_form_can_be_interviewed_to_the_end(entry: dict) -> None:
    """Walk every page answering each question with a plausible value; nothing but a refused
    answer may go wrong, and the walk reaches the end."""
    path = _present(entry)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no library warning leaks out of the loader
        form = load_questionnaire(path)
    engine = Interview(form, now=dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC))
    nav = Navigator(engine)
    added: set[str] = set()
    page = nav.current()
    for _ in range(3000):
        if page is None:
            break
        if page.prompt is not None and page.id not in added:
            added.add(page.id)  # one entry per roster, then on (as the GUI's "add" does)
            repeat, parent = page.prompt
            inner = (*parent, engine.add_instance(repeat, parent))
            page = next((p for p in nav.pages() if p.repeat is not None
                         and p.repeat[1][:len(inner)] == inner), page)
            nav.jump(page.id)
            continue
        for key in page.keys:
            question = engine.slot(key).element
            engine.text(question.label, engine.slot(key))
            if not question.is_input:
                continue
            try:
                engine.answer(key, _value(engine, key, question))
            except AnswerError:
                pass  # a constraint the generic value breaks: the form says so, that is fine
        page = nav.next(validate=False)
    else:
        pytest.fail(f"{entry['file']}: the walk did not reach the end")
    answerable = [s for s in engine.question_slots() if s.element.is_input
                  and (s.element.type not in ("select_one", "select_multiple", "rank")
                       or engine.choices_for(s.key))]
    assert answerable == [] or any(s.key in engine.answers for s in answerable)


def test_corpus_form_with_refused_feature_names_the_docs_reason(tmp_path: Path) -> None:
    md = ("| survey |\n| | type | name | label |\n| | background-audio | rec | Recording |\n"
          "| | text | t | Text |\n")
    path = tmp_path / "f.md"
    path.write_text(md, encoding="utf-8")
    with pytest.raises(FormError) as info:
        load_questionnaire(path)
    [issue] = info.value.issues
    assert _refusal_is_listed(str(issue))
