"""One interview's indicators from its sealed payload: durations, time per question,
language switches, resumes, edits after a send-back (from the paradata), straight-lining
and don't know/refused answers (from the answers). Definitions: ``docs/quality.md``.

A hub measures every interview it holds, so this is the hot path of the quality check
(~60 paradata events per interview, millions per hub). The payload JSON is decoded with
msgspec straight into small typed records that keep only what the indicators read (an
event's kind, question, monotonic clock and languages); anything that does not fit that
shape takes the general path (any JSON, non-object events skipped), with the same results.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from fieldapp.formats import loads_json
from fieldapp.quality import FormFacts, InterviewQuality, Thresholds
from fieldapp.vocabulary import EventKind

# plain strings: an enum member's .value costs a descriptor call per event
_ANSWER, _RESUME, _REPEAT = EventKind.ANSWER.value, EventKind.RESUME.value, EventKind.REPEAT.value
_STATUS, _LANGUAGE = EventKind.STATUS.value, EventKind.LANGUAGE.value


class _Event(msgspec.Struct):
    kind: Any = None
    question: Any = None
    mono: Any = None
    from_: Any = msgspec.field(default=None, name="from")
    to: Any = None


class _Interview(msgspec.Struct):
    interview_id: Any = ""
    enumerator: Any = ""
    city: Any = ""
    form_id: Any = ""
    form_version: Any = ""
    answers: Any = None
    paradata: list[_Event] | None = None


#: bump when what measure() computes changes (kept indicators are then measured again)
MEASURE_VERSION = 1
_DECODER = msgspec.json.Decoder(_Interview)
_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per set of timed questions


def measure(payload: Mapping[str, Any], facts: FormFacts, *, enumerator: str = "",
            city: str = "", thresholds: Thresholds | None = None) -> InterviewQuality:
    """The per-interview indicators of one decrypted payload (answers and paradata)."""
    return _measure(_typed(payload), facts, enumerator, city, thresholds or Thresholds())


def measure_json(data: bytes, facts: FormFacts, *, enumerator: str = "", city: str = "",
                 thresholds: Thresholds | None = None) -> InterviewQuality:
    """The indicators of a sealed payload's JSON bytes; ValueError if it is not JSON."""
    try:
        typed = _DECODER.decode(data)
    except msgspec.ValidationError:  # valid JSON of another shape: the general path
        payload = loads_json(data)
        if not isinstance(payload, dict):
            raise ValueError("payload is not an object") from None
        typed = _typed(payload)
    return _measure(typed, facts, enumerator, city, thresholds or Thresholds())


def _typed(payload: Mapping[str, Any]) -> _Interview:
    events = payload.get("paradata")
    fields = {name: payload.get(name) for name in _Interview.__struct_fields__
              if name != "paradata" and payload.get(name) is not None}
    kept = [_Event(e.get("kind"), e.get("question"), e.get("mono"), e.get("from"), e.get("to"))
            for e in events if isinstance(e, dict)] if isinstance(events, list) else []
    return _Interview(**fields, paradata=kept)


def _measure(p: _Interview, facts: FormFacts, enumerator: str, city: str,
             t: Thresholds) -> InterviewQuality:
    result = InterviewQuality(str(p.interview_id), enumerator or str(p.enumerator),
                              city or str(p.city), f"{p.form_id} v{p.form_version}")
    _timing(result, p.paradata or (), t)
    answers = p.answers if isinstance(p.answers, dict) else {}
    _batteries(result, answers, facts, t)
    get = answers.get
    for place in ("district", "dong"):
        value = get(place)
        if value is not None and value != "":
            setattr(result, place, value if type(value) is str else str(value))
    for name, codes in facts.missing.items():
        value = get(name)
        if value is None or value == "":
            continue
        result.dk_base += 1
        result.dk += (value if type(value) is str else str(value)) in codes
    return result


def _timing(result: InterviewQuality, events: Sequence[_Event], t: Thresholds) -> None:
    """Net/gross duration, answer time per item, switches, resumes, post-send-back edits.

    Runs for every event of every interview: answers (almost every event) take the first
    branch; the rest (language, resume, repeat, status) the general one below it."""
    gap_ns = t.gap_s * 1e9
    previous: int | None = None
    gross = net = 0
    sent_back = False
    times: dict[str, int] = {}
    answered: set[str] = set()
    for event in events:
        kind = event.kind
        if kind == _ANSWER and not sent_back:
            mono = event.mono
            if type(mono) is not int:
                continue
            question = event.question
            if type(question) is not str:
                question = str(question) if question else ""
            if previous is not None and mono >= previous:
                dt = mono - previous
                gross += dt
                if dt < gap_ns:
                    net += dt
                    if question:
                        times[question] = times.get(question, 0) + dt
            previous = mono
            if question:
                answered.add(question)
            continue
        if kind == _ANSWER:  # after a send-back
            result.edits_after_send_back += 1
        elif kind == _STATUS:
            sent_back = True  # re-opened after a send-back: first pass over
            previous = None
        elif kind == _LANGUAGE:
            if not sent_back and event.from_ and event.to and event.from_ != event.to:
                result.switches += 1  # the starting language (no "from") is not a switch
        elif kind == _RESUME:
            result.resumes += 1
            previous = None  # the time before a resume is a pause
            if not sent_back and type(event.mono) is int:
                previous = event.mono
        elif kind == _REPEAT and not sent_back and type(event.mono) is int:
            mono = event.mono
            if previous is not None and mono >= previous:
                dt = mono - previous
                gross += dt
                if dt < gap_ns:
                    net += dt
            previous = mono
    result.gross_s = gross / 1e9
    result.net_s = net / 1e9
    result.items = len(answered)
    if times:
        names = tuple(times)
        result.item_names = _NAMES.setdefault(names, names)
        result.item_seconds = array("d", [v / 1e9 for v in times.values()]).tobytes()


def _batteries(result: InterviewQuality, answers: Mapping[str, Any], facts: FormFacts,
               t: Thresholds) -> None:
    get = answers.get
    for battery in facts.batteries:
        missing = facts.missing.get(battery.questions[0], frozenset())
        values = set()
        valid = 0
        for question in battery.questions:
            value = get(question)
            if value is None or value == "":
                continue
            text = value if type(value) is str else str(value)
            if text not in missing:
                values.add(text)
                valid += 1
        if valid < t.battery_min_items or valid < t.battery_min_valid * len(battery.questions):
            continue
        result.batteries += 1
        result.straight += len(values) == 1
