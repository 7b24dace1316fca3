"""Tree-walking evaluator. Never uses Python eval; every failure becomes ExpressionError."""

from __future__ import annotations

import datetime as dt

from fieldapp.errors import ExpressionError
from fieldapp.i18n import N_
from fieldapp.questionnaire.expressions.context import EvalContext
from fieldapp.questionnaire.expressions.functions import FUNCTIONS
from fieldapp.questionnaire.expressions.nodes import (
    BinaryOp,
    Call,
    CurrentNode,
    InstancePath,
    NameRef,
    Negate,
    Node,
    NumberLiteral,
    ParentNode,
    Reference,
    StringLiteral,
)
from fieldapp.questionnaire.expressions.operators import apply_binary
from fieldapp.questionnaire.expressions.values import NodeSet, Value, to_boolean, to_number


def evaluate(node: Node, ctx: EvalContext) -> Value:
    """Value of a parsed expression; raises ExpressionError and nothing else."""
    try:
        return _Evaluator(ctx).visit(node)
    except ExpressionError:
        raise
    except RecursionError:
        raise ExpressionError(N_("expression is nested too deeply to evaluate"),
                              code="evaluate.expression-nested-too-deeply") from None
    except Exception as exc:  # contract: only ExpressionError escapes
        raise ExpressionError(N_("could not evaluate expression ({name__})"),
                              code="evaluate.could-not-evaluate-expression",
                              name__=type(exc).__name__) from exc


def evaluate_bool(node: Node, ctx: EvalContext) -> bool:
    """XPath ``boolean()`` of the expression's value (for relevant and constraint)."""
    return to_boolean(evaluate(node, ctx))  # to_boolean only raises ExpressionError


class _Evaluator:
    def __init__(self, ctx: EvalContext) -> None:
        self.ctx = ctx

    def visit(self, node: Node) -> Value:
        if isinstance(node, (NumberLiteral, StringLiteral)):
            return node.value
        if isinstance(node, Reference):
            return self.ctx.value(node.name)
        if isinstance(node, CurrentNode):
            return self.ctx.current()
        if isinstance(node, NameRef):
            lookup = getattr(self.ctx, "choice_property", None)
            if lookup is None:
                raise ExpressionError(N_("'{name}' (a choice column) is only allowed in "
                                         "choice_filter"),
                                      code="evaluate.choice-column-allowed-choice",
                                      name=node.name)
            return lookup(node.name)
        if isinstance(node, BinaryOp):
            return self.chain(node)
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Negate):
            return -to_number(self.visit(node.operand))
        if isinstance(node, InstancePath):
            return self.instance(node)
        if isinstance(node, ParentNode):
            raise ExpressionError(N_("'..' is only allowed as the argument of position(..)"),
                                  code="evaluate.allowed-argument-position")
        raise ExpressionError(N_("cannot evaluate a {name__}"),
                              code="evaluate.cannot-evaluate", name__=type(node).__name__)

    def instance(self, node: InstancePath) -> Value:
        """Rows of a secondary instance (choice list or data file), filtered, one field each."""
        rows_of = getattr(self.ctx, "instance_rows", None)
        rows = list(rows_of(node.instance)) if rows_of is not None else []
        if node.predicate is not None:
            predicate = node.predicate
            rows = [row for row in rows
                    if to_boolean(_Evaluator(_RowContext(self.ctx, row)).visit(predicate))]
        if node.field:
            return NodeSet(row.get(node.field, "") for row in rows)
        return NodeSet(" ".join(v for v in row.values() if v) for row in rows)

    def chain(self, node: BinaryOp) -> Value:
        """Evaluate a left-associative chain iteratively, so long chains never recurse."""
        spine: list[BinaryOp] = []
        current: Node = node
        while isinstance(current, BinaryOp):
            spine.append(current)
            current = current.left
        result = self.visit(current)
        for step in reversed(spine):
            if step.op == "or":
                result = to_boolean(result) or to_boolean(self.visit(step.right))
            elif step.op == "and":
                result = to_boolean(result) and to_boolean(self.visit(step.right))
            else:
                result = apply_binary(step.op, result, self.visit(step.right))
        return result

    def call(self, node: Call) -> Value:
        spec = FUNCTIONS.get(node.name)
        if spec is None:
            raise ExpressionError(N_("unknown function '{name}()'"),
                                  code="evaluate.unknown-function", name=node.name)
        problem = spec.arity_problem(len(node.args))
        if problem:
            raise ExpressionError(problem[0], code="evaluate.arity", name=spec.name,
                                  count=len(node.args), low=spec.min_args, high=spec.max_args)
        if spec.lazy:
            return spec.impl(node.args, self.ctx, self.visit)
        return spec.impl([self.visit(arg) for arg in node.args], self.ctx)


class _RowContext:
    """The context inside an instance predicate: bare names are the row's fields; the rest
    is the question's own context."""

    def __init__(self, outer: EvalContext, row: dict[str, str]) -> None:
        self._outer = outer
        self._row = row

    def choice_property(self, name: str) -> Value:
        """A field of the row being tested."""
        return self._row.get(name, "")

    def value(self, name: str) -> Value:
        """``${name}`` as the question sees it."""
        return self._outer.value(name)

    def current(self) -> Value:
        """``.`` of the question."""
        return self._outer.current()

    def today(self) -> dt.date:
        """The device's date."""
        return self._outer.today()

    def now(self) -> dt.datetime:
        """The current time."""
        return self._outer.now()

    def position(self) -> int:
        """The question's repeat position."""
        return self._outer.position()

    def __getattr__(self, name: str) -> object:
        return getattr(self._outer, name)
