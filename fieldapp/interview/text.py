"""``${name}`` substitution in labels and hints."""

from __future__ import annotations

import re

from fieldapp.errors import ExpressionError
from fieldapp.questionnaire.expressions import EvalContext, to_string

_REF = re.compile(r"\$\{([^}]+)\}")


def interpolate(text: str, ctx: EvalContext) -> str:
    """Replace each ``${name}`` in ``text`` with the answer's string value."""

    def sub(match: re.Match[str]) -> str:
        try:
            return to_string(ctx.value(match.group(1)))
        except ExpressionError:
            return ""

    return _REF.sub(sub, text) if "${" in text else text
