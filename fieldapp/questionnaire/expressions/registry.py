"""The function table: name → arity and implementation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fieldapp.i18n import N_

#: ODK functions we recognise but deliberately do not implement.
# fmt: off
UNSUPPORTED = frozenset({
    "instance", "current",
    "randomize", "digest", "geofence", "base64-decode",
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

    def arity_problem(self, count: int) -> tuple[str, dict[str, object]] | None:
        """When ``count`` arguments is wrong for this function: the message's template and its
        fields (translated when shown); else None."""
        low, high = self.min_args, self.max_args
        if low <= count and (high is None or count <= high):
            return None
        fields: dict[str, object] = {"name": self.name, "count": count, "low": low,
                                     "high": high}
        if high == 0:
            return N_("'{name}()' takes no arguments, got {count}"), fields
        if high is None:
            if low == 1:
                return N_("'{name}()' takes at least 1 argument, got {count}"), fields
            return N_("'{name}()' takes at least {low} arguments, got {count}"), fields
        if low == high:
            if low == 1:
                return N_("'{name}()' takes 1 argument, got {count}"), fields
            return N_("'{name}()' takes {low} arguments, got {count}"), fields
        if high == low + 1:
            return N_("'{name}()' takes {low} or {high} arguments, got {count}"), fields
        return N_("'{name}()' takes {low} to {high} arguments, got {count}"), fields


FUNCTIONS: dict[str, FunctionSpec] = {}


def register(
    name: str, min_args: int, max_args: int | None, *, lazy: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator adding a function implementation to FUNCTIONS."""

    def add(impl: Callable[..., Any]) -> Callable[..., Any]:
        FUNCTIONS[name] = FunctionSpec(name, min_args, max_args, impl, lazy)
        return impl

    return add
