"""Expressions as ODK writers type them, rewritten into the ``${name}`` form fieldapp evaluates.

pyxform passes expressions to the XForm untouched, so forms that work in ODK use more XPath
than ``${name}`` references. At load time (never at interview time) this module rewrites:

- typographic quotes ‘ ’ “ ” into ' and " (pyxform does the same);
- paths relative to the question — ``../sibling``, ``./child``, ``current()/../q`` (also
  inside ``instance(…)[…]`` filters) — and absolute paths ``/form/group/q`` into ``${q}``,
  resolved against the form's groups;
- a bare name that is no function and no operator (``false``, ``null``) into ``''``: in
  XPath it is a path to a child element that does not exist, an empty value.

Anything it cannot resolve is left as written, so the expression check reports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from fieldapp.errors import ExpressionError
from fieldapp.questionnaire.expressions.lexer import KEYWORDS, tokenize

SMART_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
_NAME = r"[^\W\d][\w.\-]*(?::[^\W\d][\w.\-]*)?"
_STEP = rf"(?:\.\.|\.|{_NAME})"
_RELATIVE = re.compile(rf"(?:current\(\s*\)|\.\.|\.)(?:\s*/\s*{_STEP})+")
_ABSOLUTE = re.compile(rf"/\s*{_NAME}(?:\s*/\s*{_STEP})*")
_STRING = re.compile(r"'[^']*'|\"[^\"]*\"")


@dataclass
class TreeNode:
    """An element of the form as XPath sees it: its XML name, parent and children."""

    name: str  # the name written in the form (before any renaming)
    target: str | None  # the question's name in fieldapp, None for a group
    parent: TreeNode | None = None
    children: dict[str, TreeNode] = field(default_factory=dict)

    def add(self, child: TreeNode) -> TreeNode:
        child.parent = self
        self.children.setdefault(child.name, child)
        return child


def _resolve(start: TreeNode | None, steps: list[str]) -> TreeNode | None:
    node = start
    for step in steps:
        if node is None:
            return None
        if step == ".":
            continue
        if step == "..":
            node = node.parent
        else:
            node = node.children.get(step)
    return node


def _steps(path: str) -> list[str]:
    return [s.strip() for s in path.split("/") if s.strip()]


def _code_segments(text: str) -> list[tuple[bool, str]]:
    """(is_code, text) pieces: string literals are never rewritten."""
    out, pos = [], 0
    for match in _STRING.finditer(text):
        out.append((True, text[pos:match.start()]))
        out.append((False, match.group()))
        pos = match.end()
    out.append((True, text[pos:]))
    return out


def resolve_paths(text: str, here: TreeNode, root: TreeNode) -> str:
    """Rewrite XPath paths that reach a question into ``${name}``."""
    if "/" not in text:
        return text

    def relative(match: re.Match[str]) -> str:
        raw = match.group()
        head, _, rest = raw.partition("/")
        start = here
        steps = _steps(rest)
        if head.strip() == "..":
            steps.insert(0, "..")
        node = _resolve(start, steps)
        return f"${{{node.target}}}" if node is not None and node.target else raw

    def absolute(match: re.Match[str], code: str) -> str:
        raw = match.group()
        before = code[:match.start()].rstrip()
        if before and (before[-1] in ")]'\"" or before[-1].isalnum() or before[-1] == "_"):
            return raw  # a step of an instance() path, not a path of its own
        steps = _steps(raw)
        node = _resolve(root, steps[1:])  # steps[0] is the form's root element
        return f"${{{node.target}}}" if node is not None and node.target else raw

    pieces = []
    for is_code, piece in _code_segments(text):
        if is_code:
            piece = _RELATIVE.sub(relative, piece)
            piece = _ABSOLUTE.sub(lambda m, p=piece: absolute(m, p), piece)  # type: ignore[misc]
        pieces.append(piece)
    return "".join(pieces)


def empty_bare_names(text: str) -> tuple[str, list[str]]:
    """``false`` → ``''`` for bare names (no function call, no operator); returns the names.

    Left unchanged when the expression does not tokenize (the check reports it)."""
    try:
        tokens = tokenize(text)
    except ExpressionError:
        return text, []
    names = []
    out, last = [], 0
    for index, token in enumerate(tokens):
        if token.kind != "name" or token.text.lower() in KEYWORDS:
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following.kind == "(":
            continue
        names.append(token.text)
        out.append(text[last:token.pos])
        out.append("''")
        last = token.pos + len(token.text)
    if not names:
        return text, []
    out.append(text[last:])
    return "".join(out), names


def compatible(text: str, here: TreeNode, root: TreeNode, *, bare_names: bool = True,
               note: Callable[[list[str]], None] | None = None) -> str:
    """All rewrites, in order: quotes, paths, bare names."""
    text = text.translate(SMART_QUOTES)
    text = resolve_paths(text, here, root)
    if bare_names:
        text, names = empty_bare_names(text)
        if names and note is not None:
            note(names)
    return text
