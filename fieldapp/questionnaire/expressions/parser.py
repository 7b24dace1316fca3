"""Precedence-climbing parser: expression text → immutable AST (see nodes.py)."""

from __future__ import annotations

import re
from functools import lru_cache

from fieldapp.errors import ExpressionError
from fieldapp.i18n import N_
from fieldapp.questionnaire.expressions.functions import FUNCTIONS, UNSUPPORTED
from fieldapp.questionnaire.expressions.lexer import KEYWORDS, Token, bracket_end, tokenize
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

#: Deepest nesting of parentheses, calls, unary minus and operands of higher precedence.
MAX_NESTING = 64
#: Deepest tree accepted (long left-associative chains such as ``a or b or c`` count too).
MAX_DEPTH = 256

#: Binding strength of binary operators, XPath 1.0 order (all left-associative).
# fmt: off
PRECEDENCE = {
    "or": 1,
    "and": 2,
    "=": 3, "!=": 3,
    "<": 4, "<=": 4, ">": 4, ">=": 4,
    "+": 5, "-": 5,
    "*": 6, "div": 6, "mod": 6,
}
# fmt: on


def parse(text: str, *, choice_columns: bool = False) -> Node:
    """Parse an XLSForm expression; raises ExpressionError for anything malformed.

    With ``choice_columns`` (for ``choice_filter``), bare names such as ``city`` are
    allowed and denote a column of the choice being filtered.
    """
    if not isinstance(text, str):
        raise ExpressionError(N_("an expression must be text"), code="parser.expression-text")
    return _parse_cached(text, choice_columns)


@lru_cache(maxsize=4096)
def _parse_cached(text: str, choice_columns: bool = False, path_names: bool = False) -> Node:
    try:
        return _Parser(text, choice_columns, path_names).parse()
    except RecursionError:
        raise ExpressionError(N_("expression is nested too deeply"), text,
                              code="parser.expression-nested-too-deeply") from None


_INSTANCE_NAME = re.compile(r"instance\s*\(\s*(['\"])(.*?)\1\s*\)")
_PATH_STEP = re.compile(r"\s*/\s*([^\s/\[]+)|\s*(\[)")


class _Parser:
    def __init__(self, text: str, choice_columns: bool = False,
                 path_names: bool = False) -> None:
        self.text = text
        self.choice_columns = choice_columns
        self.tokens = tokenize(text, path_names=path_names)
        self.index = 0
        self.nesting = 0
        self.depths: dict[int, int] = {}

    # -- helpers ---------------------------------------------------------------------------
    def error(self, message: str, token: Token | None = None, *, code: str | None = None,
              **fields: object) -> ExpressionError:
        where = (token or self.peek()).pos
        return ExpressionError(message, self.text, where, code=code, **fields)

    def peek(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "eof":
            self.index += 1
        return token

    def expect(self, kind: str) -> Token:
        token = self.peek()
        if token.kind != kind:
            if token.kind == "eof":
                raise self.error(N_("unexpected end of expression: expected '{kind}'"),
                                 code="parser.unexpected-end-expression-expected", kind=kind)
            raise self.error(N_("expected '{kind}' but found '{text}'"),
                             code="parser.expected-but-found", kind=kind, text=token.text)
        return self.advance()

    def node(self, node: Node) -> Node:
        depth = 1 + max((self.depths[id(child)] for child in node.children()), default=0)
        if depth > MAX_DEPTH:
            raise self.error(N_("expression is nested too deeply (more than {MAX_DEPTH} levels)"),
                             code="parser.expression-nested-too-deeply", MAX_DEPTH=MAX_DEPTH)
        self.depths[id(node)] = depth
        return node

    def enter(self) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.error(N_("expression is nested too deeply (more than {MAX_NESTING} levels)"),
                             code="parser.expression-nested-too-deeply-2", MAX_NESTING=MAX_NESTING)

    # -- grammar ---------------------------------------------------------------------------
    def parse(self) -> Node:
        if self.peek().kind == "eof":
            raise self.error(N_("empty expression"), code="parser.empty-expression")
        node = self.expression(0)
        token = self.peek()
        if token.kind != "eof":
            raise self.unexpected(token)
        return node

    def unexpected(self, token: Token) -> ExpressionError:
        if token.kind == "eof":
            return self.error(N_("unexpected end of expression"), token,
                              code="parser.unexpected-end-expression")
        lowered = token.text.lower()
        if token.kind == "name" and lowered in KEYWORDS and lowered != token.text:
            return self.error(
                N_("unexpected '{text}': operators are lowercase ('{lowered}')"), token,
                code="parser.unexpected-operators-lowercase", text=token.text, lowered=lowered
            )
        if token.text == "=" and self.tokens[self.index - 1].text == "=":
            return self.error(N_("unexpected '=': use '=' to compare, not '=='"), token,
                              code="parser.unexpected-use-compare-not")
        if token.kind == "name":
            return self.error(N_("unexpected '{text}': expected an operator"), token,
                              code="parser.unexpected-expected-operator", text=token.text)
        return self.error(N_("unexpected '{text}'"), token,
                          code="parser.unexpected", text=token.text)

    def expression(self, min_precedence: int) -> Node:
        self.enter()
        left = self.unary()
        while True:
            token = self.peek()
            precedence = PRECEDENCE.get(token.text) if token.kind == "op" else None
            if precedence is None or precedence < min_precedence:
                break
            self.advance()
            right = self.expression(precedence + 1)
            left = self.node(BinaryOp(token.text, left, right))
        self.nesting -= 1
        return left

    def unary(self) -> Node:
        token = self.peek()
        if token.kind == "op" and token.text == "-":
            self.advance()
            self.enter()
            operand = self.unary()
            self.nesting -= 1
            return self.node(Negate(operand))
        return self.primary()

    def primary(self) -> Node:
        token = self.peek()
        if token.kind in ("eof", "op", ")", ","):
            raise self.unexpected(token)
        self.advance()
        if token.kind == "number":
            return self.node(NumberLiteral(float(token.text)))
        if token.kind == "string":
            return self.node(StringLiteral(token.text[1:-1]))
        if token.kind == "ref":
            return self.node(Reference(token.text[2:-1]))
        if token.kind == "dot":
            return self.node(CurrentNode())
        if token.kind == "dotdot":
            raise self.error(N_("'..' is only allowed as the argument of position(..)"), token,
                             code="parser.allowed-argument-position")
        if token.kind == "(":
            inner = self.expression(0)
            self.expect(")")
            return inner
        if token.kind == "instance":
            return self.instance(token)
        return self.call(token)

    def instance(self, token: Token) -> Node:
        """``instance('x')/root/item[pred]/field``: the item path is the first two steps."""
        head = _INSTANCE_NAME.match(token.text)
        assert head is not None  # the lexer matched the same form
        name, rest, pos = head.group(2), token.text, head.end()
        steps: list[str] = []
        predicate: Node | None = None
        while pos < len(rest):
            match = _PATH_STEP.match(rest, pos)
            if match is None:
                break
            if match.group(2):  # a predicate
                end = pos + _predicate_end(rest[pos:])
                if len(steps) != 2:
                    raise self.error(N_("write instance('name')/root/item[...]: the predicate "
                                        "goes on the item step"), token,
                                     code="parser.write-instance-name-root-2")
                inner = rest[match.end(2):end - 1]
                predicate = _parse_cached(inner, True, True)
                self.depths[id(predicate)] = _depth(predicate)
                pos = end
                continue
            steps.append(match.group(1))
            pos = match.end()
        if len(steps) < 2:
            raise self.error(N_("write instance('name')/root/item (with an optional [filter] and "
                                "/field after it)"), token, code="parser.write-instance-name-root")
        return self.node(InstancePath(name, predicate, "/".join(steps[2:])))

    def call(self, name_token: Token) -> Node:
        name = name_token.text
        if self.peek().kind != "(":
            if name.lower() in KEYWORDS:
                if name.lower() != name:
                    raise self.unexpected(name_token)
                raise self.error(N_("unexpected '{name}'"), name_token,
                                 code="parser.unexpected-2", name=name)
            if self.choice_columns:
                return self.node(NameRef(name))
            raise self.error(
                N_("unknown name '{name}': refer to a question as ${{{name}}}"), name_token,
                code="parser.unknown-name-refer-question", name=name
            )
        spec = FUNCTIONS.get(name)
        if spec is None:
            if name in UNSUPPORTED:
                raise self.error(N_("function '{name}()' is not supported"), name_token,
                                 code="parser.function-not-supported", name=name)
            raise self.error(N_("unknown function '{name}()'"), name_token,
                             code="parser.unknown-function", name=name)
        self.advance()
        args: list[Node] = []
        if name == "position" and self.peek().kind == "dotdot":
            self.advance()
            args.append(self.node(ParentNode()))
        elif self.peek().kind != ")":
            args.append(self.expression(0))
            while self.peek().kind == ",":
                self.advance()
                args.append(self.expression(0))
        self.expect(")")
        problem = spec.arity_problem(len(args))
        if problem:
            raise self.error(problem[0], name_token, code="parser.arity", **problem[1])
        if name == "indexed-repeat" and (len(args) % 2 == 0 or not all(
                isinstance(a, Reference) for a in (args[0], *args[1::2]))):
            raise self.error(N_("indexed-repeat() takes a question, then pairs of a repeat "
                                "and a position"), name_token,
                             code="parser.indexed-repeat-arguments")
        if name == "position" and args and not isinstance(args[0], ParentNode):
            raise self.error(N_("position() only accepts '..' as its argument"), name_token,
                             code="parser.position-accepts-argument")
        return self.node(Call(name, tuple(args)))


def _predicate_end(text: str) -> int:
    """Index just after the ']' closing the predicate that opens ``text`` (its end if none)."""
    end = bracket_end(text)
    return len(text) if end is None else end


def _depth(node: Node) -> int:
    """Height of an already-parsed tree (iterative)."""
    best, stack = 0, [(node, 1)]
    while stack:
        current, level = stack.pop()
        best = max(best, level)
        stack.extend((child, level + 1) for child in current.children())
    return best
