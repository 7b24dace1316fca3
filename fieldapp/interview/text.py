"""``${name}`` substitution in labels and hints."""

from __future__ import annotations

import re
from collections.abc import Callable

from fieldapp.errors import ExpressionError
from fieldapp.questionnaire.expressions import EvalContext, to_string

_REF = re.compile(r"\$\{([^}]+)\}")


def interpolate(text: str, ctx: EvalContext,
                on_error: Callable[[ExpressionError], None] | None = None) -> str:
    """Replace each ``${name}`` in ``text`` with the answer's string value.

    A reference that cannot be evaluated stays visible as ``${name}`` (and is reported to
    ``on_error``) rather than silently vanishing from the question text.
    """

    def sub(match: re.Match[str]) -> str:
        try:
            return to_string(ctx.value(match.group(1)))
        except ExpressionError as exc:
            if on_error is not None:
                on_error(exc)
            return match.group(0)

    return _REF.sub(sub, text) if "${" in text else text
