"""Quality indicators from the recorded paradata, per interview and per enumerator.

Qt-free and storage-free: it takes decrypted interview payloads (answers + paradata) and
their questionnaires. Definitions and sources are in ``docs/quality.md``; every threshold is
a flag *for review*, never evidence of misconduct. Defaults are in :class:`Thresholds`.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from fieldapp.i18n import _
from fieldapp.quality_times import outlier_counts
from fieldapp.questionnaire import Questionnaire

#: flag codes (the GUI shows a translated name for each)
TOO_FAST = "too_fast"
TIME_OUTLIERS = "time_outliers"
STRAIGHT_LINING = "straight_lining"
DK_RATE = "dk_rate"
LANGUAGE_SWITCHES = "language_switches"
EDITS_AFTER_SEND_BACK = "edits_after_send_back"
DURATION = "duration"  # enumerator level: median interview length unlike the peers'
FLAGS = (TOO_FAST, TIME_OUTLIERS, STRAIGHT_LINING, DK_RATE, LANGUAGE_SWITCHES,
         EDITS_AFTER_SEND_BACK, DURATION)



@dataclass(frozen=True)
class Thresholds:
    """Flag lines (docs/quality.md gives the source or says it is our convention)."""

    gap_s: float = 20 * 60  # gaps this long are pauses, not interviewing (RISSK)
    too_fast_ratio: float = 0.5  # net duration below half the form's median
    robust_z: float = 3.5  # |robust z| above this is an outlier
    min_interviews: int = 20  # an enumerator-level flag needs this many interviews
    battery_min_items: int = 4
    battery_min_valid: float = 0.8
    straight_batteries: int = 2  # straight-lined on this many batteries …
    straight_share: float = 0.5  # … or on this share of them
    max_switches: int = 2
    time_outlier_share: float = 0.2  # this share of items outside the per-question range


@dataclass(frozen=True)
class Battery:
    """Consecutive single-choice questions on one scale (Likert or bipolar)."""

    list_name: str
    questions: tuple[str, ...]


@dataclass
class InterviewQuality:
    """What the paradata says about one interview."""

    interview_id: str
    enumerator: str
    city: str
    form: str  # form_id and version
    net_s: float = 0.0  # interviewing time without pauses
    gross_s: float = 0.0  # first to last event
    items: int = 0  # questions answered
    item_names: tuple[str, ...] = field(default=(), repr=False)  # questions timed, in order
    item_seconds: bytes = field(default=b"", repr=False)  # their answer seconds (float64)
    batteries: int = 0  # batteries with enough valid answers
    straight: int = 0  # of which every answer is the same
    dk: int = 0  # don't know / refused answers
    dk_base: int = 0  # answered questions that offer them
    switches: int = 0
    resumes: int = 0
    edits_after_send_back: int = 0
    time_outliers: int = 0
    district: str = ""  # the district and Dong answered (progress counts reuse them)
    dong: str = ""
    flags: list[str] = field(default_factory=list)

    def row(self) -> tuple[Any, ...]:
        """Every field's value, in declaration order (a compact form to pass between
        processes: :meth:`from_row` rebuilds it)."""
        return _ROW(self)

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> InterviewQuality:
        """The inverse of :meth:`row`."""
        return cls(*row)

    @property
    def straight_share(self) -> float:
        """Share of evaluated batteries answered with one value throughout."""
        return self.straight / self.batteries if self.batteries else 0.0

    @property
    def dk_rate(self) -> float:
        """Don't know/refused answers per answered question that offers them."""
        return self.dk / self.dk_base if self.dk_base else 0.0


_ROW = attrgetter(*(f.name for f in fields(InterviewQuality)))


@dataclass
class EnumeratorQuality:
    """One enumerator's interviews, summarised, with peer comparison in the same city."""

    enumerator: str
    city: str
    interviews: int
    median_net_s: float
    too_fast_share: float
    straight_share: float
    dk_rate: float
    switches: float
    edits_after_send_back: int
    flagged_interviews: int
    flags: list[str] = field(default_factory=list)


@dataclass
class QualityReport:
    """Every interview and every enumerator."""

    interviews: list[InterviewQuality]
    enumerators: list[EnumeratorQuality]
    thresholds: Thresholds
    unreadable: int = 0  # copies that could not be opened (left out)

    def note(self) -> str:
        """What the reader must know about interviews left out ("" when none), translated."""
        if not self.unreadable:
            return ""
        return _("{n} interview(s) could not be opened (a damaged or altered copy at the "
                 "hub) and are left out.").format(n=self.unreadable)


def batteries(form: Questionnaire, min_items: int = 4) -> list[Battery]:
    """Runs of at least ``min_items`` consecutive single-choice questions sharing a choice
    list of four or more scale points (Likert 1–4, bipolar 1–9)."""
    found: list[Battery] = []
    run: list[str] = []
    current: str | None = None

    def close() -> None:
        if current is not None and len(run) >= min_items:
            found.append(Battery(current, tuple(run)))

    for question in form.iter_questions():
        if not question.is_input:
            continue
        choices = form.choice_list(question)
        scale = question.type == "select_one" and choices is not None \
            and len(choices.scale_points) >= 4
        if scale and question.list_name == current:
            run.append(question.name)
            continue
        close()
        current, run = (question.list_name, [question.name]) if scale else (None, [])
    close()
    return found


def missing_codes(form: Questionnaire) -> dict[str, frozenset[str]]:
    """Question → its don't-know/refused codes (questions that offer none are absent)."""
    out: dict[str, frozenset[str]] = {}
    for question in form.iter_questions():
        choices = form.choice_list(question)
        if question.is_input and choices is not None:
            codes = frozenset(c.name for c in choices.choices if c.missing)
            if codes:
                out[question.name] = codes
    return out


@dataclass(frozen=True)
class FormFacts:
    """What the indicators need from a questionnaire, computed once per version."""

    batteries: tuple[Battery, ...]
    missing: Mapping[str, frozenset[str]]

    @classmethod
    def of(cls, form: Questionnaire, thresholds: Thresholds) -> FormFacts:
        """The batteries and DK/RF codes of ``form``."""
        return cls(tuple(batteries(form, thresholds.battery_min_items)), missing_codes(form))


def robust_z(value: float, values: list[float]) -> float:
    """(value − median) / (1.4826 · MAD); 0 when the spread is zero."""
    if not values:
        return 0.0
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    return 0.0 if mad == 0 else (value - median) / (1.4826 * mad)


def report(measured: list[InterviewQuality], thresholds: Thresholds | None = None
           ) -> QualityReport:
    """Flag interviews against their questionnaire's peers, then summarise by enumerator."""
    t = thresholds or Thresholds()
    by_form: dict[str, list[InterviewQuality]] = defaultdict(list)
    for item in measured:
        by_form[item.form].append(item)
    for group in by_form.values():
        _flag_interviews(group, t)
    return QualityReport(measured, _enumerators(measured, t), t)


def _flag_interviews(group: list[InterviewQuality], t: Thresholds) -> None:
    durations = [q.net_s for q in group if q.net_s > 0]
    median = statistics.median(durations) if durations else 0.0
    outliers = outlier_counts([q.item_names for q in group], [q.item_seconds for q in group],
                              t.min_interviews, t.robust_z)
    for q, count in zip(group, outliers, strict=True):
        q.flags.clear()
        if median and q.net_s < t.too_fast_ratio * median:
            q.flags.append(TOO_FAST)
        q.time_outliers = count
        if q.items and q.time_outliers >= max(1, t.time_outlier_share * q.items):
            q.flags.append(TIME_OUTLIERS)
        if q.batteries and (q.straight >= t.straight_batteries
                            or q.straight_share >= t.straight_share):
            q.flags.append(STRAIGHT_LINING)
        if q.switches > t.max_switches:
            q.flags.append(LANGUAGE_SWITCHES)
        if q.edits_after_send_back:
            q.flags.append(EDITS_AFTER_SEND_BACK)


def _enumerators(measured: list[InterviewQuality], t: Thresholds) -> list[EnumeratorQuality]:
    groups: dict[tuple[str, str], list[InterviewQuality]] = defaultdict(list)
    for q in measured:
        groups[(q.city, q.enumerator)].append(q)
    rows = []
    for (city, enumerator), items in sorted(groups.items()):
        dk_base = sum(q.dk_base for q in items)
        rows.append(EnumeratorQuality(
            enumerator, city, len(items),
            statistics.median(q.net_s for q in items),
            sum(TOO_FAST in q.flags for q in items) / len(items),
            statistics.fmean(q.straight_share for q in items),
            sum(q.dk for q in items) / dk_base if dk_base else 0.0,
            statistics.fmean(q.switches for q in items),
            sum(q.edits_after_send_back for q in items),
            sum(bool(q.flags) for q in items)))
    for city in {r.city for r in rows}:
        peers = [r for r in rows if r.city == city and r.interviews >= t.min_interviews]
        for row in peers:
            for flag, attr in ((TOO_FAST, "too_fast_share"), (STRAIGHT_LINING, "straight_share"),
                               (DK_RATE, "dk_rate"), (DURATION, "median_net_s")):
                values = [getattr(p, attr) for p in peers]
                if abs(robust_z(getattr(row, attr), values)) > t.robust_z:
                    row.flags.append(flag)
    return rows
