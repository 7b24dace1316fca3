"""What an expression can read while it is evaluated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from fieldapp.questionnaire.expressions.values import Value


@runtime_checkable
class EvalContext(Protocol):
    """The interview state an expression sees."""

    def value(self, name: str) -> Value:
        """Value of ``${name}``: None when unanswered or not relevant; a NodeSet for a
        question inside a repeat referenced from outside it."""
        ...

    def current(self) -> Value:
        """Value of ``.``, the question being validated."""
        ...

    def today(self) -> dt.date:
        """The device's local date."""
        ...

    def now(self) -> dt.datetime:
        """The current time, timezone-aware."""
        ...

    def position(self) -> int:
        """1-based index of the current repeat instance, for ``position(..)``."""
        ...


def _local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass(init=False)
class SimpleContext:
    """An EvalContext over a plain dict of answers, for tests and the command line."""

    answers: dict[str, Value]
    current_value: Value
    today_value: dt.date
    now_value: dt.datetime
    position_value: int

    def __init__(
        self,
        answers: dict[str, Value] | None = None,
        current: Value = None,
        today: dt.date | None = None,
        now: dt.datetime | None = None,
        position: int = 1,
    ) -> None:
        self.answers = dict(answers or {})
        self.current_value = current
        self.now_value = now if now is not None else _local_now()
        self.today_value = today if today is not None else self.now_value.date()
        self.position_value = position

    def value(self, name: str) -> Value:
        """The answer stored under ``name``; None when absent."""
        return self.answers.get(name)

    def current(self) -> Value:
        """The value given as ``current``."""
        return self.current_value

    def today(self) -> dt.date:
        """The date given as ``today`` (default: the local date)."""
        return self.today_value

    def now(self) -> dt.datetime:
        """The time given as ``now`` (default: the local time, timezone-aware)."""
        return self.now_value

    def position(self) -> int:
        """The repeat position given as ``position`` (default 1)."""
        return self.position_value
