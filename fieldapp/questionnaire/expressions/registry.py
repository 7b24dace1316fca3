"""The function table: name → arity and implementation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: ODK functions we recognise but deliberately do not implement.
# fmt: off
UNSUPPORTED = frozenset({
    "indexed-repeat", "instance", "current",
    "random", "randomize", "digest", "geofence", "base64-decode",
    "encrypt-string", "extract-signed", "last-saved", "version", "property",
})
# fmt: on


@dataclass(frozen=True)
class FunctionSpec:
    """One callable function. ``lazy`` functions receive unevaluated argument nodes."""

    name: str
    min_args: int
    max_args: int | None  # None: any number
    impl: Callable[..., Any]
    lazy: bool = False

    def arity_problem(self, count: int) -> str | None:
        """A message when ``count`` arguments is wrong for this function, else None."""
        low, high = self.min_args, self.max_args
        if low <= count and (high is None or count <= high):
            return None
        if high == 0:
            wanted = "no arguments"
        elif high is None:
            wanted = f"at least {low} argument{'s' if low != 1 else ''}"
        elif low == high:
            wanted = f"{low} argument{'s' if low != 1 else ''}"
        elif high == low + 1:
            wanted = f"{low} or {high} arguments"
        else:
            wanted = f"{low} to {high} arguments"
        return f"'{self.name}()' takes {wanted}, got {count}"


FUNCTIONS: dict[str, FunctionSpec] = {}


def register(
    name: str, min_args: int, max_args: int | None, *, lazy: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator adding a function implementation to FUNCTIONS."""

    def add(impl: Callable[..., Any]) -> Callable[..., Any]:
        FUNCTIONS[name] = FunctionSpec(name, min_args, max_args, impl, lazy)
        return impl

    return add
