"""Expression engine: property-based checks against Python arithmetic and a reference
evaluator, and robustness against arbitrary input (only ExpressionError may escape)."""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fieldapp.errors import ExpressionError
from fieldapp.questionnaire.expressions import (
    FUNCTIONS,
    Node,
    NodeSet,
    SimpleContext,
    Value,
    evaluate,
    evaluate_bool,
    parse,
    to_string,
)

FAST = settings(max_examples=200, deadline=None)

ints = st.integers(min_value=-(10**6), max_value=10**6)
floats = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
numbers = st.one_of(ints, floats)

CTX = SimpleContext(
    {
        "none": None,
        "text": "héllo 世界",
        "multi": ("a", "b"),
        "nodes": NodeSet([1, "x", None, ("a",)]),
        "empty_nodes": NodeSet(),
        "date": dt.date(2024, 2, 29),
        "moment": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        "big": 10**400,
        "huge": 1e308,
        "flag": True,
        "zero": 0,
        "late": "9999-12-31",
    },
    current="12",
    today=dt.date(2024, 5, 6),
    now=dt.datetime(2024, 5, 6, 12, 0, tzinfo=dt.UTC),
    position=2,
)


def lit(number: float) -> str:
    """XPath text for a finite number (no exponent notation; negatives via unary minus)."""
    if number == 0 and math.copysign(1.0, number) < 0:
        return "(-0)"
    text = to_string(float(number))
    return f"(-{text[1:]})" if text.startswith("-") else text


def same(actual: Value, expected: Value) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    assert isinstance(actual, float) and isinstance(expected, float)
    return (math.isnan(actual) and math.isnan(expected)) or actual == expected


def run(text: str) -> Value:
    return evaluate(parse(text), CTX)


# -- reference semantics -------------------------------------------------------------------
def ref_div(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.inf if (a > 0) == (math.copysign(1.0, b) > 0) else -math.inf
    return a / b


def ref_mod(a: float, b: float) -> float:
    if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b):
        return math.nan
    return math.fmod(a, b)


# fmt: off
ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "div": ref_div, "mod": ref_mod,
}
RELATIONAL: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "=": operator.eq, "!=": operator.ne,
}
# fmt: on


@FAST
@given(numbers, numbers, st.sampled_from(sorted(ARITHMETIC)))
def test_arithmetic_matches_python(a: float, b: float, op: str) -> None:
    result = run(f"{lit(a)} {op} {lit(b)}")
    expected = ARITHMETIC[op](float(a), float(b))
    assert same(result, expected)
    if isinstance(a, int) and isinstance(b, int) and op in ("+", "-", "*"):
        assert result == ARITHMETIC[op](a, b)  # exact for integers


@FAST
@given(numbers, numbers, st.sampled_from(sorted(RELATIONAL)))
def test_comparisons_match_python(a: float, b: float, op: str) -> None:
    assert run(f"{lit(a)} {op} {lit(b)}") is RELATIONAL[op](a, b)


@FAST
@given(numbers)
def test_number_text_round_trips(a: float) -> None:
    assert run(f"number('{to_string(float(a))}')") == float(a)
    assert run(f"string({lit(a)})") == to_string(float(a))


# -- random trees against a reference evaluator --------------------------------------------
Tree = tuple


def num(value: float | bool) -> float:
    return float(value)


def truth(value: float | bool) -> bool:
    return value if isinstance(value, bool) else not (value == 0 or math.isnan(value))


def ref_eval(tree: Tree) -> float | bool:
    kind = tree[0]
    if kind == "num":
        return float(tree[1])
    if kind == "neg":
        return -num(ref_eval(tree[1]))
    op, left, right = tree[1], ref_eval(tree[2]), ref_eval(tree[3])
    if op == "and":
        return truth(left) and truth(right)
    if op == "or":
        return truth(left) or truth(right)
    if op in ("=", "!=") and (isinstance(left, bool) or isinstance(right, bool)):
        equal = truth(left) == truth(right)
        return equal if op == "=" else not equal
    if op in RELATIONAL:
        return RELATIONAL[op](num(left), num(right))
    return ARITHMETIC[op](num(left), num(right))


def height(tree: Tree) -> int:
    return 0 if tree[0] == "num" else 1 + max(height(child) for child in tree[2:] or tree[1:])


def render(tree: Tree) -> str:
    kind = tree[0]
    if kind == "num":
        return lit(tree[1])
    if kind == "neg":
        return f"-({render(tree[1])})"
    return f"({render(tree[2])} {tree[1]} {render(tree[3])})"


OPERATORS = sorted([*ARITHMETIC, *RELATIONAL, "and", "or"])
trees = st.recursive(
    numbers.map(lambda n: ("num", n)),
    lambda children: st.one_of(
        st.tuples(st.just("bin"), st.sampled_from(OPERATORS), children, children),
        st.tuples(st.just("neg"), children),
    ),
    max_leaves=24,
)


@FAST
@given(trees)
def test_random_trees_match_reference_evaluator(tree: Tree) -> None:
    assume(height(tree) <= 25)  # each level nests at most twice; the parser allows 64
    text = render(tree)
    assert same(run(text), ref_eval(tree)), text
    assert evaluate_bool(parse(text), CTX) is truth(ref_eval(tree))


# -- robustness ----------------------------------------------------------------------------
def parse_or_error(text: str) -> Node | None:
    try:
        node = parse(text)
    except ExpressionError:
        return None
    assert isinstance(node, Node)
    return node


@FAST
@given(st.text(max_size=200))
def test_parse_arbitrary_text_only_raises_expression_error(text: str) -> None:
    parse_or_error(text)


# fmt: off
TOKENS = [
    "(", ")", ",", "${a}", "${", "}", ".", "..", "'s'", '"t', "1", ".5", "3.", "-", "+", "*",
    "div", "mod", "and", "or", "=", "!=", "<", "<=", ">", ">=", "if", "concat", "count(",
    "position", "jr:choice-name", "selected", "/", "|", "[", "AND", "==", " ", "\t", "é", "ß",
]
# fmt: on


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_parse_token_soup_only_raises_expression_error(tokens: list[str]) -> None:
    parse_or_error(" ".join(tokens))
    parse_or_error("".join(tokens))


# fmt: off
ATOMS = [
    "''", "'abc'", "'2024-01-31'", "'2024-13-45'", "'12.5'", "0", "-1", "3.7", "400",
    "1 div 0", "-1 div 0", "0 div 0", "${none}", "${missing}", "${text}", "${multi}",
    "${nodes}", "${empty_nodes}", "${date}", "${moment}", "${big}", "${huge}", "${flag}",
    "${zero}", "${late}", ".", "true()", "'%Y %e %3 %'", "'(['", "'^a'", "'[[x]'",
    "position(..)", "-1000000000",
]
# fmt: on
VALUE_TYPES = (str, int, float, bool, dt.date, tuple, type(None))


@st.composite
def odd_calls(draw: st.DrawFn, inner: st.SearchStrategy[str]) -> str:
    name = draw(st.sampled_from(sorted(FUNCTIONS)))
    spec = FUNCTIONS[name]
    high = spec.max_args if spec.max_args is not None else spec.min_args + 3
    count = draw(st.integers(min_value=max(0, spec.min_args - 1), max_value=high + 1))
    args = draw(st.lists(inner, min_size=count, max_size=count))
    return f"{name}({', '.join(args)})"


odd_expressions = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        odd_calls(inner),
        st.builds(lambda a, op, b: f"({a}) {op} ({b})", inner, st.sampled_from(OPERATORS), inner),
        inner.map(lambda a: f"-({a})"),
    ),
    max_leaves=8,
)


@FAST
@given(odd_expressions)
def test_evaluating_odd_expressions_only_raises_expression_error(text: str) -> None:
    node = parse_or_error(text)
    if node is None:
        return
    try:
        value = evaluate(node, CTX)
    except ExpressionError:
        return
    assert isinstance(value, VALUE_TYPES)
    assert isinstance(to_string(value), str)
    try:
        evaluate_bool(node, CTX)
    except ExpressionError:
        pass
