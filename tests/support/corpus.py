"""The public XLSForm corpus (tools/forms_corpus.py): its entries, folder and plausible answers."""

from __future__ import annotations

import datetime as dt
import json

from fieldapp.interview.engine import Interview
from fieldapp.questionnaire.model import ATTACHMENT_TYPES, Question
from tools.forms_corpus import MANIFEST, corpus_dir

ENTRIES = json.loads(MANIFEST.read_text(encoding="utf-8"))["forms"]
FOLDER = corpus_dir()


def value_for_corpus(engine: Interview, key: str, question: Question) -> object:
    kind = question.type
    if kind in ("select_one", "select_multiple", "rank"):
        choices = [c.name for c in engine.choices_for(key)]
        if not choices:
            return None
        return choices if kind == "rank" else choices[0]
    return {
        "integer": 1, "decimal": 1.5, "text": "Kim", "barcode": "4006381333931",
        "date": dt.date(2024, 5, 1), "time": "10:30", "datetime": dt.datetime(2024, 5, 1, 10),
        "acknowledge": "OK", "geopoint": "37.5665 126.978", "start-geopoint": "37.5 127",
        "geotrace": "37.5 127; 37.6 127.1", "geoshape": "37.5 127; 37.6 127; 37.6 127.1",
        "range": question.parameters.get("start", "1"),
    }.get(kind, "photo.jpg" if kind in ATTACHMENT_TYPES else None)
