"""Our reading of each shipped questionnaire must agree with pyxform's, the reference."""

from __future__ import annotations

from pathlib import Path

import pytest
import pyxform.xls2json as pyxform_json

from fieldapp.questionnaire import Group, Question, Repeat, load_questionnaire
from fieldapp.questionnaire.parse import language_code

FORMS = sorted((Path(__file__).resolve().parents[2] / "questionnaires").glob("**/*.xlsx"))
PYXFORM_TYPES = {"select one": "select_one", "select all that apply": "select_multiple",
                 "group": "group", "repeat": "repeat"}


# pyxform straightens typographic quotes in labels; we keep the author's characters.
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def _labels(value: object) -> dict[str, str]:
    if isinstance(value, dict):
        return {language_code(k): v.translate(_QUOTES) for k, v in value.items()}
    return {} if value is None else {"default": str(value).translate(_QUOTES)}


def _ours(element) -> dict:
    kind = ("repeat" if isinstance(element, Repeat) else "group"
            if isinstance(element, Group) else element.type)
    out = {"name": element.name, "type": kind, "label": _labels(dict(element.label)),
           "relevant": element.relevant}
    if isinstance(element, Group):
        out["children"] = [_ours(c) for c in element.children]
        out["appearance"] = element.appearance or None
    else:
        assert isinstance(element, Question)
        out.update(constraint=element.constraint, calculation=element.calculation,
                   required=bool(element.required), list_name=element.list_name,
                   hint=_labels(dict(element.hint)), appearance=element.appearance or None,
                   constraint_message=_labels(dict(element.constraint_message)))
    return out


def _theirs(item: dict) -> dict:
    bind = item.get("bind", {})
    kind = PYXFORM_TYPES.get(item["type"], item["type"])
    out = {"name": item["name"], "type": kind, "label": _labels(item.get("label")),
           "relevant": bind.get("relevant")}
    appearance = item.get("control", {}).get("appearance")
    if kind in ("group", "repeat"):
        out["children"] = [_theirs(c) for c in item.get("children", [])]
        out["appearance"] = appearance
    else:
        out.update(constraint=bind.get("constraint"), calculation=bind.get("calculate"),
                   required=str(bind.get("required", "")).lower() in ("yes", "true", "true()"),
                   list_name=item.get("list_name"), hint=_labels(item.get("hint")),
                   appearance=appearance,
                   constraint_message=_labels(bind.get("jr:constraintMsg")))
    return out


@pytest.mark.parametrize("path", FORMS, ids=[p.stem for p in FORMS])
def test_same_reading_as_pyxform(path: Path) -> None:
    reference = pyxform_json.parse_file_to_json(str(path), warnings=[])
    form = load_questionnaire(path)
    assert form.form_id == reference["id_string"]
    assert form.version == str(reference.get("version", ""))
    # pyxform appends its generated meta/instanceID group; we keep ids outside the form.
    theirs = [c for c in reference["children"] if c["name"] != "meta"]
    assert [_ours(e) for e in form.children] == [_theirs(c) for c in theirs]
    for list_name, choices in reference["choices"].items():
        ours = form.choices[list_name].choices
        assert [(c.name, _labels(dict(c.label))) for c in ours] == \
            [(c["name"], _labels(c["label"])) for c in choices]


@pytest.mark.parametrize("name", ["NESTED", "KOBO_STYLE"])
def test_same_reading_for_odk_and_kobo_style_forms(name: str, tmp_path: Path) -> None:
    from tests.support import sample_forms as test_loader
    from tests.support.formtools import md_to_xlsx

    path = md_to_xlsx(getattr(test_loader, name), tmp_path / f"{name.lower()}.xlsx")
    test_same_reading_as_pyxform(path)
