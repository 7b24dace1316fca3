"""Split an expression into tokens, with errors that point at the offending character."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fieldapp.errors import ExpressionError
from fieldapp.i18n import N_

#: Longest expression accepted, in characters.
MAX_LENGTH = 10_000

KEYWORDS = ("and", "or", "div", "mod")
_NAME = r"[^\W\d][\w.\-]*"
_NAME_RE = re.compile(_NAME)
_FUNCTION_NAME_RE = re.compile(rf"(?:{_NAME}:)?{_NAME}")
_KEYWORD_RE = re.compile(r"(?:and|or|div|mod)(?![\w.:])")
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_SPACE_RE = re.compile(r"\s+")
_OPERATORS = ("!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "(", ")", ",")
_HINTS = {
    "&": "use 'and' instead of '&&'",
    "|": "use 'or' instead of '||'",
    "!": "use '!=' or not(...)",
    "/": "use 'div' to divide; refer to questions as ${name}, not by path",
    "$": "references look like ${name}",
    "[": "XPath predicates are not supported",
    "@": "XPath attributes are not supported",
}
#: Token kinds after which a name must be an operator keyword (XPath lexical rule).
_OPERAND_END = frozenset({"number", "string", "ref", "dot", "dotdot", ")", "instance"})
#: ``instance('name')`` followed by a path: the one XPath path form supported (secondary
#: instances: choice lists, attached CSV / XML data).
_INSTANCE_RE = re.compile(r"instance\s*\(\s*(?:'[^']*'|\"[^\"]*\")\s*\)(?=\s*/)")
_STEP_RE = re.compile(r"\s*/\s*([^\W\d][\w.\-:]*)")
#: In a predicate, a name may be a path of child elements (``P_Demographic/P_SN``).
_PATH_NAME_RE = re.compile(rf"(?:{_NAME}:)?{_NAME}(?:/{_NAME})*")


@dataclass(frozen=True)
class Token:
    """One lexical token: kind is number/string/ref/name/op/dot/dotdot/eof, or the operator."""

    kind: str
    text: str
    pos: int


def tokenize(text: str, *, path_names: bool = False) -> list[Token]:
    """Tokens of ``text`` followed by an ``eof`` token; raises ExpressionError.

    ``path_names`` (inside an instance predicate) lets a name be a child path ``a/b``.
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(N_("expression is too long (more than {MAX_LENGTH} characters)"),
                              code="lexer.expression-too-long-more", MAX_LENGTH=MAX_LENGTH)
    tokens: list[Token] = []
    pos = 0
    while True:
        space = _SPACE_RE.match(text, pos)
        if space:
            pos = space.end()
        if pos >= len(text):
            tokens.append(Token("eof", "", pos))
            return tokens
        token = _next_token(text, pos, bool(tokens) and tokens[-1].kind in _OPERAND_END,
                            path_names)
        tokens.append(token)
        pos += len(token.text)


def _next_token(text: str, pos: int, after_operand: bool, path_names: bool = False) -> Token:
    char = text[pos]
    if not after_operand and (instance := _INSTANCE_RE.match(text, pos)):
        return Token("instance", text[pos:_instance_end(text, instance.end())], pos)
    if after_operand and (keyword := _KEYWORD_RE.match(text, pos)):
        return Token("op", keyword.group(), pos)
    if number := _NUMBER_RE.match(text, pos):
        return Token("number", number.group(), pos)
    if text.startswith("${", pos):
        return _reference(text, pos)
    if char in "'\"":
        end = text.find(char, pos + 1)
        if end < 0:
            raise ExpressionError(N_("unterminated string"), text, pos,
                                  code="lexer.unterminated-string")
        return Token("string", text[pos : end + 1], pos)
    if text.startswith("..", pos):
        return Token("dotdot", "..", pos)
    if char == ".":
        return Token("dot", ".", pos)
    for operator in _OPERATORS:
        if text.startswith(operator, pos):
            return Token(operator if operator in "()," else "op", operator, pos)
    if name := (_PATH_NAME_RE if path_names else _FUNCTION_NAME_RE).match(text, pos):
        return Token("name", name.group(), pos)
    hint = _HINTS.get(char)
    suffix = f" ({hint})" if hint else ""
    raise ExpressionError(N_("unexpected character {char!r}{suffix}"), text, pos,
                          code="lexer.unexpected-character", char=char, suffix=suffix)


def _reference(text: str, pos: int) -> Token:
    name = _NAME_RE.match(text, pos + 2)
    if name is None or not text.startswith("}", name.end()):
        raise ExpressionError(
            N_("invalid reference: expected ${name} with a name made of letters, digits, '_', '-' "
               "or '.'"),
            text,
            pos, code="lexer.invalid-reference-expected-name"
        )
    return Token("ref", text[pos : name.end() + 1], pos)


def _instance_end(text: str, pos: int) -> int:
    """End of an ``instance(…)`` path: ``/step`` steps and at most one ``[predicate]``."""
    seen_predicate = False
    while True:
        step = _STEP_RE.match(text, pos)
        if step:
            pos = step.end()
            continue
        if text.startswith("[", pos) and not seen_predicate:
            pos = _bracket_end(text, pos)
            seen_predicate = True
            continue
        return pos


def bracket_end(text: str, pos: int = 0) -> int | None:
    """Index just after the ']' closing the '[' predicate that starts at ``pos`` (quotes
    respected), or None when it is never closed."""
    depth, quote = 0, ""
    for index in range(pos, len(text)):
        char = text[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _bracket_end(text: str, pos: int) -> int:
    end = bracket_end(text, pos)
    if end is None:
        raise ExpressionError(N_("the ']' closing the predicate is missing"), text, pos,
                              code="lexer.closing-predicate-missing")
    return end
