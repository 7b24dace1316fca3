"""Expression evaluation against an interview's answers at one repeat position."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping

from fieldapp.interview.answer_keys import Indices, make_key
from fieldapp.interview.structure import FormStructure
from fieldapp.questionnaire.expressions import NodeSet, Value
from fieldapp.questionnaire.model import text_for


class InstanceContext:
    """EvalContext for the questions at ``indices`` (the enclosing repeat instances)."""

    def __init__(self, structure: FormStructure, answers: Mapping[str, Value],
                 count: Callable[[str, Indices], int], *, repeats: tuple[str, ...],
                 indices: Indices, current: Value = None, now: dt.datetime,
                 language: str = "", properties: Mapping[str, str] | None = None) -> None:
        self._s = structure
        self._answers = answers
        self._count = count
        self._repeats = repeats
        self._indices = indices
        self._current = current
        self._now = now
        self._language = language
        self._properties = properties or {}

    def _keys(self, name: str, target: tuple[str, ...] | None = None,
              shared: int | None = None) -> Iterator[str]:
        """Answer keys ``${name}`` denotes from this position (``target``: the repeats it
        lies in, its own path by default; ``shared``: at most this many of them are ours)."""
        if target is None:
            target = self._s.repeat_path.get(name, ())
        limit = len(target) if shared is None else shared
        common = 0
        while (common < limit and common < len(self._repeats)
               and target[common] == self._repeats[common]):
            common += 1
        fixed = self._indices[:common]

        def expand(prefix: Indices, depth: int) -> Iterator[str]:
            if depth == len(target):
                yield make_key(name, prefix)
                return
            for i in range(1, self._count(target[depth], prefix) + 1):
                yield from expand((*prefix, i), depth + 1)

        yield from expand(fixed, common)

    def value(self, name: str) -> Value:
        """Value of ``${name}``; a NodeSet when it lies in repeat instances below us. A
        repeat's own name is the NodeSet of its instances (``count(${repeat})``), all of
        them within the enclosing instances we are in."""
        if name in self._s.repeats:
            outer = self._s.repeat_path.get(name, ())
            return NodeSet(None for _ in self._keys(name, (*outer, name), len(outer)))
        target = self._s.repeat_path.get(name, ())
        keys = list(self._keys(name))
        single = len(target) <= len(self._repeats) and all(
            a == b for a, b in zip(target, self._repeats, strict=False))
        if single:
            return self._answers.get(keys[0]) if keys else None
        return NodeSet(self._answers.get(k) for k in keys)

    def indexed_value(self, name: str, positions: list[tuple[str, int]]) -> Value:
        """``indexed-repeat()``: the answer to ``name`` in the given instances of its
        repeats (a repeat not named keeps our own instance); None when there is none."""
        named = dict(positions)
        target = self._s.repeat_path.get(name, ())
        if not target or not set(named) <= set(target):
            return None
        indices: list[int] = []
        for depth, repeat in enumerate(target):
            if repeat in named:
                index = named[repeat]
            elif depth < len(self._repeats) and self._repeats[depth] == repeat:
                index = self._indices[depth]
            else:
                return None
            if not 1 <= index <= self._count(repeat, tuple(indices)):
                return None
            indices.append(index)
        return self._answers.get(make_key(name, tuple(indices)))

    def current(self) -> Value:
        """Value of ``.``."""
        return self._current

    def today(self) -> dt.date:
        """Local date of the device."""
        return self._now.date()

    def now(self) -> dt.datetime:
        """Current local time (timezone-aware)."""
        return self._now

    def position(self) -> int:
        """1-based index of the innermost repeat instance."""
        return self._indices[-1] if self._indices else 1

    def choice_label(self, name: str, value: object) -> str:
        """Label of choice ``value`` of question ``name`` in the interview language."""
        form = self._s.form
        if not form.has(name):
            return ""
        choices = form.choice_list(form.question(name))
        choice = choices.get(str(value)) if choices else None
        return text_for(choice.label, self._language, form.default_language) if choice else ""

    def choice_property(self, name: str) -> Value:
        """A column of the choice being filtered (``choice_filter``'s bare names)."""
        if name == "name":
            return self._properties.get("name", "")
        return self._properties.get(name, "")

    def instance_rows(self, name: str) -> list[Mapping[str, str]]:
        """Rows of ``instance('name')``: a choice list or a data file of the form."""
        from fieldapp.interview.external import instance_rows

        return instance_rows(self._s.form, name, self._language)

    def pulldata(self, name: str, column: str, key_column: str, key: str) -> str:
        """``pulldata()`` over the form's ``name.csv``."""
        from fieldapp.interview.external import pulldata

        return pulldata(self._s.form, name, column, key_column, key)
