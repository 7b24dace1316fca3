"""Immutable AST nodes for XLSForm expressions, plus helpers that walk them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    """Base class of every expression node; nodes are hashable and immutable."""

    def children(self) -> tuple[Node, ...]:
        """Direct sub-expressions, left to right."""
        return ()


@dataclass(frozen=True)
class NumberLiteral(Node):
    """A number such as ``3`` or ``.5`` (always held as a float)."""

    value: float


@dataclass(frozen=True)
class StringLiteral(Node):
    """A quoted string; XPath has no escapes, so ``value`` is the text between the quotes."""

    value: str


@dataclass(frozen=True)
class Reference(Node):
    """``${name}``: the answer to another question."""

    name: str


@dataclass(frozen=True)
class NameRef(Node):
    """A bare name; only in ``choice_filter``, where it is a column of the choice."""

    name: str


@dataclass(frozen=True)
class CurrentNode(Node):
    """``.``: the value of the question being validated."""


@dataclass(frozen=True)
class ParentNode(Node):
    """``..``: only valid as the argument of ``position(..)``."""


@dataclass(frozen=True)
class Negate(Node):
    """Unary minus."""

    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class BinaryOp(Node):
    """``left op right`` where op is one of ``or and = != < <= > >= + - * div mod``."""

    op: str
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Call(Node):
    """A function call such as ``selected(${q}, 'a')``."""

    name: str
    args: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.args


@dataclass(frozen=True)
class InstancePath(Node):
    """``instance('name')/root/item[predicate]/field``: rows of a secondary instance (a choice
    list, or a CSV / XML file of the form), filtered, and one field of each."""

    instance: str
    predicate: Node | None = None
    field: str = ""

    def children(self) -> tuple[Node, ...]:
        return (self.predicate,) if self.predicate is not None else ()


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children (iterative, so never too deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children()))


def references(node: Node) -> frozenset[str]:
    """Names of every ``${name}`` used in the expression."""
    return frozenset(n.name for n in walk(node) if isinstance(n, Reference))


def functions_used(node: Node) -> frozenset[str]:
    """Names of every function called in the expression."""
    return frozenset(n.name for n in walk(node) if isinstance(n, Call))
