"""The interview engine: answers, relevance, constraints, calculations and repeats (no Qt).

The engine is pure state: it never stores anything. Each mutating call returns the
answers it changed (including those cleared by skip logic and recomputed
calculations) so the caller can persist exactly those before the UI moves on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from fieldapp.errors import ExpressionError
from fieldapp.i18n import N_, _
from fieldapp.interview.answer_keys import Indices, make_key, split_key
from fieldapp.interview.errors import (
    ConstraintViolation,
    InvalidAnswer,
    NotRelevant,
    RequiredMissing,
    UnknownQuestion,
)
from fieldapp.interview.evaluation import InstanceContext
from fieldapp.interview.external import search_choices
from fieldapp.interview.structure import FormStructure
from fieldapp.interview.values import InvalidValue, Value, convert
from fieldapp.questionnaire.expressions import (
    NodeSet,
    evaluate,
    evaluate_bool,
    parse,
    to_number,
    to_string,
)
from fieldapp.questionnaire.model import (
    Choice,
    Element,
    Group,
    Question,
    Questionnaire,
    Repeat,
    text_for,
)

MAX_REPEAT = 200  # a repeat_count beyond this is treated as an authoring error
REQUIRED_DEFAULT = N_("This question requires an answer.")
CONSTRAINT_DEFAULT = N_("This answer is not allowed.")

Changes = dict[str, Value]

#: What an expression that fails at run time counts as, per column: the safe reading, the one
#: that never hides (and so clears) a question or refuses what the enumerator entered.
ON_ERROR = {"relevant": True, "constraint": True, "required": False}


@dataclass(frozen=True)
class Problem:
    """A questionnaire expression that failed while interviewing (an authoring error).

    It is shown to the enumerator and recorded in the paradata; it never clears an answer.
    """

    element: str
    column: str
    reason: str


@dataclass(frozen=True)
class Slot:
    """One element at one repeat position (a question, a group or a repeat instance)."""

    element: Element
    indices: Indices
    repeats: tuple[str, ...]

    @property
    def key(self) -> str:
        """Answer key (for questions) or instance key (for groups)."""
        return make_key(self.element.name, self.indices)


class Interview:
    """Answers to one questionnaire, with skip logic and validation applied."""

    def __init__(self, form: Questionnaire, *, language: str | None = None,
                 now: dt.datetime | None = None) -> None:
        self.form = form
        self.structure = FormStructure.of(form)
        self.language = language if language in form.languages else form.default_language
        self.answers: dict[str, Value] = {}
        self.repeat_counts: dict[str, int] = {}
        self._fixed_now = now
        #: Runtime expression errors seen so far, by (element, column).
        self.expression_problems: dict[tuple[str, str], Problem] = {}
        self._reported: set[tuple[str, str]] = set()
        self._good_counts: dict[str, int] = {}  # last repeat_count that evaluated
        self._language_changes: Changes = {}  # what the last language switch recomputed

    # ----- runtime expression errors ----------------------------------------------------
    def _problem(self, element: Element, column: str, exc: ExpressionError) -> None:
        self.expression_problems[(element.name, column)] = Problem(element.name, column,
                                                                   exc.reason)

    def take_new_problems(self) -> list[Problem]:
        """Problems not handed out before (the recorder stores each one once)."""
        new = [p for k, p in self.expression_problems.items() if k not in self._reported]
        self._reported.update((p.element, p.column) for p in new)
        return new

    def mark_reported(self, element: str, column: str) -> None:
        """A problem already in the paradata (when a draft is replayed)."""
        self._reported.add((element, column))

    # ----- evaluation -------------------------------------------------------------------
    def now(self) -> dt.datetime:
        """Current local time (fixed in tests)."""
        return self._fixed_now or dt.datetime.now().astimezone()

    def context(self, repeats: tuple[str, ...], indices: Indices, current: Value = None,
                properties: Mapping[str, str] | None = None) -> InstanceContext:
        """An evaluation context at a repeat position."""
        return InstanceContext(self.structure, self.answers, self.instance_count,
                               repeats=repeats, indices=indices, current=current,
                               now=self.now(), language=self.language, properties=properties)

    def _true(self, text: str | None, slot: Slot, current: Value = None,
              default: bool = True, column: str = "relevant") -> bool:
        if not text:
            return default
        try:
            return evaluate_bool(self.structure.expr(text),
                                 self.context(slot.repeats, slot.indices, current))
        except ExpressionError as exc:
            self._problem(slot.element, column, exc)
            return ON_ERROR[column]

    def instance_count(self, repeat: str, parent: Indices = ()) -> int:
        """Number of instances of ``repeat`` under the parent instance ``parent``."""
        element = self.structure.repeats[repeat]
        if element.repeat_count:
            outer = self.structure.repeat_path[repeat]
            key = make_key(repeat, parent)
            try:
                raw = evaluate(self.structure.expr(element.repeat_count),
                               self.context(outer, parent))
                number = to_number(raw)
            except ExpressionError as exc:
                # keep every entry that exists: a broken count must never drop a roster
                self._problem(element, "repeat_count", exc)
                return max(self._good_counts.get(key, 0), self._entries_present(repeat, parent))
            if number != number or number < 0:  # NaN or negative
                number = 0
            count = int(min(number, MAX_REPEAT))
            self._good_counts[key] = count
            return count
        return self.repeat_counts.get(make_key(repeat, parent), 0)

    def _entries_present(self, repeat: str, parent: Indices) -> int:
        """The highest entry number of ``repeat`` (under ``parent``) that holds an answer."""
        depth = len(parent)
        highest = 0
        for key in self.answers:
            name, indices = split_key(key)
            path = self.structure.repeat_path.get(name, ())
            if len(path) > depth and path[depth] == repeat and indices[:depth] == parent:
                highest = max(highest, indices[depth])
        return highest

    # ----- walking ----------------------------------------------------------------------
    def slots(self, relevant_only: bool = False) -> Iterator[Slot]:
        """Every element at every repeat position, in form order."""

        def walk(children: tuple[Element, ...], indices: Indices,
                 repeats: tuple[str, ...]) -> Iterator[Slot]:
            for child in children:
                if isinstance(child, Repeat):
                    group_slot = Slot(child, indices, repeats)
                    if relevant_only and not self._true(child.relevant, group_slot):
                        continue
                    for i in range(1, self.instance_count(child.name, indices) + 1):
                        inner = (*indices, i)
                        yield Slot(child, inner, (*repeats, child.name))
                        yield from walk(child.children, inner, (*repeats, child.name))
                    continue
                slot = Slot(child, indices, repeats)
                if relevant_only and not self._true(child.relevant, slot):
                    continue
                yield slot
                if isinstance(child, Group):
                    yield from walk(child.children, indices, repeats)

        yield from walk(self.form.children, (), ())

    def question_slots(self, relevant_only: bool = True) -> Iterator[Slot]:
        """Questions (not groups) at every position."""
        for slot in self.slots(relevant_only):
            if isinstance(slot.element, Question):
                yield slot

    def slot(self, key: str) -> Slot:
        """The question slot of an answer key (UnknownQuestion if it does not exist)."""
        try:
            name, indices = split_key(key)
        except ValueError:
            raise UnknownQuestion(key, N_("no such question"),
                                  code="engine.no-such-question-2") from None
        if not self.form.has(name):
            raise UnknownQuestion(key, N_("no such question"), code="engine.no-such-question")
        repeats = self.structure.repeat_path[name]
        if len(indices) != len(repeats):
            raise UnknownQuestion(key, N_("the repeat instance is missing from the key"),
                                  code="engine.repeat-instance-missing-key")
        for depth, repeat in enumerate(repeats):
            if not 1 <= indices[depth] <= self.instance_count(repeat, indices[:depth]):
                raise UnknownQuestion(key, N_("no such repeat instance"),
                                      code="engine.no-such-repeat-instance")
        return Slot(self.form.question(name), indices, repeats)

    def relevant_here(self, element: Element, indices: Indices,
                      repeats: tuple[str, ...]) -> bool:
        """The element's own relevance at a position (enclosing groups not checked)."""
        if isinstance(element, Repeat) and repeats and repeats[-1] == element.name:
            indices, repeats = indices[:-1], repeats[:-1]
        return self._true(element.relevant, Slot(element, indices, repeats))

    def is_relevant(self, slot: Slot) -> bool:
        """True when the element and every enclosing group are shown."""
        for group in self.structure.parents.get(slot.element.name, ()):
            depth = len(self.structure.repeat_path[group.name])
            if isinstance(group, Repeat):
                depth -= 1  # a repeat's own relevance is evaluated outside it
            group_slot = Slot(group, slot.indices[:depth], slot.repeats[:depth])
            if not self._true(group.relevant, group_slot):
                return False
        return self._true(slot.element.relevant, slot)

    # ----- answering --------------------------------------------------------------------
    def choices_for(self, key: str) -> tuple[Choice, ...]:
        """The choices offered for a select question, after its choice_filter."""
        slot = self.slot(key)
        question = slot.element
        assert isinstance(question, Question)
        searched = search_choices(self.form, question, self.language,
                                  lambda text: self._evaluate_text(text, slot))
        if searched is not None:
            return searched
        choices = self.form.choice_list(question)
        if choices is None:
            return ()
        if not question.choice_filter:
            return choices.choices
        node = parse(question.choice_filter, choice_columns=True)
        kept = []
        for choice in choices.choices:
            props = {**choice.properties, "name": choice.name}
            try:
                ok = evaluate_bool(node, self.context(slot.repeats, slot.indices, None, props))
            except ExpressionError as exc:
                self._problem(question, "choice_filter", exc)
                ok = True  # offer the choice rather than hide it
            if ok:
                kept.append(choice)
        return tuple(kept)

    def _evaluate_text(self, text: str, slot: Slot) -> object:
        """The value of an expression at ``slot`` ('' when it cannot be evaluated)."""
        try:
            return to_string(evaluate(parse(text), self.context(slot.repeats, slot.indices)))
        except ExpressionError:
            return ""

    def _message(self, label: Mapping[str, str], default: str) -> str:
        return text_for(label, self.language, self.form.default_language) or _(default)

    def check_value(self, key: str, value: Value) -> None:
        """Raise InvalidAnswer/ConstraintViolation if ``value`` may not be stored at ``key``."""
        slot = self.slot(key)
        question = slot.element
        assert isinstance(question, Question)
        if value is None:
            return
        if question.type in ("select_one", "select_multiple", "rank"):
            allowed = {c.name for c in self.choices_for(key)}
            chosen = value if isinstance(value, tuple) else (value,)
            for name in chosen:
                if name not in allowed:
                    raise InvalidAnswer(key, N_("not one of the offered choices"),
                                        code="engine.not-offered-choices")
            if question.type == "rank" and set(chosen) != allowed:
                raise InvalidAnswer(key, N_("put every choice in order"),
                                    code="engine.put-every-choice-order")
        if question.constraint and not self._true(question.constraint, slot, value,
                                                  default=True, column="constraint"):
            raise ConstraintViolation(key, self._message(question.constraint_message,
                                                         CONSTRAINT_DEFAULT))

    def answer(self, key: str, raw: object) -> Changes:
        """Validate and set an answer; returns every answer that changed as a result."""
        slot = self.slot(key)
        question = slot.element
        assert isinstance(question, Question)
        if not question.is_input:
            raise InvalidAnswer(key, N_("this question is not answered by the enumerator"),
                                code="engine.question-not-answered-enumerator")
        if not self.is_relevant(slot):
            raise NotRelevant(key, N_("this question is skipped given the earlier answers"),
                              code="engine.question-skipped-given-earlier")
        try:
            value = convert(question, raw)
        except InvalidValue as exc:
            raise InvalidAnswer(key, _(str(exc))) from None
        self.check_value(key, value)
        changes = self.set_values({key: value})
        if key in changes:
            from fieldapp.interview.triggers import triggered_values

            triggered = triggered_values(self, slot)
            if triggered:
                changes.update(self.set_values(triggered))
        return changes

    def set_values(self, values: Mapping[str, Value]) -> Changes:
        """Store values without validation (restoring, metadata), then refresh."""
        influencers = self.structure.influencers
        if not any(split_key(key)[0] in influencers for key in values):
            # nothing shown or computed depends on these answers: no refresh needed
            changes: Changes = {}
            for key, value in values.items():
                if self.answers.get(key) != value:
                    changes[key] = value
                if value is None:
                    self.answers.pop(key, None)
                else:
                    self.answers[key] = value
            return changes
        before = dict(self.answers)
        for key, value in values.items():
            if value is None:
                self.answers.pop(key, None)
            else:
                self.answers[key] = value
        self.refresh()
        return _diff(before, self.answers)

    def refresh(self) -> None:
        """Recompute calculations and clear answers hidden by skip logic, until stable."""
        for _round in range(10):
            before = dict(self.answers)
            live: set[str] = set()
            for slot in self.question_slots(relevant_only=False):
                question = slot.element
                assert isinstance(question, Question)
                key = slot.key
                if not self.is_relevant(slot):
                    self.answers.pop(key, None)
                    continue
                live.add(key)
                if question.calculation and not question.trigger:
                    try:
                        result = evaluate(self.structure.expr(question.calculation),
                                          self.context(slot.repeats, slot.indices,
                                                       self.answers.get(key)))
                    except ExpressionError as exc:
                        self._problem(question, "calculation", exc)
                        continue  # keep the last value it computed
                    result = _plain(result)
                    if result is None or result == "":
                        self.answers.pop(key, None)
                    else:
                        self.answers[key] = result
            for key in [k for k in self.answers if k not in live]:
                del self.answers[key]  # removed repeat instances
            if self.answers == before:
                return

    # ----- repeats ----------------------------------------------------------------------
    def add_instance(self, repeat: str, parent: Indices = ()) -> int:
        """Add an instance to a user-managed repeat; returns its 1-based index."""
        element = self.structure.repeats.get(repeat)
        if element is None:
            raise UnknownQuestion(repeat, N_("no such repeat"), code="engine.no-such-repeat")
        if element.repeat_count:
            raise InvalidAnswer(repeat, N_("the number of entries is set by an earlier answer"),
                                code="engine.number-entries-set-earlier")
        key = make_key(repeat, parent)
        self.repeat_counts[key] = self.repeat_counts.get(key, 0) + 1
        self.refresh()
        return self.repeat_counts[key]

    def remove_instance(self, repeat: str, index: int, parent: Indices = ()) -> Changes:
        """Remove instance ``index``; later instances move up. Returns changed answers."""
        count = self.instance_count(repeat, parent)
        if self.structure.repeats[repeat].repeat_count or not 1 <= index <= count:
            raise InvalidAnswer(repeat, N_("this entry cannot be removed"),
                                code="engine.entry-cannot-removed")
        depth = len(parent)
        before = dict(self.answers)
        moved: dict[str, Value] = {}
        for key, value in before.items():
            name, indices = split_key(key)
            path = self.structure.repeat_path.get(name, ())
            if len(path) <= depth or path[depth] != repeat or indices[:depth] != parent:
                moved[key] = value
                continue
            position = indices[depth]
            if position == index:
                continue
            if position > index:
                indices = (*indices[:depth], position - 1, *indices[depth + 1:])
            moved[make_key(name, indices)] = value
        self.answers = moved
        self.repeat_counts[make_key(repeat, parent)] = count - 1
        self.refresh()
        return _diff(before, self.answers)

    # ----- language, text, review ------------------------------------------------------
    def set_language(self, language: str) -> str:
        """Switch the interview language; returns the previous one. Calculations are
        recomputed, since some depend on the language (``jr:choice-name()`` gives the
        choice's label in it); :meth:`language_changes` says what that changed."""
        if language not in self.form.languages:
            raise InvalidAnswer("", N_("this questionnaire has no such language"),
                                code="engine.questionnaire-no-such-language")
        previous, self.language = self.language, language
        if previous != language:
            before = dict(self.answers)
            self.refresh()
            self._language_changes = _diff(before, self.answers)
        return previous

    def language_changes(self) -> Changes:
        """Answers the last language switch recomputed (then forgotten)."""
        changes, self._language_changes = self._language_changes, {}
        return changes

    def text(self, label: Mapping[str, str], slot: Slot) -> str:
        """A label or hint in the interview language with ``${name}`` filled in."""
        from fieldapp.interview.text import interpolate

        raw = text_for(label, self.language, self.form.default_language)
        return interpolate(raw, self.context(slot.repeats, slot.indices),
                           lambda exc: self._problem(slot.element, "label", exc))

    def problems(self, slot: Slot) -> str | None:
        """Why the answer at ``slot`` is not acceptable now, or None."""
        question = slot.element
        assert isinstance(question, Question)
        value = self.answers.get(slot.key)
        if value is None:
            if question.is_input and self._true(question.required, slot, None, default=False,
                                                column="required"):
                return self._message(question.required_message, REQUIRED_DEFAULT)
            return None
        if not question.is_input:
            return None
        try:
            self.check_value(slot.key, value)
        except (InvalidAnswer, ConstraintViolation) as exc:
            return exc.reason
        return None

    def check_complete(self) -> None:
        """Raise for the first relevant question that is missing or invalid."""
        for slot in self.question_slots():
            problem = self.problems(slot)
            if problem is not None:
                error = RequiredMissing if self.answers.get(slot.key) is None \
                    else ConstraintViolation
                raise error(slot.key, problem)

    def is_required(self, slot: Slot) -> bool:
        """True when the question at ``slot`` must be answered (its ``required`` holds now)."""
        question = slot.element
        return isinstance(question, Question) and question.is_input and \
            self._true(question.required, slot, None, default=False, column="required")


def _plain(value: object) -> Value:
    """Calculation results as stored values (whole floats become ints, NaN is empty; a
    node-set, e.g. an instance() lookup, is its first node's string, as in XPath)."""
    if isinstance(value, NodeSet):
        value = to_string(value)
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, (str, int, float, dt.date, tuple)):
        return value  # type: ignore[return-value]
    return str(value)


def _diff(before: Mapping[str, Value], after: Mapping[str, Value]) -> Changes:
    changes: Changes = {}
    for key in before.keys() | after.keys():
        if before.get(key) != after.get(key):
            changes[key] = after.get(key)
    return changes
