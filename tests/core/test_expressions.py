"""Expression engine: table-driven checks of operators, functions and XPath conversions."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from fieldapp.errors import ExpressionError, FieldAppError
from fieldapp.questionnaire.expressions import (
    BinaryOp,
    Call,
    EvalContext,
    Negate,
    Node,
    NodeSet,
    NumberLiteral,
    Reference,
    SimpleContext,
    StringLiteral,
    Value,
    evaluate,
    evaluate_bool,
    functions_used,
    parse,
    references,
    to_boolean,
    to_number,
    to_string,
)

KST = dt.timezone(dt.timedelta(hours=9))
TODAY = dt.date(2024, 5, 6)
NOW = dt.datetime(2024, 5, 6, 13, 30, 15, 250000, tzinfo=KST)
DOB = dt.date(1990, 1, 15)
NAN = math.nan
INF = math.inf

ANSWERS: dict[str, Value] = {
    "age": 30,
    "weight": 62.5,
    "zero": 0,
    "name": "Kim",
    "empty": None,
    "blank": "",
    "yes": True,
    "multi": ("a", "c"),
    "text_multi": "a  b",
    "dob": DOB,
    "start": dt.datetime(2024, 5, 6, 9, 0, tzinfo=KST),
    "ages": NodeSet([10, 20, 30]),
    "mixed": NodeSet([1, None, 3]),
    "none_repeat": NodeSet([]),
    "names": NodeSet(["Kim", "Lee"]),
    "나이": 41,
    "b-c": 2,
    "r.x": 3,
    "bad_pattern": "(",
}


def ctx(**kwargs: object) -> SimpleContext:
    options: dict[str, object] = {"today": TODAY, "now": NOW, "current": "abc", "position": 3}
    options.update(kwargs)
    return SimpleContext(ANSWERS, **options)  # type: ignore[arg-type]


def ev(text: str, **kwargs: object) -> Value:
    return evaluate(parse(text), ctx(**kwargs))


def same(actual: Value, expected: Value) -> bool:
    """Equality that keeps booleans apart from numbers and treats NaN as equal to NaN."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if math.isnan(expected):
            return math.isnan(actual)
        return math.isclose(actual, expected, rel_tol=1e-12, abs_tol=1e-12)
    return type(actual) is type(expected) and actual == expected


def check(cases: list[tuple[str, Value]]) -> None:
    failures = []
    for text, expected in cases:
        actual = ev(text)
        if not same(actual, expected):
            failures.append(f"{text!r}: got {actual!r}, expected {expected!r}")
    assert not failures, "\n".join(failures)


# fmt: off
OPERATORS = [
    ("1 + 2", 3.0), ("5 - 7", -2.0), ("2 * 3.5", 7.0), ("7 div 2", 3.5), ("7 mod 3", 1.0),
    ("-7 mod 3", -1.0), ("7 mod -3", 1.0), ("5.5 mod 2", 1.5), ("1 div 0", INF),
    ("-1 div 0", -INF), ("0 div 0", NAN), ("5 mod 0", NAN), ("-(3)", -3.0), ("- - 3", 3.0),
    (".5 + 1.", 1.5), ("3 - -2", 5.0), ("2*-1", -2.0), ("${age}-${b-c}", 28.0),
    ("${age}div 3", 10.0), ("5 mod-1", 0.0), ("1 div 0 - 1 div 0", NAN),
    ("'3' + '4'", 7.0), ("'x' + 1", NAN), ("true() + true()", 2.0),
    # precedence and associativity
    ("1 + 2 * 3", 7.0), ("(1 + 2) * 3", 9.0), ("10 - 4 - 3", 3.0), ("16 div 4 div 2", 2.0),
    ("2 * 3 mod 4", 2.0), ("-2 * 3", -6.0), ("- 2 + 3", 1.0), ("1 + 1 = 2", True),
    ("1 < 2 = 1", True), ("3 > 2 > 1", False), ("1 = 1 and 2 = 3 or 1 = 1", True),
    ("true() or false() and false()", True), ("(true() or false()) and false()", False),
    ("1 + 2 < 4 and 2 * 2 = 4", True), ("\n 1\t+\r2 ", 3.0),
    # comparisons
    ("1 = 1.0", True), ("'a' = 'a'", True), ("'a' != 'b'", True), ("'a' = 'A'", False),
    ("'10' = 10", True), ("'abc' = 0", False), ("2 < 10", True), ("'2' < '10'", True),
    ("'abc' < 1", False), ("'abc' >= 1", False), ("1 <= 1", True), ("2 >= 3", False),
    ("true() = 1", True), ("true() = 'x'", True), ("false() = ''", True),
    ("false() != 0", False), ("1 != 'x'", True), ("0 div 0 = 0 div 0", False),
    ("0 div 0 != 0 div 0", True), ("0 div 0 < 1", False), ("0 div 0 >= 1", False),
    ("'b' > 'a'", False),
]

UNANSWERED = [
    ("${empty} = ''", True), ("${missing} = ''", True), ("${empty} > 3", False),
    ("${empty} < 3", False), ("${empty} >= 0", False), ("${empty} != 3", True),
    ("${empty} = 0", False), ("${empty} + 1", NAN), ("string-length(${empty})", 0),
    ("not(${empty})", True), ("boolean(${empty})", False), ("${blank} = ${empty}", True),
    ("concat(${empty}, 'x')", "x"), ("${empty} = false()", True),
]

SELECTS = [
    ("selected(${multi}, 'a')", True), ("selected(${multi}, 'b')", False),
    ("selected(${multi}, ' c ')", True), ("selected(${text_multi}, 'b')", True),
    ("selected(${empty}, 'a')", False), ("selected(${name}, 'Kim')", True),
    ("count-selected(${multi})", 2), ("count-selected(${text_multi})", 2),
    ("count-selected(${empty})", 0), ("selected-at(${multi}, 0)", "a"),
    ("selected-at(${multi}, 1)", "c"), ("selected-at(${multi}, 2)", ""),
    ("selected-at(${multi}, -1)", ""), ("selected-at(${multi}, 'x')", ""),
    ("selected-at(${text_multi}, 1)", "b"), ("${multi} = 'a c'", True),
    ("string(${multi})", "a c"), ("boolean(${multi})", True), ("number(${multi})", NAN),
]

NODESETS = [
    ("count(${ages})", 3), ("count(${mixed})", 3), ("count(${none_repeat})", 0),
    ("count(${age})", 1), ("sum(${ages})", 60.0), ("sum(${none_repeat})", 0.0),
    ("sum(${mixed})", NAN), ("sum(${age})", 30.0), ("max(${ages})", 30.0),
    ("min(${ages}, 5)", 5.0), ("max(${ages}, ${age}, 31)", 31.0), ("min(${none_repeat})", NAN),
    ("max(${names})", NAN), ("${ages} = 20", True), ("${ages} != 10", True),
    ("${ages} > 25", True), ("${ages} < 5", False), ("${none_repeat} = ''", False),
    ("${none_repeat} != ''", False), ("${ages} = true()", True), ("${none_repeat} = false()", True),
    ("string(${ages})", "10"), ("${ages} + 1", 11.0), ("join(', ', ${ages})", "10, 20, 30"),
    ("join('-', 'a', ${names}, 'b')", "a-Kim-Lee-b"), ("concat(${names}, '!')", "KimLee!"),
    ("boolean(${none_repeat})", False), ("boolean(${ages})", True), ("${names} = 'Lee'", True),
    ("string(${none_repeat})", ""),
]

DATES = [
    ("today()", TODAY), ("now()", NOW), ("${dob} < today()", True),
    ("${dob} = '1990-01-15'", True), ("'1990-01-15' = ${dob}", True),
    ("${dob} != '1990-01-15'", False),
    ("${dob} < '1990-02-01'", True), ("${dob} > '1990-02-01'", False),
    ("${dob} = 'not a date'", False), ("${dob} = ${empty}", False), ("${dob} > ${empty}", False),
    ("today() - ${dob}", float((TODAY - DOB).days)), ("${dob} + 1 = date('1990-01-16')", True),
    ("number(date('1970-01-02'))", 1.0), ("date(19000)", dt.date(2022, 1, 8)),
    ("date(19000.9)", dt.date(2022, 1, 8)), ("date('19000')", dt.date(2022, 1, 8)),
    ("date('2024-02-29')", dt.date(2024, 2, 29)), ("date(${dob})", DOB),
    ("date(now())", dt.date(2024, 5, 6)), ("date(${empty})", None),
    ("date(today() + 1)", dt.date(2024, 5, 7)),
    ("date('2024-05-06T23:59:00+09:00')", dt.date(2024, 5, 6)),
    ("format-date(${dob}, '%Y-%m-%d')", "1990-01-15"),
    ("format-date(${dob}, '%e/%n/%y')", "15/1/90"),
    ("format-date('2024-03-05', '%d.%m.%Y %b %a 100%%')", "05.03.2024 Mar Tue 100%"),
    ("format-date-time(now(), '%H:%M:%S.%3 %h')", "13:30:15.250 13"),
    ("format-date(${dob}, '%Q')", "%Q"), ("format-date(${empty}, '%Y')", ""),
    ("format-date(19000, '%Y')", "2022"), ("decimal-date-time('1970-01-02T12:00:00')", 1.5),
    ("decimal-date-time(${dob})", float((DOB - dt.date(1970, 1, 1)).days)),
    ("decimal-date-time(${empty})", NAN),
    ("decimal-date-time(${start}) - decimal-date-time(today())", 0.375),
    ("string(${dob})", "1990-01-15"), ("string(${start})", "2024-05-06T09:00:00.000+09:00"),
    ("${start} > today()", True), ("${start} < now()", True), ("today() = '2024-05-06'", True),
    ("floor(decimal-date-time(now())) = number(today())", True),
]

TEXT = [
    ("string-length('한국어')", 3), ("string-length(.)", 3), ("string-length(12.50)", 4),
    ("concat('a', 1, true(), 2.5)", "a1true2.5"), ("concat('solo')", "solo"),
    ("contains('hello', 'ell')", True), ("contains('hello', 'xyz')", False),
    ("contains('hello', '')", True), ("starts-with('hello', 'he')", True),
    ("starts-with('hello', 'lo')", False), ("ends-with('hello', 'lo')", True),
    ("ends-with('hello', 'he')", False), ("substr('hello', 1)", "ello"),
    ("substr('hello', 1, 3)", "el"), ("substr('hello', -2, 2)", "he"),
    ("substr('hello', 3, 99)", "lo"), ("substr('hello', 4, 2)", ""), ("substr('hello', 'x')", ""),
    ("substr('hello', 1.9, 3.9)", "el"), ("normalize-space('  a \t  b ')", "a b"),
    ("substring-before('a-b-c', '-')", "a"), ("substring-before('abc', '-')", ""),
    ("substring-after('a-b-c', '-')", "b-c"), ("substring-after('abc', '-')", ""),
    ("translate('abcab', 'ab', 'A')", "AcA"), ("translate('abc', 'aa', 'xy')", "xbc"),
    ("regex('abc123', '^[a-z]+[0-9]+$')", True), ("regex('ABC', '^[a-z]+$')", False),
    ("regex('x123y', '[0-9]{3}')", True), ("regex(${empty}, '^$')", True),
    ("regex(${age}, '^[0-9]+$')", True), ("regex('a', '[[a]')", True),
    ('"it\'s"', "it's"), ("'say \"hi\"'", 'say "hi"'), ("string(3.0)", "3"),
    ("string(0.5)", "0.5"), ("string(1 div 0)", "Infinity"), ("string(-1 div 0)", "-Infinity"),
    ("string(0 div 0)", "NaN"), ("string(true())", "true"), ("string(false())", "false"),
    ("string(1 div 10000000)", "0.0000001"), ("string(-0)", "0"),
    ("string(1000000 * 1000000 * 1000000 * 1000000)", "1000000000000000000000000"),
    ("string(${weight})", "62.5"), ("string(0.1 + 0.2)", "0.30000000000000004"),
]

NUMBERS = [
    ("number('12.5')", 12.5), ("number(' 7 ')", 7.0), ("number('-.5')", -0.5),
    ("number('abc')", NAN), ("number('')", NAN), ("number('1e5')", NAN), ("number('inf')", NAN),
    ("number('+3')", NAN), ("number(true())", 1.0), ("number(false())", 0.0),
    ("int(3.7)", 3), ("int(-3.7)", -3), ("int('12.9')", 12), ("int('x')", NAN),
    ("int(1 div 0)", INF), ("round(2.5)", 3.0), ("round(-2.5)", -3.0), ("round(2.4)", 2.0),
    ("round(1.005, 2)", 1.01), ("round(3.14159, 3)", 3.142), ("round(1234.5, -2)", 1200.0),
    ("round(0 div 0)", NAN), ("round(2.5, 'x')", NAN), ("round(1 div 0, 2)", INF),
    ("abs(-3)", 3.0), ("abs(2.5)", 2.5), ("floor(-2.5)", -3.0), ("floor(2.5)", 2.0),
    ("ceiling(2.1)", 3.0), ("ceiling(-2.1)", -2.0), ("floor('x')", NAN),
    ("pow(2, 10)", 1024.0), ("pow(2, 0.5)", math.sqrt(2)), ("pow(10, 400)", INF),
    ("pow(-10, 401)", -INF), ("pow(-8, 1 div 3)", NAN), ("pow(0, -1)", INF),
    ("sqrt(16)", 4.0), ("sqrt(-1)", NAN), ("exp(0)", 1.0), ("exp(1000)", INF),
    ("log(1)", 0.0), ("log(0)", -INF), ("log(-1)", NAN), ("log10(1000)", 3.0),
    ("pi()", math.pi), ("max(1, 5, 3)", 5.0), ("min(4, 2)", 2.0), ("max(1, 'x')", NAN),
    ("${나이} + 1", 42.0), ("${b-c} * ${r.x}", 6.0),
]

LOGIC = [
    ("not(true())", False), ("not(0)", True), ("true()", True), ("false()", False),
    ("boolean(0)", False), ("boolean('0')", True), ("boolean(0 div 0)", False),
    ("boolean(-1)", True), ("boolean('')", False), ("boolean-from-string('true')", True),
    ("boolean-from-string('1')", True), ("boolean-from-string('yes')", False),
    ("if(1 = 1, 'a', 'b')", "a"), ("if(${empty}, 'a', 'b')", "b"), ("if('0', 1, 2)", 1.0),
    ("coalesce(${empty}, 'x')", "x"), ("coalesce(${name}, 'x')", "Kim"),
    ("coalesce(${empty}, ${blank})", ""), ("coalesce(${zero}, 9)", 0), ("once(5)", "abc"),
    ("once(${name})", "abc"), ("${yes} and ${age} > 18", True), ("${yes} = 'true'", True),
    ("position(..)", 3), ("position()", 3), (".", "abc"), ("string-length(.) <= 3", True),
]
# fmt: on


@pytest.mark.parametrize(
    "table",
    [OPERATORS, UNANSWERED, SELECTS, NODESETS, DATES, TEXT, NUMBERS, LOGIC],
    ids=["operators", "unanswered", "selects", "nodesets", "dates", "text", "numbers", "logic"],
)
def test_expression_table(table: list[tuple[str, Value]]) -> None:
    check(table)


def test_uuid_is_a_fresh_uuid4() -> None:
    first, second = ev("uuid()"), ev("uuid()")
    assert isinstance(first, str) and first != second
    uuid4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    assert re.fullmatch(uuid4, first)


def test_evaluate_bool_applies_xpath_boolean() -> None:
    context = ctx()
    assert evaluate_bool(parse("${name}"), context) is True
    assert evaluate_bool(parse("${empty}"), context) is False
    assert evaluate_bool(parse("0 div 0"), context) is False
    assert evaluate_bool(parse("${multi}"), context) is True
    assert evaluate_bool(parse("${dob}"), context) is True


# -- conversions ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("x", "x"),
        (True, "true"),
        (False, "false"),
        (3, "3"),
        (3.0, "3"),
        (-0.0, "0"),
        (2.5, "2.5"),
        (1e21, "1000000000000000000000"),
        (1e-7, "0.0000001"),
        (NAN, "NaN"),
        (INF, "Infinity"),
        (-INF, "-Infinity"),
        (("a", "b"), "a b"),
        ((), ""),
        (NodeSet(["x", "y"]), "x"),
        (NodeSet(), ""),
        (DOB, "1990-01-15"),
        (dt.datetime(2024, 1, 2, 3, 4, 5), "2024-01-02T03:04:05.000"),
        (10**30, str(10**30)),
    ],
)
def test_to_string(value: Value, text: str) -> None:
    assert to_string(value) == text


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (None, NAN),
        ("", NAN),
        (" 12 ", 12.0),
        ("1.", 1.0),
        ("abc", NAN),
        ("1,5", NAN),
        (True, 1.0),
        (False, 0.0),
        (7, 7.0),
        (2.5, 2.5),
        (10**400, INF),
        (-(10**400), -INF),
        (dt.date(1970, 1, 11), 10.0),
        (dt.datetime(1970, 1, 2, 6, 0), 1.25),
        (dt.datetime(1970, 1, 2, 6, 0, tzinfo=KST), 1.25),
        (NodeSet([4, 5]), 4.0),
        (NodeSet(), NAN),
        (("5",), 5.0),
        (("a", "b"), NAN),
    ],
)
def test_to_number(value: Value, number: float) -> None:
    assert same(to_number(value), number)


@pytest.mark.parametrize(
    ("value", "truth"),
    [
        (None, False),
        ("", False),
        ("false", True),
        ("0", True),
        (0, False),
        (2, True),
        (0.0, False),
        (NAN, False),
        (-0.1, True),
        (True, True),
        (False, False),
        ((), False),
        (("a",), True),
        (NodeSet(), False),
        (NodeSet([None]), True),
        (DOB, True),
    ],
)
def test_to_boolean(value: Value, truth: bool) -> None:
    assert to_boolean(value) is truth


@pytest.mark.parametrize("convert", [to_string, to_number, to_boolean])
def test_conversions_reject_foreign_types(convert: object) -> None:
    with pytest.raises(ExpressionError, match="unsupported value"):
        convert(object())  # type: ignore[operator]


# -- parse errors --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty expression"),
        ("   ", "empty expression"),
        ("1 +", "unexpected end of expression"),
        ("(1 + 2", "expected ')'"),
        ("(1 + 2 3", "expected ')' but found '3'"),
        ("foo(1)", "unknown function 'foo()'"),
        ("if(1, 2)", "'if()' takes 3 arguments, got 2"),
        ("today(1)", "'today()' takes no arguments, got 1"),
        ("not()", "'not()' takes 1 argument, got 0"),
        ("substr('a')", "'substr()' takes 2 or 3 arguments, got 1"),
        ("concat()", "'concat()' takes at least 1 argument, got 0"),
        ("'abc", "unterminated string"),
        ("${a", "invalid reference"),
        ("${1a}", "invalid reference"),
        ("${}", "invalid reference"),
        ("$a", "references look like ${name}"),
        ("1 AND 2", "operators are lowercase ('and')"),
        ("1 == 2", "use '=' to compare"),
        ("1 && 2", "use 'and'"),
        ("1 || 2", "use 'or'"),
        ("/data/a = 1", "unexpected character '/'"),
        ("${a}[1]", "predicates are not supported"),
        ("age > 3", "unknown name 'age'"),
        ("..", "only allowed as the argument of position(..)"),
        (". + ..", "only allowed as the argument of position(..)"),
        ("position(1)", "position() only accepts '..'"),
        ("digest('x', 'MD5')", "function 'digest()' is not supported"),
        ("indexed-repeat(${a}, ${b})", "takes 3 to 7 arguments"),
        ("1 2", "unexpected '2'"),
        ("1 foo", "unexpected 'foo': expected an operator"),
        ("concat(1,)", "unexpected ')'"),
        ("and", "unexpected 'and'"),
        ("1 + and", "unexpected 'and'"),
        ("OR 1", "operators are lowercase ('or')"),
        (")", "unexpected ')'"),
        ("1 + * 2", "unexpected '*'"),
        ("(" * 100 + "1" + ")" * 100, "nested too deeply"),
        ("-" * 200 + "1", "nested too deeply"),
        ("1" + " + 1" * 300, "nested too deeply"),
        ("1" * 20_000, "too long"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert message in str(info.value)
    assert isinstance(info.value, FieldAppError)


def test_parse_error_carries_expression_and_position() -> None:
    with pytest.raises(ExpressionError) as info:
        parse("1 + foo(2)")
    assert info.value.position == 4
    assert info.value.expression == "1 + foo(2)"
    assert info.value.reason == "unknown function 'foo()'"


def test_parse_rejects_non_text() -> None:
    with pytest.raises(ExpressionError, match="must be text"):
        parse(42)  # type: ignore[arg-type]


# -- structure, caching, references --------------------------------------------------------
def test_ast_shape_and_cache() -> None:
    node = parse("1 + 2 * ${x}")
    assert node == BinaryOp(
        "+", NumberLiteral(1.0), BinaryOp("*", NumberLiteral(2.0), Reference("x"))
    )
    assert parse("1 + 2 * ${x}") is node
    assert parse("-'a'") == Negate(StringLiteral("a"))


def test_long_flat_chains_evaluate_without_recursion() -> None:
    assert ev(" + ".join(["1"] * 250)) == 250.0
    assert ev(" or ".join([f"selected(${{multi}}, 'x{i}')" for i in range(200)])) is False


def test_references_and_functions_used() -> None:
    node = parse("if(selected(${a}, 'x'), count-selected(${b-c}) + ${a}, sum(${r.x}))")
    assert references(node) == frozenset({"a", "b-c", "r.x"})
    assert functions_used(node) == frozenset({"if", "selected", "count-selected", "sum"})
    assert references(parse("1 + 2")) == frozenset()
    assert functions_used(parse(". > 1")) == frozenset()
    assert references(parse("position(..) = ${나이}")) == frozenset({"나이"})


# -- laziness ------------------------------------------------------------------------------
class RecordingContext(SimpleContext):
    """Remembers which names were read."""

    def __init__(self, answers: dict[str, Value]) -> None:
        super().__init__(answers, today=TODAY, now=NOW)
        self.read: list[str] = []

    def value(self, name: str) -> Value:
        self.read.append(name)
        return super().value(name)


@pytest.mark.parametrize(
    ("text", "expected", "read"),
    [
        ("false() and ${b} = 1", False, []),
        ("true() or ${b} = 1", True, []),
        ("${a} = 1 or ${b} = 1", True, ["a"]),
        ("${a} = 2 and ${b} = 1", False, ["a"]),
        ("${a} = 1 and ${b} = 1", False, ["a", "b"]),
        ("if(true(), ${a}, ${b})", 1, ["a"]),
        ("if(false(), ${a}, ${b})", 2, ["b"]),
        ("coalesce(${a}, ${b})", 1, ["a"]),
        ("coalesce(${c}, ${b})", 2, ["c", "b"]),
    ],
)
def test_short_circuit_reads_only_what_it_needs(
    text: str, expected: Value, read: list[str]
) -> None:
    context = RecordingContext({"a": 1, "b": 2, "c": None})
    assert same(evaluate(parse(text), context), expected)
    assert context.read == read


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("false() and regex('a', ${bad_pattern})", False),
        ("true() or regex('a', ${bad_pattern})", True),
        ("if(true(), 1, date('not a date'))", 1.0),
        ("if(false(), regex('a', '('), 1)", 1.0),
        ("coalesce('x', date('garbage'))", "x"),
        ("false() and 1 div 0 = 1", False),
    ],
)
def test_skipped_branches_never_fail(text: str, expected: object) -> None:
    result = ev(text)
    assert result == expected and type(result) is type(expected)


# -- evaluation errors ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("true() and regex('a', ${bad_pattern})", "regex() pattern cannot be used"),
        ("regex('a', '(')", "regex() pattern cannot be used (missing )"),
        ("regex('a', concat('a', ${empty}, '" + "x" * 1001 + "'))", "pattern is too long"),
        ("date('garbage')", "date() cannot convert its argument to a date"),
        ("date(1 div 0)", "date() cannot convert"),
        ("date(-100000000)", "date() cannot convert"),
        ("format-date('31/12/2024', '%Y')", "format-date() cannot convert"),
        ("if(false(), 1, date('x'))", "cannot convert"),
    ],
)
def test_evaluation_errors(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=re.escape(message)):
        ev(text)


def test_hand_built_nodes_are_checked() -> None:
    with pytest.raises(ExpressionError, match="unknown function 'nope\\(\\)'"):
        evaluate(Call("nope", ()), ctx())
    with pytest.raises(ExpressionError, match="'if\\(\\)' takes 3 arguments, got 0"):
        evaluate(Call("if", ()), ctx())
    deep: Node = NumberLiteral(1.0)
    for _ in range(5000):
        deep = Negate(deep)
    with pytest.raises(ExpressionError, match="nested too deeply"):
        evaluate(deep, ctx())


class BrokenContext(SimpleContext):
    def value(self, name: str) -> Value:
        raise RuntimeError("secret answer 12345")


def test_context_failures_become_expression_errors_without_values() -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(parse("${x} + 1"), BrokenContext())
    assert "RuntimeError" in str(info.value)
    assert "12345" not in str(info.value)
    with pytest.raises(ExpressionError, match="unsupported value"):
        evaluate(parse("${x} + 1"), SimpleContext({"x": object()}))  # type: ignore[dict-item]


def test_simple_context_defaults() -> None:
    context = SimpleContext()
    assert isinstance(context, EvalContext)
    assert context.now().tzinfo is not None
    assert isinstance(context.today(), dt.date)
    assert context.position() == 1
    assert context.current() is None
    assert context.value("anything") is None


def test_choice_filter_bare_names_and_choice_name() -> None:
    from fieldapp.errors import ExpressionError as _Err
    from fieldapp.questionnaire.expressions import evaluate_bool as _eb
    from fieldapp.questionnaire.expressions import parse as _parse

    class FilterCtx(SimpleContext):
        def choice_property(self, name: str) -> str:
            return {"city": "seoul", "name": "mapo"}[name]

        def choice_label(self, name: str, value: str) -> str:
            return {"seoul": "서울"}.get(value, "")

    node = _parse("city = ${city} and name != 'x'", choice_columns=True)
    assert _eb(node, FilterCtx({"city": "seoul"}))
    assert not _eb(node, FilterCtx({"city": "tokyo"}))
    with pytest.raises(_Err, match="unknown name 'city'"):
        _parse("city = ${city}")
    with pytest.raises(_Err, match="only allowed in choice_filter"):
        evaluate(node, SimpleContext({"city": "seoul"}))
    label = _parse("jr:choice-name(${city}, '${city}')")
    assert evaluate(label, FilterCtx({"city": "seoul"})) == "서울"
    assert evaluate(label, SimpleContext({"city": "seoul"})) == "seoul"
    assert evaluate(label, FilterCtx({})) == ""
