"""Static facts about a questionnaire the engine looks up often (computed once per form)."""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.questionnaire.expressions import parse, references
from fieldapp.questionnaire.expressions.nodes import Node
from fieldapp.questionnaire.model import Group, Question, Questionnaire, Repeat


@dataclass(frozen=True)
class FormStructure:
    """Parents, repeat paths, parsed expressions and calculation order of one form."""

    form: Questionnaire
    parents: dict[str, tuple[Group, ...]]
    repeat_path: dict[str, tuple[str, ...]]
    repeats: dict[str, Repeat]
    calc_order: tuple[str, ...]
    #: names referenced by any relevance, calculation or repeat count: changing any
    #: other answer cannot change what is shown or computed
    influencers: frozenset[str]

    @classmethod
    def of(cls, form: Questionnaire) -> FormStructure:
        """Analyse ``form`` once."""
        parents: dict[str, tuple[Group, ...]] = {}
        repeats: dict[str, Repeat] = {}
        for element, enclosing in form.iter_elements():
            parents[element.name] = enclosing
            if isinstance(element, Repeat):
                repeats[element.name] = element
        repeat_path = {
            name: tuple(g.name for g in enclosing if isinstance(g, Repeat))
            for name, enclosing in parents.items()
        }
        return cls(form, parents, repeat_path, repeats, _calc_order(form), _influencers(form))

    def expr(self, text: str) -> Node:
        """The parsed expression (parse() caches)."""
        return parse(text)


def _calc_order(form: Questionnaire) -> tuple[str, ...]:
    """Questions with a calculation, dependencies first (validation rejects cycles)."""
    calcs: dict[str, Question] = {q.name: q for q in form.iter_questions() if q.calculation}
    order: list[str] = []
    done: set[str] = set()

    def visit(name: str, stack: frozenset[str]) -> None:
        if name in done or name in stack:
            return
        deps = references(parse(calcs[name].calculation or ""))
        for dep in sorted(deps):
            if dep in calcs:
                visit(dep, stack | {name})
        done.add(name)
        order.append(name)

    for name in calcs:
        visit(name, frozenset())
    return tuple(order)


def _influencers(form: Questionnaire) -> frozenset[str]:
    names: set[str] = set()
    for element, _ in form.iter_elements():
        texts = [element.relevant]
        if isinstance(element, Question):
            texts.append(element.calculation)
        if isinstance(element, Repeat):
            texts.append(element.repeat_count)
        for text in texts:
            if text:
                names |= references(parse(text))
    return frozenset(names)
