"""Safe evaluation of XLSForm (ODK XPath subset) expressions — no Python ``eval``, ever.

``parse(text)`` gives an immutable, cached AST; ``evaluate(node, ctx)`` computes its value
against an ``EvalContext``. Both raise only ``fieldapp.errors.ExpressionError``.
"""

from __future__ import annotations

from fieldapp.questionnaire.expressions import functions_data  # noqa: F401 (registers)
from fieldapp.questionnaire.expressions.context import EvalContext, SimpleContext
from fieldapp.questionnaire.expressions.evaluate import evaluate, evaluate_bool
from fieldapp.questionnaire.expressions.functions import FUNCTIONS, UNSUPPORTED
from fieldapp.questionnaire.expressions.nodes import (
    BinaryOp,
    Call,
    CurrentNode,
    Negate,
    Node,
    NumberLiteral,
    ParentNode,
    Reference,
    StringLiteral,
    functions_used,
    references,
)
from fieldapp.questionnaire.expressions.parser import MAX_DEPTH, MAX_NESTING, parse
from fieldapp.questionnaire.expressions.values import (
    NodeSet,
    Value,
    to_boolean,
    to_number,
    to_string,
)

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_NESTING",
    "UNSUPPORTED",
    "BinaryOp",
    "Call",
    "CurrentNode",
    "EvalContext",
    "Negate",
    "Node",
    "NodeSet",
    "NumberLiteral",
    "ParentNode",
    "Reference",
    "SimpleContext",
    "StringLiteral",
    "Value",
    "evaluate",
    "evaluate_bool",
    "functions_used",
    "parse",
    "references",
    "to_boolean",
    "to_number",
    "to_string",
]
