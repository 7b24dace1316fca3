"""Complete, valid answers for the shipped questionnaires (seeded), for export tests.

Every required question gets an answer that passes the form's own constraints; about one
answer in eight is a don't know / refused code, so that missing-value handling is exercised.
The answers go through the real interview engine (``apply_answers``) on a real device.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from fieldapp.questionnaire import Question, Questionnaire, load_questionnaire
from tests.support.devices import QUESTIONNAIRES

#: The first district of each city on the cascading list.
DISTRICT = {"seoul": "seoul_jongno", "tokyo": "tokyo_chiyoda", "beijing": "beijing_dongcheng"}
#: Integer questions: (low, high) of valid answers (their missing codes come from the form).
RANGES = {"DEM02": (18, 90), "DEM07": (0, 9000), "SC1": (0, 20), "SC3": (0, 30),
          "SC4": (0, 10), "SC5": (0, 15), "SC6": (0, 15), "NBR01": (0, 25), "NBR02": (0, 12)}


def form(form_id: str) -> Questionnaire:
    """A shipped questionnaire."""
    return load_questionnaire(QUESTIONNAIRES / f"{form_id}.xlsx")


def form_path(form_id: str) -> Path:
    """The shipped workbook of ``form_id``."""
    return QUESTIONNAIRES / f"{form_id}.xlsx"


def _answer(q: Questionnaire, question: Question, rng: random.Random, city: str) -> Any:
    name = question.name
    if name == "city":
        return city
    if name == "district":
        return DISTRICT[city]
    if name == "CONSENT":
        return "1"
    if name == "wave":
        return rng.choice([c.name for c in q.choice_list(question).choices])
    if question.type == "select_one":
        choices = q.choice_list(question)
        points = [c.name for c in choices.scale_points]
        missing = [c.name for c in choices.choices if c.missing]
        if missing and rng.random() < 0.12:
            return rng.choice(missing)
        return rng.choice(points)
    if question.type == "integer":
        codes = question.extra.get("missing", "").split()
        if codes and rng.random() < 0.12:
            return int(rng.choice(codes))
        low, high = RANGES.get(name, (1, 5))
        return rng.randint(low, high)
    return None


def answers_for(form_id: str, city: str, seed: int) -> dict[str, Any]:
    """One interview's answers (skipping questions that are not relevant for ``city``)."""
    q = form(form_id)
    rng = random.Random(f"{form_id}/{city}/{seed}")
    out: dict[str, Any] = {}
    for question in q.iter_questions():
        if not question.is_input or question.type == "text":
            continue
        if question.name == "DEM09" and city != "beijing":
            continue
        if question.name == "NBR03" or question.name == "NBR04":
            out[question.name] = rng.choice(["1", "2", "98"])
            continue
        if question.name == "JPV1":
            out[question.name] = rng.choice(["1", "2", "3", "5", "99"])
            continue
        value = _answer(q, question, rng, city)
        if value is not None:
            out[question.name] = value
    return out
