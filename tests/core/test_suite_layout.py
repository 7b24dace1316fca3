"""The suite's own house rule: tests share helpers only through ``tests/support``."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_tests_import_only_tests_support() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                if node.module == "tests":
                    names = [f"tests.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.startswith("tests.") and not name.startswith("tests.support"):
                    offenders.append(f"{path.relative_to(TESTS)}:{node.lineno} {name}")
                    break
    assert offenders == []


def test_helper_modules_are_not_test_files() -> None:
    support = TESTS / "support"
    assert not list(support.glob("test_*.py"))
    stray = [p.name for p in TESTS.glob("*.py") if p.name not in ("__init__.py", "conftest.py")]
    assert stray == []
